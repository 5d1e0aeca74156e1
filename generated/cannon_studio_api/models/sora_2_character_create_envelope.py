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
    from ..models.sora_2_character_create_input import Sora2CharacterCreateInput


T = TypeVar("T", bound="Sora2CharacterCreateEnvelope")


@_attrs_define
class Sora2CharacterCreateEnvelope:
    """Create Sora 2 Character (sora2.character.create). Assumed: the page is missing from the docs; id, fields and output
    follow the naming of the Sora 2 siblings. Credits: dynamic.

        Attributes:
            input_ (Sora2CharacterCreateInput): Input of sora2.character.create. Assumed: the page is missing from the docs;
                id, fields and output follow the naming of the Sora 2 siblings.
            operation (Literal['sora2.character.create']): Operation id. Default: 'sora2.character.create'.
            webhook_url (str | Unset): Optional URL for terminal delivery (lifecycle page). Assumed: any absolute http(s)
                URL.
    """

    input_: Sora2CharacterCreateInput
    operation: Literal["sora2.character.create"] = "sora2.character.create"
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
        from ..models.sora_2_character_create_input import Sora2CharacterCreateInput  # noqa: PLC0415

        d = dict(src_dict)
        input_ = Sora2CharacterCreateInput.from_dict(d.pop("input"))

        operation = cast(Literal["sora2.character.create"], d.pop("operation"))
        if operation != "sora2.character.create":
            raise ValueError(
                f"operation must match const 'sora2.character.create', got '{operation}'"
            )

        webhook_url = d.pop("webhook_url", UNSET)

        sora_2_character_create_envelope = cls(
            input_=input_,
            operation=operation,
            webhook_url=webhook_url,
        )

        sora_2_character_create_envelope.additional_properties = d
        return sora_2_character_create_envelope

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
