"""The Cannon Studio API (a representative subset) as a Litestar app with msgspec structs.

Tagged msgspec structs for the inputs and the create envelopes (``tag_field="operation"``),
dataclasses for what the API returns (msgspec cannot hold an untagged union of structs),
``T | None`` for nullable fields, and Litestar's own OpenAPI 3.1 plugin with its defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec
from litestar import Litestar, get, post
from litestar.openapi import OpenAPIConfig
from litestar.params import Parameter

AspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "21:9"]
Prompt = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class VideoGenerateInput(msgspec.Struct):
    prompt: Annotated[Prompt, msgspec.Meta(description="What the video shows.")]
    model: str | None = None
    aspect_ratio: AspectRatio | None = None
    duration: Annotated[int, msgspec.Meta(ge=1)] | None = None
    image_url: str | None = None
    negative_prompt: str | None = None
    seed: int | None = None


class ImageGenerateInput(msgspec.Struct):
    prompt: Prompt
    model: str | None = None
    aspect_ratio: AspectRatio | None = None
    style: str | None = None
    reference_image_urls: list[str] | None = None


class PromptEnhanceVideoInput(msgspec.Struct):
    prompt: Prompt
    visualStyle: str | None = None
    duration: Annotated[int, msgspec.Meta(ge=1)] | None = None
    aspectRatio: AspectRatio | None = None
    rewriteRequest: str | None = None


class MusicGenerateInput(msgspec.Struct):
    prompt: Prompt
    title: str | None = None
    instrumental: bool | None = None
    duration_seconds: Annotated[int, msgspec.Meta(ge=1)] | None = None


class VideoGenerate(msgspec.Struct, tag_field="operation", tag="video.generate"):
    input: VideoGenerateInput
    webhook_url: str | None = None


class ImageGenerate(msgspec.Struct, tag_field="operation", tag="image.generate"):
    input: ImageGenerateInput
    webhook_url: str | None = None


class PromptEnhanceVideo(msgspec.Struct, tag_field="operation", tag="prompt.enhance.video"):
    input: PromptEnhanceVideoInput
    webhook_url: str | None = None


class MusicGenerate(msgspec.Struct, tag_field="operation", tag="music.generate"):
    input: MusicGenerateInput
    webhook_url: str | None = None


@dataclass
class VideoOutput:
    asset_type: Literal["video"] = "video"
    task_id: str | None = None
    status: str | None = None
    provider: str | None = None
    model: str | None = None
    video_url: str | None = None


@dataclass
class ImageOutput:
    asset_type: Literal["image"] = "image"
    task_id: str | None = None
    status: str | None = None
    provider: str | None = None
    model: str | None = None
    image_url: str | None = None
    image_urls: list[str] | None = None


@dataclass
class AudioOutput:
    asset_type: Literal["audio"] = "audio"
    task_id: str | None = None
    status: str | None = None
    provider: str | None = None
    model: str | None = None
    audio_url: str | None = None


@dataclass
class PromptOutput:
    enhancedPrompt: str
    model: str | None = None
    operation: str | None = None


@dataclass
class TaskOutput:
    status: str
    task_id: str | None = None
    provider: str | None = None
    model: str | None = None


@dataclass
class RequestObject:
    id: str
    operation: str
    status: Literal["queued", "processing", "succeeded", "failed"]
    createdAtMs: int
    billableCredits: int | None = None
    inputPreview: str | None = None
    outputPreview: str | None = None
    startedAtMs: int | None = None
    completedAtMs: int | None = None
    errorMessage: str | None = None
    output: VideoOutput | ImageOutput | AudioOutput | PromptOutput | TaskOutput | None = None


@dataclass
class RequestUrls:
    get: str


@dataclass
class AcceptedRequest:
    id: str
    status: Literal["queued", "processing", "succeeded", "failed"]
    operation: str
    poll_after_ms: Annotated[int, msgspec.Meta(ge=0)]
    urls: RequestUrls


@dataclass
class StatusResponse:
    ok: bool
    status: str
    creditsRemaining: int
    message: str | None = None


@get("/api/v1/status")
async def get_status() -> StatusResponse:
    raise NotImplementedError


@post("/api/v1/requests", status_code=202)
async def create_request(
    data: VideoGenerate | ImageGenerate | PromptEnhanceVideo | MusicGenerate,
    idempotency_key: Annotated[str | None, Parameter(header="x-idempotency-key")] = None,
) -> AcceptedRequest:
    raise NotImplementedError


@get("/api/v1/requests/{request_id:str}")
async def get_request(request_id: str) -> RequestObject:
    raise NotImplementedError


def build() -> Litestar:
    """The app, with Litestar's OpenAPI config at its defaults but for the title."""
    return Litestar(
        route_handlers=[get_status, create_request, get_request],
        openapi_config=OpenAPIConfig(title="Cannon Studio API", version="1.0.0"),
    )
