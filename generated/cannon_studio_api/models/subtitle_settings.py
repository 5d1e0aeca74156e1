from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SubtitleSettings")


@_attrs_define
class SubtitleSettings:
    """Subtitle styling (subtitles-generate page). Keys are camelCase inside this object. Other keys are not documented.

    Attributes:
        color (str | Unset): Text colour as #RRGGBB.
        font (str | Unset): Font family, e.g. Inter.
        font_size (int | Unset): Font size in pixels.
        stroke_color (str | Unset): Outline colour as #RRGGBB.
        stroke_width (int | Unset): Outline width in pixels.
    """

    color: str | Unset = UNSET
    font: str | Unset = UNSET
    font_size: int | Unset = UNSET
    stroke_color: str | Unset = UNSET
    stroke_width: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        color = self.color

        font = self.font

        font_size = self.font_size

        stroke_color = self.stroke_color

        stroke_width = self.stroke_width

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if color is not UNSET:
            field_dict["color"] = color
        if font is not UNSET:
            field_dict["font"] = font
        if font_size is not UNSET:
            field_dict["fontSize"] = font_size
        if stroke_color is not UNSET:
            field_dict["strokeColor"] = stroke_color
        if stroke_width is not UNSET:
            field_dict["strokeWidth"] = stroke_width

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        color = d.pop("color", UNSET)

        font = d.pop("font", UNSET)

        font_size = d.pop("fontSize", UNSET)

        stroke_color = d.pop("strokeColor", UNSET)

        stroke_width = d.pop("strokeWidth", UNSET)

        subtitle_settings = cls(
            color=color,
            font=font,
            font_size=font_size,
            stroke_color=stroke_color,
            stroke_width=stroke_width,
        )

        subtitle_settings.additional_properties = d
        return subtitle_settings

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
