"""SubRip subtitles whose cues span the source video's duration."""

from __future__ import annotations

from .text import wrap

MAX_CUES = 20


def srt(text: str, seconds: float) -> bytes:
    """``text`` split into cues of up to 42 characters, evenly over ``seconds``: the first cue
    starts at 0 and the last ends at ``seconds``."""
    lines = wrap(text, 42)[:MAX_CUES] or ["(no dialogue)"]
    step = seconds / len(lines)
    blocks = []
    for i, line in enumerate(lines):
        start, end = i * step, seconds if i == len(lines) - 1 else (i + 1) * step
        blocks.append(f"{i + 1}\n{_srt_time(start)} --> {_srt_time(end)}\n{line}\n")
    return "\n".join(blocks).encode("utf-8")


def _srt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"
