from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Sora2CharacterCreateInput")


@_attrs_define
class Sora2CharacterCreateInput:
    """Input of sora2.character.create. Assumed: the page is missing from the docs; id, fields and output follow the naming
    of the Sora 2 siblings.

        Attributes:
            name (str): Assumed: display name of the character.
            source_video_url (str): Assumed: hosted video of the character to learn from.
            description (str | Unset): Assumed: description of the character. Assumed: the docs give no length limit; this
                snapshot caps prompt text at 4000 characters so that clients fail fast instead of being charged for a request
                the service may reject.
            model (str | Unset): Sora model. Assumed: by analogy with the other Sora pages. Model ids change often, so this
                is an open string, not an enum. Known ids: sora-2, sora-2-pro.
    """

    name: str
    source_video_url: str
    description: str | Unset = UNSET
    model: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        source_video_url = self.source_video_url

        description = self.description

        model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "source_video_url": source_video_url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        source_video_url = d.pop("source_video_url")

        description = d.pop("description", UNSET)

        model = d.pop("model", UNSET)

        sora_2_character_create_input = cls(
            name=name,
            source_video_url=source_video_url,
            description=description,
            model=model,
        )

        sora_2_character_create_input.additional_properties = d
        return sora_2_character_create_input

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
