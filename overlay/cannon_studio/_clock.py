"""The clock seam: every sleep and every deadline of the client goes through this module.

``sleep`` (blocking), ``async_sleep`` and ``monotonic`` are module attributes read at call time
(``_clock.sleep(seconds)``), so a test replaces them in ONE place and every wait, poll and retry
backoff of the package follows: ``monkeypatch.setattr(cannon_studio._clock, "sleep", fake)``.
Units: seconds everywhere. Nothing here imports from the rest of the package (bottom floor).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

__all__ = ["async_sleep", "monotonic", "sleep"]

sleep: Callable[[float], None] = time.sleep
"""Blocking sleep (SECONDS) used for every sync wait, poll and retry backoff. Tests replace it."""


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # deferred: a sync program never loads asyncio

    await asyncio.sleep(seconds)


async_sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep
"""Async sleep (SECONDS) used for every async wait, poll and retry backoff. Tests replace it."""

monotonic: Callable[[], float] = time.monotonic
"""Clock (SECONDS) for wait deadlines and poll schedules. Tests replace it with the sleeps."""
