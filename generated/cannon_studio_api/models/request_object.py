from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.request_status import RequestStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audio_output import AudioOutput
    from ..models.character_output import CharacterOutput
    from ..models.image_output import ImageOutput
    from ..models.location_3d_output import Location3DOutput
    from ..models.prompt_output import PromptOutput
    from ..models.request_log import RequestLog
    from ..models.task_output import TaskOutput
    from ..models.video_output import VideoOutput


T = TypeVar("T", bound="RequestObject")


@_attrs_define
class RequestObject:
    """The request object returned by GET /api/v1/requests/{requestId} (get-request and lifecycle pages).

    Attributes:
        created_at_ms (int): Creation time, epoch milliseconds.
        id (str): Request id, e.g. req_123.
        operation (str): Operation id. Open string so new operations still parse.
        status (RequestStatus): Request lifecycle state (lifecycle page): queued -> processing -> succeeded | failed.
            succeeded and failed are terminal. This is the complete documented set.
        billable_credits (int | None | Unset): Credits billed for the request; set while processing.
        completed_at_ms (int | None | Unset): Completion time, epoch milliseconds; null until terminal.
        error_message (None | str | Unset): Failure message; set when status is failed.
        input_preview (None | str | Unset): Short preview of the input.
        output (AudioOutput | CharacterOutput | ImageOutput | Location3DOutput | None | PromptOutput | TaskOutput |
            Unset | VideoOutput): Operation output. While processing it holds downstream task metadata; on success the typed
            output. Assumed: nullable (queued requests and some failures may have none). Variants are listed most specific
            first; TaskOutput is the fallback for in-flight metadata and unknown asset kinds, so this is anyOf, not oneOf.
        output_preview (None | str | Unset): Short preview of the output.
        request_log (None | RequestLog | Unset): 7-day request log; assumed optional (absent from the lifecycle
            example).
        started_at_ms (int | None | Unset): Start time, epoch milliseconds; null while queued (assumed).
    """

    created_at_ms: int
    id: str
    operation: str
    status: RequestStatus
    billable_credits: int | None | Unset = UNSET
    completed_at_ms: int | None | Unset = UNSET
    error_message: None | str | Unset = UNSET
    input_preview: None | str | Unset = UNSET
    output: (
        AudioOutput
        | CharacterOutput
        | ImageOutput
        | Location3DOutput
        | None
        | PromptOutput
        | TaskOutput
        | Unset
        | VideoOutput
    ) = UNSET
    output_preview: None | str | Unset = UNSET
    request_log: None | RequestLog | Unset = UNSET
    started_at_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audio_output import AudioOutput  # noqa: PLC0415
        from ..models.character_output import CharacterOutput  # noqa: PLC0415
        from ..models.image_output import ImageOutput  # noqa: PLC0415
        from ..models.location_3d_output import Location3DOutput  # noqa: PLC0415
        from ..models.prompt_output import PromptOutput  # noqa: PLC0415
        from ..models.request_log import RequestLog  # noqa: PLC0415
        from ..models.task_output import TaskOutput  # noqa: PLC0415
        from ..models.video_output import VideoOutput  # noqa: PLC0415

        created_at_ms = self.created_at_ms

        id = self.id

        operation = self.operation

        status = self.status.value

        billable_credits: int | None | Unset
        if isinstance(self.billable_credits, Unset):
            billable_credits = UNSET
        else:
            billable_credits = self.billable_credits

        completed_at_ms: int | None | Unset
        if isinstance(self.completed_at_ms, Unset):
            completed_at_ms = UNSET
        else:
            completed_at_ms = self.completed_at_ms

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        input_preview: None | str | Unset
        if isinstance(self.input_preview, Unset):
            input_preview = UNSET
        else:
            input_preview = self.input_preview

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, VideoOutput):
            output = self.output.to_dict()
        elif isinstance(self.output, ImageOutput):
            output = self.output.to_dict()
        elif isinstance(self.output, AudioOutput):
            output = self.output.to_dict()
        elif isinstance(self.output, Location3DOutput):
            output = self.output.to_dict()
        elif isinstance(self.output, CharacterOutput):
            output = self.output.to_dict()
        elif isinstance(self.output, PromptOutput):
            output = self.output.to_dict()
        elif isinstance(self.output, TaskOutput):
            output = self.output.to_dict()
        else:
            output = self.output

        output_preview: None | str | Unset
        if isinstance(self.output_preview, Unset):
            output_preview = UNSET
        else:
            output_preview = self.output_preview

        request_log: dict[str, Any] | None | Unset
        if isinstance(self.request_log, Unset):
            request_log = UNSET
        elif isinstance(self.request_log, RequestLog):
            request_log = self.request_log.to_dict()
        else:
            request_log = self.request_log

        started_at_ms: int | None | Unset
        if isinstance(self.started_at_ms, Unset):
            started_at_ms = UNSET
        else:
            started_at_ms = self.started_at_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAtMs": created_at_ms,
                "id": id,
                "operation": operation,
                "status": status,
            }
        )
        if billable_credits is not UNSET:
            field_dict["billableCredits"] = billable_credits
        if completed_at_ms is not UNSET:
            field_dict["completedAtMs"] = completed_at_ms
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message
        if input_preview is not UNSET:
            field_dict["inputPreview"] = input_preview
        if output is not UNSET:
            field_dict["output"] = output
        if output_preview is not UNSET:
            field_dict["outputPreview"] = output_preview
        if request_log is not UNSET:
            field_dict["requestLog"] = request_log
        if started_at_ms is not UNSET:
            field_dict["startedAtMs"] = started_at_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at_ms = d.pop("createdAtMs")

        id = d.pop("id")

        operation = d.pop("operation")

        status = RequestStatus(d.pop("status"))

        def _parse_billable_credits(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("int | None | Unset", data)

        billable_credits = _parse_billable_credits(d.pop("billableCredits", UNSET))

        def _parse_completed_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("int | None | Unset", data)

        completed_at_ms = _parse_completed_at_ms(d.pop("completedAtMs", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("None | str | Unset", data)

        error_message = _parse_error_message(d.pop("errorMessage", UNSET))

        def _parse_input_preview(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("None | str | Unset", data)

        input_preview = _parse_input_preview(d.pop("inputPreview", UNSET))

        if d.get("output") is not None:
            from ..models.audio_output import AudioOutput  # noqa: PLC0415
            from ..models.character_output import CharacterOutput  # noqa: PLC0415
            from ..models.image_output import ImageOutput  # noqa: PLC0415
            from ..models.location_3d_output import Location3DOutput  # noqa: PLC0415
            from ..models.prompt_output import PromptOutput  # noqa: PLC0415
            from ..models.task_output import TaskOutput  # noqa: PLC0415
            from ..models.video_output import VideoOutput  # noqa: PLC0415

        def _parse_output(
            data: object,
        ) -> (
            AudioOutput
            | CharacterOutput
            | ImageOutput
            | Location3DOutput
            | None
            | PromptOutput
            | TaskOutput
            | Unset
            | VideoOutput
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = VideoOutput.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_1 = ImageOutput.from_dict(data)

                return output_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_2 = AudioOutput.from_dict(data)

                return output_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_3 = Location3DOutput.from_dict(data)

                return output_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_4 = CharacterOutput.from_dict(data)

                return output_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_5 = PromptOutput.from_dict(data)

                return output_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_6 = TaskOutput.from_dict(data)

                return output_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                "AudioOutput | CharacterOutput | ImageOutput | Location3DOutput | None | PromptOutput | TaskOutput | Unset | VideoOutput",
                data,
            )

        output = _parse_output(d.pop("output", UNSET))

        def _parse_output_preview(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("None | str | Unset", data)

        output_preview = _parse_output_preview(d.pop("outputPreview", UNSET))

        if d.get("requestLog") is not None:
            from ..models.request_log import RequestLog  # noqa: PLC0415

        def _parse_request_log(data: object) -> None | RequestLog | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                request_log_type_0 = RequestLog.from_dict(data)

                return request_log_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast("None | RequestLog | Unset", data)

        request_log = _parse_request_log(d.pop("requestLog", UNSET))

        def _parse_started_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("int | None | Unset", data)

        started_at_ms = _parse_started_at_ms(d.pop("startedAtMs", UNSET))

        request_object = cls(
            created_at_ms=created_at_ms,
            id=id,
            operation=operation,
            status=status,
            billable_credits=billable_credits,
            completed_at_ms=completed_at_ms,
            error_message=error_message,
            input_preview=input_preview,
            output=output,
            output_preview=output_preview,
            request_log=request_log,
            started_at_ms=started_at_ms,
        )

        request_object.additional_properties = d
        return request_object

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
