from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CharacterOutput")


@_attrs_define
class CharacterOutput:
    """Assumed: the Create Sora 2 Character page is missing. A character id to pass to sora2.character_video.generate plus
    a preview image.

        Attributes:
            asset_type (Literal['character']): Always 'character' for this output. Default: 'character'.
            character_id (str | Unset): Assumed: id of the created character.
            exact_cost_credits (int | Unset): Exact cost in credits, when the operation reports it.
            model (str | Unset): Model that ran the task. Open string.
            name (str | Unset): Character name.
            preview_image_url (str | Unset): Assumed: hosted preview image.
            provider (str | Unset): Provider that ran the task. Open string; seen: kie, seedance, elevenlabs, replicate,
                wavespeed, kling, sora2, cannon.
            requested_model (str | Unset): Model asked for.
            requested_provider (str | Unset): Provider asked for.
            status (str | Unset): Downstream task status (processing, succeeded...). Separate from the request status.
            task_id (str | Unset): Downstream task id.
    """

    asset_type: Literal["character"] = "character"
    character_id: str | Unset = UNSET
    exact_cost_credits: int | Unset = UNSET
    model: str | Unset = UNSET
    name: str | Unset = UNSET
    preview_image_url: str | Unset = UNSET
    provider: str | Unset = UNSET
    requested_model: str | Unset = UNSET
    requested_provider: str | Unset = UNSET
    status: str | Unset = UNSET
    task_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_type = self.asset_type

        character_id = self.character_id

        exact_cost_credits = self.exact_cost_credits

        model = self.model

        name = self.name

        preview_image_url = self.preview_image_url

        provider = self.provider

        requested_model = self.requested_model

        requested_provider = self.requested_provider

        status = self.status

        task_id = self.task_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_type": asset_type,
            }
        )
        if character_id is not UNSET:
            field_dict["character_id"] = character_id
        if exact_cost_credits is not UNSET:
            field_dict["exact_cost_credits"] = exact_cost_credits
        if model is not UNSET:
            field_dict["model"] = model
        if name is not UNSET:
            field_dict["name"] = name
        if preview_image_url is not UNSET:
            field_dict["preview_image_url"] = preview_image_url
        if provider is not UNSET:
            field_dict["provider"] = provider
        if requested_model is not UNSET:
            field_dict["requested_model"] = requested_model
        if requested_provider is not UNSET:
            field_dict["requested_provider"] = requested_provider
        if status is not UNSET:
            field_dict["status"] = status
        if task_id is not UNSET:
            field_dict["task_id"] = task_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_type = cast(Literal["character"], d.pop("asset_type"))
        if asset_type != "character":
            raise ValueError(f"asset_type must match const 'character', got '{asset_type}'")

        character_id = d.pop("character_id", UNSET)

        exact_cost_credits = d.pop("exact_cost_credits", UNSET)

        model = d.pop("model", UNSET)

        name = d.pop("name", UNSET)

        preview_image_url = d.pop("preview_image_url", UNSET)

        provider = d.pop("provider", UNSET)

        requested_model = d.pop("requested_model", UNSET)

        requested_provider = d.pop("requested_provider", UNSET)

        status = d.pop("status", UNSET)

        task_id = d.pop("task_id", UNSET)

        character_output = cls(
            asset_type=asset_type,
            character_id=character_id,
            exact_cost_credits=exact_cost_credits,
            model=model,
            name=name,
            preview_image_url=preview_image_url,
            provider=provider,
            requested_model=requested_model,
            requested_provider=requested_provider,
            status=status,
            task_id=task_id,
        )

        character_output.additional_properties = d
        return character_output

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
