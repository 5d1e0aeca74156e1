"""The operation registry: operation id -> envelope -> input model -> output model -> wrapper.

Built from the schema embedded in the generated package (``cannon_studio_api._schema``) and the
generated models: every ``<Cls>Envelope`` of ``CreateRequestBody.oneOf`` is one operation, with
the envelope extensions ``x-cannon-group``, ``x-cannon-output``, ``x-cannon-credits``,
``x-cannon-display-name`` and ``x-cannon-assumed``. A regenerated schema with a new operation is
reachable at once through ``client.requests.create(operation, input)``; ``WRAPPERS`` (hand-written)
gives the friendly ``client.<namespace>.<method>`` names, grouped like the docs.
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: wait(timeout=seconds))

from __future__ import annotations

import builtins
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    NotRequired,
    Required,
    TypeAlias,
    TypedDict,
    Unpack,
    cast,
    overload,
)

if TYPE_CHECKING:
    from cannon_studio_api.models import (
        AudioOutput,
        CharacterOutput,
        ImageOutput,
        Location3DOutput,
        PromptOutput,
        VideoOutput,
    )

    from ._client import AsyncCannon, Cannon
    from ._requests import AsyncRequestHandle, RequestHandle

    UpdateCallback: TypeAlias = Callable[[RequestHandle], object]
    AsyncUpdateCallback: TypeAlias = Callable[[AsyncRequestHandle], object]

WRAPPERS: dict[str, tuple[str, str]] = {
    # generation
    "video.generate": ("video", "generate"),
    "image.generate": ("images", "generate"),
    "image.edit": ("images", "edit"),
    "sora2.character_video.generate": ("sora", "generate_character_video"),
    "sora2.character.create": ("sora", "create_character"),
    "three_d.location.generate": ("locations", "generate_3d"),
    # prompting
    "prompt.enhance.video": ("prompts", "enhance_video"),
    "prompt.enhance.image": ("prompts", "enhance_image"),
    "prompt.enhance.location": ("prompts", "enhance_location"),
    "prompt.enhance.variant": ("prompts", "enhance_variant"),
    # audio
    "music.generate": ("audio", "music"),
    "narration.generate": ("audio", "narration"),
    "soundfx.generate": ("audio", "sound_effects"),
    # post-production
    "lipsync.generate": ("post_production", "lipsync"),
    "subtitles.generate": ("post_production", "subtitles"),
    "smartmotion.generate": ("post_production", "smart_motion"),
    "video.upscale": ("video", "upscale"),
    "sora2.video.edit": ("sora", "edit"),
    "sora2.video.extend": ("sora", "extend"),
    "sora2.video.remix": ("sora", "remix"),
}
"""Operation id -> (client namespace, method name) of its friendly wrapper."""


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the API, as the schema describes it.

    Attributes:
        id: operation id, e.g. ``video.generate``.
        envelope_name / input_name / output_name: schema component names (``output_name`` may
            be ``None`` when the schema gives no ``x-cannon-output``).
        group: ``x-cannon-group`` (generation, prompting, audio, post_production).
        wrapper: ``namespace.method`` of the friendly wrapper, or ``None`` when it has none.
        display_name: ``x-cannon-display-name``; credits: ``x-cannon-credits`` ("1" or "dynamic").
        assumed: ``x-cannon-assumed`` (the operation is not documented; shape assumed).
        deprecated: the envelope is ``deprecated: true`` (sora2.video.remix).
        description: the envelope description from the schema.
    """

    id: str
    envelope_name: str
    input_name: str
    output_name: str | None
    group: str
    wrapper: str | None
    display_name: str
    credits: str
    assumed: bool
    deprecated: bool
    description: str
    required: tuple[str, ...] = field(default=())

    @property
    def envelope_model(self) -> Any:
        """The generated envelope class (``from_dict``/``to_dict``)."""
        return _model(self.envelope_name)

    @property
    def input_model(self) -> Any:
        """The generated ``<Cls>Input`` class."""
        return _model(self.input_name)

    @property
    def output_model(self) -> Any:
        """The generated output class named by ``x-cannon-output``, or ``None``."""
        return _model(self.output_name) if self.output_name else None


def _model(name: str) -> Any:
    from cannon_studio_api import models

    return getattr(models, name, None)


class OperationRegistry:
    """Lookup of ``OperationSpec`` by operation id (built once from the embedded schema)."""

    def __init__(self, specs: list[OperationSpec]) -> None:
        self._specs = {spec.id: spec for spec in specs}

    def get(self, operation: str) -> OperationSpec | None:
        """The spec of ``operation``, or ``None`` when the schema does not define it."""
        return self._specs.get(operation)

    def list(self) -> list[OperationSpec]:
        """All specs, in schema order."""
        return list(self._specs.values())

    def ids(self) -> builtins.list[str]:
        """All operation ids, sorted."""
        return sorted(self._specs)

    def __contains__(self, operation: object) -> bool:
        return operation in self._specs

    def __iter__(self) -> Iterator[OperationSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"OperationRegistry({len(self._specs)} operations)"


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def build_registry(schema: dict[str, Any]) -> OperationRegistry:
    """Build the registry from an OpenAPI document shaped like ``openapi/cannon-studio.json``."""
    components = schema["components"]["schemas"]
    specs: list[OperationSpec] = []
    for member in components["CreateRequestBody"]["oneOf"]:
        envelope_name = _ref_name(member["$ref"])
        envelope = components[envelope_name]
        props = envelope["properties"]
        operation = props["operation"].get("const") or props["operation"].get("default")
        input_name = _ref_name(props["input"]["$ref"])
        wrapper = WRAPPERS.get(operation)
        specs.append(
            OperationSpec(
                id=operation,
                envelope_name=envelope_name,
                input_name=input_name,
                output_name=envelope.get("x-cannon-output"),
                group=envelope.get("x-cannon-group", "other"),
                wrapper=f"{wrapper[0]}.{wrapper[1]}" if wrapper else None,
                display_name=envelope.get("x-cannon-display-name", operation),
                credits=str(envelope.get("x-cannon-credits", "dynamic")),
                assumed=bool(envelope.get("x-cannon-assumed", False)),
                deprecated=bool(envelope.get("deprecated", False)),
                description=envelope.get("description", ""),
                required=tuple(components[input_name].get("required", ())),
            )
        )
    return OperationRegistry(specs)


@functools.cache
def registry() -> OperationRegistry:
    """The registry of the embedded schema (built on first use, then cached)."""
    from cannon_studio_api._schema import load_schema

    return build_registry(load_schema())


# ---------------------------------------------------------------------------------------------
# Wrapper input types and namespaces. One ``<Cls>Params`` TypedDict per ``<Cls>Input`` schema
# component (field names, types, enums, required-ness and descriptions taken from the schema;
# tests/overlay/test_operations.py fails when they drift from it), and one method per operation
# in the namespace named by ``WRAPPERS``.
# ---------------------------------------------------------------------------------------------


class _SyncNamespace:
    def __init__(self, client: Cannon) -> None:
        self._client = client

    def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        webhook_url: str | None,
        idempotency_key: str | None,
        timeout: float | None,
        on_update: UpdateCallback | None,
    ) -> Any:
        handle = self._client.requests.create(
            operation, input, webhook_url=webhook_url, idempotency_key=idempotency_key
        )
        if not wait:
            return handle
        return handle.wait(timeout=timeout, on_update=on_update).output

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace>"


