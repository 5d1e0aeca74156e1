from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PromptOutput")


@_attrs_define
class PromptOutput:
    """Output of the prompt.enhance.* operations. The docs show no asset_type on these outputs; they are recognised by
    enhancedPrompt.

        Attributes:
            enhanced_prompt (str): The rewritten prompt.
            model (str | Unset): Model that rewrote it, e.g. gpt-5-mini.
            operation (str | Unset): The operation id.
    """

    enhanced_prompt: str
    model: str | Unset = UNSET
    operation: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enhanced_prompt = self.enhanced_prompt

        model = self.model

        operation = self.operation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enhancedPrompt": enhanced_prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if operation is not UNSET:
            field_dict["operation"] = operation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enhanced_prompt = d.pop("enhancedPrompt")

        model = d.pop("model", UNSET)

        operation = d.pop("operation", UNSET)

        prompt_output = cls(
            enhanced_prompt=enhanced_prompt,
            model=model,
            operation=operation,
        )

        prompt_output.additional_properties = d
        return prompt_output

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
