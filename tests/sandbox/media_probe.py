"""Open an asset with a real decoder (Pillow, PyAV, pygltflib, a SubRip parser) and report what
it holds: size, duration, frame rate, audio stream, cues."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from fractions import Fraction

import av
import pygltflib  # type: ignore[import-untyped]
from PIL import Image

CUE = re.compile(r"(\d+)\n(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n(.+)\n")


@dataclass
class Facts:
    """What a decoder found in one file. Durations in SECONDS."""

    kind: str
    width: int = 0
    height: int = 0
    duration_s: float = 0.0
    fps: float = 0.0
    audio: bool = False
    audio_codec: str | None = None
    audio_duration_s: float = 0.0
    cues: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def aspect(self) -> Fraction:
        return Fraction(self.width, self.height)

    @property
    def frame_s(self) -> float:
        """Length of one video frame."""
        return 1 / self.fps


def aspect_of(label: str) -> Fraction:
    """``"16:9"`` -> Fraction(16, 9)."""
    w, h = label.split(":")
    return Fraction(int(w), int(h))


def _audio(data: bytes) -> tuple[str, float]:
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(audio=0))
        return stream.codec_context.name, samples / stream.codec_context.sample_rate


def _seconds(parts: tuple[str, ...]) -> float:
    h, m, s, ms = (int(p) for p in parts)
    return h * 3600 + m * 60 + s + ms / 1000


def probe(content_type: str, data: bytes) -> Facts:
    """Decode ``data`` (served as ``content_type``) completely and report its facts."""
    if content_type == "image/png":
        image = Image.open(io.BytesIO(data))
        image.load()
        assert image.format == "PNG"
        return Facts("png", image.width, image.height)
    if content_type == "audio/mpeg":
        codec, seconds = _audio(data)
        assert codec.startswith("mp3")
        return Facts(
            "mp3", duration_s=seconds, audio=True, audio_codec=codec, audio_duration_s=seconds
        )
    if content_type == "video/mp4":
        with av.open(io.BytesIO(data), mode="r") as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name == "h264"
            fps = float(stream.average_rate or 0)
            frames = list(container.decode(video=0))
            has_audio = bool(container.streams.audio)
        facts = Facts("mp4", frames[0].width, frames[0].height, len(frames) / fps, fps, has_audio)
        if has_audio:
            facts.audio_codec, facts.audio_duration_s = _audio(data)
        return facts
    if content_type == "application/x-subrip":
        cues = [
            (_seconds(m[1:5]), _seconds(m[5:9]), m[9]) for m in CUE.findall(data.decode("utf-8"))
        ]
        assert cues and data.decode().startswith("1\n")
        return Facts("srt", duration_s=cues[-1][1], cues=cues)
    if content_type == "model/gltf-binary":
        gltf = pygltflib.GLTF2.load_from_bytes(data)
        assert gltf.meshes and gltf.accessors[1].count == 8 and len(gltf.binary_blob()) > 0
        return Facts("glb")
    raise AssertionError(f"unexpected content type {content_type}")
