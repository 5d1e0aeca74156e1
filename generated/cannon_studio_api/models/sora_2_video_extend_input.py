from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sora_aspect_ratio import SoraAspectRatio
from ..models.sora_duration import SoraDuration
from ..models.video_resolution import VideoResolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="Sora2VideoExtendInput")


@_attrs_define
class Sora2VideoExtendInput:
    """Input of sora2.video.extend. Extend an existing Sora 2 video by 4, 8, 12, 16 or 20 seconds.

    Attributes:
        prompt (str): What to change. Assumed: the docs give no length limit; this snapshot caps prompt text at 4000
            characters so that clients fail fast instead of being charged for a request the service may reject.
        sora_video_id (str): Native OpenAI video id of the source Sora video (video_...).
        aspect_ratio (SoraAspectRatio | Unset): Sora 2 output orientation: landscape 16:9 or portrait 9:16 (video-
            generate notes: 'portrait or landscape output sizes').
        duration (SoraDuration | Unset): Sora 2 clip length in seconds: 4, 8, 12, 16 or 20 (video-generate and
            sora2-video-extend notes).
        model (str | Unset): Sora model; sora-2-pro with 1080p targets Sora 2 Pro native 1080p. Model ids change often,
            so this is an open string, not an enum. Known ids: sora-2, sora-2-pro.
        resolution (VideoResolution | Unset): Video output resolution. The docs show 1080p (Sora 2 Pro native 1080p).
            Assumed: 480p, 720p and 1080p.
        source_duration (float | Unset): Length of the source video in seconds. Assumed: (no example).
        source_video_url (str | Unset): Hosted copy of the source video (purpose not documented).
    """

    prompt: str
    sora_video_id: str
    aspect_ratio: SoraAspectRatio | Unset = UNSET
    duration: SoraDuration | Unset = UNSET
    model: str | Unset = UNSET
    resolution: VideoResolution | Unset = UNSET
    source_duration: float | Unset = UNSET
    source_video_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        sora_video_id = self.sora_video_id

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        duration: int | Unset = UNSET
        if not isinstance(self.duration, Unset):
            duration = self.duration.value

        model = self.model

        resolution: str | Unset = UNSET
        if not isinstance(self.resolution, Unset):
            resolution = self.resolution.value

        source_duration = self.source_duration

        source_video_url = self.source_video_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
                "sora_video_id": sora_video_id,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if duration is not UNSET:
            field_dict["duration"] = duration
        if model is not UNSET:
            field_dict["model"] = model
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if source_duration is not UNSET:
            field_dict["source_duration"] = source_duration
        if source_video_url is not UNSET:
            field_dict["source_video_url"] = source_video_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        sora_video_id = d.pop("sora_video_id")

        _aspect_ratio = d.pop("aspect_ratio", UNSET)
        aspect_ratio: SoraAspectRatio | Unset
        if isinstance(_aspect_ratio, Unset):
            aspect_ratio = UNSET
        else:
            aspect_ratio = SoraAspectRatio(_aspect_ratio)

        _duration = d.pop("duration", UNSET)
        duration: SoraDuration | Unset
        if isinstance(_duration, Unset):
            duration = UNSET
        else:
            duration = SoraDuration(_duration)

        model = d.pop("model", UNSET)

        _resolution = d.pop("resolution", UNSET)
        resolution: VideoResolution | Unset
        if isinstance(_resolution, Unset):
            resolution = UNSET
        else:
            resolution = VideoResolution(_resolution)

        source_duration = d.pop("source_duration", UNSET)

        source_video_url = d.pop("source_video_url", UNSET)

        sora_2_video_extend_input = cls(
            prompt=prompt,
            sora_video_id=sora_video_id,
            aspect_ratio=aspect_ratio,
            duration=duration,
            model=model,
            resolution=resolution,
            source_duration=source_duration,
            source_video_url=source_video_url,
        )

        sora_2_video_extend_input.additional_properties = d
        return sora_2_video_extend_input

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
