from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aspect_ratio import AspectRatio
from ..models.image_resolution import ImageResolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageEditInput")


@_attrs_define
class ImageEditInput:
    """Input of image.edit. Edit a hosted image with the image-edit stack.

    Attributes:
        image_url (str): Hosted source image.
        prompt (str): The edit to make. Assumed: the docs give no length limit; this snapshot caps prompt text at 4000
            characters so that clients fail fast instead of being charged for a request the service may reject.
        aspect_ratio (AspectRatio | Unset): Output aspect ratio. The docs show 16:9 and 9:16 and mention square 1:1
            outputs. Assumed: the closed set below (the common ratios of the listed image and video models); the live schema
            should replace it.
        model (str | Unset): Image-edit model. Model ids change often, so this is an open string, not an enum. Known
            ids: gptimage2.
        resolution (ImageResolution | Unset): Image resolution tier. Documented for GPT Image 2 as 1K, 2K or 4K (image-
            generate and image-edit notes; square 1:1 is capped below 4K). Assumed: the same set applies to every image
            model.
    """

    image_url: str
    prompt: str
    aspect_ratio: AspectRatio | Unset = UNSET
    model: str | Unset = UNSET
    resolution: ImageResolution | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_url = self.image_url

        prompt = self.prompt

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        model = self.model

        resolution: str | Unset = UNSET
        if not isinstance(self.resolution, Unset):
            resolution = self.resolution.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image_url": image_url,
                "prompt": prompt,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if model is not UNSET:
            field_dict["model"] = model
        if resolution is not UNSET:
            field_dict["resolution"] = resolution

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_url = d.pop("image_url")

        prompt = d.pop("prompt")

        _aspect_ratio = d.pop("aspect_ratio", UNSET)
        aspect_ratio: AspectRatio | Unset
        if isinstance(_aspect_ratio, Unset):
            aspect_ratio = UNSET
        else:
            aspect_ratio = AspectRatio(_aspect_ratio)

        model = d.pop("model", UNSET)

        _resolution = d.pop("resolution", UNSET)
        resolution: ImageResolution | Unset
        if isinstance(_resolution, Unset):
            resolution = UNSET
        else:
            resolution = ImageResolution(_resolution)

        image_edit_input = cls(
            image_url=image_url,
            prompt=prompt,
            aspect_ratio=aspect_ratio,
            model=model,
            resolution=resolution,
        )

        image_edit_input.additional_properties = d
        return image_edit_input

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
