from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LipsyncGenerateInput")


@_attrs_define
class LipsyncGenerateInput:
    """Input of lipsync.generate. Sync hosted audio onto a hosted source video.

    Attributes:
        audio_url (str): Hosted dialogue audio.
        video_url (str): Hosted source video.
        audio_duration (float | Unset): Audio length in seconds.
        audio_title (str | Unset): Audio title.
        video_duration (float | Unset): Source video length in seconds.
        video_title (str | Unset): Video title.
    """

    audio_url: str
    video_url: str
    audio_duration: float | Unset = UNSET
    audio_title: str | Unset = UNSET
    video_duration: float | Unset = UNSET
    video_title: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audio_url = self.audio_url

        video_url = self.video_url

        audio_duration = self.audio_duration

        audio_title = self.audio_title

        video_duration = self.video_duration

        video_title = self.video_title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audio_url": audio_url,
                "video_url": video_url,
            }
        )
        if audio_duration is not UNSET:
            field_dict["audio_duration"] = audio_duration
        if audio_title is not UNSET:
            field_dict["audio_title"] = audio_title
        if video_duration is not UNSET:
            field_dict["video_duration"] = video_duration
        if video_title is not UNSET:
            field_dict["video_title"] = video_title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audio_url = d.pop("audio_url")

        video_url = d.pop("video_url")

        audio_duration = d.pop("audio_duration", UNSET)

        audio_title = d.pop("audio_title", UNSET)

        video_duration = d.pop("video_duration", UNSET)

        video_title = d.pop("video_title", UNSET)

        lipsync_generate_input = cls(
            audio_url=audio_url,
            video_url=video_url,
            audio_duration=audio_duration,
            audio_title=audio_title,
            video_duration=video_duration,
            video_title=video_title,
        )

        lipsync_generate_input.additional_properties = d
        return lipsync_generate_input

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
