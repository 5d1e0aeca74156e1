"""A stand-in for redis-py's ``Redis.set(name, value, nx=, ex=)``, for the docs' dedupe example.

The example shows a store backed by Redis; the suite runs it without a Redis server, so a block
that imports ``redis`` finds this module first on its path. Only what the example calls exists:
``set`` with ``nx`` (set only if absent) and ``ex`` (expiry in seconds), atomic in one process.
"""

from __future__ import annotations

import threading
import time


class Redis:
    """In-memory keys with expiry; ``set(..., nx=True)`` returns ``None`` when the key exists."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._values: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def set(
        self, name: str, value: bytes, *, nx: bool = False, ex: int | None = None
    ) -> bool | None:
        now = time.monotonic()
        with self._lock:
            held = self._values.get(name)
            if nx and held is not None and held[1] > now:
                return None
            self._values[name] = (value, now + ex if ex is not None else float("inf"))
            return True
