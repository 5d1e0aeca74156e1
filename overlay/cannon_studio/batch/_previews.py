"""Preview images of a batch's media for the HTML report: a video's poster frame, an audio
waveform. Both need PyAV (the ``[report]`` extra); without it ``previews_note()`` says so in one
sentence and the page shows the players without them.

Previews are cached: each is a file named by a hash of the source file's resolved path, size
and modification time, so writing the page again (the live view rewrites it on every change)
decodes only the media that is new.

Many previews are made in threads: PyAV releases the GIL while it opens, demuxes, decodes and
encodes, and threads start in microseconds, share the imported decoder and need no pickling or
importable ``__main__`` (a pool of processes needs all three). Every FFmpeg context here runs
single-threaded (decoder, scaler, encoder): for one small frame a pool of FFmpeg threads costs
more to start and to synchronise than the frame costs to decode.
"""

from __future__ import annotations

import array
import hashlib
import importlib.util
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
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

_WAVE_RATE = 2000
"""Samples per SECOND (at least) kept of the first channel before its peaks are taken."""

_SAMPLE_TYPES = {"s16": "h", "s32": "i", "flt": "f", "dbl": "d", "u8": "B"}
"""``array`` type codes of FFmpeg's sample formats (packed, or planar with a ``p`` suffix)."""

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
    text = f"{kind}|{os.path.abspath(source)}|{stat.st_size}|{stat.st_mtime_ns}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _write_atomic(path: str, data: bytes) -> None:
    """``data`` into ``path`` under a temporary name first (a reader never sees half a file);
    plain ``os`` calls, as this runs once per preview."""
    directory, name = os.path.split(path)
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _poster_jpeg(source: Path) -> bytes | None:
    """The first video frame of ``source`` as JPEG bytes (at most ``POSTER_WIDTH`` wide)."""
    import av  # the [report] extra

    with av.open(str(source)) as container:
        if not container.streams.video:
            return None
        stream = container.streams.video[0]
        stream.codec_context.thread_count = 1
        frame = next(container.decode(stream), None)
    if frame is None:
        return None
    width = min(POSTER_WIDTH, frame.width) // 2 * 2
    height = max(2, round(frame.height * width / frame.width / 2) * 2)
    encoder: Any = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = width, height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    encoder.thread_count = 1
    small = frame.reformat(width=width, height=height, format="yuvj420p", threads=1)
    packets = [*encoder.encode(small), *encoder.encode(None)]
    data = b"".join(bytes(packet) for packet in packets)
    return data or None


