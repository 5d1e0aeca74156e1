from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.subtitle_settings import SubtitleSettings


T = TypeVar("T", bound="SubtitlesGenerateInput")


@_attrs_define
class SubtitlesGenerateInput:
    """Input of subtitles.generate. Burn styled subtitles into a hosted video.

    Attributes:
        video_url (str): Hosted source video.
        content_type (str | Unset): Source MIME type, e.g. video/mp4.
        duration (float | Unset): Video length in seconds.
        file_name (str | Unset): Source file name.
        subtitle_settings (SubtitleSettings | Unset): Subtitle styling (subtitles-generate page). Keys are camelCase
            inside this object. Other keys are not documented.
    """

    video_url: str
    content_type: str | Unset = UNSET
    duration: float | Unset = UNSET
    file_name: str | Unset = UNSET
    subtitle_settings: SubtitleSettings | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        video_url = self.video_url

        content_type = self.content_type

        duration = self.duration

        file_name = self.file_name

        subtitle_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.subtitle_settings, Unset):
            subtitle_settings = self.subtitle_settings.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "video_url": video_url,
            }
        )
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if duration is not UNSET:
            field_dict["duration"] = duration
        if file_name is not UNSET:
            field_dict["file_name"] = file_name
        if subtitle_settings is not UNSET:
            field_dict["subtitle_settings"] = subtitle_settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.subtitle_settings import SubtitleSettings  # noqa: PLC0415

        d = dict(src_dict)
        video_url = d.pop("video_url")

        content_type = d.pop("content_type", UNSET)

        duration = d.pop("duration", UNSET)

        file_name = d.pop("file_name", UNSET)

        _subtitle_settings = d.pop("subtitle_settings", UNSET)
        subtitle_settings: SubtitleSettings | Unset
        if isinstance(_subtitle_settings, Unset):
            subtitle_settings = UNSET
        else:
            subtitle_settings = SubtitleSettings.from_dict(_subtitle_settings)

        subtitles_generate_input = cls(
            video_url=video_url,
            content_type=content_type,
            duration=duration,
            file_name=file_name,
            subtitle_settings=subtitle_settings,
        )

        subtitles_generate_input.additional_properties = d
        return subtitles_generate_input

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
