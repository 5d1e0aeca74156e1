"""What each asset file of a request is (kind, pixel size, aspect ratio, duration, audio track),
derived from the request's input and, when a media input is an asset URL of this sandbox, from
that source's own facts (so an upscale of a sandbox video knows the video's size).

The files stay small: every pixel size is the service's nominal size divided by :data:`SCALE`
(10), rounded so that the aspect ratio stays exact (and both sides even, as H.264 needs); videos
run at :data:`FPS` frames per second; audio is mono at :data:`AUDIO_RATE_HZ`. Durations are exact.

Assumed where the docs are silent (documented in docs/sandbox.md):

- video ``resolution`` ``480p``/``720p``/``1080p`` is the short side in pixels (default
  ``720p``); ``aspect_ratio`` default ``16:9``; ``video.generate`` ``duration`` default 5 s, the
  Sora operations 4 s; ``sora2.video.extend`` lasts ``source_duration`` + ``duration``.
- image ``resolution`` ``1K``/``2K``/``4K`` is the long side (1024/2048/4096 px); without it,
  ``quality`` ``low``/``medium``/``high`` picks 1K/2K/4K, else 1K. GPT Image 2 caps square
  images below 4K (documented) and its edits default to the largest legal size (documented).
- audio tracks: ``video.generate`` has one when ``audio_url`` is given; lip sync, the Sora
  operations and the sound-effects preview always have one; subtitles and upscales keep the
  source's; smart motion has none.
- ``video.upscale``: ``upscale_factor`` multiplies the source's size; else ``target_resolution``
  (``1080p``/``2k``/``4k`` = 1080/1440/2160 px short side) sets it; else 2x. A source the sandbox
  did not make is taken to be 720p 16:9 lasting ``duration_seconds`` (default 5 s).
- narration lasts its word count / (2.5 words per second x ``speed``), at least 1 s; music
  ``duration_seconds`` (default 30 s); sound effects ``duration_seconds`` (default: the source
  video's length, else 5 s).
- subtitles span the source video (its length, else the input ``duration``, default 6 s).
- no file is longer than :data:`MAX_SECONDS` or wider than :data:`MAX_SIDE` px (hostile input).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Nominal pixel sizes are divided by this factor (files stay small; the aspect stays exact).
SCALE = 10
#: Frames per second of every video file.
FPS = 4
#: Sample rate of every audio stream (mono), in Hz.
AUDIO_RATE_HZ = 8000
#: Longest file, in seconds.
MAX_SECONDS = 300.0
#: Widest file side, in pixels (after scaling).
MAX_SIDE = 2048

VIDEO_LINES = {"480p": 480, "720p": 720, "1080p": 1080}
UPSCALE_LINES = {"1080p": 1080, "2k": 1440, "4k": 2160}
IMAGE_LONG_SIDE = {"1K": 1024, "2K": 2048, "4K": 4096}
QUALITY_RESOLUTION = {"low": "1K", "medium": "2K", "high": "4K"}
DEFAULT_ASPECT = "16:9"
NARRATION_WORDS_PER_S = 2.5


@dataclass(frozen=True)
class AssetSpec:
    """One asset file. Sizes in pixels of the (scaled) file; ``duration_s`` in SECONDS.

    Attributes:
        name: file name (``video.mp4``...); its extension decides the container.
        kind: ``image``, ``video``, ``audio``, ``subtitles`` or ``model``.
        width, height: pixel size (images and videos; 0 otherwise).
        aspect_ratio: ``"W:H"`` label of images and videos (exact: width/height == W/H).
        duration_s: length of videos, audio and subtitles.
        audio: a video has an audio track.
        text: caption drawn into images and written into subtitles.
    """

    name: str
    kind: str
    width: int = 0
    height: int = 0
    aspect_ratio: str | None = None
    duration_s: float = 0.0
    audio: bool = False
    text: str = ""


#: Finds the spec of a media input URL that this sandbox produced (``None`` otherwise).
Lookup = Callable[[object], AssetSpec | None]


def _ratio(aspect: str) -> tuple[int, int]:
    a, _, b = aspect.partition(":")
    w, h = int(a), int(b)
    g = math.gcd(w, h)
    return w // g, h // g


def _aspect(value: object, default: str = DEFAULT_ASPECT) -> str:
    """A valid ``"W:H"`` label from ``value`` (else ``default``)."""
    if isinstance(value, str):
        a, sep, b = value.partition(":")
        if sep and a.isdigit() and b.isdigit() and 0 < int(a) <= 64 and 0 < int(b) <= 64:
            return value
    return default


def video_size(aspect: str, lines: int) -> tuple[int, int]:
    """Scaled size of a video: short side ~ ``lines``/SCALE, exact aspect, both sides even."""
    w, h = _ratio(aspect)
    k = max(2, 2 * round(lines / SCALE / min(w, h) / 2))
    while max(w, h) * k > MAX_SIDE and k > 2:
        k -= 2
    return w * k, h * k


def image_size(aspect: str, long_side: int) -> tuple[int, int]:
    """Scaled size of an image: long side ~ ``long_side``/SCALE, exact aspect."""
    w, h = _ratio(aspect)
    k = max(1, round(long_side / SCALE / max(w, h)))
    return w * k, h * k


def seconds(value: object, default: float) -> float:
    """A duration in SECONDS from an input number (> 0, finite), capped at MAX_SECONDS."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number) and number > 0:
            return min(number, MAX_SECONDS)
    return min(default, MAX_SECONDS)


