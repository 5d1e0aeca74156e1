"""Optional per-key rate limit: a token bucket per API key, on the sandbox clock.

Assumed (the docs say nothing about rate limits): a limit of N requests per second per API key
over ``/api/v1/status``, ``/api/v1/requests`` and ``/api/v1/requests/{id}`` (the schema and the
signed asset URLs are not limited), with a burst of N. A call over the limit gets ``429`` with
the error envelope (code ``rate_limited``) and ``Retry-After`` in whole seconds (at least 1), as
the schema's 429 response says. Nothing is validated, created or charged on a 429.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any


def parse_rate(text: str) -> float:
    """``"5/s"``, ``"5"`` or ``"0.5/s"`` -> requests per SECOND (> 0).

    Raises:
        ValueError: not a positive number, optionally followed by ``/s``.
    """
    value = text.strip().lower()
    value = value[: -len("/s")] if value.endswith("/s") else value
    try:
        rate = float(value)
    except ValueError:
        raise ValueError(f"rate limit must look like 'N/s' (e.g. 5/s), got {text!r}") from None
    if not (rate > 0 and math.isfinite(rate)):
        raise ValueError(f"rate limit must be a positive number per second, got {text!r}")
    return rate


class RateLimiter:
    """Token buckets keyed by API key.

    Args:
        clock_ms: the sandbox clock (epoch MILLISECONDS).
    """

    def __init__(self, clock_ms: Callable[[], int]) -> None:
        self._clock_ms = clock_ms
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Refill every bucket and forget the rejection log."""
        with self._lock:
            self._buckets: dict[str, tuple[float, int]] = {}  # key -> (tokens, at_ms)
            self._log: list[dict[str, Any]] = []

    def check(self, key: str, account: str, rate_per_s: float | None, path: str) -> int | None:
        """Take one token for ``key``; ``None`` when allowed, else ``Retry-After`` in SECONDS.

        ``rate_per_s`` ``None`` means unlimited. A rejection is logged (account, path, at_ms,
        retry_after_s), never the key itself.
        """
        if rate_per_s is None:
            return None
        now = self._clock_ms()
        with self._lock:
            tokens, at = self._buckets.get(key, (rate_per_s, now))
            tokens = min(rate_per_s, tokens + max(0, now - at) / 1000 * rate_per_s)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            wait_s = max(1, math.ceil((1 - tokens) / rate_per_s))
            self._log.append(
                {"account": account, "path": path, "at_ms": now, "retry_after_s": wait_s}
            )
            return wait_s

    def log(self) -> list[dict[str, Any]]:
        """One entry per rejected call: account, path, at_ms, retry_after_s."""
        with self._lock:
            return [dict(e) for e in self._log]
