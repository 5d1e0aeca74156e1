from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PromptEnhanceVariantInput")


@_attrs_define
class PromptEnhanceVariantInput:
    """Input of prompt.enhance.variant. Refine character variant edits, favouring in-place changes that keep continuity.

    Attributes:
        prompt (str): Variant edit to refine. Assumed: the docs give no length limit; this snapshot caps prompt text at
            4000 characters so that clients fail fast instead of being charged for a request the service may reject.
        rewrite_request (str | Unset): What to preserve or change.
    """

    prompt: str
    rewrite_request: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        rewrite_request = self.rewrite_request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if rewrite_request is not UNSET:
            field_dict["rewriteRequest"] = rewrite_request

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        rewrite_request = d.pop("rewriteRequest", UNSET)

        prompt_enhance_variant_input = cls(
            prompt=prompt,
            rewrite_request=rewrite_request,
        )

        prompt_enhance_variant_input.additional_properties = d
        return prompt_enhance_variant_input

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
