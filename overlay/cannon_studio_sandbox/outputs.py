"""Per-operation output objects, shaped like the docs' "Success output" examples.

Sources: fact sheet section 6 (operation pages) plus the full video.generate and image.generate
outputs of the stored operation pages. Asset URLs point at the sandbox (``/assets/...``), not at
``storage.googleapis.com``. Outputs of the three undocumented operations are Assumed (they follow
the schema's CharacterOutput / VideoOutput / Location3DOutput).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .mediaspec import AssetSpec

#: Model reported by the prompt operations (documented: ``gpt-5-mini``).
PROMPT_MODEL = "gpt-5-mini"
#: Longest enhanced prompt, so it can be fed forward into a prompt field (maxLength 4000).
MAX_PROMPT_CHARS = 4000


@dataclass(frozen=True)
class OperationProfile:
    """Static facts about one operation's output.

    Attributes:
        task_prefix: prefix of ``task_id`` (e.g. ``vid`` -> ``vid_3f2a...``).
        provider: provider reported in the output (docs example value).
        model: model reported when the input gives none (docs example value).
        assets: asset file names the output links to (extension decides the media type).
    """

    task_prefix: str
    provider: str | None
    model: str
    assets: tuple[str, ...]


PROFILES: dict[str, OperationProfile] = {
    "video.generate": OperationProfile("vid", "seedance", "seedance2", ("video.mp4",)),
    "image.generate": OperationProfile(
        "img", "cannon", "seedream45", ("image.png", "provider-image.png")
    ),
    "image.edit": OperationProfile(
        "imgedit", "kie", "seedream/5-lite-image-to-image", ("edited.png",)
    ),
    "sora2.character_video.generate": OperationProfile(
        "video", "sora2", "sora2", ("character-video.mp4",)
    ),
    "sora2.character.create": OperationProfile(
        "char", "sora2", "sora2", ("character-preview.png",)
    ),
    "prompt.enhance.video": OperationProfile("pe", "openai", PROMPT_MODEL, ()),
    "prompt.enhance.image": OperationProfile("pe", "openai", PROMPT_MODEL, ()),
    "prompt.enhance.location": OperationProfile("pe", "openai", PROMPT_MODEL, ()),
    "prompt.enhance.variant": OperationProfile("pe", "openai", PROMPT_MODEL, ()),
    "music.generate": OperationProfile("mus", "kie", "V5", ("track.mp3",)),
    "narration.generate": OperationProfile("nar", "elevenlabs", "narration", ("narration.mp3",)),
    "soundfx.generate": OperationProfile(
        "sfx", "replicate", "soundfx", ("sfx.mp3", "sfx-preview.mp4")
    ),
    "lipsync.generate": OperationProfile(
        "lip", "wavespeed", "lipsync", ("lipsync.mp4", "dialogue.mp3")
    ),
    "subtitles.generate": OperationProfile(
        "sub", None, "subtitles", ("subtitled.mp4", "subtitled.srt")
    ),
    "smartmotion.generate": OperationProfile("sm", "kling", "smart_motion", ("smart-motion.mp4",)),
    "video.upscale": OperationProfile("up", "wavespeed", "video_upscale", ("upscaled.mp4",)),
    "sora2.video.edit": OperationProfile("video", "sora2", "sora2", ("sora-edit.mp4",)),
    "sora2.video.extend": OperationProfile("video", "sora2", "sora2", ("sora-extension.mp4",)),
    "sora2.video.remix": OperationProfile("video", "sora2", "sora2", ("sora-remix.mp4",)),
    "three_d.location.generate": OperationProfile(
        "loc3d", "cannon", "cannon_3d_location", ("location.glb", "location-preview.png")
    ),
}

_FALLBACK = OperationProfile("task", "cannon", "sandbox", ())


def profile(operation: str) -> OperationProfile:
    """The profile of ``operation`` (a generic one for operations the sandbox does not know)."""
    return PROFILES.get(operation, _FALLBACK)


def task_id(operation: str, request_id: str) -> str:
    """Deterministic downstream task id, e.g. ``vid_1a2b3c4d5e6f``."""
    digest = hashlib.sha256(request_id.encode()).hexdigest()[:12]
    return f"{profile(operation).task_prefix}_{digest}"


def _text(input_: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = input_.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def input_preview(input_: dict[str, Any], limit: int = 200) -> str | None:
    """Short text preview of an input: its prompt-like field (the docs show the prompt)."""
    text = _text(input_, "prompt", "text", "description", "name", "video_url", "file_url")
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _clip(base: str, tail: str) -> str:
    room = MAX_PROMPT_CHARS - len(tail)
    return (base[:room] if len(base) > room else base) + tail


def enhance_prompt(operation: str, input_: dict[str, Any]) -> str:
    """Deterministic, plausible rewrite of the input prompt (no model runs in the sandbox).

    The rewrite keeps the prompt's language and content and appends style and camera cues, so a
    pipeline can feed it into the next operation. At most 4000 characters (the prompt maxLength).
    """
    prompt = (_text(input_, "prompt") or "").rstrip(" .")
    style = _text(input_, "visualStyle")
    rewrite = _text(input_, "rewriteRequest")
    aspect = _text(input_, "aspectRatio")
    cues: list[str] = []
    if style:
        cues.append(style.rstrip(" ."))
    if operation == "prompt.enhance.video":
        duration = input_.get("duration")
        cues.append("smooth motivated camera motion, clear subject direction")
        if isinstance(duration, int):
            cues.append(f"paced for a {duration}-second shot")
        cues.append("grounded realism, cinematic pacing")
    elif operation == "prompt.enhance.image":
        cues.append(
            "precise composition, controlled contrast, crisp detail, production-ready key art"
        )
    elif operation == "prompt.enhance.location":
        cues.append(
            "establishing view of the location, readable layout, consistent lighting across angles"
        )
    elif operation == "prompt.enhance.variant":
        cues.append("preserve framing and character identity, change only the requested details")
    else:
        cues.append("clear, specific, production-ready")
    if aspect:
        cues.append(f"{aspect} framing")
    if rewrite:
        cues.append(rewrite.rstrip(" .").lower())
    return _clip(prompt, ", " + ", ".join(cues) + ".")


def in_flight_output(operation: str, request_id: str, input_: dict[str, Any]) -> dict[str, Any]:
    """Task metadata while ``processing`` (lifecycle page: task_id, status, provider, model)."""
    prof = profile(operation)
    out: dict[str, Any] = {"task_id": task_id(operation, request_id), "status": "processing"}
    if prof.provider:
        out["provider"] = prof.provider
    out["model"] = _requested_model(operation, input_) or prof.model
    return out


def failed_output(operation: str, request_id: str, input_: dict[str, Any]) -> dict[str, Any]:
    """Task metadata of a failed request (Assumed: downstream status ``failed``)."""
    out = in_flight_output(operation, request_id, input_)
    out["status"] = "failed"
    return out


def _requested_model(operation: str, input_: dict[str, Any]) -> str | None:
    if operation in ("video.generate", "music.generate") or operation.startswith("sora2."):
        return _text(input_, "model")
    return None


def _number(value: float) -> int | float:
    """Seconds as JSON: an integer when whole (``5``), else rounded to milliseconds."""
    return int(value) if float(value).is_integer() else round(value, 3)


def final_output(
    operation: str,
    request_id: str,
    input_: dict[str, Any],
    credits: int,
    asset_url: Callable[[str], str],
    specs: dict[str, AssetSpec] | None = None,
) -> dict[str, Any]:
    """The success output of ``operation``, with asset URLs built by ``asset_url(name)``.

    ``specs`` (asset name -> :class:`~.mediaspec.AssetSpec`) supplies the metadata fields that
    describe the files: every video output's ``duration`` (seconds) and ``aspect_ratio``, and
    the image outputs' ``aspect_ratio``, so they always match what the files hold.
    """
    out = _final_output(operation, request_id, input_, credits, asset_url)
    first = next(iter((specs or {}).values()), None)
    if first is not None and out.get("asset_type") == "video" and first.kind == "video":
        out["duration"] = _number(first.duration_s)
        out["aspect_ratio"] = first.aspect_ratio
    elif first is not None and out.get("asset_type") == "image" and first.kind == "image":
        out["aspect_ratio"] = first.aspect_ratio
    return out


def _final_output(
    operation: str,
    request_id: str,
    input_: dict[str, Any],
    credits: int,
    asset_url: Callable[[str], str],
) -> dict[str, Any]:
    prof = profile(operation)
    tid = task_id(operation, request_id)
    urls = [asset_url(name) for name in prof.assets]
    model = _requested_model(operation, input_) or prof.model
    if operation.startswith("prompt.enhance."):
        return {
            "enhancedPrompt": enhance_prompt(operation, input_),
            "model": PROMPT_MODEL,
            "operation": operation,
        }
    out: dict[str, Any]
    if operation == "video.generate":
        out = {"task_id": tid, "asset_type": "video", "status": "succeeded", "video_url": urls[0]}
        out.update(provider=prof.provider, model=model)
        return out
    if operation == "image.generate":
        out = {
            "task_id": tid,
            "asset_type": "image",
            "status": "succeeded",
            "image_url": urls[0],
            "image_urls": [urls[0]],
            "provider_image_urls": [urls[1]],
            "provider_image_count": 1,
            "provider": prof.provider,
            "model": prof.model,
        }
        if _text(input_, "model"):
            out["requested_model"] = input_["model"]
        return out
    if operation == "image.edit":
        out = {"task_id": tid, "asset_type": "image", "status": "succeeded", "image_url": urls[0]}
        out.update(provider=prof.provider, model=prof.model)
        if _text(input_, "model"):
            out["requested_model"] = input_["model"]
        return out
    if operation == "sora2.character.create":
        return {
            "task_id": tid,
            "asset_type": "character",
            "status": "succeeded",
            "character_id": "char_" + tid.split("_", 1)[1],
            "name": input_.get("name", "character"),
            "preview_image_url": urls[0],
            "provider": prof.provider,
            "model": model,
        }
    if operation == "music.generate":
        return {
            "task_id": tid,
            "asset_type": "audio",
            "status": "succeeded",
            "audio_url": urls[0],
            "requested_provider": input_.get("provider", "kie"),
            "provider": prof.provider,
            "model": model,
            "title": input_.get("title", "Untitled track"),
        }
    if operation == "narration.generate":
        # The docs' narration output has no task_id.
        out = {"asset_type": "audio", "status": "succeeded", "audio_url": urls[0]}
        out.update(provider=prof.provider, model=prof.model)
        return out
    if operation == "soundfx.generate":
        out = {"task_id": tid, "asset_type": "audio", "status": "succeeded", "audio_url": urls[0]}
        if "video_url" in input_:
            out["sfx_video_url"] = urls[1]
        out.update(provider=prof.provider, model=prof.model)
        out["mode"] = input_.get("mode", "video_context" if "video_url" in input_ else "prompt")
        return out
    if operation == "lipsync.generate":
        return {
            "task_id": tid,
            "asset_type": "video",
            "status": "succeeded",
            "video_url": urls[0],
            # The docs echo the input audio_url; the sandbox hosts its own copy instead so that
            # every URL in an output is served by the sandbox (no traffic off the machine).
            "audio_url": urls[1],
            "provider": prof.provider,
            "model": prof.model,
            "exact_cost_credits": credits,
        }
    if operation == "subtitles.generate":
        # The docs' subtitles output has no provider. ``subtitles_url`` (the SRT sidecar) is a
        # sandbox addition (Assumed): the documented output shows only the burned-in video.
        return {
            "task_id": tid,
            "asset_type": "video",
            "status": "succeeded",
            "video_url": urls[0],
            "model": prof.model,
            "subtitles_url": urls[1],
        }
    if operation == "video.upscale":
        return {
            "task_id": tid,
            "asset_type": "video",
            "status": "succeeded",
            "video_url": urls[0],
            "provider": prof.provider,
            "model": prof.model,
            "requested_model": input_.get("model", "wavespeed"),
            "exact_cost_credits": credits,
        }
    if operation == "three_d.location.generate":
        return {
            "task_id": tid,
            "asset_type": "3d",
            "status": "succeeded",
            "model_url": urls[0],
            "preview_image_url": urls[1],
            "location_id": input_.get("location_id", "loc_" + tid.split("_", 1)[1]),
            "provider": prof.provider,
            "model": prof.model,
        }
    if prof.assets and prof.assets[0].endswith(".mp4"):
        # smartmotion, sora2.video.*, sora2.character_video.generate
        out = {"task_id": tid, "asset_type": "video", "status": "succeeded", "video_url": urls[0]}
        out.update(provider=prof.provider, model=model)
        return out
    return {"task_id": tid, "status": "succeeded", "provider": prof.provider, "model": prof.model}


def asset_names(operation: str) -> tuple[str, ...]:
    """Asset file names hosted for a request of ``operation`` (the SRT sidecar included)."""
    return profile(operation).assets


def output_preview(output: dict[str, Any]) -> str | None:
    """``"Asset ready: <url>"`` for media outputs (docs), the enhanced prompt for prompt outputs."""
    if "enhancedPrompt" in output:
        text = str(output["enhancedPrompt"])
        return text if len(text) <= 200 else text[:199] + "\u2026"
    for key in ("video_url", "image_url", "audio_url", "model_url", "preview_image_url"):
        if isinstance(output.get(key), str):
            return f"Asset ready: {output[key]}"
    return None
