from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aspect_ratio import AspectRatio
from ..models.video_resolution import VideoResolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoGenerateInput")


@_attrs_define
class VideoGenerateInput:
    """Input of video.generate. Generate a video with the supported video models, prompt-only or image-guided.

    Attributes:
        prompt (str): What to film. Assumed: the docs give no length limit; this snapshot caps prompt text at 4000
            characters so that clients fail fast instead of being charged for a request the service may reject.
        aspect_ratio (AspectRatio | Unset): Output aspect ratio. The docs show 16:9 and 9:16 and mention square 1:1
            outputs. Assumed: the closed set below (the common ratios of the listed image and video models); the live schema
            should replace it.
        audio_url (str | Unset): Hosted audio track (Wan 2.7 prompt-first and continuation runs).
        duration (int | Unset): Clip length in seconds (10 in the docs example). Sora 2 accepts 4, 8, 12, 16 or 20.
        end_image_url (str | Unset): Hosted end image. Assumed: split of the run-together field list (see
            reference_image_urls).
        first_clip_url (str | Unset): Hosted first clip for continuation.
        first_frame_url (str | Unset): Hosted first frame (first-frame guidance).
        image_url (str | Unset): Hosted image that guides the video (image-guided flow).
        last_frame_url (str | Unset): Hosted last frame (first-and-last-frame guidance).
        model (str | Unset): Video model. Model ids change often, so this is an open string, not an enum. Known ids:
            wan27video, seedance2.
        negative_prompt (str | Unset): What to avoid. Assumed: the docs give no length limit; this snapshot caps prompt
            text at 4000 characters so that clients fail fast instead of being charged for a request the service may reject.
        nsfw_checker (bool | Unset): Run the provider NSFW checker. Assumed: boolean (no example).
        prompt_extend (bool | Unset): Let the provider extend the prompt. Assumed: boolean (no example).
        reference_image_urls (list[str] | Unset): Hosted reference images. Assumed: the stored page runs the names
            together; read as reference_image_urls (plural, as in image.generate).
        resolution (VideoResolution | Unset): Video output resolution. The docs show 1080p (Sora 2 Pro native 1080p).
            Assumed: 480p, 720p and 1080p.
        seed (int | Unset): Random seed. Assumed: integer (no example).
        source_video_url (str | Unset): Hosted source clip for continuation-style runs (Wan 2.7).
        watermark (bool | Unset): Add the provider watermark. Assumed: boolean (no example).
    """

    prompt: str
    aspect_ratio: AspectRatio | Unset = UNSET
    audio_url: str | Unset = UNSET
    duration: int | Unset = UNSET
    end_image_url: str | Unset = UNSET
    first_clip_url: str | Unset = UNSET
    first_frame_url: str | Unset = UNSET
    image_url: str | Unset = UNSET
    last_frame_url: str | Unset = UNSET
    model: str | Unset = UNSET
    negative_prompt: str | Unset = UNSET
    nsfw_checker: bool | Unset = UNSET
    prompt_extend: bool | Unset = UNSET
    reference_image_urls: list[str] | Unset = UNSET
    resolution: VideoResolution | Unset = UNSET
    seed: int | Unset = UNSET
    source_video_url: str | Unset = UNSET
    watermark: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        audio_url = self.audio_url

        duration = self.duration

        end_image_url = self.end_image_url

        first_clip_url = self.first_clip_url

        first_frame_url = self.first_frame_url

        image_url = self.image_url

        last_frame_url = self.last_frame_url

        model = self.model

        negative_prompt = self.negative_prompt

        nsfw_checker = self.nsfw_checker

        prompt_extend = self.prompt_extend

        reference_image_urls: list[str] | Unset = UNSET
        if not isinstance(self.reference_image_urls, Unset):
            reference_image_urls = self.reference_image_urls

        resolution: str | Unset = UNSET
        if not isinstance(self.resolution, Unset):
            resolution = self.resolution.value

        seed = self.seed

        source_video_url = self.source_video_url

        watermark = self.watermark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if audio_url is not UNSET:
            field_dict["audio_url"] = audio_url
        if duration is not UNSET:
            field_dict["duration"] = duration
        if end_image_url is not UNSET:
            field_dict["end_image_url"] = end_image_url
        if first_clip_url is not UNSET:
            field_dict["first_clip_url"] = first_clip_url
        if first_frame_url is not UNSET:
            field_dict["first_frame_url"] = first_frame_url
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if last_frame_url is not UNSET:
            field_dict["last_frame_url"] = last_frame_url
        if model is not UNSET:
            field_dict["model"] = model
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if nsfw_checker is not UNSET:
            field_dict["nsfw_checker"] = nsfw_checker
        if prompt_extend is not UNSET:
            field_dict["prompt_extend"] = prompt_extend
        if reference_image_urls is not UNSET:
            field_dict["reference_image_urls"] = reference_image_urls
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if seed is not UNSET:
            field_dict["seed"] = seed
        if source_video_url is not UNSET:
            field_dict["source_video_url"] = source_video_url
        if watermark is not UNSET:
            field_dict["watermark"] = watermark

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

        audio_url = d.pop("audio_url", UNSET)

        duration = d.pop("duration", UNSET)

        end_image_url = d.pop("end_image_url", UNSET)

        first_clip_url = d.pop("first_clip_url", UNSET)

        first_frame_url = d.pop("first_frame_url", UNSET)

        image_url = d.pop("image_url", UNSET)

        last_frame_url = d.pop("last_frame_url", UNSET)

        model = d.pop("model", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        nsfw_checker = d.pop("nsfw_checker", UNSET)

        prompt_extend = d.pop("prompt_extend", UNSET)

        reference_image_urls = cast(list[str], d.pop("reference_image_urls", UNSET))

        _resolution = d.pop("resolution", UNSET)
        resolution: VideoResolution | Unset
        if isinstance(_resolution, Unset):
            resolution = UNSET
        else:
            resolution = VideoResolution(_resolution)

        seed = d.pop("seed", UNSET)

        source_video_url = d.pop("source_video_url", UNSET)

        watermark = d.pop("watermark", UNSET)

        video_generate_input = cls(
            prompt=prompt,
            aspect_ratio=aspect_ratio,
            audio_url=audio_url,
            duration=duration,
            end_image_url=end_image_url,
            first_clip_url=first_clip_url,
            first_frame_url=first_frame_url,
            image_url=image_url,
            last_frame_url=last_frame_url,
            model=model,
            negative_prompt=negative_prompt,
            nsfw_checker=nsfw_checker,
            prompt_extend=prompt_extend,
            reference_image_urls=reference_image_urls,
            resolution=resolution,
            seed=seed,
            source_video_url=source_video_url,
            watermark=watermark,
        )

        video_generate_input.additional_properties = d
        return video_generate_input

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
