from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MusicGenerateInput")


@_attrs_define
class MusicGenerateInput:
    """Input of music.generate. Generate a music track on the audio stack.

    Attributes:
        prompt (str): Musical direction (or lyrics in custom mode). Assumed: the docs give no length limit; this
            snapshot caps prompt text at 4000 characters so that clients fail fast instead of being charged for a request
            the service may reject.
        audio_weight (float | Unset): Audio weight. Assumed: number.
        custom_mode (bool | Unset): Suno custom mode. Assumed: boolean.
        description_prompt (str | Unset): Description prompt. Assumed: the docs give no length limit; this snapshot caps
            prompt text at 4000 characters so that clients fail fast instead of being charged for a request the service may
            reject.
        duration_seconds (int | Unset): Track length in seconds.
        instrumental (bool | Unset): Instrumental only. Assumed: boolean.
        mode (str | Unset): Generation mode ('auto' in the docs; other values not documented).
        model (str | Unset): Music model. Model ids change often, so this is an open string, not an enum. Known ids: V5.
        negative_tags (str | Unset): Comma-separated tags to avoid.
        persona_id (str | Unset): Suno persona id.
        prompt_influence (float | Unset): Prompt influence. Assumed: number.
        provider (str | Unset): Music provider; 'kie' gives the Suno models and custom lyric/style controls.
        seed (int | Unset): Random seed. Assumed: integer.
        style (str | Unset): Style tags or description.
        style_weight (float | Unset): Style weight. Assumed: number.
        title (str | Unset): Track title.
        vocal_gender (str | Unset): Vocal gender hint; values not documented.
        weirdness_constraint (float | Unset): Weirdness constraint. Assumed: number.
    """

    prompt: str
    audio_weight: float | Unset = UNSET
    custom_mode: bool | Unset = UNSET
    description_prompt: str | Unset = UNSET
    duration_seconds: int | Unset = UNSET
    instrumental: bool | Unset = UNSET
    mode: str | Unset = UNSET
    model: str | Unset = UNSET
    negative_tags: str | Unset = UNSET
    persona_id: str | Unset = UNSET
    prompt_influence: float | Unset = UNSET
    provider: str | Unset = UNSET
    seed: int | Unset = UNSET
    style: str | Unset = UNSET
    style_weight: float | Unset = UNSET
    title: str | Unset = UNSET
    vocal_gender: str | Unset = UNSET
    weirdness_constraint: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        audio_weight = self.audio_weight

        custom_mode = self.custom_mode

        description_prompt = self.description_prompt

        duration_seconds = self.duration_seconds

        instrumental = self.instrumental

        mode = self.mode

        model = self.model

        negative_tags = self.negative_tags

        persona_id = self.persona_id

        prompt_influence = self.prompt_influence

        provider = self.provider

        seed = self.seed

        style = self.style

        style_weight = self.style_weight

        title = self.title

        vocal_gender = self.vocal_gender

        weirdness_constraint = self.weirdness_constraint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if audio_weight is not UNSET:
            field_dict["audio_weight"] = audio_weight
        if custom_mode is not UNSET:
            field_dict["custom_mode"] = custom_mode
        if description_prompt is not UNSET:
            field_dict["description_prompt"] = description_prompt
        if duration_seconds is not UNSET:
            field_dict["duration_seconds"] = duration_seconds
        if instrumental is not UNSET:
            field_dict["instrumental"] = instrumental
        if mode is not UNSET:
            field_dict["mode"] = mode
        if model is not UNSET:
            field_dict["model"] = model
        if negative_tags is not UNSET:
            field_dict["negative_tags"] = negative_tags
        if persona_id is not UNSET:
            field_dict["persona_id"] = persona_id
        if prompt_influence is not UNSET:
            field_dict["prompt_influence"] = prompt_influence
        if provider is not UNSET:
            field_dict["provider"] = provider
        if seed is not UNSET:
            field_dict["seed"] = seed
        if style is not UNSET:
            field_dict["style"] = style
        if style_weight is not UNSET:
            field_dict["style_weight"] = style_weight
        if title is not UNSET:
            field_dict["title"] = title
        if vocal_gender is not UNSET:
            field_dict["vocal_gender"] = vocal_gender
        if weirdness_constraint is not UNSET:
            field_dict["weirdness_constraint"] = weirdness_constraint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        audio_weight = d.pop("audio_weight", UNSET)

        custom_mode = d.pop("custom_mode", UNSET)

        description_prompt = d.pop("description_prompt", UNSET)

        duration_seconds = d.pop("duration_seconds", UNSET)

        instrumental = d.pop("instrumental", UNSET)

        mode = d.pop("mode", UNSET)

        model = d.pop("model", UNSET)

        negative_tags = d.pop("negative_tags", UNSET)

        persona_id = d.pop("persona_id", UNSET)

        prompt_influence = d.pop("prompt_influence", UNSET)

        provider = d.pop("provider", UNSET)

        seed = d.pop("seed", UNSET)

        style = d.pop("style", UNSET)

        style_weight = d.pop("style_weight", UNSET)

        title = d.pop("title", UNSET)

        vocal_gender = d.pop("vocal_gender", UNSET)

        weirdness_constraint = d.pop("weirdness_constraint", UNSET)

        music_generate_input = cls(
            prompt=prompt,
            audio_weight=audio_weight,
            custom_mode=custom_mode,
            description_prompt=description_prompt,
            duration_seconds=duration_seconds,
            instrumental=instrumental,
            mode=mode,
            model=model,
            negative_tags=negative_tags,
            persona_id=persona_id,
            prompt_influence=prompt_influence,
            provider=provider,
            seed=seed,
            style=style,
            style_weight=style_weight,
            title=title,
            vocal_gender=vocal_gender,
            weirdness_constraint=weirdness_constraint,
        )

        music_generate_input.additional_properties = d
        return music_generate_input

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
