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

T = TypeVar("T", bound="ImageOutput")


@_attrs_define
class ImageOutput:
    """Image output (image.generate, image.edit).

    Attributes:
        asset_type (Literal['image']): Always 'image' for this output. Default: 'image'.
        aspect_ratio (str | Unset): Aspect ratio of the image.
        exact_cost_credits (int | Unset): Exact cost in credits, when the operation reports it.
        image_url (str | Unset): Hosted image URL.
        image_urls (list[str] | Unset): All hosted image URLs.
        model (str | Unset): Model that ran the task. Open string.
        provider (str | Unset): Provider that ran the task. Open string; seen: kie, seedance, elevenlabs, replicate,
            wavespeed, kling, sora2, cannon.
        provider_image_count (int | Unset): How many images the provider returned.
        provider_image_urls (list[str] | Unset): The provider's own temporary URLs.
        requested_model (str | Unset): Model asked for.
        requested_provider (str | Unset): Provider asked for.
        status (str | Unset): Downstream task status (processing, succeeded...). Separate from the request status.
        task_id (str | Unset): Downstream task id.
    """

    asset_type: Literal["image"] = "image"
    aspect_ratio: str | Unset = UNSET
    exact_cost_credits: int | Unset = UNSET
    image_url: str | Unset = UNSET
    image_urls: list[str] | Unset = UNSET
    model: str | Unset = UNSET
    provider: str | Unset = UNSET
    provider_image_count: int | Unset = UNSET
    provider_image_urls: list[str] | Unset = UNSET
    requested_model: str | Unset = UNSET
    requested_provider: str | Unset = UNSET
    status: str | Unset = UNSET
    task_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_type = self.asset_type

        aspect_ratio = self.aspect_ratio

        exact_cost_credits = self.exact_cost_credits

        image_url = self.image_url

        image_urls: list[str] | Unset = UNSET
        if not isinstance(self.image_urls, Unset):
            image_urls = self.image_urls

        model = self.model

        provider = self.provider

        provider_image_count = self.provider_image_count

        provider_image_urls: list[str] | Unset = UNSET
        if not isinstance(self.provider_image_urls, Unset):
            provider_image_urls = self.provider_image_urls

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
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if exact_cost_credits is not UNSET:
            field_dict["exact_cost_credits"] = exact_cost_credits
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if image_urls is not UNSET:
            field_dict["image_urls"] = image_urls
        if model is not UNSET:
            field_dict["model"] = model
        if provider is not UNSET:
            field_dict["provider"] = provider
        if provider_image_count is not UNSET:
            field_dict["provider_image_count"] = provider_image_count
        if provider_image_urls is not UNSET:
            field_dict["provider_image_urls"] = provider_image_urls
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
        asset_type = cast(Literal["image"], d.pop("asset_type"))
        if asset_type != "image":
            raise ValueError(f"asset_type must match const 'image', got '{asset_type}'")

        aspect_ratio = d.pop("aspect_ratio", UNSET)

        exact_cost_credits = d.pop("exact_cost_credits", UNSET)

        image_url = d.pop("image_url", UNSET)

        image_urls = cast(list[str], d.pop("image_urls", UNSET))

        model = d.pop("model", UNSET)

        provider = d.pop("provider", UNSET)

        provider_image_count = d.pop("provider_image_count", UNSET)

        provider_image_urls = cast(list[str], d.pop("provider_image_urls", UNSET))

        requested_model = d.pop("requested_model", UNSET)

        requested_provider = d.pop("requested_provider", UNSET)

        status = d.pop("status", UNSET)

        task_id = d.pop("task_id", UNSET)

        image_output = cls(
            asset_type=asset_type,
            aspect_ratio=aspect_ratio,
            exact_cost_credits=exact_cost_credits,
            image_url=image_url,
            image_urls=image_urls,
            model=model,
            provider=provider,
            provider_image_count=provider_image_count,
            provider_image_urls=provider_image_urls,
            requested_model=requested_model,
            requested_provider=requested_provider,
            status=status,
            task_id=task_id,
        )

        image_output.additional_properties = d
        return image_output

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