class _AsyncNamespace:
    def __init__(self, client: AsyncCannon) -> None:
        self._client = client

    async def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        webhook_url: str | None,
        idempotency_key: str | None,
        timeout: float | None,
        on_update: AsyncUpdateCallback | None,
    ) -> Any:
        handle = await self._client.requests.create(
            operation, input, webhook_url=webhook_url, idempotency_key=idempotency_key
        )
        if not wait:
            return handle
        return (await handle.wait(timeout=timeout, on_update=on_update)).output

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace>"


class VideoGenerateParams(TypedDict, total=False):
    """Input fields of ``video.generate`` (schema ``VideoGenerateInput``); JSON spelling, units as stated.

    aspect_ratio (optional): Output aspect ratio. The docs show 16:9 and 9:16 and mention square
            1:1 outputs. Assumed: the closed set below (the common ratios of the listed image
            and video models); the live schema should replace it. [one of 16:9, 9:16, 1:1, 4:3,
            3:4, 3:2, 2:3, 21:9]
    audio_url (optional): Hosted audio track (Wan 2.7 prompt-first and continuation runs).
            [absolute URL]
    duration (optional): Clip length in seconds (10 in the docs example). Sora 2 accepts 4, 8,
            12, 16 or 20. [>= 1]
    end_image_url (optional): Hosted end image. Assumed: split of the run-together field list
            (see reference_image_urls). [absolute URL]
    first_clip_url (optional): Hosted first clip for continuation. [absolute URL]
    first_frame_url (optional): Hosted first frame (first-frame guidance). [absolute URL]
    image_url (optional): Hosted image that guides the video (image-guided flow). [absolute URL]
    last_frame_url (optional): Hosted last frame (first-and-last-frame guidance). [absolute URL]
    model (optional): Video model. Model ids change often, so this is an open string, not an
            enum. Known ids: wan27video, seedance2.
    negative_prompt (optional): What to avoid. Assumed: at most 4000 characters. [max length
            4000]
    nsfw_checker (optional): Run the provider NSFW checker. Assumed: boolean (no example).
    prompt (required): What to film. Assumed: at most 4000 characters. [max length 4000]
    prompt_extend (optional): Let the provider extend the prompt. Assumed: boolean (no example).
    reference_image_urls (optional): Hosted reference images. Assumed: the stored page runs the
            names together; read as reference_image_urls (plural, as in image.generate).
    resolution (optional): Video output resolution. The docs show 1080p (Sora 2 Pro native
            1080p). Assumed: 480p, 720p and 1080p. [one of 480p, 720p, 1080p]
    seed (optional): Random seed. Assumed: integer (no example).
    source_video_url (optional): Hosted source clip for continuation-style runs (Wan 2.7).
            [absolute URL]
    watermark (optional): Add the provider watermark. Assumed: boolean (no example).
    """

    aspect_ratio: NotRequired[Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]]
    audio_url: NotRequired[str]
    duration: NotRequired[int]
    end_image_url: NotRequired[str]
    first_clip_url: NotRequired[str]
    first_frame_url: NotRequired[str]
    image_url: NotRequired[str]
    last_frame_url: NotRequired[str]
    model: NotRequired[str]
    negative_prompt: NotRequired[str]
    nsfw_checker: NotRequired[bool]
    prompt: Required[str]
    prompt_extend: NotRequired[bool]
    reference_image_urls: NotRequired[Sequence[str]]
    resolution: NotRequired[Literal["480p", "720p", "1080p"]]
    seed: NotRequired[int]
    source_video_url: NotRequired[str]
    watermark: NotRequired[bool]


class ImageGenerateParams(TypedDict, total=False):
    """Input fields of ``image.generate`` (schema ``ImageGenerateInput``); JSON spelling, units as stated.

    aspect_ratio (optional): Output aspect ratio. The docs show 16:9 and 9:16 and mention square
            1:1 outputs. Assumed: the closed set below (the common ratios of the listed image
            and video models); the live schema should replace it. [one of 16:9, 9:16, 1:1, 4:3,
            3:4, 3:2, 2:3, 21:9]
    model (optional): Image model. Model ids change often, so this is an open string, not an
            enum. Known ids: gptimage2, seedream5.
    prompt (required): What to draw. Assumed: at most 4000 characters. [max length 4000]
    quality (optional): Quality tier ('high' in the docs example; other values not documented).
    reference_image_urls (optional): Hosted reference images.
    reference_prompt_balance (optional): Balance between the reference images and the prompt.
            Assumed: a number from 0 (prompt) to 1 (references); the docs give no type or
            example. [>= 0, <= 1]
    resolution (optional): Image resolution tier. Documented for GPT Image 2 as 1K, 2K or 4K
            (image-generate and image-edit notes; square 1:1 is capped below 4K). Assumed: the
            same set applies to every image model. [one of 1K, 2K, 4K]
    style (optional): Free-text style direction.
    """

    aspect_ratio: NotRequired[Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]]
    model: NotRequired[str]
    prompt: Required[str]
    quality: NotRequired[str]
    reference_image_urls: NotRequired[Sequence[str]]
    reference_prompt_balance: NotRequired[float]
    resolution: NotRequired[Literal["1K", "2K", "4K"]]
    style: NotRequired[str]


class ImageEditParams(TypedDict, total=False):
    """Input fields of ``image.edit`` (schema ``ImageEditInput``); JSON spelling, units as stated.

    aspect_ratio (optional): Output aspect ratio. The docs show 16:9 and 9:16 and mention square
            1:1 outputs. Assumed: the closed set below (the common ratios of the listed image
            and video models); the live schema should replace it. [one of 16:9, 9:16, 1:1, 4:3,
            3:4, 3:2, 2:3, 21:9]
    image_url (required): Hosted source image. [absolute URL]
    model (optional): Image-edit model. Model ids change often, so this is an open string, not
            an enum. Known ids: gptimage2.
    prompt (required): The edit to make. Assumed: at most 4000 characters. [max length 4000]
    resolution (optional): GPT Image 2 edits: 1K, 2K or 4K; default is the largest legal
            resolution for the aspect ratio (image-edit notes). [one of 1K, 2K, 4K]
    """

    aspect_ratio: NotRequired[Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]]
    image_url: Required[str]
    model: NotRequired[str]
    prompt: Required[str]
    resolution: NotRequired[Literal["1K", "2K", "4K"]]


class Sora2CharacterVideoGenerateParams(TypedDict, total=False):
    """Input fields of ``sora2.character_video.generate`` (schema ``Sora2CharacterVideoGenerateInput``); JSON spelling, units as stated.

    aspect_ratio (optional): Sora 2 output orientation: landscape 16:9 or portrait 9:16 (video-
            generate notes: 'portrait or landscape output sizes'). [one of 16:9, 9:16]
    character_id (required): Assumed: id of a character made by sora2.character.create.
    duration (optional): Sora 2 clip length in seconds: 4, 8, 12, 16 or 20 (video-generate and
            sora2-video-extend notes). [one of 4, 8, 12, 16, 20]
    model (optional): Sora model. Assumed: by analogy with the other Sora pages. Model ids
            change often, so this is an open string, not an enum. Known ids: sora-2, sora-2-pro.
    prompt (required): What the character does. Assumed: at most 4000 characters. [max length
            4000]
    resolution (optional): Video output resolution. The docs show 1080p (Sora 2 Pro native
            1080p). Assumed: 480p, 720p and 1080p. [one of 480p, 720p, 1080p]
    """

    aspect_ratio: NotRequired[Literal["16:9", "9:16"]]
    character_id: Required[str]
    duration: NotRequired[Literal[4, 8, 12, 16, 20]]
    model: NotRequired[str]
    prompt: Required[str]
    resolution: NotRequired[Literal["480p", "720p", "1080p"]]


