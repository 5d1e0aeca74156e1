from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aspect_ratio import AspectRatio
from ..types import UNSET, Unset

T = TypeVar("T", bound="PromptEnhanceVideoInput")


@_attrs_define
class PromptEnhanceVideoInput:
    """Input of prompt.enhance.video. Turn a rough motion prompt into a concise, camera-aware generation prompt.

    Attributes:
        prompt (str): Rough motion prompt. Assumed: the docs give no length limit; this snapshot caps prompt text at
            4000 characters so that clients fail fast instead of being charged for a request the service may reject.
        aspect_ratio (AspectRatio | Unset): Output aspect ratio. The docs show 16:9 and 9:16 and mention square 1:1
            outputs. Assumed: the closed set below (the common ratios of the listed image and video models); the live schema
            should replace it.
        duration (int | Unset): Target clip length in seconds.
        rewrite_request (str | Unset): How to rewrite the prompt.
        visual_style (str | Unset): Visual style direction.
    """

    prompt: str
    aspect_ratio: AspectRatio | Unset = UNSET
    duration: int | Unset = UNSET
    rewrite_request: str | Unset = UNSET
    visual_style: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        duration = self.duration

        rewrite_request = self.rewrite_request

        visual_style = self.visual_style

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspectRatio"] = aspect_ratio
        if duration is not UNSET:
            field_dict["duration"] = duration
        if rewrite_request is not UNSET:
            field_dict["rewriteRequest"] = rewrite_request
        if visual_style is not UNSET:
            field_dict["visualStyle"] = visual_style

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        _aspect_ratio = d.pop("aspectRatio", UNSET)
        aspect_ratio: AspectRatio | Unset
        if isinstance(_aspect_ratio, Unset):
            aspect_ratio = UNSET
        else:
            aspect_ratio = AspectRatio(_aspect_ratio)

        duration = d.pop("duration", UNSET)

        rewrite_request = d.pop("rewriteRequest", UNSET)

        visual_style = d.pop("visualStyle", UNSET)

        prompt_enhance_video_input = cls(
            prompt=prompt,
            aspect_ratio=aspect_ratio,
            duration=duration,
            rewrite_request=rewrite_request,
            visual_style=visual_style,
        )

        prompt_enhance_video_input.additional_properties = d
        return prompt_enhance_video_input

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
