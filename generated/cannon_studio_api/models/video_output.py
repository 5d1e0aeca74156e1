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

T = TypeVar("T", bound="VideoOutput")


@_attrs_define
class VideoOutput:
    """Video output (video.generate, lipsync, subtitles, smart motion, upscale, Sora operations).

    Attributes:
        asset_type (Literal['video']): Always 'video' for this output. Default: 'video'.
        aspect_ratio (str | Unset): Aspect ratio of the clip.
        audio_url (str | Unset): Audio URL used (lip sync).
        duration (float | Unset): Clip length in seconds.
        exact_cost_credits (int | Unset): Exact cost in credits, when the operation reports it.
        model (str | Unset): Model that ran the task. Open string.
        provider (str | Unset): Provider that ran the task. Open string; seen: kie, seedance, elevenlabs, replicate,
            wavespeed, kling, sora2, cannon.
        requested_model (str | Unset): Model asked for.
        requested_provider (str | Unset): Provider asked for.
        status (str | Unset): Downstream task status (processing, succeeded...). Separate from the request status.
        subtitles_url (str | Unset): Assumed: URL of the SRT subtitles sidecar of subtitles.generate (the sandbox
            returns it; the documented output shows only the burned-in video).
        task_id (str | Unset): Downstream task id.
        title (str | Unset): Title.
        video_url (str | Unset): Hosted video URL.
    """

    asset_type: Literal["video"] = "video"
    aspect_ratio: str | Unset = UNSET
    audio_url: str | Unset = UNSET
    duration: float | Unset = UNSET
    exact_cost_credits: int | Unset = UNSET
    model: str | Unset = UNSET
    provider: str | Unset = UNSET
    requested_model: str | Unset = UNSET
    requested_provider: str | Unset = UNSET
    status: str | Unset = UNSET
    subtitles_url: str | Unset = UNSET
    task_id: str | Unset = UNSET
    title: str | Unset = UNSET
    video_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_type = self.asset_type

        aspect_ratio = self.aspect_ratio

        audio_url = self.audio_url

        duration = self.duration

        exact_cost_credits = self.exact_cost_credits

        model = self.model

        provider = self.provider

        requested_model = self.requested_model

        requested_provider = self.requested_provider

        status = self.status

        subtitles_url = self.subtitles_url

        task_id = self.task_id

        title = self.title

        video_url = self.video_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_type": asset_type,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if audio_url is not UNSET:
            field_dict["audio_url"] = audio_url
        if duration is not UNSET:
            field_dict["duration"] = duration
        if exact_cost_credits is not UNSET:
            field_dict["exact_cost_credits"] = exact_cost_credits
        if model is not UNSET:
            field_dict["model"] = model
        if provider is not UNSET:
            field_dict["provider"] = provider
        if requested_model is not UNSET:
            field_dict["requested_model"] = requested_model
        if requested_provider is not UNSET:
            field_dict["requested_provider"] = requested_provider
        if status is not UNSET:
            field_dict["status"] = status
        if subtitles_url is not UNSET:
            field_dict["subtitles_url"] = subtitles_url
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if title is not UNSET:
            field_dict["title"] = title
        if video_url is not UNSET:
            field_dict["video_url"] = video_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_type = cast(Literal["video"], d.pop("asset_type"))
        if asset_type != "video":
            raise ValueError(f"asset_type must match const 'video', got '{asset_type}'")

        aspect_ratio = d.pop("aspect_ratio", UNSET)

        audio_url = d.pop("audio_url", UNSET)

        duration = d.pop("duration", UNSET)

        exact_cost_credits = d.pop("exact_cost_credits", UNSET)

        model = d.pop("model", UNSET)

        provider = d.pop("provider", UNSET)

        requested_model = d.pop("requested_model", UNSET)

        requested_provider = d.pop("requested_provider", UNSET)

        status = d.pop("status", UNSET)

        subtitles_url = d.pop("subtitles_url", UNSET)

        task_id = d.pop("task_id", UNSET)

        title = d.pop("title", UNSET)

        video_url = d.pop("video_url", UNSET)

        video_output = cls(
            asset_type=asset_type,
            aspect_ratio=aspect_ratio,
            audio_url=audio_url,
            duration=duration,
            exact_cost_credits=exact_cost_credits,
            model=model,
            provider=provider,
            requested_model=requested_model,
            requested_provider=requested_provider,
            status=status,
            subtitles_url=subtitles_url,
            task_id=task_id,
            title=title,
            video_url=video_url,
        )

        video_output.additional_properties = d
        return video_output

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
