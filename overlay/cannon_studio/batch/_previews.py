"""Preview images of a batch's media for the HTML report: a video's poster frame, an audio
waveform. Both need PyAV (the ``[report]`` extra); without it ``previews_note()`` says so in one
sentence and the page shows the players without them.

Previews are cached: each is a file named by a hash of the source file's resolved path, size
and modification time, so writing the page again (the live view rewrites it on every change)
decodes only the media that is new.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import importlib.util
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = [
    "POSTER_WIDTH",
    "PreviewCache",
    "previews_note",
]

POSTER_WIDTH = 320
"""Width of a poster frame in PIXELS (never wider than the video itself)."""

WAVEFORM_BARS = 96
"""Bars of a waveform image."""

_WAVE_RATE = 4000
"""Samples per SECOND the audio is reduced to before its peaks are taken."""

_MAX_DECODE_S = 600.0
"""Audio beyond this many SECONDS is left out of the waveform (bounded work per file)."""

PYAV_MISSING = (
    "Poster frames and waveforms need PyAV, which is not installed: "
    "pip install 'cannon-studio[report]'."
)


def previews_note() -> str | None:
    """One sentence when poster frames and waveforms cannot be made (PyAV missing), else None."""
    return None if importlib.util.find_spec("av") is not None else PYAV_MISSING


def _key(source: Path, kind: str) -> str:
    stat = source.stat()
    text = f"{kind}|{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _poster_jpeg(source: Path) -> bytes | None:
    """The first video frame of ``source`` as JPEG bytes (at most ``POSTER_WIDTH`` wide)."""
    import av  # the [report] extra

    with av.open(str(source)) as container:
        if not container.streams.video:
            return None
        frame = next(container.decode(video=0), None)
    if frame is None:
        return None
    width = min(POSTER_WIDTH, frame.width) // 2 * 2
    height = max(2, round(frame.height * width / frame.width / 2) * 2)
    encoder: Any = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = width, height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    small = frame.reformat(width=width, height=height, format="yuvj420p")
    packets = [*encoder.encode(small), *encoder.encode(None)]
    data = b"".join(bytes(packet) for packet in packets)
    return data or None


def _peaks(source: Path, bars: int) -> list[float] | None:
    """``bars`` peak levels (0..1) of ``source``'s first audio stream, or None without audio."""
    import av  # the [report] extra

    samples = array.array("h")
    limit = int(_WAVE_RATE * _MAX_DECODE_S)
    with av.open(str(source)) as container:
        if not container.streams.audio:
            return None
        resampler = av.AudioResampler(format="s16", layout="mono", rate=_WAVE_RATE)
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
            if len(samples) >= limit:
                break
    if not samples:
        return None
    step = max(1, len(samples) // bars)
    peaks = [
        max((abs(v) for v in samples[i * step : (i + 1) * step]), default=0) for i in range(bars)
    ]
    top = max(peaks) or 1
    return [p / top for p in peaks]


def _waveform_svg(peaks: list[float]) -> bytes:
    """A small SVG of vertical bars, one per peak (no script, no external reference)."""
    width, height = len(peaks) * 3, 40
    bars = "".join(
        f'<rect x="{i * 3}" y="{(height - h) / 2:.1f}" width="2" height="{h:.1f}"/>'
        for i, h in enumerate(max(1.0, p * height) for p in peaks)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><g fill="#4a7bd0">{bars}</g></svg>'
    ).encode()


class PreviewCache:
    """Poster frames and waveforms of media files, made once and kept in ``directory``.

    Args:
        directory: where the preview files go (created on first use).
        enabled: False to make none (the page then shows players without previews).

    A file that cannot be decoded gets no preview (``None``), never an error: the page is still
    written, and that card shows its player and link only.
    """

    def __init__(self, directory: Path, *, enabled: bool = True) -> None:
        self.directory = directory
        self.enabled = enabled and previews_note() is None
        self.failures: list[str] = []

    def _get(self, source: Path, kind: str, suffix: str) -> Path | None:
        if not self.enabled or not source.is_file():
            return None
        target = self.directory / f"{_key(source, kind)}.{suffix}"
        if target.is_file():
            return target
        try:
            if kind == "poster":
                data = _poster_jpeg(source)
            else:
                peaks = _peaks(source, WAVEFORM_BARS)
                data = None if peaks is None else _waveform_svg(peaks)
        except Exception as exc:  # any decoder error: no preview for this file
            self.failures.append(f"{source.name}: {type(exc).__name__}")
            return None
        if data is None:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            _write_atomic(target, data)
            return target
        return None

    def poster(self, source: Path) -> Path | None:
        """The poster frame (JPEG) of a video file, or None."""
        return self._get(source, "poster", "jpg")

    def waveform(self, source: Path) -> Path | None:
        """The waveform image (SVG) of an audio file, or None."""
        return self._get(source, "waveform", "svg")
