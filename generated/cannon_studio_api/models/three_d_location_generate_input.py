from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.angle_context import AngleContext


T = TypeVar("T", bound="ThreeDLocationGenerateInput")


@_attrs_define
class ThreeDLocationGenerateInput:
    """Input of three_d.location.generate. Generate Cannon Studio 3D location artifacts from hosted reference images.
    Documented on its own page but not counted among the overview's 19 operations; output assumed (the page is cut off).

        Attributes:
            source_image_urls (list[str]): Hosted location reference images.
            angle_context (list[AngleContext] | Unset): Labelled reference views.
            description (str | Unset): Location description. Assumed: the docs give no length limit; this snapshot caps
                prompt text at 4000 characters so that clients fail fast instead of being charged for a request the service may
                reject.
            location_id (str | Unset): Cannon Studio location id.
            name (str | Unset): Location name.
            project_id (str | Unset): Cannon Studio project id.
            quality (str | Unset): Quality tier ('standard' in the docs).
            universe_id (str | Unset): Cannon Studio universe id.
            workspace_id (str | Unset): Cannon Studio workspace id.
            zone_id (str | Unset): Cannon Studio zone id.
    """

    source_image_urls: list[str]
    angle_context: list[AngleContext] | Unset = UNSET
    description: str | Unset = UNSET
    location_id: str | Unset = UNSET
    name: str | Unset = UNSET
    project_id: str | Unset = UNSET
    quality: str | Unset = UNSET
    universe_id: str | Unset = UNSET
    workspace_id: str | Unset = UNSET
    zone_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source_image_urls = self.source_image_urls

        angle_context: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.angle_context, Unset):
            angle_context = []
            for angle_context_item_data in self.angle_context:
                angle_context_item = angle_context_item_data.to_dict()
                angle_context.append(angle_context_item)

        description = self.description

        location_id = self.location_id

        name = self.name

        project_id = self.project_id

        quality = self.quality

        universe_id = self.universe_id

        workspace_id = self.workspace_id

        zone_id = self.zone_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source_image_urls": source_image_urls,
            }
        )
        if angle_context is not UNSET:
            field_dict["angle_context"] = angle_context
        if description is not UNSET:
            field_dict["description"] = description
        if location_id is not UNSET:
            field_dict["location_id"] = location_id
        if name is not UNSET:
            field_dict["name"] = name
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if quality is not UNSET:
            field_dict["quality"] = quality
        if universe_id is not UNSET:
            field_dict["universe_id"] = universe_id
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id
        if zone_id is not UNSET:
            field_dict["zone_id"] = zone_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.angle_context import AngleContext  # noqa: PLC0415

        d = dict(src_dict)
        source_image_urls = cast(list[str], d.pop("source_image_urls"))

        _angle_context = d.pop("angle_context", UNSET)
        angle_context: list[AngleContext] | Unset = UNSET
        if _angle_context is not UNSET:
            angle_context = []
            for angle_context_item_data in _angle_context:
                angle_context_item = AngleContext.from_dict(angle_context_item_data)

                angle_context.append(angle_context_item)

        description = d.pop("description", UNSET)

        location_id = d.pop("location_id", UNSET)

        name = d.pop("name", UNSET)

        project_id = d.pop("project_id", UNSET)

        quality = d.pop("quality", UNSET)

        universe_id = d.pop("universe_id", UNSET)

        workspace_id = d.pop("workspace_id", UNSET)

        zone_id = d.pop("zone_id", UNSET)

        three_d_location_generate_input = cls(
            source_image_urls=source_image_urls,
            angle_context=angle_context,
            description=description,
            location_id=location_id,
            name=name,
            project_id=project_id,
            quality=quality,
            universe_id=universe_id,
            workspace_id=workspace_id,
            zone_id=zone_id,
        )

        three_d_location_generate_input.additional_properties = d
        return three_d_location_generate_input

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