def _first_channel(frame: Any) -> array.array[Any] | None:
    """The first channel of an audio ``frame``, kept to about ``_WAVE_RATE`` samples per
    second (every n-th sample: peaks need no filter), or None for a sample format it does not
    know."""
    name = frame.format.name
    code = _SAMPLE_TYPES.get(name.removesuffix("p"))
    if code is None:
        return None
    channels = 1 if frame.format.is_planar else frame.layout.nb_channels
    step = max(1, frame.sample_rate // _WAVE_RATE) * channels
    samples = array.array(code, bytes(frame.planes[0]))[: frame.samples * channels : step]
    if code == "B":  # unsigned 8-bit: silence is 128
        return array.array("h", [value - 128 for value in samples])
    return samples


def _peaks(source: Path, bars: int) -> list[float] | None:
    """``bars`` peak levels (0..1) of ``source``'s first audio stream, or None without audio."""
    import av  # the [report] extra

    samples: array.array[Any] | None = None
    with av.open(str(source)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        stream.codec_context.thread_count = 1
        seconds = 0.0
        for frame in container.decode(stream):
            channel = _first_channel(frame)
            if channel is None:
                raise ValueError(f"unknown sample format {frame.format.name}")
            if samples is None:
                samples = channel
            elif samples.typecode == channel.typecode:
                samples.extend(channel)
            else:  # the sample format changed mid-stream
                samples = array.array("d", [*samples, *channel])
            seconds += frame.samples / (frame.sample_rate or 1)
            if seconds >= _MAX_DECODE_S:
                break
    if not samples:
        return None
    step = max(1, len(samples) // bars)
    peaks = []
    for i in range(bars):
        part = samples[i * step : (i + 1) * step]
        peaks.append(max(max(part), -min(part)) if part else 0)
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


_SUFFIX = {"poster": "jpg", "waveform": "svg"}

PARALLEL_FROM = 16
"""With at least this many previews to make, they are made in threads (one per CPU, at most
``MAX_WORKERS``); fewer are made one after another."""

MAX_WORKERS = 8


def _make(kind: str, source: str, target: str) -> str | None:
    """Make one preview file; return why it could not be made (``""``: the file has no such
    stream, nothing to show), or None when it was made. Runs in worker threads too."""
    try:
        if kind == "poster":
            data = _poster_jpeg(Path(source))
        else:
            peaks = _peaks(Path(source), WAVEFORM_BARS)
            data = None if peaks is None else _waveform_svg(peaks)
    except Exception as exc:  # any decoder error: no preview for this file
        return f"{Path(source).name}: {type(exc).__name__}"
    if data is None:
        return ""
    try:
        _write_atomic(target, data)
    except OSError as exc:
        return f"{Path(source).name}: {exc.strerror or type(exc).__name__}"
    return None


class PreviewCache:
    """Poster frames and waveforms of media files, made once and kept in ``directory``.

    Args:
        directory: where the preview files go (created on first use).
        enabled: False to make none (the page then shows players without previews).
        workers: threads for a large ``prepare`` (default: the CPU count, at most 8).

    A file that cannot be decoded gets no preview (``None``) and is named in ``failures``, never
    an error: the page is still written, and that card shows its player and link only.
    """

    def __init__(
        self, directory: Path, *, enabled: bool = True, workers: int | None = None
    ) -> None:
        self.directory = directory
        self.enabled = enabled and previews_note() is None
        self.workers = workers or min(MAX_WORKERS, os.cpu_count() or 1)
        self.failures: list[str] = []
        self._done: dict[tuple[str, Path], Path | None] = {}

    def _target(self, kind: str, source: Path) -> Path | None:
        try:
            return self.directory / f"{_key(source, kind)}.{_SUFFIX[kind]}"
        except OSError:  # gone, or unreadable
            return None

    def prepare(self, items: Iterable[tuple[str, Path]]) -> None:
        """Make the missing previews of ``items`` (``("poster" | "waveform", media file)``) at
        once, in threads when there are many; later ``poster``/``waveform`` calls then find
        them."""
        if not self.enabled:
            return
        wanted = [item for item in dict.fromkeys(items) if item not in self._done]
        existing: set[str] | None = None
        if len(wanted) >= PARALLEL_FROM:  # one listing instead of a stat per preview
            try:
                existing = set(os.listdir(self.directory))
            except OSError:
                existing = set()
        todo: list[tuple[str, Path, Path]] = []
        for kind, source in wanted:
            target = self._target(kind, source)
            if target is None or (
                target.name in existing if existing is not None else target.is_file()
            ):
                self._done[kind, source] = target
            else:
                todo.append((kind, source, target))
        if not todo:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.failures += [f"{source.name}: {reason}" for _, source, _ in todo]
            self._done.update(((kind, source), None) for kind, source, _ in todo)
            return
        jobs = [(kind, str(source), str(target)) for kind, source, target in todo]
        if len(jobs) >= PARALLEL_FROM and self.workers > 1:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="preview") as pool:
                results = list(pool.map(_make, *zip(*jobs, strict=True)))
        else:
            results = [_make(*job) for job in jobs]
        for (kind, source, target), problem in zip(todo, results, strict=True):
            self._done[kind, source] = target if problem is None else None
            if problem:
                self.failures.append(problem)

    def _get(self, kind: str, source: Path) -> Path | None:
        if not self.enabled:
            return None
        if (kind, source) not in self._done:
            self.prepare([(kind, source)])
        return self._done.get((kind, source))

    def poster(self, source: Path) -> Path | None:
        """The poster frame (JPEG) of a video file, or None."""
        return self._get("poster", source)

    def waveform(self, source: Path) -> Path | None:
        """The waveform image (SVG) of an audio file, or None."""
        return self._get("waveform", source)