class Sora2CharacterCreateParams(TypedDict, total=False):
    """Input fields of ``sora2.character.create`` (schema ``Sora2CharacterCreateInput``); JSON spelling, units as stated.

    description (optional): Assumed: description of the character. Assumed: at most 4000
            characters. [max length 4000]
    model (optional): Sora model. Assumed: by analogy with the other Sora pages. Model ids
            change often, so this is an open string, not an enum. Known ids: sora-2, sora-2-pro.
    name (required): Assumed: display name of the character. [max length 200]
    source_video_url (required): Assumed: hosted video of the character to learn from. [absolute
            URL]
    """

    description: NotRequired[str]
    model: NotRequired[str]
    name: Required[str]
    source_video_url: Required[str]


class PromptEnhanceVideoParams(TypedDict, total=False):
    """Input fields of ``prompt.enhance.video`` (schema ``PromptEnhanceVideoInput``); JSON spelling, units as stated.

    aspectRatio (optional): Output aspect ratio. The docs show 16:9 and 9:16 and mention square
            1:1 outputs. Assumed: the closed set below (the common ratios of the listed image
            and video models); the live schema should replace it. [one of 16:9, 9:16, 1:1, 4:3,
            3:4, 3:2, 2:3, 21:9]
    duration (optional): Target clip length in seconds. [>= 1]
    prompt (required): Rough motion prompt. Assumed: at most 4000 characters. [max length 4000]
    rewriteRequest (optional): How to rewrite the prompt.
    visualStyle (optional): Visual style direction.
    """

    aspectRatio: NotRequired[Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]]
    duration: NotRequired[int]
    prompt: Required[str]
    rewriteRequest: NotRequired[str]
    visualStyle: NotRequired[str]


class PromptEnhanceImageParams(TypedDict, total=False):
    """Input fields of ``prompt.enhance.image`` (schema ``PromptEnhanceImageInput``); JSON spelling, units as stated.

    aspectRatio (optional): Output aspect ratio. The docs show 16:9 and 9:16 and mention square
            1:1 outputs. Assumed: the closed set below (the common ratios of the listed image
            and video models); the live schema should replace it. [one of 16:9, 9:16, 1:1, 4:3,
            3:4, 3:2, 2:3, 21:9]
    prompt (required): Image prompt to rewrite. Assumed: at most 4000 characters. [max length
            4000]
    rewriteRequest (optional): How to rewrite the prompt.
    visualStyle (optional): Visual style direction.
    """

    aspectRatio: NotRequired[Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]]
    prompt: Required[str]
    rewriteRequest: NotRequired[str]
    visualStyle: NotRequired[str]


class PromptEnhanceLocationParams(TypedDict, total=False):
    """Input fields of ``prompt.enhance.location`` (schema ``PromptEnhanceLocationInput``); JSON spelling, units as stated.

    aspectRatio (optional): Output aspect ratio. The docs show 16:9 and 9:16 and mention square
            1:1 outputs. Assumed: the closed set below (the common ratios of the listed image
            and video models); the live schema should replace it. [one of 16:9, 9:16, 1:1, 4:3,
            3:4, 3:2, 2:3, 21:9]
    prompt (required): Assumed: rough location description. Assumed: at most 4000 characters.
            [max length 4000]
    rewriteRequest (optional): Assumed: how to rewrite the prompt.
    visualStyle (optional): Assumed: visual style direction.
    """

    aspectRatio: NotRequired[Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]]
    prompt: Required[str]
    rewriteRequest: NotRequired[str]
    visualStyle: NotRequired[str]


class PromptEnhanceVariantParams(TypedDict, total=False):
    """Input fields of ``prompt.enhance.variant`` (schema ``PromptEnhanceVariantInput``); JSON spelling, units as stated.

    prompt (required): Variant edit to refine. Assumed: at most 4000 characters. [max length
            4000]
    rewriteRequest (optional): What to preserve or change.
    """

    prompt: Required[str]
    rewriteRequest: NotRequired[str]


class MusicGenerateParams(TypedDict, total=False):
    """Input fields of ``music.generate`` (schema ``MusicGenerateInput``); JSON spelling, units as stated.

    audio_weight (optional): Audio weight. Assumed: number.
    custom_mode (optional): Suno custom mode. Assumed: boolean.
    description_prompt (optional): Description prompt. Assumed: at most 4000 characters. [max
            length 4000]
    duration_seconds (optional): Track length in seconds. [>= 1]
    instrumental (optional): Instrumental only. Assumed: boolean.
    mode (optional): Generation mode ('auto' in the docs; other values not documented).
    model (optional): Music model. Model ids change often, so this is an open string, not an
            enum. Known ids: V5.
    negative_tags (optional): Comma-separated tags to avoid.
    persona_id (optional): Suno persona id.
    prompt (required): Musical direction (or lyrics in custom mode). Assumed: at most 4000
            characters. [max length 4000]
    prompt_influence (optional): Prompt influence. Assumed: number.
    provider (optional): Music provider; 'kie' gives the Suno models and custom lyric/style
            controls.
    seed (optional): Random seed. Assumed: integer.
    style (optional): Style tags or description.
    style_weight (optional): Style weight. Assumed: number.
    title (optional): Track title.
    vocal_gender (optional): Vocal gender hint; values not documented.
    weirdness_constraint (optional): Weirdness constraint. Assumed: number.
    """

    audio_weight: NotRequired[float]
    custom_mode: NotRequired[bool]
    description_prompt: NotRequired[str]
    duration_seconds: NotRequired[int]
    instrumental: NotRequired[bool]
    mode: NotRequired[str]
    model: NotRequired[str]
    negative_tags: NotRequired[str]
    persona_id: NotRequired[str]
    prompt: Required[str]
    prompt_influence: NotRequired[float]
    provider: NotRequired[str]
    seed: NotRequired[int]
    style: NotRequired[str]
    style_weight: NotRequired[float]
    title: NotRequired[str]
    vocal_gender: NotRequired[str]
    weirdness_constraint: NotRequired[float]


class NarrationGenerateParams(TypedDict, total=False):
    """Input fields of ``narration.generate`` (schema ``NarrationGenerateInput``); JSON spelling, units as stated.

    similarity_boost (optional): Similarity boost (0.8 in the docs). Assumed: range 0-1. [>= 0,
            <= 1]
    speed (optional): Speaking speed multiplier (1 in the docs). [> 0]
    stability (optional): Voice stability (0.7 in the docs). Assumed: range 0-1. [>= 0, <= 1]
    text (required): Text to speak. Assumed: at most 4000 characters. [max length 4000]
    tone (optional): Delivery direction.
    voice_id (required): Voice id, e.g. voice_123 (no voices endpoint is documented).
    """

    similarity_boost: NotRequired[float]
    speed: NotRequired[float]
    stability: NotRequired[float]
    text: Required[str]
    tone: NotRequired[str]
    voice_id: Required[str]


