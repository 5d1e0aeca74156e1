"""Credit prices the sandbox charges, one deterministic number per (operation, input).

Documented: the ``prompt.enhance.*`` operations cost 1 credit. Every other operation is
"dynamic" in the docs with no formula, so every other number here is Assumed: a simple,
deterministic price that grows with duration (seconds), resolution or quality, in the range of
the docs' examples (``billableCredits`` 28 and 48; ``exact_cost_credits`` 17 for a 7.2 s 4k
upscale and a lip sync).
"""

from __future__ import annotations

import math
from typing import Any

_UPSCALE_RATE = {"1080p": 1.2, "2k": 1.8, "4k": 2.4}
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


def price(operation: str, input_: dict[str, Any]) -> int:
    """Credits charged at creation for ``operation`` with ``input_`` (1 to ``MAX_PRICE``).

    Assumed (except prompt.enhance.*, documented as 1):
    - video.generate: 4 credits per second of ``duration`` (default 5 s), doubled at 1080p.
    - sora2.* video operations: 5 credits per second of ``duration`` (default 4 s), x1.5 for sora-2-pro.
    - sora2.character.create: 10.
    - image.generate / image.edit: 6, or 10 at resolution 4K.
    - music.generate: 1 credit per 5 s of ``duration_seconds`` (default 30 s), minimum 4.
    - narration.generate: 1 credit per 100 characters of ``text``, minimum 2.
    - soundfx.generate: 2 + 1 per 2 s of ``duration_seconds`` (default 5 s).
    - lipsync.generate: 3 credits per second of the longer of video/audio duration (default 6 s).
    - subtitles.generate: 5 flat ("feature-gate pricing" in the docs).
    - smartmotion.generate: 3 credits per second of ``duration`` (default 5 s).
    - video.upscale: ``duration_seconds`` (default 5 s) x 1.2 / 1.8 / 2.4 for 1080p / 2k / 4k
      (7.2 s at 4k = 17, the docs' exact_cost_credits), x ``upscale_factor`` / 2 when given.
    - three_d.location.generate: 30, or 60 when ``quality`` is not ``standard``.
    - any other operation: 10.
    - Input numbers are clamped to [0, 1e6] and the result to [1, 100000] (``MAX_PRICE``).
    """
    return min(MAX_PRICE, max(1, _price(operation, input_)))


def _price(operation: str, input_: dict[str, Any]) -> int:
    if operation.startswith("prompt.enhance."):
        return 1
    if operation == "video.generate":
        per_s = 8 if input_.get("resolution") == "1080p" else 4
        return max(1, math.ceil(_number(input_, "duration", 5) * per_s))
    if operation == "sora2.character.create":
        return 10
    if operation.startswith("sora2."):
        factor = 1.5 if input_.get("model") == "sora-2-pro" else 1.0
        return max(1, math.ceil(_number(input_, "duration", 4) * 5 * factor))
    if operation in ("image.generate", "image.edit"):
        return 10 if input_.get("resolution") == "4K" else 6
    if operation == "music.generate":
        return max(4, math.ceil(_number(input_, "duration_seconds", 30) / 5))
    if operation == "narration.generate":
        text = input_.get("text")
        return max(2, math.ceil(len(text) / 100)) if isinstance(text, str) else 2
    if operation == "soundfx.generate":
        return 2 + math.ceil(_number(input_, "duration_seconds", 5) / 2)
    if operation == "lipsync.generate":
        seconds = max(_number(input_, "video_duration", 6), _number(input_, "audio_duration", 0))
        return max(1, math.ceil(seconds * 3))
    if operation == "subtitles.generate":
        return 5
    if operation == "smartmotion.generate":
        return max(1, math.ceil(_number(input_, "duration", 5) * 3))
    if operation == "video.upscale":
        rate = _UPSCALE_RATE.get(str(input_.get("target_resolution", "4k")), 2.4)
        factor = _number(input_, "upscale_factor", 2) / 2
        return max(1, round(_number(input_, "duration_seconds", 5) * rate * factor))
    if operation == "three_d.location.generate":
        return 30 if input_.get("quality", "standard") == "standard" else 60
    return 10
