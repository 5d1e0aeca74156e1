from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AngleContext")


@_attrs_define
class AngleContext:
    """A labelled reference view of the location (three-d-location-generate page).

    Attributes:
        image_url (str): Hosted reference image URL.
        azimuth (int | Unset): Camera azimuth of this view in degrees (0-359).
        label (str | Unset): View label, e.g. Front.
    """

    image_url: str
    azimuth: int | Unset = UNSET
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_url = self.image_url

        azimuth = self.azimuth

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image_url": image_url,
            }
        )
        if azimuth is not UNSET:
            field_dict["azimuth"] = azimuth
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_url = d.pop("image_url")

        azimuth = d.pop("azimuth", UNSET)

        label = d.pop("label", UNSET)

        angle_context = cls(
            image_url=image_url,
            azimuth=azimuth,
            label=label,
        )

        angle_context.additional_properties = d
        return angle_context

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
