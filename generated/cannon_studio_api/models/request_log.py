from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.request_log_input import RequestLogInput
    from ..models.request_log_output import RequestLogOutput


T = TypeVar("T", bound="RequestLog")


@_attrs_define
class RequestLog:
    """The 7-day request log of an API-originated request (get-request page). Assumed: after the retention sweep, available
    is false and input/output are null.

        Attributes:
            available (bool): Whether the detailed log is still kept.
            error_message (None | str | Unset): Failure message, when failed.
            input_ (None | RequestLogInput | Unset): The submitted input (possibly cut down).
            output (None | RequestLogOutput | Unset): The terminal output.
            retained_until_ms (int | None | Unset): When the log is removed, epoch milliseconds (completion + 7 days).
            retention_days (int | Unset): Retention window in days (7).
    """

    available: bool
    error_message: None | str | Unset = UNSET
    input_: None | RequestLogInput | Unset = UNSET
    output: None | RequestLogOutput | Unset = UNSET
    retained_until_ms: int | None | Unset = UNSET
    retention_days: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.request_log_input import RequestLogInput  # noqa: PLC0415
        from ..models.request_log_output import RequestLogOutput  # noqa: PLC0415

        available = self.available

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        input_: dict[str, Any] | None | Unset
        if isinstance(self.input_, Unset):
            input_ = UNSET
        elif isinstance(self.input_, RequestLogInput):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, RequestLogOutput):
            output = self.output.to_dict()
        else:
            output = self.output

        retained_until_ms: int | None | Unset
        if isinstance(self.retained_until_ms, Unset):
            retained_until_ms = UNSET
        else:
            retained_until_ms = self.retained_until_ms

        retention_days = self.retention_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
            }
        )
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output
        if retained_until_ms is not UNSET:
            field_dict["retainedUntilMs"] = retained_until_ms
        if retention_days is not UNSET:
            field_dict["retentionDays"] = retention_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("None | str | Unset", data)

        error_message = _parse_error_message(d.pop("errorMessage", UNSET))

        if d.get("input") is not None:
            from ..models.request_log_input import RequestLogInput  # noqa: PLC0415

        def _parse_input_(data: object) -> None | RequestLogInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = RequestLogInput.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast("None | RequestLogInput | Unset", data)

        input_ = _parse_input_(d.pop("input", UNSET))

        if d.get("output") is not None:
            from ..models.request_log_output import RequestLogOutput  # noqa: PLC0415

        def _parse_output(data: object) -> None | RequestLogOutput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = RequestLogOutput.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast("None | RequestLogOutput | Unset", data)

        output = _parse_output(d.pop("output", UNSET))

        def _parse_retained_until_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast("int | None | Unset", data)

        retained_until_ms = _parse_retained_until_ms(d.pop("retainedUntilMs", UNSET))

        retention_days = d.pop("retentionDays", UNSET)

        request_log = cls(
            available=available,
            error_message=error_message,
            input_=input_,
            output=output,
            retained_until_ms=retained_until_ms,
            retention_days=retention_days,
        )

        request_log.additional_properties = d
        return request_log

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