class SoundfxGenerateParams(TypedDict, total=False):
    """Input fields of ``soundfx.generate`` (schema ``SoundfxGenerateInput``); JSON spelling, units as stated.

    description_prompt (optional): Description prompt. Assumed: at most 4000 characters. [max
            length 4000]
    duration_seconds (optional): Effect length in seconds. [> 0]
    mode (optional): 'video_context' selects the context-aware path; the one-off value is not
            documented.
    negative_tags (optional): Comma-separated tags to avoid.
    prompt (required): The sound to make. Assumed: at most 4000 characters. [max length 4000]
    prompt_influence (optional): Prompt influence. Assumed: number.
    seed (optional): Random seed. Assumed: integer.
    title (optional): Effect title.
    video_url (optional): Hosted clip for context-aware effects. [absolute URL]
    """

    description_prompt: NotRequired[str]
    duration_seconds: NotRequired[float]
    mode: NotRequired[str]
    negative_tags: NotRequired[str]
    prompt: Required[str]
    prompt_influence: NotRequired[float]
    seed: NotRequired[int]
    title: NotRequired[str]
    video_url: NotRequired[str]


class LipsyncGenerateParams(TypedDict, total=False):
    """Input fields of ``lipsync.generate`` (schema ``LipsyncGenerateInput``); JSON spelling, units as stated.

    audio_duration (optional): Audio length in seconds. [> 0]
    audio_title (optional): Audio title.
    audio_url (required): Hosted dialogue audio. [absolute URL]
    video_duration (optional): Source video length in seconds. [> 0]
    video_title (optional): Video title.
    video_url (required): Hosted source video. [absolute URL]
    """

    audio_duration: NotRequired[float]
    audio_title: NotRequired[str]
    audio_url: Required[str]
    video_duration: NotRequired[float]
    video_title: NotRequired[str]
    video_url: Required[str]


class SubtitlesGenerateParams(TypedDict, total=False):
    """Input fields of ``subtitles.generate`` (schema ``SubtitlesGenerateInput``); JSON spelling, units as stated.

    content_type (optional): Source MIME type, e.g. video/mp4.
    duration (optional): Video length in seconds. [> 0]
    file_name (optional): Source file name.
    subtitle_settings (optional): Subtitle styling (subtitles-generate page). Keys are camelCase
            inside this object. Other keys are not documented.
    video_url (required): Hosted source video. [absolute URL]
    """

    content_type: NotRequired[str]
    duration: NotRequired[float]
    file_name: NotRequired[str]
    subtitle_settings: NotRequired[Mapping[str, Any]]
    video_url: Required[str]


class SmartmotionGenerateParams(TypedDict, total=False):
    """Input fields of ``smartmotion.generate`` (schema ``SmartmotionGenerateInput``); JSON spelling, units as stated.

    camera_control (optional): Direct camera-control payload for smart motion (smartmotion-
            generate page). Integer strengths; ranges are not documented.
    content_type (optional): Source MIME type, e.g. image/jpeg.
    control_mode (optional): 'camera_control' uses camera_control; the preset value is not
            documented.
    duration (optional): Clip length in seconds. [>= 1]
    file_name (optional): Source file name.
    file_url (required): Hosted source image or video. [absolute URL]
    motion (optional): Preset motion name; values not documented.
    motion_scale (optional): Motion strength; range not documented.
    negative_prompt (optional): What to avoid. Assumed: at most 4000 characters. [max length
            4000]
    prompt (optional): Motion direction. Assumed: at most 4000 characters. [max length 4000]
    """

    camera_control: NotRequired[Mapping[str, Any]]
    content_type: NotRequired[str]
    control_mode: NotRequired[str]
    duration: NotRequired[int]
    file_name: NotRequired[str]
    file_url: Required[str]
    motion: NotRequired[str]
    motion_scale: NotRequired[float]
    negative_prompt: NotRequired[str]
    prompt: NotRequired[str]


class VideoUpscaleParams(TypedDict, total=False):
    """Input fields of ``video.upscale`` (schema ``VideoUpscaleInput``); JSON spelling, units as stated.

    duration_seconds (optional): Source length in seconds (7.2 in the docs). [> 0]
    model (optional): Upscaler: Wavespeed (resolution exports), Topaz Proteus (1x/2x/4x),
            Starlight 2.5 (optional target_fps). Legacy Proteus is deprecated; Magnific
            Precision is disabled. Model ids change often, so this is an open string, not an
            enum. Known ids: wavespeed.
    target_fps (optional): Target frame rate (Starlight 2.5 only). [> 0]
    target_resolution (optional): Upscale target resolution, lower-case as in the docs example
            ('4k'). Assumed: 1080p, 2k and 4k. [one of 1080p, 2k, 4k]
    thumbnail_url (optional): Hosted thumbnail. [absolute URL]
    upscale_factor (optional): Topaz Proteus enhancement factor: 1x, 2x or 4x (video-upscale
            notes). [one of 1, 2, 4]
    video_title (optional): Video title.
    video_url (required): Hosted source video. [absolute URL]
    """

    duration_seconds: NotRequired[float]
    model: NotRequired[str]
    target_fps: NotRequired[float]
    target_resolution: NotRequired[Literal["1080p", "2k", "4k"]]
    thumbnail_url: NotRequired[str]
    upscale_factor: NotRequired[Literal[1, 2, 4]]
    video_title: NotRequired[str]
    video_url: Required[str]


class Sora2VideoEditParams(TypedDict, total=False):
    """Input fields of ``sora2.video.edit`` (schema ``Sora2VideoEditInput``); JSON spelling, units as stated.

    aspect_ratio (optional): Sora 2 output orientation: landscape 16:9 or portrait 9:16 (video-
            generate notes: 'portrait or landscape output sizes'). [one of 16:9, 9:16]
    duration (optional): Sora 2 clip length in seconds: 4, 8, 12, 16 or 20 (video-generate and
            sora2-video-extend notes). [one of 4, 8, 12, 16, 20]
    model (optional): Sora model; sora-2-pro with 1080p targets Sora 2 Pro native 1080p. Model
            ids change often, so this is an open string, not an enum. Known ids: sora-2,
            sora-2-pro.
    prompt (required): What to change. Assumed: at most 4000 characters. [max length 4000]
    resolution (optional): Video output resolution. The docs show 1080p (Sora 2 Pro native
            1080p). Assumed: 480p, 720p and 1080p. [one of 480p, 720p, 1080p]
    sora_video_id (required): Native OpenAI video id of the source Sora video (video_...).
    source_video_url (optional): Hosted copy of the source video (purpose not documented).
            [absolute URL]
    """

    aspect_ratio: NotRequired[Literal["16:9", "9:16"]]
    duration: NotRequired[Literal[4, 8, 12, 16, 20]]
    model: NotRequired[str]
    prompt: Required[str]
    resolution: NotRequired[Literal["480p", "720p", "1080p"]]
    sora_video_id: Required[str]
    source_video_url: NotRequired[str]


