from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.camera_control import CameraControl


T = TypeVar("T", bound="SmartmotionGenerateInput")


@_attrs_define
class SmartmotionGenerateInput:
    """Input of smartmotion.generate. Apply camera-driven smart motion to a hosted image or video.

    Attributes:
        file_url (str): Hosted source image or video.
        camera_control (CameraControl | Unset): Direct camera-control payload for smart motion (smartmotion-generate
            page). Integer strengths; ranges are not documented.
        content_type (str | Unset): Source MIME type, e.g. image/jpeg.
        control_mode (str | Unset): 'camera_control' uses camera_control; the preset value is not documented.
        duration (int | Unset): Clip length in seconds.
        file_name (str | Unset): Source file name.
        motion (str | Unset): Preset motion name; values not documented.
        motion_scale (float | Unset): Motion strength; range not documented.
        negative_prompt (str | Unset): What to avoid. Assumed: the docs give no length limit; this snapshot caps prompt
            text at 4000 characters so that clients fail fast instead of being charged for a request the service may reject.
        prompt (str | Unset): Motion direction. Assumed: the docs give no length limit; this snapshot caps prompt text
            at 4000 characters so that clients fail fast instead of being charged for a request the service may reject.
    """

    file_url: str
    camera_control: CameraControl | Unset = UNSET
    content_type: str | Unset = UNSET
    control_mode: str | Unset = UNSET
    duration: int | Unset = UNSET
    file_name: str | Unset = UNSET
    motion: str | Unset = UNSET
    motion_scale: float | Unset = UNSET
    negative_prompt: str | Unset = UNSET
    prompt: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_url = self.file_url

        camera_control: dict[str, Any] | Unset = UNSET
        if not isinstance(self.camera_control, Unset):
            camera_control = self.camera_control.to_dict()

        content_type = self.content_type

        control_mode = self.control_mode

        duration = self.duration

        file_name = self.file_name

        motion = self.motion

        motion_scale = self.motion_scale

        negative_prompt = self.negative_prompt

        prompt = self.prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_url": file_url,
            }
        )
        if camera_control is not UNSET:
            field_dict["camera_control"] = camera_control
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if control_mode is not UNSET:
            field_dict["control_mode"] = control_mode
        if duration is not UNSET:
            field_dict["duration"] = duration
        if file_name is not UNSET:
            field_dict["file_name"] = file_name
        if motion is not UNSET:
            field_dict["motion"] = motion
        if motion_scale is not UNSET:
            field_dict["motion_scale"] = motion_scale
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if prompt is not UNSET:
            field_dict["prompt"] = prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.camera_control import CameraControl  # noqa: PLC0415

        d = dict(src_dict)
        file_url = d.pop("file_url")

        _camera_control = d.pop("camera_control", UNSET)
        camera_control: CameraControl | Unset
        if isinstance(_camera_control, Unset):
            camera_control = UNSET
        else:
            camera_control = CameraControl.from_dict(_camera_control)

        content_type = d.pop("content_type", UNSET)

        control_mode = d.pop("control_mode", UNSET)

        duration = d.pop("duration", UNSET)

        file_name = d.pop("file_name", UNSET)

        motion = d.pop("motion", UNSET)

        motion_scale = d.pop("motion_scale", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        prompt = d.pop("prompt", UNSET)

        smartmotion_generate_input = cls(
            file_url=file_url,
            camera_control=camera_control,
            content_type=content_type,
            control_mode=control_mode,
            duration=duration,
            file_name=file_name,
            motion=motion,
            motion_scale=motion_scale,
            negative_prompt=negative_prompt,
            prompt=prompt,
        )

        smartmotion_generate_input.additional_properties = d
        return smartmotion_generate_input

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
