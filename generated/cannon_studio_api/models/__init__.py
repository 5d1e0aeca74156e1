"""Contains all the data models used in inputs/outputs (each loaded on first use)"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .accepted_request import AcceptedRequest
    from .account import Account
    from .angle_context import AngleContext
    from .api_key_info import ApiKeyInfo
    from .aspect_ratio import AspectRatio
    from .audio_output import AudioOutput
    from .camera_control import CameraControl
    from .character_output import CharacterOutput
    from .credits_ import Credits
    from .error_response import ErrorResponse
    from .image_edit_envelope import ImageEditEnvelope
    from .image_edit_input import ImageEditInput
    from .image_generate_envelope import ImageGenerateEnvelope
    from .image_generate_input import ImageGenerateInput
    from .image_output import ImageOutput
    from .image_resolution import ImageResolution
    from .lipsync_generate_envelope import LipsyncGenerateEnvelope
    from .lipsync_generate_input import LipsyncGenerateInput
    from .location_3d_output import Location3DOutput
    from .music_generate_envelope import MusicGenerateEnvelope
    from .music_generate_input import MusicGenerateInput
    from .narration_generate_envelope import NarrationGenerateEnvelope
    from .narration_generate_input import NarrationGenerateInput
    from .open_api_document import OpenAPIDocument
    from .prompt_enhance_image_envelope import PromptEnhanceImageEnvelope
    from .prompt_enhance_image_input import PromptEnhanceImageInput
    from .prompt_enhance_location_envelope import PromptEnhanceLocationEnvelope
    from .prompt_enhance_location_input import PromptEnhanceLocationInput
    from .prompt_enhance_variant_envelope import PromptEnhanceVariantEnvelope
    from .prompt_enhance_variant_input import PromptEnhanceVariantInput
    from .prompt_enhance_video_envelope import PromptEnhanceVideoEnvelope
    from .prompt_enhance_video_input import PromptEnhanceVideoInput
    from .prompt_output import PromptOutput
    from .request_log import RequestLog
    from .request_log_input import RequestLogInput
    from .request_log_output import RequestLogOutput
    from .request_object import RequestObject
    from .request_status import RequestStatus
    from .request_urls import RequestUrls
    from .smartmotion_generate_envelope import SmartmotionGenerateEnvelope
    from .smartmotion_generate_input import SmartmotionGenerateInput
    from .sora_2_character_create_envelope import Sora2CharacterCreateEnvelope
    from .sora_2_character_create_input import Sora2CharacterCreateInput
    from .sora_2_character_video_generate_envelope import (
        Sora2CharacterVideoGenerateEnvelope,
    )
    from .sora_2_character_video_generate_input import Sora2CharacterVideoGenerateInput
    from .sora_2_video_edit_envelope import Sora2VideoEditEnvelope
    from .sora_2_video_edit_input import Sora2VideoEditInput
    from .sora_2_video_extend_envelope import Sora2VideoExtendEnvelope
    from .sora_2_video_extend_input import Sora2VideoExtendInput
    from .sora_2_video_remix_envelope import Sora2VideoRemixEnvelope
    from .sora_2_video_remix_input import Sora2VideoRemixInput
    from .sora_aspect_ratio import SoraAspectRatio
    from .sora_duration import SoraDuration
    from .soundfx_generate_envelope import SoundfxGenerateEnvelope
    from .soundfx_generate_input import SoundfxGenerateInput
    from .status_response import StatusResponse
    from .subtitle_settings import SubtitleSettings
    from .subtitles_generate_envelope import SubtitlesGenerateEnvelope
    from .subtitles_generate_input import SubtitlesGenerateInput
    from .task_output import TaskOutput
    from .three_d_location_generate_envelope import ThreeDLocationGenerateEnvelope
    from .three_d_location_generate_input import ThreeDLocationGenerateInput
    from .upscale_factor import UpscaleFactor
    from .upscale_resolution import UpscaleResolution
    from .video_generate_envelope import VideoGenerateEnvelope
    from .video_generate_input import VideoGenerateInput
    from .video_output import VideoOutput
    from .video_resolution import VideoResolution
    from .video_upscale_envelope import VideoUpscaleEnvelope
    from .video_upscale_input import VideoUpscaleInput
    from .webhook_event import WebhookEvent

_MODULES = {
    "AcceptedRequest": ".accepted_request",
    "Account": ".account",
    "AngleContext": ".angle_context",
    "ApiKeyInfo": ".api_key_info",
    "AspectRatio": ".aspect_ratio",
    "AudioOutput": ".audio_output",
    "CameraControl": ".camera_control",
    "CharacterOutput": ".character_output",
    "Credits": ".credits_",
    "ErrorResponse": ".error_response",
    "ImageEditEnvelope": ".image_edit_envelope",
    "ImageEditInput": ".image_edit_input",
    "ImageGenerateEnvelope": ".image_generate_envelope",
    "ImageGenerateInput": ".image_generate_input",
    "ImageOutput": ".image_output",
    "ImageResolution": ".image_resolution",
    "LipsyncGenerateEnvelope": ".lipsync_generate_envelope",
    "LipsyncGenerateInput": ".lipsync_generate_input",
    "Location3DOutput": ".location_3d_output",
    "MusicGenerateEnvelope": ".music_generate_envelope",
    "MusicGenerateInput": ".music_generate_input",
    "NarrationGenerateEnvelope": ".narration_generate_envelope",
    "NarrationGenerateInput": ".narration_generate_input",
    "OpenAPIDocument": ".open_api_document",
    "PromptEnhanceImageEnvelope": ".prompt_enhance_image_envelope",
    "PromptEnhanceImageInput": ".prompt_enhance_image_input",
    "PromptEnhanceLocationEnvelope": ".prompt_enhance_location_envelope",
    "PromptEnhanceLocationInput": ".prompt_enhance_location_input",
    "PromptEnhanceVariantEnvelope": ".prompt_enhance_variant_envelope",
    "PromptEnhanceVariantInput": ".prompt_enhance_variant_input",
    "PromptEnhanceVideoEnvelope": ".prompt_enhance_video_envelope",
    "PromptEnhanceVideoInput": ".prompt_enhance_video_input",
    "PromptOutput": ".prompt_output",
    "RequestLog": ".request_log",
    "RequestLogInput": ".request_log_input",
    "RequestLogOutput": ".request_log_output",
    "RequestObject": ".request_object",
    "RequestStatus": ".request_status",
    "RequestUrls": ".request_urls",
    "SmartmotionGenerateEnvelope": ".smartmotion_generate_envelope",
    "SmartmotionGenerateInput": ".smartmotion_generate_input",
    "Sora2CharacterCreateEnvelope": ".sora_2_character_create_envelope",
    "Sora2CharacterCreateInput": ".sora_2_character_create_input",
    "Sora2CharacterVideoGenerateEnvelope": ".sora_2_character_video_generate_envelope",
    "Sora2CharacterVideoGenerateInput": ".sora_2_character_video_generate_input",
    "Sora2VideoEditEnvelope": ".sora_2_video_edit_envelope",
    "Sora2VideoEditInput": ".sora_2_video_edit_input",
    "Sora2VideoExtendEnvelope": ".sora_2_video_extend_envelope",
    "Sora2VideoExtendInput": ".sora_2_video_extend_input",
    "Sora2VideoRemixEnvelope": ".sora_2_video_remix_envelope",
    "Sora2VideoRemixInput": ".sora_2_video_remix_input",
    "SoraAspectRatio": ".sora_aspect_ratio",
    "SoraDuration": ".sora_duration",
    "SoundfxGenerateEnvelope": ".soundfx_generate_envelope",
    "SoundfxGenerateInput": ".soundfx_generate_input",
    "StatusResponse": ".status_response",
    "SubtitleSettings": ".subtitle_settings",
    "SubtitlesGenerateEnvelope": ".subtitles_generate_envelope",
    "SubtitlesGenerateInput": ".subtitles_generate_input",
    "TaskOutput": ".task_output",
    "ThreeDLocationGenerateEnvelope": ".three_d_location_generate_envelope",
    "ThreeDLocationGenerateInput": ".three_d_location_generate_input",
    "UpscaleFactor": ".upscale_factor",
    "UpscaleResolution": ".upscale_resolution",
    "VideoGenerateEnvelope": ".video_generate_envelope",
    "VideoGenerateInput": ".video_generate_input",
    "VideoOutput": ".video_output",
    "VideoResolution": ".video_resolution",
    "VideoUpscaleEnvelope": ".video_upscale_envelope",
    "VideoUpscaleInput": ".video_upscale_input",
    "WebhookEvent": ".webhook_event",
}

__all__ = (
    "AcceptedRequest",
    "Account",
    "AngleContext",
    "ApiKeyInfo",
    "AspectRatio",
    "AudioOutput",
    "CameraControl",
    "CharacterOutput",
    "Credits",
    "ErrorResponse",
    "ImageEditEnvelope",
    "ImageEditInput",
    "ImageGenerateEnvelope",
    "ImageGenerateInput",
    "ImageOutput",
    "ImageResolution",
    "LipsyncGenerateEnvelope",
    "LipsyncGenerateInput",
    "Location3DOutput",
    "MusicGenerateEnvelope",
    "MusicGenerateInput",
    "NarrationGenerateEnvelope",
    "NarrationGenerateInput",
    "OpenAPIDocument",
    "PromptEnhanceImageEnvelope",
    "PromptEnhanceImageInput",
    "PromptEnhanceLocationEnvelope",
    "PromptEnhanceLocationInput",
    "PromptEnhanceVariantEnvelope",
    "PromptEnhanceVariantInput",
    "PromptEnhanceVideoEnvelope",
    "PromptEnhanceVideoInput",
    "PromptOutput",
    "RequestLog",
    "RequestLogInput",
    "RequestLogOutput",
    "RequestObject",
    "RequestStatus",
    "RequestUrls",
    "SmartmotionGenerateEnvelope",
    "SmartmotionGenerateInput",
    "Sora2CharacterCreateEnvelope",
    "Sora2CharacterCreateInput",
    "Sora2CharacterVideoGenerateEnvelope",
    "Sora2CharacterVideoGenerateInput",
    "Sora2VideoEditEnvelope",
    "Sora2VideoEditInput",
    "Sora2VideoExtendEnvelope",
    "Sora2VideoExtendInput",
    "Sora2VideoRemixEnvelope",
    "Sora2VideoRemixInput",
    "SoraAspectRatio",
    "SoraDuration",
    "SoundfxGenerateEnvelope",
    "SoundfxGenerateInput",
    "StatusResponse",
    "SubtitleSettings",
    "SubtitlesGenerateEnvelope",
    "SubtitlesGenerateInput",
    "TaskOutput",
    "ThreeDLocationGenerateEnvelope",
    "ThreeDLocationGenerateInput",
    "UpscaleFactor",
    "UpscaleResolution",
    "VideoGenerateEnvelope",
    "VideoGenerateInput",
    "VideoOutput",
    "VideoResolution",
    "VideoUpscaleEnvelope",
    "VideoUpscaleInput",
    "WebhookEvent",
)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