class Sora2VideoExtendParams(TypedDict, total=False):
    """Input fields of ``sora2.video.extend`` (schema ``Sora2VideoExtendInput``); JSON spelling, units as stated.

    aspect_ratio (optional): Sora 2 output orientation: landscape 16:9 or portrait 9:16 (video-
            generate notes: 'portrait or landscape output sizes'). [one of 16:9, 9:16]
    duration (optional): Sora 2 clip length in seconds: 4, 8, 12, 16 or 20 (video-generate and
            sora2-video-extend notes). [one of 4, 8, 12, 16, 20]
    model (optional): Sora model; sora-2-pro with 1080p targets Sora 2 Pro native 1080p. Model
            ids change often, so this is an open string, not an enum. Known ids: sora-2,
            sora-2-pro.
    prompt (required): What to change. Assumed: at most 4000 characters. [max length 4000]
    resolution (optional): Video output resolution. The docs show 1080p (Sora 2 Pro native
            1080p). Assumed: 480p, 720p and 1080p. [one of 480p, 720p, 1080p]
    sora_video_id (required): Native OpenAI video id of the source Sora video (video_...).
    source_duration (optional): Length of the source video in seconds. Assumed: (no example). [>
            0]
    source_video_url (optional): Hosted copy of the source video (purpose not documented).
            [absolute URL]
    """

    aspect_ratio: NotRequired[Literal["16:9", "9:16"]]
    duration: NotRequired[Literal[4, 8, 12, 16, 20]]
    model: NotRequired[str]
    prompt: Required[str]
    resolution: NotRequired[Literal["480p", "720p", "1080p"]]
    sora_video_id: Required[str]
    source_duration: NotRequired[float]
    source_video_url: NotRequired[str]


class Sora2VideoRemixParams(TypedDict, total=False):
    """Input fields of ``sora2.video.remix`` (schema ``Sora2VideoRemixInput``); JSON spelling, units as stated.

    aspect_ratio (optional): Sora 2 output orientation: landscape 16:9 or portrait 9:16 (video-
            generate notes: 'portrait or landscape output sizes'). [one of 16:9, 9:16]
    duration (optional): Sora 2 clip length in seconds: 4, 8, 12, 16 or 20 (video-generate and
            sora2-video-extend notes). [one of 4, 8, 12, 16, 20]
    model (optional): Sora model; sora-2-pro with 1080p targets Sora 2 Pro native 1080p. Model
            ids change often, so this is an open string, not an enum. Known ids: sora-2,
            sora-2-pro.
    prompt (required): What to change. Assumed: at most 4000 characters. [max length 4000]
    resolution (optional): Video output resolution. The docs show 1080p (Sora 2 Pro native
            1080p). Assumed: 480p, 720p and 1080p. [one of 480p, 720p, 1080p]
    sora_video_id (required): Native OpenAI video id of the source Sora video (video_...).
    source_video_url (optional): Hosted copy of the source video (purpose not documented).
            [absolute URL]
    """

    aspect_ratio: NotRequired[Literal["16:9", "9:16"]]
    duration: NotRequired[Literal[4, 8, 12, 16, 20]]
    model: NotRequired[str]
    prompt: Required[str]
    resolution: NotRequired[Literal["480p", "720p", "1080p"]]
    sora_video_id: Required[str]
    source_video_url: NotRequired[str]


class ThreeDLocationGenerateParams(TypedDict, total=False):
    """Input fields of ``three_d.location.generate`` (schema ``ThreeDLocationGenerateInput``); JSON spelling, units as stated.

    angle_context (optional): Labelled reference views.
    description (optional): Location description. Assumed: at most 4000 characters. [max length
            4000]
    location_id (optional): Cannon Studio location id.
    name (optional): Location name.
    project_id (optional): Cannon Studio project id.
    quality (optional): Quality tier ('standard' in the docs).
    source_image_urls (required): Hosted location reference images.
    universe_id (optional): Cannon Studio universe id.
    workspace_id (optional): Cannon Studio workspace id.
    zone_id (optional): Cannon Studio zone id.
    """

    angle_context: NotRequired[Sequence[Mapping[str, Any]]]
    description: NotRequired[str]
    location_id: NotRequired[str]
    name: NotRequired[str]
    project_id: NotRequired[str]
    quality: NotRequired[str]
    source_image_urls: Required[Sequence[str]]
    universe_id: NotRequired[str]
    workspace_id: NotRequired[str]
    zone_id: NotRequired[str]


