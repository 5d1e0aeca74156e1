from http import HTTPStatus
from typing import Any

import httpx2 as httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accepted_request import AcceptedRequest
from ...models.error_response import ErrorResponse
from ...models.image_edit_envelope import ImageEditEnvelope
from ...models.image_generate_envelope import ImageGenerateEnvelope
from ...models.lipsync_generate_envelope import LipsyncGenerateEnvelope
from ...models.music_generate_envelope import MusicGenerateEnvelope
from ...models.narration_generate_envelope import NarrationGenerateEnvelope
from ...models.prompt_enhance_image_envelope import PromptEnhanceImageEnvelope
from ...models.prompt_enhance_location_envelope import PromptEnhanceLocationEnvelope
from ...models.prompt_enhance_variant_envelope import PromptEnhanceVariantEnvelope
from ...models.prompt_enhance_video_envelope import PromptEnhanceVideoEnvelope
from ...models.smartmotion_generate_envelope import SmartmotionGenerateEnvelope
from ...models.sora_2_character_create_envelope import Sora2CharacterCreateEnvelope
from ...models.sora_2_character_video_generate_envelope import (
    Sora2CharacterVideoGenerateEnvelope,
)
from ...models.sora_2_video_edit_envelope import Sora2VideoEditEnvelope
from ...models.sora_2_video_extend_envelope import Sora2VideoExtendEnvelope
from ...models.sora_2_video_remix_envelope import Sora2VideoRemixEnvelope
from ...models.soundfx_generate_envelope import SoundfxGenerateEnvelope
from ...models.subtitles_generate_envelope import SubtitlesGenerateEnvelope
from ...models.three_d_location_generate_envelope import ThreeDLocationGenerateEnvelope
from ...models.video_generate_envelope import VideoGenerateEnvelope
from ...models.video_upscale_envelope import VideoUpscaleEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ImageEditEnvelope
    | ImageGenerateEnvelope
    | LipsyncGenerateEnvelope
    | MusicGenerateEnvelope
    | NarrationGenerateEnvelope
    | PromptEnhanceImageEnvelope
    | PromptEnhanceLocationEnvelope
    | PromptEnhanceVariantEnvelope
    | PromptEnhanceVideoEnvelope
    | SmartmotionGenerateEnvelope
    | Sora2CharacterCreateEnvelope
    | Sora2CharacterVideoGenerateEnvelope
    | Sora2VideoEditEnvelope
    | Sora2VideoExtendEnvelope
    | Sora2VideoRemixEnvelope
    | SoundfxGenerateEnvelope
    | SubtitlesGenerateEnvelope
    | ThreeDLocationGenerateEnvelope
    | VideoGenerateEnvelope
    | VideoUpscaleEnvelope,
    x_idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_idempotency_key, Unset):
        headers["x-idempotency-key"] = x_idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests",
    }

    if isinstance(body, VideoGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ImageGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ImageEditEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, Sora2CharacterVideoGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, Sora2CharacterCreateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, PromptEnhanceVideoEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, PromptEnhanceImageEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, PromptEnhanceLocationEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, PromptEnhanceVariantEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, MusicGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, NarrationGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, SoundfxGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, LipsyncGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, SubtitlesGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, SmartmotionGenerateEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, VideoUpscaleEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, Sora2VideoEditEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, Sora2VideoExtendEnvelope):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, Sora2VideoRemixEnvelope):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AcceptedRequest | ErrorResponse | None:
    if response.status_code == 202:
        response_202 = AcceptedRequest.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ErrorResponse.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorResponse.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorResponse.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AcceptedRequest | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ImageEditEnvelope
    | ImageGenerateEnvelope
    | LipsyncGenerateEnvelope
    | MusicGenerateEnvelope
    | NarrationGenerateEnvelope
    | PromptEnhanceImageEnvelope
    | PromptEnhanceLocationEnvelope
    | PromptEnhanceVariantEnvelope
    | PromptEnhanceVideoEnvelope
    | SmartmotionGenerateEnvelope
    | Sora2CharacterCreateEnvelope
    | Sora2CharacterVideoGenerateEnvelope
    | Sora2VideoEditEnvelope
    | Sora2VideoExtendEnvelope
    | Sora2VideoRemixEnvelope
    | SoundfxGenerateEnvelope
    | SubtitlesGenerateEnvelope
    | ThreeDLocationGenerateEnvelope
    | VideoGenerateEnvelope
    | VideoUpscaleEnvelope,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[AcceptedRequest | ErrorResponse]:
    """Create a request (any operation)

     The single entry point for every operation. Validates the operation and input, stores the request
    and returns 202 Accepted (create-request page).

    Args:
        x_idempotency_key (str | Unset):
        body (ImageEditEnvelope | ImageGenerateEnvelope | LipsyncGenerateEnvelope |
            MusicGenerateEnvelope | NarrationGenerateEnvelope | PromptEnhanceImageEnvelope |
            PromptEnhanceLocationEnvelope | PromptEnhanceVariantEnvelope | PromptEnhanceVideoEnvelope
            | SmartmotionGenerateEnvelope | Sora2CharacterCreateEnvelope |
            Sora2CharacterVideoGenerateEnvelope | Sora2VideoEditEnvelope | Sora2VideoExtendEnvelope |
            Sora2VideoRemixEnvelope | SoundfxGenerateEnvelope | SubtitlesGenerateEnvelope |
            ThreeDLocationGenerateEnvelope | VideoGenerateEnvelope | VideoUpscaleEnvelope): The one
            envelope of POST /api/v1/requests: {operation, input, webhook_url?}, one variant per
            operation. Assumed: the service ignores input fields an operation's input schema does not
            declare (the docs say nothing; the input objects leave additionalProperties open), so
            clients refuse them before sending (strict inputs) and send fields newer than this schema
            only on explicit request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcceptedRequest | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_idempotency_key=x_idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ImageEditEnvelope
    | ImageGenerateEnvelope
    | LipsyncGenerateEnvelope
    | MusicGenerateEnvelope
    | NarrationGenerateEnvelope
    | PromptEnhanceImageEnvelope
    | PromptEnhanceLocationEnvelope
    | PromptEnhanceVariantEnvelope
    | PromptEnhanceVideoEnvelope
    | SmartmotionGenerateEnvelope
    | Sora2CharacterCreateEnvelope
    | Sora2CharacterVideoGenerateEnvelope
    | Sora2VideoEditEnvelope
    | Sora2VideoExtendEnvelope
    | Sora2VideoRemixEnvelope
    | SoundfxGenerateEnvelope
    | SubtitlesGenerateEnvelope
    | ThreeDLocationGenerateEnvelope
    | VideoGenerateEnvelope
    | VideoUpscaleEnvelope,
    x_idempotency_key: str | Unset = UNSET,
) -> AcceptedRequest | ErrorResponse | None:
    """Create a request (any operation)

     The single entry point for every operation. Validates the operation and input, stores the request
    and returns 202 Accepted (create-request page).

    Args:
        x_idempotency_key (str | Unset):
        body (ImageEditEnvelope | ImageGenerateEnvelope | LipsyncGenerateEnvelope |
            MusicGenerateEnvelope | NarrationGenerateEnvelope | PromptEnhanceImageEnvelope |
            PromptEnhanceLocationEnvelope | PromptEnhanceVariantEnvelope | PromptEnhanceVideoEnvelope
            | SmartmotionGenerateEnvelope | Sora2CharacterCreateEnvelope |
            Sora2CharacterVideoGenerateEnvelope | Sora2VideoEditEnvelope | Sora2VideoExtendEnvelope |
            Sora2VideoRemixEnvelope | SoundfxGenerateEnvelope | SubtitlesGenerateEnvelope |
            ThreeDLocationGenerateEnvelope | VideoGenerateEnvelope | VideoUpscaleEnvelope): The one
            envelope of POST /api/v1/requests: {operation, input, webhook_url?}, one variant per
            operation. Assumed: the service ignores input fields an operation's input schema does not
            declare (the docs say nothing; the input objects leave additionalProperties open), so
            clients refuse them before sending (strict inputs) and send fields newer than this schema
            only on explicit request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcceptedRequest | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        x_idempotency_key=x_idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ImageEditEnvelope
    | ImageGenerateEnvelope
    | LipsyncGenerateEnvelope
    | MusicGenerateEnvelope
    | NarrationGenerateEnvelope
    | PromptEnhanceImageEnvelope
    | PromptEnhanceLocationEnvelope
    | PromptEnhanceVariantEnvelope
    | PromptEnhanceVideoEnvelope
    | SmartmotionGenerateEnvelope
    | Sora2CharacterCreateEnvelope
    | Sora2CharacterVideoGenerateEnvelope
    | Sora2VideoEditEnvelope
    | Sora2VideoExtendEnvelope
    | Sora2VideoRemixEnvelope
    | SoundfxGenerateEnvelope
    | SubtitlesGenerateEnvelope
    | ThreeDLocationGenerateEnvelope
    | VideoGenerateEnvelope
    | VideoUpscaleEnvelope,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[AcceptedRequest | ErrorResponse]:
    """Create a request (any operation)

     The single entry point for every operation. Validates the operation and input, stores the request
    and returns 202 Accepted (create-request page).

    Args:
        x_idempotency_key (str | Unset):
        body (ImageEditEnvelope | ImageGenerateEnvelope | LipsyncGenerateEnvelope |
            MusicGenerateEnvelope | NarrationGenerateEnvelope | PromptEnhanceImageEnvelope |
            PromptEnhanceLocationEnvelope | PromptEnhanceVariantEnvelope | PromptEnhanceVideoEnvelope
            | SmartmotionGenerateEnvelope | Sora2CharacterCreateEnvelope |
            Sora2CharacterVideoGenerateEnvelope | Sora2VideoEditEnvelope | Sora2VideoExtendEnvelope |
            Sora2VideoRemixEnvelope | SoundfxGenerateEnvelope | SubtitlesGenerateEnvelope |
            ThreeDLocationGenerateEnvelope | VideoGenerateEnvelope | VideoUpscaleEnvelope): The one
            envelope of POST /api/v1/requests: {operation, input, webhook_url?}, one variant per
            operation. Assumed: the service ignores input fields an operation's input schema does not
            declare (the docs say nothing; the input objects leave additionalProperties open), so
            clients refuse them before sending (strict inputs) and send fields newer than this schema
            only on explicit request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcceptedRequest | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_idempotency_key=x_idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ImageEditEnvelope
    | ImageGenerateEnvelope
    | LipsyncGenerateEnvelope
    | MusicGenerateEnvelope
    | NarrationGenerateEnvelope
    | PromptEnhanceImageEnvelope
    | PromptEnhanceLocationEnvelope
    | PromptEnhanceVariantEnvelope
    | PromptEnhanceVideoEnvelope
    | SmartmotionGenerateEnvelope
    | Sora2CharacterCreateEnvelope
    | Sora2CharacterVideoGenerateEnvelope
    | Sora2VideoEditEnvelope
    | Sora2VideoExtendEnvelope
    | Sora2VideoRemixEnvelope
    | SoundfxGenerateEnvelope
    | SubtitlesGenerateEnvelope
    | ThreeDLocationGenerateEnvelope
    | VideoGenerateEnvelope
    | VideoUpscaleEnvelope,
    x_idempotency_key: str | Unset = UNSET,
) -> AcceptedRequest | ErrorResponse | None:
    """Create a request (any operation)

     The single entry point for every operation. Validates the operation and input, stores the request
    and returns 202 Accepted (create-request page).

    Args:
        x_idempotency_key (str | Unset):
        body (ImageEditEnvelope | ImageGenerateEnvelope | LipsyncGenerateEnvelope |
            MusicGenerateEnvelope | NarrationGenerateEnvelope | PromptEnhanceImageEnvelope |
            PromptEnhanceLocationEnvelope | PromptEnhanceVariantEnvelope | PromptEnhanceVideoEnvelope
            | SmartmotionGenerateEnvelope | Sora2CharacterCreateEnvelope |
            Sora2CharacterVideoGenerateEnvelope | Sora2VideoEditEnvelope | Sora2VideoExtendEnvelope |
            Sora2VideoRemixEnvelope | SoundfxGenerateEnvelope | SubtitlesGenerateEnvelope |
            ThreeDLocationGenerateEnvelope | VideoGenerateEnvelope | VideoUpscaleEnvelope): The one
            envelope of POST /api/v1/requests: {operation, input, webhook_url?}, one variant per
            operation. Assumed: the service ignores input fields an operation's input schema does not
            declare (the docs say nothing; the input objects leave additionalProperties open), so
            clients refuse them before sending (strict inputs) and send fields newer than this schema
            only on explicit request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcceptedRequest | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_idempotency_key=x_idempotency_key,
        )
    ).parsed
