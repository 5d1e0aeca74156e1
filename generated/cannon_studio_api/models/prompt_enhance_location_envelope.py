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
    from ..models.prompt_enhance_location_input import PromptEnhanceLocationInput


T = TypeVar("T", bound="PromptEnhanceLocationEnvelope")


@_attrs_define
class PromptEnhanceLocationEnvelope:
    """Enhance Location Prompt (prompt.enhance.location). Assumed: the page is missing from the docs; id and camelCase
    fields follow prompt.enhance.image, output follows the other prompt operations, credits 1 by analogy. Credits: 1.

        Attributes:
            input_ (PromptEnhanceLocationInput): Input of prompt.enhance.location. Assumed: the page is missing from the
                docs; id and camelCase fields follow prompt.enhance.image, output follows the other prompt operations, credits 1
                by analogy.
            operation (Literal['prompt.enhance.location']): Operation id. Default: 'prompt.enhance.location'.
            webhook_url (str | Unset): Optional URL for terminal delivery (lifecycle page). Assumed: any absolute http(s)
                URL.
    """

    input_: PromptEnhanceLocationInput
    operation: Literal["prompt.enhance.location"] = "prompt.enhance.location"
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
        from ..models.prompt_enhance_location_input import PromptEnhanceLocationInput  # noqa: PLC0415

        d = dict(src_dict)
        input_ = PromptEnhanceLocationInput.from_dict(d.pop("input"))

        operation = cast(Literal["prompt.enhance.location"], d.pop("operation"))
        if operation != "prompt.enhance.location":
            raise ValueError(
                f"operation must match const 'prompt.enhance.location', got '{operation}'"
            )

        webhook_url = d.pop("webhook_url", UNSET)

        prompt_enhance_location_envelope = cls(
            input_=input_,
            operation=operation,
            webhook_url=webhook_url,
        )

        prompt_enhance_location_envelope.additional_properties = d
        return prompt_enhance_location_envelope

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