class Video(_SyncNamespace):
    """``client.video``: Video generation and upscaling (generation, post-production)."""

    @overload
    def generate(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[VideoGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def generate(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[VideoGenerateParams],
    ) -> VideoOutput: ...

    def generate(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[VideoGenerateParams],
    ) -> RequestHandle | VideoOutput:
        """Generate Video (``video.generate``; credits: dynamic).

        Generate Video (video.generate). Generate a video with the supported video models, prompt-only or image-guided.

        Keyword arguments are the input fields of ``VideoGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "video.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def upscale(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[VideoUpscaleParams],
    ) -> RequestHandle: ...

    @overload
    def upscale(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[VideoUpscaleParams],
    ) -> VideoOutput: ...

    def upscale(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[VideoUpscaleParams],
    ) -> RequestHandle | VideoOutput:
        """Upscale Video (``video.upscale``; credits: dynamic).

        Upscale Video (video.upscale). Upscale a hosted video to a higher resolution.

        Keyword arguments are the input fields of ``VideoUpscaleParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "video.upscale",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class Images(_SyncNamespace):
    """``client.images``: Image generation and editing (generation)."""

    @overload
    def generate(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ImageGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def generate(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ImageGenerateParams],
    ) -> ImageOutput: ...

    def generate(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ImageGenerateParams],
    ) -> RequestHandle | ImageOutput:
        """Generate Image (``image.generate``; credits: dynamic).

        Generate Image (image.generate). Generate a still image with the current image model stack, with reference support.

        Keyword arguments are the input fields of ``ImageGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``ImageOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | ImageOutput",
            self._call(
                "image.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def edit(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ImageEditParams],
    ) -> RequestHandle: ...

    @overload
    def edit(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ImageEditParams],
    ) -> ImageOutput: ...

    def edit(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ImageEditParams],
    ) -> RequestHandle | ImageOutput:
        """Edit Image (``image.edit``; credits: dynamic).

        Edit Image (image.edit). Edit a hosted image with the image-edit stack.

        Keyword arguments are the input fields of ``ImageEditParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``ImageOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | ImageOutput",
            self._call(
                "image.edit",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class Sora(_SyncNamespace):
    """``client.sora``: Sora 2 edit / extend / remix and characters."""

    @overload
    def generate_character_video(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2CharacterVideoGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def generate_character_video(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2CharacterVideoGenerateParams],
    ) -> VideoOutput: ...

    def generate_character_video(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2CharacterVideoGenerateParams],
    ) -> RequestHandle | VideoOutput:
        """Generate Sora 2 Character Video (``sora2.character_video.generate``; credits: dynamic).

        Generate Sora 2 Character Video (sora2.character_video.generate). Assumed: the page is missing from the docs; id, fields and output follow the naming of the Sora 2 siblings.

        Assumed operation: the docs have no page for it; its shape is assumed.

        Keyword arguments are the input fields of ``Sora2CharacterVideoGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "sora2.character_video.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def create_character(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2CharacterCreateParams],
    ) -> RequestHandle: ...

    @overload
    def create_character(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2CharacterCreateParams],
    ) -> CharacterOutput: ...

    def create_character(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2CharacterCreateParams],
    ) -> RequestHandle | CharacterOutput:
        """Create Sora 2 Character (``sora2.character.create``; credits: dynamic).

        Create Sora 2 Character (sora2.character.create). Assumed: the page is missing from the docs; id, fields and output follow the naming of the Sora 2 siblings.

        Assumed operation: the docs have no page for it; its shape is assumed.

        Keyword arguments are the input fields of ``Sora2CharacterCreateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``CharacterOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | CharacterOutput",
            self._call(
                "sora2.character.create",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def edit(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoEditParams],
    ) -> RequestHandle: ...

    @overload
    def edit(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoEditParams],
    ) -> VideoOutput: ...

    def edit(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoEditParams],
    ) -> RequestHandle | VideoOutput:
        """Edit Sora 2 Video (``sora2.video.edit``; credits: dynamic).

        Edit Sora 2 Video (sora2.video.edit). Submit an OpenAI Sora 2 edit against an existing native Sora video id.

        Keyword arguments are the input fields of ``Sora2VideoEditParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "sora2.video.edit",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def extend(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoExtendParams],
    ) -> RequestHandle: ...

    @overload
    def extend(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoExtendParams],
    ) -> VideoOutput: ...

    def extend(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoExtendParams],
    ) -> RequestHandle | VideoOutput:
        """Extend Sora 2 Video (``sora2.video.extend``; credits: dynamic).

        Extend Sora 2 Video (sora2.video.extend). Extend an existing Sora 2 video by 4, 8, 12, 16 or 20 seconds.

        Keyword arguments are the input fields of ``Sora2VideoExtendParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "sora2.video.extend",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def remix(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoRemixParams],
    ) -> RequestHandle: ...

    @overload
    def remix(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoRemixParams],
    ) -> VideoOutput: ...

    def remix(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[Sora2VideoRemixParams],
    ) -> RequestHandle | VideoOutput:
        """Remix Sora 2 Video (``sora2.video.remix``; credits: dynamic).

        Remix Sora 2 Video (sora2.video.remix). Legacy Sora 2 remix for existing integrations; new integrations should use sora2.video.edit.

        Deprecated by the API (warns ``DeprecationWarning``); use ``sora.edit``.

        Keyword arguments are the input fields of ``Sora2VideoRemixParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "sora2.video.remix",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class Prompts(_SyncNamespace):
    """``client.prompts``: Prompt enhancement (prompting; 1 credit each)."""

    @overload
    def enhance_video(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVideoParams],
    ) -> RequestHandle: ...

    @overload
    def enhance_video(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVideoParams],
    ) -> PromptOutput: ...

    def enhance_video(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVideoParams],
    ) -> RequestHandle | PromptOutput:
        """Enhance Video Prompt (``prompt.enhance.video``; credits: 1).

        Enhance Video Prompt (prompt.enhance.video). Turn a rough motion prompt into a concise, camera-aware generation prompt.

        Keyword arguments are the input fields of ``PromptEnhanceVideoParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | PromptOutput",
            self._call(
                "prompt.enhance.video",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def enhance_image(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceImageParams],
    ) -> RequestHandle: ...

    @overload
    def enhance_image(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceImageParams],
    ) -> PromptOutput: ...

    def enhance_image(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceImageParams],
    ) -> RequestHandle | PromptOutput:
        """Enhance Image Prompt (``prompt.enhance.image``; credits: 1).

        Enhance Image Prompt (prompt.enhance.image). Rewrite an image prompt into a more specific, production-ready prompt (keeps the input language).

        Keyword arguments are the input fields of ``PromptEnhanceImageParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | PromptOutput",
            self._call(
                "prompt.enhance.image",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def enhance_location(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceLocationParams],
    ) -> RequestHandle: ...

    @overload
    def enhance_location(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceLocationParams],
    ) -> PromptOutput: ...

    def enhance_location(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceLocationParams],
    ) -> RequestHandle | PromptOutput:
        """Enhance Location Prompt (``prompt.enhance.location``; credits: 1).

        Enhance Location Prompt (prompt.enhance.location). Assumed: the page is missing from the docs; id and camelCase fields follow prompt.enhance.image, output follows the other prompt operations, credits 1 by analogy.

        Assumed operation: the docs have no page for it; its shape is assumed.

        Keyword arguments are the input fields of ``PromptEnhanceLocationParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | PromptOutput",
            self._call(
                "prompt.enhance.location",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def enhance_variant(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVariantParams],
    ) -> RequestHandle: ...

    @overload
    def enhance_variant(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVariantParams],
    ) -> PromptOutput: ...

    def enhance_variant(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVariantParams],
    ) -> RequestHandle | PromptOutput:
        """Enhance Variant Prompt (``prompt.enhance.variant``; credits: 1).

        Enhance Variant Prompt (prompt.enhance.variant). Refine character variant edits, favouring in-place changes that keep continuity.

        Keyword arguments are the input fields of ``PromptEnhanceVariantParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | PromptOutput",
            self._call(
                "prompt.enhance.variant",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class Audio(_SyncNamespace):
    """``client.audio``: Music, narration and sound effects (audio)."""

    @overload
    def music(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[MusicGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def music(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[MusicGenerateParams],
    ) -> AudioOutput: ...

    def music(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[MusicGenerateParams],
    ) -> RequestHandle | AudioOutput:
        """Generate Music (``music.generate``; credits: dynamic).

        Generate Music (music.generate). Generate a music track on the audio stack.

        Keyword arguments are the input fields of ``MusicGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``AudioOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | AudioOutput",
            self._call(
                "music.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def narration(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[NarrationGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def narration(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[NarrationGenerateParams],
    ) -> AudioOutput: ...

    def narration(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[NarrationGenerateParams],
    ) -> RequestHandle | AudioOutput:
        """Generate Narration (``narration.generate``; credits: dynamic).

        Generate Narration (narration.generate). Generate hosted narration audio with the voice stack.

        Keyword arguments are the input fields of ``NarrationGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``AudioOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | AudioOutput",
            self._call(
                "narration.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def sound_effects(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SoundfxGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def sound_effects(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SoundfxGenerateParams],
    ) -> AudioOutput: ...

    def sound_effects(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SoundfxGenerateParams],
    ) -> RequestHandle | AudioOutput:
        """Generate Sound Effects (``soundfx.generate``; credits: dynamic).

        Generate Sound Effects (soundfx.generate). Generate one-off sound effects, or context-aware effects from a hosted clip.

        Keyword arguments are the input fields of ``SoundfxGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``AudioOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | AudioOutput",
            self._call(
                "soundfx.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class PostProduction(_SyncNamespace):
    """``client.post_production``: Lip sync, subtitles and smart motion (post-production)."""

    @overload
    def lipsync(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[LipsyncGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def lipsync(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[LipsyncGenerateParams],
    ) -> VideoOutput: ...

    def lipsync(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[LipsyncGenerateParams],
    ) -> RequestHandle | VideoOutput:
        """Generate Lip Sync (``lipsync.generate``; credits: dynamic).

        Generate Lip Sync (lipsync.generate). Sync hosted audio onto a hosted source video.

        Keyword arguments are the input fields of ``LipsyncGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "lipsync.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def subtitles(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SubtitlesGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def subtitles(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SubtitlesGenerateParams],
    ) -> VideoOutput: ...

    def subtitles(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SubtitlesGenerateParams],
    ) -> RequestHandle | VideoOutput:
        """Generate Subtitles (``subtitles.generate``; credits: dynamic).

        Generate Subtitles (subtitles.generate). Burn styled subtitles into a hosted video.

        Keyword arguments are the input fields of ``SubtitlesGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "subtitles.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    def smart_motion(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SmartmotionGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def smart_motion(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SmartmotionGenerateParams],
    ) -> VideoOutput: ...

    def smart_motion(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[SmartmotionGenerateParams],
    ) -> RequestHandle | VideoOutput:
        """Generate Smart Motion (``smartmotion.generate``; credits: dynamic).

        Generate Smart Motion (smartmotion.generate). Apply camera-driven smart motion to a hosted image or video.

        Keyword arguments are the input fields of ``SmartmotionGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | VideoOutput",
            self._call(
                "smartmotion.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class Locations(_SyncNamespace):
    """``client.locations``: Cannon 3D locations (generation)."""

    @overload
    def generate_3d(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ThreeDLocationGenerateParams],
    ) -> RequestHandle: ...

    @overload
    def generate_3d(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ThreeDLocationGenerateParams],
    ) -> Location3DOutput: ...

    def generate_3d(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: UpdateCallback | None = None,
        **input: Unpack[ThreeDLocationGenerateParams],
    ) -> RequestHandle | Location3DOutput:
        """Generate Cannon 3D Location (``three_d.location.generate``; credits: dynamic).

        Generate Cannon 3D Location (three_d.location.generate). Generate Cannon Studio 3D location artifacts from hosted reference images. Documented on its own page but not counted among the overview's 19 operations; output assumed (the page is cut off).

        Keyword arguments are the input fields of ``ThreeDLocationGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``Location3DOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "RequestHandle | Location3DOutput",
            self._call(
                "three_d.location.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class AsyncVideo(_AsyncNamespace):
    """``client.video``: Video generation and upscaling (generation, post-production)."""

    @overload
    async def generate(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[VideoGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def generate(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[VideoGenerateParams],
    ) -> VideoOutput: ...

    async def generate(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[VideoGenerateParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Generate Video (``video.generate``; credits: dynamic).

        Generate Video (video.generate). Generate a video with the supported video models, prompt-only or image-guided.

        Keyword arguments are the input fields of ``VideoGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "video.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def upscale(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[VideoUpscaleParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def upscale(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[VideoUpscaleParams],
    ) -> VideoOutput: ...

    async def upscale(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[VideoUpscaleParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Upscale Video (``video.upscale``; credits: dynamic).

        Upscale Video (video.upscale). Upscale a hosted video to a higher resolution.

        Keyword arguments are the input fields of ``VideoUpscaleParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "video.upscale",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class AsyncImages(_AsyncNamespace):
    """``client.images``: Image generation and editing (generation)."""

    @overload
    async def generate(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ImageGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def generate(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ImageGenerateParams],
    ) -> ImageOutput: ...

    async def generate(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ImageGenerateParams],
    ) -> AsyncRequestHandle | ImageOutput:
        """Generate Image (``image.generate``; credits: dynamic).

        Generate Image (image.generate). Generate a still image with the current image model stack, with reference support.

        Keyword arguments are the input fields of ``ImageGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``ImageOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | ImageOutput",
            await self._call(
                "image.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def edit(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ImageEditParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def edit(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ImageEditParams],
    ) -> ImageOutput: ...

    async def edit(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ImageEditParams],
    ) -> AsyncRequestHandle | ImageOutput:
        """Edit Image (``image.edit``; credits: dynamic).

        Edit Image (image.edit). Edit a hosted image with the image-edit stack.

        Keyword arguments are the input fields of ``ImageEditParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``ImageOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | ImageOutput",
            await self._call(
                "image.edit",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class AsyncSora(_AsyncNamespace):
    """``client.sora``: Sora 2 edit / extend / remix and characters."""

    @overload
    async def generate_character_video(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2CharacterVideoGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def generate_character_video(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2CharacterVideoGenerateParams],
    ) -> VideoOutput: ...

    async def generate_character_video(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2CharacterVideoGenerateParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Generate Sora 2 Character Video (``sora2.character_video.generate``; credits: dynamic).

        Generate Sora 2 Character Video (sora2.character_video.generate). Assumed: the page is missing from the docs; id, fields and output follow the naming of the Sora 2 siblings.

        Assumed operation: the docs have no page for it; its shape is assumed.

        Keyword arguments are the input fields of ``Sora2CharacterVideoGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "sora2.character_video.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def create_character(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2CharacterCreateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def create_character(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2CharacterCreateParams],
    ) -> CharacterOutput: ...

    async def create_character(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2CharacterCreateParams],
    ) -> AsyncRequestHandle | CharacterOutput:
        """Create Sora 2 Character (``sora2.character.create``; credits: dynamic).

        Create Sora 2 Character (sora2.character.create). Assumed: the page is missing from the docs; id, fields and output follow the naming of the Sora 2 siblings.

        Assumed operation: the docs have no page for it; its shape is assumed.

        Keyword arguments are the input fields of ``Sora2CharacterCreateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``CharacterOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | CharacterOutput",
            await self._call(
                "sora2.character.create",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def edit(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoEditParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def edit(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoEditParams],
    ) -> VideoOutput: ...

    async def edit(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoEditParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Edit Sora 2 Video (``sora2.video.edit``; credits: dynamic).

        Edit Sora 2 Video (sora2.video.edit). Submit an OpenAI Sora 2 edit against an existing native Sora video id.

        Keyword arguments are the input fields of ``Sora2VideoEditParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "sora2.video.edit",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def extend(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoExtendParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def extend(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoExtendParams],
    ) -> VideoOutput: ...

    async def extend(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoExtendParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Extend Sora 2 Video (``sora2.video.extend``; credits: dynamic).

        Extend Sora 2 Video (sora2.video.extend). Extend an existing Sora 2 video by 4, 8, 12, 16 or 20 seconds.

        Keyword arguments are the input fields of ``Sora2VideoExtendParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "sora2.video.extend",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def remix(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoRemixParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def remix(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoRemixParams],
    ) -> VideoOutput: ...

    async def remix(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[Sora2VideoRemixParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Remix Sora 2 Video (``sora2.video.remix``; credits: dynamic).

        Remix Sora 2 Video (sora2.video.remix). Legacy Sora 2 remix for existing integrations; new integrations should use sora2.video.edit.

        Deprecated by the API (warns ``DeprecationWarning``); use ``sora.edit``.

        Keyword arguments are the input fields of ``Sora2VideoRemixParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "sora2.video.remix",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class AsyncPrompts(_AsyncNamespace):
    """``client.prompts``: Prompt enhancement (prompting; 1 credit each)."""

    @overload
    async def enhance_video(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVideoParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def enhance_video(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVideoParams],
    ) -> PromptOutput: ...

    async def enhance_video(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVideoParams],
    ) -> AsyncRequestHandle | PromptOutput:
        """Enhance Video Prompt (``prompt.enhance.video``; credits: 1).

        Enhance Video Prompt (prompt.enhance.video). Turn a rough motion prompt into a concise, camera-aware generation prompt.

        Keyword arguments are the input fields of ``PromptEnhanceVideoParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | PromptOutput",
            await self._call(
                "prompt.enhance.video",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def enhance_image(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceImageParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def enhance_image(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceImageParams],
    ) -> PromptOutput: ...

    async def enhance_image(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceImageParams],
    ) -> AsyncRequestHandle | PromptOutput:
        """Enhance Image Prompt (``prompt.enhance.image``; credits: 1).

        Enhance Image Prompt (prompt.enhance.image). Rewrite an image prompt into a more specific, production-ready prompt (keeps the input language).

        Keyword arguments are the input fields of ``PromptEnhanceImageParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | PromptOutput",
            await self._call(
                "prompt.enhance.image",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def enhance_location(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceLocationParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def enhance_location(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceLocationParams],
    ) -> PromptOutput: ...

    async def enhance_location(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceLocationParams],
    ) -> AsyncRequestHandle | PromptOutput:
        """Enhance Location Prompt (``prompt.enhance.location``; credits: 1).

        Enhance Location Prompt (prompt.enhance.location). Assumed: the page is missing from the docs; id and camelCase fields follow prompt.enhance.image, output follows the other prompt operations, credits 1 by analogy.

        Assumed operation: the docs have no page for it; its shape is assumed.

        Keyword arguments are the input fields of ``PromptEnhanceLocationParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | PromptOutput",
            await self._call(
                "prompt.enhance.location",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def enhance_variant(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVariantParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def enhance_variant(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVariantParams],
    ) -> PromptOutput: ...

    async def enhance_variant(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[PromptEnhanceVariantParams],
    ) -> AsyncRequestHandle | PromptOutput:
        """Enhance Variant Prompt (``prompt.enhance.variant``; credits: 1).

        Enhance Variant Prompt (prompt.enhance.variant). Refine character variant edits, favouring in-place changes that keep continuity.

        Keyword arguments are the input fields of ``PromptEnhanceVariantParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``PromptOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | PromptOutput",
            await self._call(
                "prompt.enhance.variant",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class AsyncAudio(_AsyncNamespace):
    """``client.audio``: Music, narration and sound effects (audio)."""

    @overload
    async def music(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[MusicGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def music(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[MusicGenerateParams],
    ) -> AudioOutput: ...

    async def music(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[MusicGenerateParams],
    ) -> AsyncRequestHandle | AudioOutput:
        """Generate Music (``music.generate``; credits: dynamic).

        Generate Music (music.generate). Generate a music track on the audio stack.

        Keyword arguments are the input fields of ``MusicGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``AudioOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | AudioOutput",
            await self._call(
                "music.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def narration(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[NarrationGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def narration(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[NarrationGenerateParams],
    ) -> AudioOutput: ...

    async def narration(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[NarrationGenerateParams],
    ) -> AsyncRequestHandle | AudioOutput:
        """Generate Narration (``narration.generate``; credits: dynamic).

        Generate Narration (narration.generate). Generate hosted narration audio with the voice stack.

        Keyword arguments are the input fields of ``NarrationGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``AudioOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | AudioOutput",
            await self._call(
                "narration.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def sound_effects(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SoundfxGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def sound_effects(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SoundfxGenerateParams],
    ) -> AudioOutput: ...

    async def sound_effects(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SoundfxGenerateParams],
    ) -> AsyncRequestHandle | AudioOutput:
        """Generate Sound Effects (``soundfx.generate``; credits: dynamic).

        Generate Sound Effects (soundfx.generate). Generate one-off sound effects, or context-aware effects from a hosted clip.

        Keyword arguments are the input fields of ``SoundfxGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``AudioOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | AudioOutput",
            await self._call(
                "soundfx.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class AsyncPostProduction(_AsyncNamespace):
    """``client.post_production``: Lip sync, subtitles and smart motion (post-production)."""

    @overload
    async def lipsync(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[LipsyncGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def lipsync(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[LipsyncGenerateParams],
    ) -> VideoOutput: ...

    async def lipsync(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[LipsyncGenerateParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Generate Lip Sync (``lipsync.generate``; credits: dynamic).

        Generate Lip Sync (lipsync.generate). Sync hosted audio onto a hosted source video.

        Keyword arguments are the input fields of ``LipsyncGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "lipsync.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def subtitles(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SubtitlesGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def subtitles(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SubtitlesGenerateParams],
    ) -> VideoOutput: ...

    async def subtitles(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SubtitlesGenerateParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Generate Subtitles (``subtitles.generate``; credits: dynamic).

        Generate Subtitles (subtitles.generate). Burn styled subtitles into a hosted video.

        Keyword arguments are the input fields of ``SubtitlesGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "subtitles.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )

    @overload
    async def smart_motion(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SmartmotionGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def smart_motion(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SmartmotionGenerateParams],
    ) -> VideoOutput: ...

    async def smart_motion(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[SmartmotionGenerateParams],
    ) -> AsyncRequestHandle | VideoOutput:
        """Generate Smart Motion (``smartmotion.generate``; credits: dynamic).

        Generate Smart Motion (smartmotion.generate). Apply camera-driven smart motion to a hosted image or video.

        Keyword arguments are the input fields of ``SmartmotionGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``VideoOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | VideoOutput",
            await self._call(
                "smartmotion.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )


class AsyncLocations(_AsyncNamespace):
    """``client.locations``: Cannon 3D locations (generation)."""

    @overload
    async def generate_3d(
        self,
        *,
        wait: Literal[False] = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ThreeDLocationGenerateParams],
    ) -> AsyncRequestHandle: ...

    @overload
    async def generate_3d(
        self,
        *,
        wait: Literal[True],
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ThreeDLocationGenerateParams],
    ) -> Location3DOutput: ...

    async def generate_3d(
        self,
        *,
        wait: bool = False,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        on_update: AsyncUpdateCallback | None = None,
        **input: Unpack[ThreeDLocationGenerateParams],
    ) -> AsyncRequestHandle | Location3DOutput:
        """Generate Cannon 3D Location (``three_d.location.generate``; credits: dynamic).

        Generate Cannon 3D Location (three_d.location.generate). Generate Cannon Studio 3D location artifacts from hosted reference images. Documented on its own page but not counted among the overview's 19 operations; output assumed (the page is cut off).

        Keyword arguments are the input fields of ``ThreeDLocationGenerateParams`` (JSON spelling, units there),
        validated client-side before anything is sent. ``wait=True`` waits (``timeout`` in
        SECONDS) and returns the ``Location3DOutput``; otherwise the request handle is returned.

        Raises:
            InputValidationError: bad input (nothing sent); API errors after retries;
            RequestFailedError / WaitTimeoutError when ``wait=True``.
        """
        return cast(
            "AsyncRequestHandle | Location3DOutput",
            await self._call(
                "three_d.location.generate",
                input,
                wait=wait,
                webhook_url=webhook_url,
                idempotency_key=idempotency_key,
                timeout=timeout,
                on_update=on_update,
            ),
        )
