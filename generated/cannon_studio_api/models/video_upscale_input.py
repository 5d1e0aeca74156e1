from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.upscale_factor import UpscaleFactor
from ..models.upscale_resolution import UpscaleResolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoUpscaleInput")


@_attrs_define
class VideoUpscaleInput:
    """Input of video.upscale. Upscale a hosted video to a higher resolution.

    Attributes:
        video_url (str): Hosted source video.
        duration_seconds (float | Unset): Source length in seconds (7.2 in the docs).
        model (str | Unset): Upscaler: Wavespeed (resolution exports), Topaz Proteus (1x/2x/4x), Starlight 2.5 (optional
            target_fps). Legacy Proteus is deprecated; Magnific Precision is disabled. Model ids change often, so this is an
            open string, not an enum. Known ids: wavespeed.
        target_fps (float | Unset): Target frame rate (Starlight 2.5 only).
        target_resolution (UpscaleResolution | Unset): Upscale target resolution, lower-case as in the docs example
            ('4k'). Assumed: 1080p, 2k and 4k.
        thumbnail_url (str | Unset): Hosted thumbnail.
        upscale_factor (UpscaleFactor | Unset): Topaz Proteus enhancement factor: 1x, 2x or 4x (video-upscale notes).
        video_title (str | Unset): Video title.
    """

    video_url: str
    duration_seconds: float | Unset = UNSET
    model: str | Unset = UNSET
    target_fps: float | Unset = UNSET
    target_resolution: UpscaleResolution | Unset = UNSET
    thumbnail_url: str | Unset = UNSET
    upscale_factor: UpscaleFactor | Unset = UNSET
    video_title: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        video_url = self.video_url

        duration_seconds = self.duration_seconds

        model = self.model

        target_fps = self.target_fps

        target_resolution: str | Unset = UNSET
        if not isinstance(self.target_resolution, Unset):
            target_resolution = self.target_resolution.value

        thumbnail_url = self.thumbnail_url

        upscale_factor: int | Unset = UNSET
        if not isinstance(self.upscale_factor, Unset):
            upscale_factor = self.upscale_factor.value

        video_title = self.video_title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "video_url": video_url,
            }
        )
        if duration_seconds is not UNSET:
            field_dict["duration_seconds"] = duration_seconds
        if model is not UNSET:
            field_dict["model"] = model
        if target_fps is not UNSET:
            field_dict["target_fps"] = target_fps
        if target_resolution is not UNSET:
            field_dict["target_resolution"] = target_resolution
        if thumbnail_url is not UNSET:
            field_dict["thumbnail_url"] = thumbnail_url
        if upscale_factor is not UNSET:
            field_dict["upscale_factor"] = upscale_factor
        if video_title is not UNSET:
            field_dict["video_title"] = video_title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        video_url = d.pop("video_url")

        duration_seconds = d.pop("duration_seconds", UNSET)

        model = d.pop("model", UNSET)

        target_fps = d.pop("target_fps", UNSET)

        _target_resolution = d.pop("target_resolution", UNSET)
        target_resolution: UpscaleResolution | Unset
        if isinstance(_target_resolution, Unset):
            target_resolution = UNSET
        else:
            target_resolution = UpscaleResolution(_target_resolution)

        thumbnail_url = d.pop("thumbnail_url", UNSET)

        _upscale_factor = d.pop("upscale_factor", UNSET)
        upscale_factor: UpscaleFactor | Unset
        if isinstance(_upscale_factor, Unset):
            upscale_factor = UNSET
        else:
            upscale_factor = UpscaleFactor(_upscale_factor)

        video_title = d.pop("video_title", UNSET)

        video_upscale_input = cls(
            video_url=video_url,
            duration_seconds=duration_seconds,
            model=model,
            target_fps=target_fps,
            target_resolution=target_resolution,
            thumbnail_url=thumbnail_url,
            upscale_factor=upscale_factor,
            video_title=video_title,
        )

        video_upscale_input.additional_properties = d
        return video_upscale_input

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