def _text(input_: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = input_.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "Cannon Studio sandbox"


def _video(name: str, aspect: str, size: tuple[int, int], secs: float, audio: bool) -> AssetSpec:
    return AssetSpec(name, "video", size[0], size[1], aspect, secs, audio)


def _aspect_of(src: AssetSpec | None) -> str:
    return src.aspect_ratio if src is not None and src.aspect_ratio else DEFAULT_ASPECT


def _source(lookup: Lookup, url: object, kinds: tuple[str, ...]) -> AssetSpec | None:
    spec = lookup(url)
    return spec if spec is not None and spec.kind in kinds else None


def _image_spec(name: str, aspect: str, resolution: str, text: str) -> AssetSpec:
    long_side = IMAGE_LONG_SIDE.get(resolution, IMAGE_LONG_SIDE["1K"])
    w, h = image_size(aspect, long_side)
    return AssetSpec(name, "image", w, h, aspect, text=text)


def _image_resolution(input_: dict[str, Any], aspect: str, largest_default: bool) -> str:
    gpt = input_.get("model") == "gptimage2"
    resolution = input_.get("resolution")
    if resolution not in IMAGE_LONG_SIDE:
        quality = input_.get("quality")
        if isinstance(quality, str) and quality in QUALITY_RESOLUTION:
            resolution = QUALITY_RESOLUTION[quality]
        else:
            resolution = "4K" if gpt and largest_default else "1K"
    if gpt and aspect == "1:1" and resolution == "4K":
        resolution = "2K"  # documented: GPT Image 2 caps square outputs below 4K
    return str(resolution)


def plan(operation: str, input_: dict[str, Any], lookup: Lookup) -> list[AssetSpec]:
    """The asset files of a request, in the order of the operation's asset names."""
    text = _text(input_, "prompt", "text", "description", "name")
    if operation == "image.generate":
        aspect = _aspect(input_.get("aspect_ratio"))
        resolution = _image_resolution(input_, aspect, largest_default=False)
        spec = _image_spec("image.png", aspect, resolution, text)
        return [spec, _image_spec("provider-image.png", aspect, resolution, text)]
    if operation == "image.edit":
        src = _source(lookup, input_.get("image_url"), ("image",))
        given = input_.get("aspect_ratio")
        aspect = _aspect(given, _aspect_of(src))
        keeps_size = given is None and input_.get("resolution") is None
        if src is not None and keeps_size and input_.get("model") != "gptimage2":
            # an edit keeps the source's size unless a size is asked for
            return [AssetSpec("edited.png", "image", src.width, src.height, aspect, text=text)]
        return [_image_spec("edited.png", aspect, _image_resolution(input_, aspect, True), text)]
    if operation in ("sora2.character.create", "three_d.location.generate"):
        preview = _image_spec("", DEFAULT_ASPECT, "1K", text)
        if operation == "sora2.character.create":
            return [_renamed(preview, "character-preview.png")]
        return [AssetSpec("location.glb", "model"), _renamed(preview, "location-preview.png")]
    if operation == "music.generate":
        return [
            AssetSpec("track.mp3", "audio", duration_s=seconds(input_.get("duration_seconds"), 30))
        ]
    if operation == "narration.generate":
        speed = seconds(input_.get("speed"), 1.0)
        speed = min(max(speed, 0.25), 4.0)
        words = len(text.split()) if isinstance(input_.get("text"), str) else 0
        secs = max(1.0, round(words / (NARRATION_WORDS_PER_S * speed), 1))
        return [AssetSpec("narration.mp3", "audio", duration_s=min(secs, MAX_SECONDS))]
    if operation == "soundfx.generate":
        src = _source(lookup, input_.get("video_url"), ("video",))
        secs = seconds(input_.get("duration_seconds"), src.duration_s if src else 5.0)
        aspect = _aspect_of(src)
        size = (src.width, src.height) if src else video_size(aspect, VIDEO_LINES["720p"])
        return [
            AssetSpec("sfx.mp3", "audio", duration_s=secs),
            _video("sfx-preview.mp4", aspect, size, secs, True),
        ]
    if operation == "lipsync.generate":
        vsrc = _source(lookup, input_.get("video_url"), ("video",))
        asrc = _source(lookup, input_.get("audio_url"), ("audio", "video"))
        audio_secs = asrc.duration_s if asrc else seconds(input_.get("audio_duration"), 0.0) or None
        secs = vsrc.duration_s if vsrc else seconds(input_.get("video_duration"), audio_secs or 6.0)
        aspect = _aspect_of(vsrc)
        size = (vsrc.width, vsrc.height) if vsrc else video_size(aspect, VIDEO_LINES["720p"])
        return [
            _video("lipsync.mp4", aspect, size, secs, True),
            AssetSpec("dialogue.mp3", "audio", duration_s=audio_secs or secs),
        ]
    if operation == "subtitles.generate":
        src = _source(lookup, input_.get("video_url"), ("video",))
        secs = src.duration_s if src else seconds(input_.get("duration"), 6.0)
        aspect = _aspect_of(src)
        size = (src.width, src.height) if src else video_size(aspect, VIDEO_LINES["720p"])
        return [
            _video("subtitled.mp4", aspect, size, secs, src.audio if src else False),
            AssetSpec("subtitled.srt", "subtitles", duration_s=secs, text=text),
        ]
    if operation == "video.upscale":
        return [_upscale(input_, lookup)]
    if operation == "smartmotion.generate":
        src = _source(lookup, input_.get("file_url"), ("image", "video"))
        aspect = _aspect_of(src)
        size = video_size(aspect, VIDEO_LINES["720p"])
        return [
            _video("smart-motion.mp4", aspect, size, seconds(input_.get("duration"), 5.0), False)
        ]
    if operation in _VIDEO_NAMES:
        sora = operation.startswith("sora2.")
        aspect = _aspect(input_.get("aspect_ratio"))
        lines = VIDEO_LINES.get(str(input_.get("resolution")), VIDEO_LINES["720p"])
        secs = seconds(input_.get("duration"), 4.0 if sora else 5.0)
        if operation == "sora2.video.extend":
            secs = min(MAX_SECONDS, secs + seconds(input_.get("source_duration"), 0.0))
        audio = sora or isinstance(input_.get("audio_url"), str)
        return [_video(_VIDEO_NAMES[operation], aspect, video_size(aspect, lines), secs, audio)]
    return []


_VIDEO_NAMES = {
    "video.generate": "video.mp4",
    "sora2.character_video.generate": "character-video.mp4",
    "sora2.video.edit": "sora-edit.mp4",
    "sora2.video.extend": "sora-extension.mp4",
    "sora2.video.remix": "sora-remix.mp4",
}


def _renamed(spec: AssetSpec, name: str) -> AssetSpec:
    return AssetSpec(name, spec.kind, spec.width, spec.height, spec.aspect_ratio, text=spec.text)


def _upscale(input_: dict[str, Any], lookup: Lookup) -> AssetSpec:
    src = _source(lookup, input_.get("video_url"), ("video",))
    aspect = _aspect_of(src)
    base = (src.width, src.height) if src else video_size(aspect, VIDEO_LINES["720p"])
    secs = src.duration_s if src else seconds(input_.get("duration_seconds"), 5.0)
    audio = src.audio if src else False
    factor = input_.get("upscale_factor")
    target = input_.get("target_resolution")
    if factor in (1, 2, 4) and not isinstance(factor, bool):
        scale = int(factor)
    elif isinstance(target, str) and target in UPSCALE_LINES:
        return _video(
            "upscaled.mp4", aspect, video_size(aspect, UPSCALE_LINES[target]), secs, audio
        )
    else:
        scale = 2
    while max(base) * scale > MAX_SIDE and scale > 1:
        scale //= 2
    return _video("upscaled.mp4", aspect, (base[0] * scale, base[1] * scale), secs, audio)
