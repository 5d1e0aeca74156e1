from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CameraControl")


@_attrs_define
class CameraControl:
    """Direct camera-control payload for smart motion (smartmotion-generate page). Integer strengths; ranges are not
    documented.

        Attributes:
            horizontal (int | Unset): Camera horizontal strength.
            pan (int | Unset): Camera pan strength.
            roll (int | Unset): Camera roll strength.
            tilt (int | Unset): Camera tilt strength.
            vertical (int | Unset): Camera vertical strength.
            zoom (int | Unset): Camera zoom strength.
    """

    horizontal: int | Unset = UNSET
    pan: int | Unset = UNSET
    roll: int | Unset = UNSET
    tilt: int | Unset = UNSET
    vertical: int | Unset = UNSET
    zoom: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        horizontal = self.horizontal

        pan = self.pan

        roll = self.roll

        tilt = self.tilt

        vertical = self.vertical

        zoom = self.zoom

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if horizontal is not UNSET:
            field_dict["horizontal"] = horizontal
        if pan is not UNSET:
            field_dict["pan"] = pan
        if roll is not UNSET:
            field_dict["roll"] = roll
        if tilt is not UNSET:
            field_dict["tilt"] = tilt
        if vertical is not UNSET:
            field_dict["vertical"] = vertical
        if zoom is not UNSET:
            field_dict["zoom"] = zoom

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        horizontal = d.pop("horizontal", UNSET)

        pan = d.pop("pan", UNSET)

        roll = d.pop("roll", UNSET)

        tilt = d.pop("tilt", UNSET)

        vertical = d.pop("vertical", UNSET)

        zoom = d.pop("zoom", UNSET)

        camera_control = cls(
            horizontal=horizontal,
            pan=pan,
            roll=roll,
            tilt=tilt,
            vertical=vertical,
            zoom=zoom,
        )

        camera_control.additional_properties = d
        return camera_control

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
