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
    from ..models.soundfx_generate_input import SoundfxGenerateInput


T = TypeVar("T", bound="SoundfxGenerateEnvelope")


@_attrs_define
class SoundfxGenerateEnvelope:
    """Generate Sound Effects (soundfx.generate). Generate one-off sound effects, or context-aware effects from a hosted
    clip. Credits: dynamic. Docs: https://www.cannonstudio.app/developers/docs/operations/soundfx-generate

        Attributes:
            input_ (SoundfxGenerateInput): Input of soundfx.generate. Generate one-off sound effects, or context-aware
                effects from a hosted clip.
            operation (Literal['soundfx.generate']): Operation id. Default: 'soundfx.generate'.
            webhook_url (str | Unset): Optional URL for terminal delivery (lifecycle page). Assumed: any absolute http(s)
                URL.
    """

    input_: SoundfxGenerateInput
    operation: Literal["soundfx.generate"] = "soundfx.generate"
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
        from ..models.soundfx_generate_input import SoundfxGenerateInput  # noqa: PLC0415

        d = dict(src_dict)
        input_ = SoundfxGenerateInput.from_dict(d.pop("input"))

        operation = cast(Literal["soundfx.generate"], d.pop("operation"))
        if operation != "soundfx.generate":
            raise ValueError(f"operation must match const 'soundfx.generate', got '{operation}'")

        webhook_url = d.pop("webhook_url", UNSET)

        soundfx_generate_envelope = cls(
            input_=input_,
            operation=operation,
            webhook_url=webhook_url,
        )

        soundfx_generate_envelope.additional_properties = d
        return soundfx_generate_envelope

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
