"""The Cannon Studio API (a representative subset) as a FastAPI app with pydantic 2 models.

``build(custom_ids=False)`` is the app as FastAPI writes it by default: no tags, operation ids
such as ``create_request_api_v1_requests_post``. ``build(custom_ids=True)`` adds tags and the
operation ids FastAPI's docs recommend for client generation (``<tag>-<function name>``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import FastAPI, Header
from fastapi.routing import APIRoute
from pydantic import AnyUrl, BaseModel, Field

AspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "21:9"]
Prompt = Annotated[str, Field(min_length=1, max_length=4000)]


class VideoGenerateInput(BaseModel):
    prompt: Prompt = Field(description="What the video shows.")
    model: str | None = Field(None, description="Model id, e.g. seedance2.")
    aspect_ratio: AspectRatio | None = None
    duration: int | None = Field(None, ge=1, description="Length in seconds.")
    image_url: AnyUrl | None = Field(None, description="First frame to animate.")
    negative_prompt: str | None = None
    seed: int | None = None


class ImageGenerateInput(BaseModel):
    prompt: Prompt
    model: str | None = None
    aspect_ratio: AspectRatio | None = None
    style: str | None = None
    reference_image_urls: list[AnyUrl] | None = None


class PromptEnhanceVideoInput(BaseModel):
    prompt: Prompt
    visualStyle: str | None = None
    duration: int | None = Field(None, ge=1)
    aspectRatio: AspectRatio | None = None
    rewriteRequest: str | None = None


class MusicGenerateInput(BaseModel):
    prompt: Prompt
    title: str | None = None
    instrumental: bool | None = None
    duration_seconds: int | None = Field(None, ge=1)


class VideoGenerateRequest(BaseModel):
    operation: Literal["video.generate"]
    input: VideoGenerateInput
    webhook_url: AnyUrl | None = None


class ImageGenerateRequest(BaseModel):
    operation: Literal["image.generate"]
    input: ImageGenerateInput
    webhook_url: AnyUrl | None = None


class PromptEnhanceVideoRequest(BaseModel):
    operation: Literal["prompt.enhance.video"]
    input: PromptEnhanceVideoInput
    webhook_url: AnyUrl | None = None


class MusicGenerateRequest(BaseModel):
    operation: Literal["music.generate"]
    input: MusicGenerateInput
    webhook_url: AnyUrl | None = None


CreateRequestBody = Annotated[
    VideoGenerateRequest | ImageGenerateRequest | PromptEnhanceVideoRequest | MusicGenerateRequest,
    Field(discriminator="operation"),
]


class Task(BaseModel):
    task_id: str | None = None
    status: str | None = None
    provider: str | None = None
    model: str | None = None


class VideoOutput(Task):
    asset_type: Literal["video"] = "video"
    video_url: str | None = None


class ImageOutput(Task):
    asset_type: Literal["image"] = "image"
    image_url: str | None = None
    image_urls: list[str] | None = None


class AudioOutput(Task):
    asset_type: Literal["audio"] = "audio"
    audio_url: str | None = None


class PromptOutput(BaseModel):
    enhancedPrompt: str
    model: str | None = None
    operation: str | None = None


class TaskOutput(Task):
    status: str


class RequestLog(BaseModel):
    available: bool
    retentionDays: int | None = None
    retainedUntilMs: int | None = None
    input: dict[str, object] | None = None
    output: dict[str, object] | None = None
    errorMessage: str | None = None


class RequestObject(BaseModel):
    id: str
    operation: str
    status: Literal["queued", "processing", "succeeded", "failed"]
    billableCredits: int | None = None
    inputPreview: str | None = None
    outputPreview: str | None = None
    createdAtMs: int
    startedAtMs: int | None = None
    completedAtMs: int | None = None
    errorMessage: str | None = None
    output: VideoOutput | ImageOutput | AudioOutput | PromptOutput | TaskOutput | None = None
    requestLog: RequestLog | None = None


class RequestUrls(BaseModel):
    get: AnyUrl


class AcceptedRequest(BaseModel):
    id: str
    status: Literal["queued", "processing", "succeeded", "failed"]
    operation: str
    poll_after_ms: int = Field(ge=0)
    urls: RequestUrls


class ErrorResponse(BaseModel):
    error: str
    code: str | None = None
    field: str | None = None
    request_id: str | None = None


class StatusResponse(BaseModel):
    ok: bool
    status: str
    message: str | None = None
    creditsRemaining: int


class WebhookEvent(BaseModel):
    id: str
    type: str
    timestamp: str
    data: RequestObject


def _tagged_ids(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}"


def build(*, custom_ids: bool = False) -> FastAPI:
    """The app; see the module docstring for the two styles."""
    options = {"generate_unique_id_function": _tagged_ids} if custom_ids else {}
    app = FastAPI(title="Cannon Studio API", version="1.0.0", **options)
    errors = {400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}}

    def tags(name: str) -> dict[str, list[str]]:
        return {"tags": [name]} if custom_ids else {}

    @app.get(
        "/api/v1/status",
        response_model=StatusResponse,
        responses={401: errors[401]},
        **tags("account"),
    )
    def get_status() -> StatusResponse:
        raise NotImplementedError

    @app.post(
        "/api/v1/requests",
        status_code=202,
        response_model=AcceptedRequest,
        responses=errors,
        **tags("requests"),
    )
    def create_request(
        body: CreateRequestBody,
        x_idempotency_key: Annotated[str | None, Header(min_length=1, max_length=255)] = None,
    ) -> AcceptedRequest:
        raise NotImplementedError

    @app.get(
        "/api/v1/requests/{request_id}",
        response_model=RequestObject,
        responses={401: errors[401]},
        **tags("requests"),
    )
    def get_request(request_id: str) -> RequestObject:
        raise NotImplementedError

    @app.webhooks.post("requestCompleted")
    def request_completed(body: WebhookEvent) -> None:
        """Sent to webhook_url when a request reaches succeeded or failed."""

    return app
