"""Credit prices the sandbox charges: one deterministic number per (operation, input, file length).

Documented: the ``prompt.enhance.*`` operations cost 1 credit. Every other operation is
"dynamic" in the docs with no formula; the docs name what drives cost (duration, resolution,
model). So every other number here is Assumed: a table (:func:`price`) that grows with the
delivered file's duration (seconds), the resolution and the model, in the range of the docs'
examples (``billableCredits`` 28 and 48; ``exact_cost_credits`` 17 for a 7.2 s 4k upscale and a
lip sync). The real formulas replace this one function.
"""

from __future__ import annotations

import math
from typing import Any

#: Assumed: no single request costs more than this many credits.
MAX_PRICE = 100_000
#: Numbers from the input are clamped to [0, this] before pricing (seconds, characters...).
_MAX_INPUT_NUMBER = 1_000_000.0


def _number(data: dict[str, Any], key: str, default: float) -> float:
    value = data.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return default
    if isinstance(value, int):
        return float(min(max(value, 0), int(_MAX_INPUT_NUMBER)))
    if math.isnan(value):
        return default
    return min(max(value, 0.0), _MAX_INPUT_NUMBER)


#: Credits per second of video, by ``resolution`` (video.generate; default 720p).
VIDEO_PER_S = {"480p": 3, "720p": 4, "1080p": 8}
#: Credits per second of Sora video (sora2.* video operations).
SORA_PER_S = 5
#: Image credits by ``resolution`` (image.generate / image.edit; default 1K).
IMAGE_CREDITS = {"1K": 6, "2K": 6, "4K": 10}
#: Multiplier per model id (the ids the docs show; any other model costs x1).
MODEL_FACTOR = {"sora-2-pro": 1.5, "gptimage2": 1.5}
#: Upscale credits per second of video, by target resolution.
UPSCALE_PER_S = {"1080p": 1.2, "2k": 1.8, "4k": 2.4}


def price(operation: str, input_: dict[str, Any], seconds: float | None = None) -> int:
    """Credits charged at creation for ``operation`` with ``input_`` (1 to ``MAX_PRICE``).

    Args:
        operation: the operation id.
        input_: the validated input object.
        seconds: length in SECONDS of the file the request produces, when the sandbox planned it
            (:mod:`.mediaspec`): the input's duration, or the source's when a media input is an
            asset of this sandbox, capped like the file. Duration-priced operations use it, so
            what is billed is what is delivered; without it the input's own fields are used.

    The docs say what drives cost (duration, resolution, model; "dynamic" for every operation
    but the ``prompt.enhance.*`` ones, which cost 1) but give no formula. Assumed table:

    - video.generate: per second 3 / 4 / 8 at 480p / 720p (default) / 1080p; default 5 s.
    - sora2.* video operations: 5 per second (default 4 s), x1.5 for ``sora-2-pro``.
    - sora2.character.create: 10.
    - image.generate / image.edit: 6 (1K, 2K) or 10 (4K), x1.5 for ``gptimage2``.
    - music.generate: 1 credit per 5 s (default 30 s), at least 4.
    - narration.generate: 1 credit per 100 characters of ``text``, at least 2.
    - soundfx.generate: 2 + 1 per 2 s (default 5 s).
    - lipsync.generate: 3 per second of the lip-synced video (default 6 s).
    - subtitles.generate: 5 flat ("feature-gate pricing" in the docs).
    - smartmotion.generate: 3 per second (default 5 s).
    - video.upscale: seconds x 1.2 / 1.8 / 2.4 for 1080p / 2k / 4k (default 4k) x
      ``upscale_factor`` / 2 when given (7.2 s at 4k = 17, the docs' exact_cost_credits).
    - three_d.location.generate: 30, or 60 when ``quality`` is not ``standard``.
    - any other operation: 10.
    - Input numbers are clamped to [0, 1e6] and the result to [1, 100000] (``MAX_PRICE``).
    """
    return min(MAX_PRICE, max(1, _price(operation, input_, seconds)))


def _seconds(input_: dict[str, Any], key: str, default: float, planned: float | None) -> float:
    return planned if planned is not None else _number(input_, key, default)


def _model(input_: dict[str, Any]) -> float:
    model = input_.get("model")
    return MODEL_FACTOR.get(model, 1.0) if isinstance(model, str) else 1.0


def _price(operation: str, input_: dict[str, Any], planned: float | None) -> int:
    if operation.startswith("prompt.enhance."):
        return 1
    if operation == "video.generate":
        per_s = VIDEO_PER_S.get(str(input_.get("resolution")), VIDEO_PER_S["720p"])
        seconds = _seconds(input_, "duration", 5, planned)
        return math.ceil(seconds * per_s * _model(input_))
    if operation == "sora2.character.create":
        return 10
    if operation.startswith("sora2."):
        seconds = _seconds(input_, "duration", 4, planned)
        return math.ceil(seconds * SORA_PER_S * _model(input_))
    if operation in ("image.generate", "image.edit"):
        base = IMAGE_CREDITS.get(str(input_.get("resolution")), IMAGE_CREDITS["1K"])
        return math.ceil(base * _model(input_))
    if operation == "music.generate":
        return max(4, math.ceil(_seconds(input_, "duration_seconds", 30, planned) / 5))
    if operation == "narration.generate":
        text = input_.get("text")
        return max(2, math.ceil(len(text) / 100)) if isinstance(text, str) else 2
    if operation == "soundfx.generate":
        return 2 + math.ceil(_seconds(input_, "duration_seconds", 5, planned) / 2)
    if operation == "lipsync.generate":
        fallback = max(_number(input_, "video_duration", 6), _number(input_, "audio_duration", 0))
        return math.ceil((planned if planned is not None else fallback) * 3)
    if operation == "subtitles.generate":
        return 5
    if operation == "smartmotion.generate":
        return math.ceil(_seconds(input_, "duration", 5, planned) * 3)
    if operation == "video.upscale":
        rate = UPSCALE_PER_S.get(str(input_.get("target_resolution", "4k")), UPSCALE_PER_S["4k"])
        factor = _number(input_, "upscale_factor", 2) / 2
        return round(_seconds(input_, "duration_seconds", 5, planned) * rate * factor)
    if operation == "three_d.location.generate":
        return 30 if input_.get("quality", "standard") == "standard" else 60
    return 10
