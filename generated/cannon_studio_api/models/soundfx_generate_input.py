from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SoundfxGenerateInput")


@_attrs_define
class SoundfxGenerateInput:
    """Input of soundfx.generate. Generate one-off sound effects, or context-aware effects from a hosted clip.

    Attributes:
        prompt (str): The sound to make. Assumed: the docs give no length limit; this snapshot caps prompt text at 4000
            characters so that clients fail fast instead of being charged for a request the service may reject.
        description_prompt (str | Unset): Description prompt. Assumed: the docs give no length limit; this snapshot caps
            prompt text at 4000 characters so that clients fail fast instead of being charged for a request the service may
            reject.
        duration_seconds (float | Unset): Effect length in seconds.
        mode (str | Unset): 'video_context' selects the context-aware path; the one-off value is not documented.
        negative_tags (str | Unset): Comma-separated tags to avoid.
        prompt_influence (float | Unset): Prompt influence. Assumed: number.
        seed (int | Unset): Random seed. Assumed: integer.
        title (str | Unset): Effect title.
        video_url (str | Unset): Hosted clip for context-aware effects.
    """

    prompt: str
    description_prompt: str | Unset = UNSET
    duration_seconds: float | Unset = UNSET
    mode: str | Unset = UNSET
    negative_tags: str | Unset = UNSET
    prompt_influence: float | Unset = UNSET
    seed: int | Unset = UNSET
    title: str | Unset = UNSET
    video_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        description_prompt = self.description_prompt

        duration_seconds = self.duration_seconds

        mode = self.mode

        negative_tags = self.negative_tags

        prompt_influence = self.prompt_influence

        seed = self.seed

        title = self.title

        video_url = self.video_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if description_prompt is not UNSET:
            field_dict["description_prompt"] = description_prompt
        if duration_seconds is not UNSET:
            field_dict["duration_seconds"] = duration_seconds
        if mode is not UNSET:
            field_dict["mode"] = mode
        if negative_tags is not UNSET:
            field_dict["negative_tags"] = negative_tags
        if prompt_influence is not UNSET:
            field_dict["prompt_influence"] = prompt_influence
        if seed is not UNSET:
            field_dict["seed"] = seed
        if title is not UNSET:
            field_dict["title"] = title
        if video_url is not UNSET:
            field_dict["video_url"] = video_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        description_prompt = d.pop("description_prompt", UNSET)

        duration_seconds = d.pop("duration_seconds", UNSET)

        mode = d.pop("mode", UNSET)

        negative_tags = d.pop("negative_tags", UNSET)

        prompt_influence = d.pop("prompt_influence", UNSET)

        seed = d.pop("seed", UNSET)

        title = d.pop("title", UNSET)

        video_url = d.pop("video_url", UNSET)

        soundfx_generate_input = cls(
            prompt=prompt,
            description_prompt=description_prompt,
            duration_seconds=duration_seconds,
            mode=mode,
            negative_tags=negative_tags,
            prompt_influence=prompt_influence,
            seed=seed,
            title=title,
            video_url=video_url,
        )

        soundfx_generate_input.additional_properties = d
        return soundfx_generate_input

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
