from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sora_2_video_extend_input import Sora2VideoExtendInput


T = TypeVar("T", bound="Sora2VideoExtendEnvelope")


@_attrs_define
class Sora2VideoExtendEnvelope:
    """Extend Sora 2 Video (sora2.video.extend). Extend an existing Sora 2 video by 4, 8, 12, 16 or 20 seconds. Credits:
    dynamic. Docs: https://www.cannonstudio.app/developers/docs/operations/sora2-video-extend

        Attributes:
            input_ (Sora2VideoExtendInput): Input of sora2.video.extend. Extend an existing Sora 2 video by 4, 8, 12, 16 or
                20 seconds.
            operation (Literal['sora2.video.extend']): Operation id. Default: 'sora2.video.extend'.
            webhook_url (str | Unset): Optional URL for terminal delivery (lifecycle page). Assumed: any absolute http(s)
                URL.
    """

    input_: Sora2VideoExtendInput
    operation: Literal["sora2.video.extend"] = "sora2.video.extend"
    webhook_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_.to_dict()

        operation = self.operation

        webhook_url = self.webhook_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input": input_,
                "operation": operation,
            }
        )
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sora_2_video_extend_input import Sora2VideoExtendInput  # noqa: PLC0415

        d = dict(src_dict)
        input_ = Sora2VideoExtendInput.from_dict(d.pop("input"))

        operation = cast(Literal["sora2.video.extend"], d.pop("operation"))
        if operation != "sora2.video.extend":
            raise ValueError(f"operation must match const 'sora2.video.extend', got '{operation}'")

        webhook_url = d.pop("webhook_url", UNSET)

        sora_2_video_extend_envelope = cls(
            input_=input_,
            operation=operation,
            webhook_url=webhook_url,
        )

        sora_2_video_extend_envelope.additional_properties = d
        return sora_2_video_extend_envelope

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
