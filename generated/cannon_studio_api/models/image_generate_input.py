from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aspect_ratio import AspectRatio
from ..models.image_resolution import ImageResolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageGenerateInput")


@_attrs_define
class ImageGenerateInput:
    """Input of image.generate. Generate a still image with the current image model stack, with reference support.

    Attributes:
        prompt (str): What to draw. Assumed: the docs give no length limit; this snapshot caps prompt text at 4000
            characters so that clients fail fast instead of being charged for a request the service may reject.
        aspect_ratio (AspectRatio | Unset): Output aspect ratio. The docs show 16:9 and 9:16 and mention square 1:1
            outputs. Assumed: the closed set below (the common ratios of the listed image and video models); the live schema
            should replace it.
        model (str | Unset): Image model. Model ids change often, so this is an open string, not an enum. Known ids:
            gptimage2, seedream5.
        quality (str | Unset): Quality tier ('high' in the docs example; other values not documented).
        reference_image_urls (list[str] | Unset): Hosted reference images.
        reference_prompt_balance (float | Unset): Balance between the reference images and the prompt. Assumed: a number
            from 0 (prompt) to 1 (references); the docs give no type or example.
        resolution (ImageResolution | Unset): Image resolution tier. Documented for GPT Image 2 as 1K, 2K or 4K (image-
            generate and image-edit notes; square 1:1 is capped below 4K). Assumed: the same set applies to every image
            model.
        style (str | Unset): Free-text style direction.
    """

    prompt: str
    aspect_ratio: AspectRatio | Unset = UNSET
    model: str | Unset = UNSET
    quality: str | Unset = UNSET
    reference_image_urls: list[str] | Unset = UNSET
    reference_prompt_balance: float | Unset = UNSET
    resolution: ImageResolution | Unset = UNSET
    style: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        model = self.model

        quality = self.quality

        reference_image_urls: list[str] | Unset = UNSET
        if not isinstance(self.reference_image_urls, Unset):
            reference_image_urls = self.reference_image_urls

        reference_prompt_balance = self.reference_prompt_balance

        resolution: str | Unset = UNSET
        if not isinstance(self.resolution, Unset):
            resolution = self.resolution.value

        style = self.style

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if model is not UNSET:
            field_dict["model"] = model
        if quality is not UNSET:
            field_dict["quality"] = quality
        if reference_image_urls is not UNSET:
            field_dict["reference_image_urls"] = reference_image_urls
        if reference_prompt_balance is not UNSET:
            field_dict["reference_prompt_balance"] = reference_prompt_balance
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if style is not UNSET:
            field_dict["style"] = style

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        _aspect_ratio = d.pop("aspect_ratio", UNSET)
        aspect_ratio: AspectRatio | Unset
        if isinstance(_aspect_ratio, Unset):
            aspect_ratio = UNSET
        else:
            aspect_ratio = AspectRatio(_aspect_ratio)

        model = d.pop("model", UNSET)

        quality = d.pop("quality", UNSET)

        reference_image_urls = cast(list[str], d.pop("reference_image_urls", UNSET))

        reference_prompt_balance = d.pop("reference_prompt_balance", UNSET)

        _resolution = d.pop("resolution", UNSET)
        resolution: ImageResolution | Unset
        if isinstance(_resolution, Unset):
            resolution = UNSET
        else:
            resolution = ImageResolution(_resolution)

        style = d.pop("style", UNSET)

        image_generate_input = cls(
            prompt=prompt,
            aspect_ratio=aspect_ratio,
            model=model,
            quality=quality,
            reference_image_urls=reference_image_urls,
            reference_prompt_balance=reference_prompt_balance,
            resolution=resolution,
            style=style,
        )

        image_generate_input.additional_properties = d
        return image_generate_input

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
