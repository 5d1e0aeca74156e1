"""Parsing of the response headers the client acts on (pure; bottom floor, no package imports).

``parse_retry_after`` follows openai-python's ``_parse_retry_after_header``: ``retry-after-ms``
first, then ``Retry-After`` as seconds, then as an HTTP date (RFC 9110 section 10.2.3).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping

__all__ = ["parse_retry_after"]


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` (seconds or HTTP date) (pure).

    Args:
        headers: response headers (case-insensitive mapping such as ``httpx2.Headers``).
        now: current Unix time in seconds for HTTP dates (default ``time.time()``).

    Returns:
        A non-negative number of SECONDS, or ``None`` when absent or unparseable.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000.0
        except ValueError:
            value = -1.0
        if value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:  # pragma: no cover - older Pythons
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
        return max(0.0, seconds)
    if seconds != seconds or seconds < 0:  # NaN or negative
        return None
    return seconds
