from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NarrationGenerateInput")


@_attrs_define
class NarrationGenerateInput:
    """Input of narration.generate. Generate hosted narration audio with the voice stack.

    Attributes:
        text (str): Text to speak. Assumed: the docs give no length limit; this snapshot caps prompt text at 4000
            characters so that clients fail fast instead of being charged for a request the service may reject.
        voice_id (str): Voice id, e.g. voice_123 (no voices endpoint is documented).
        similarity_boost (float | Unset): Similarity boost (0.8 in the docs). Assumed: range 0-1.
        speed (float | Unset): Speaking speed multiplier (1 in the docs).
        stability (float | Unset): Voice stability (0.7 in the docs). Assumed: range 0-1.
        tone (str | Unset): Delivery direction.
    """

    text: str
    voice_id: str
    similarity_boost: float | Unset = UNSET
    speed: float | Unset = UNSET
    stability: float | Unset = UNSET
    tone: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        voice_id = self.voice_id

        similarity_boost = self.similarity_boost

        speed = self.speed

        stability = self.stability

        tone = self.tone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
                "voice_id": voice_id,
            }
        )
        if similarity_boost is not UNSET:
            field_dict["similarity_boost"] = similarity_boost
        if speed is not UNSET:
            field_dict["speed"] = speed
        if stability is not UNSET:
            field_dict["stability"] = stability
        if tone is not UNSET:
            field_dict["tone"] = tone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        voice_id = d.pop("voice_id")

        similarity_boost = d.pop("similarity_boost", UNSET)

        speed = d.pop("speed", UNSET)

        stability = d.pop("stability", UNSET)

        tone = d.pop("tone", UNSET)

        narration_generate_input = cls(
            text=text,
            voice_id=voice_id,
            similarity_boost=similarity_boost,
            speed=speed,
            stability=stability,
            tone=tone,
        )

        narration_generate_input.additional_properties = d
        return narration_generate_input

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
