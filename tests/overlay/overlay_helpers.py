"""Shared helpers of the overlay tests (imported by name; tests/ has no packages)."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from cannon_studio import AsyncCannon, Cannon

API_KEY = "cs_test_overlay_unit_key_0123456789"
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@dataclass
class FakeClock:
    """Replaces ``_clock.sleep``/``async_sleep``/``monotonic``: sleeping advances time."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def monotonic(self) -> float:
        return self.now


MODES = ("sync", "async")
"""The two clients a mirror test runs with (``@pytest.mark.parametrize("mode", MODES)``)."""


async def resolve(value: Any) -> Any:
    """``value`` itself, or its result when it is awaitable: one test body drives both clients."""
    return await value if inspect.isawaitable(value) else value


@contextlib.asynccontextmanager
async def client_for(mode: str, **kwargs: Any) -> AsyncIterator[Any]:
    """A ``Cannon`` (``mode="sync"``) or ``AsyncCannon`` built with ``kwargs``, closed after."""
    if mode == "sync":
        with Cannon(**kwargs) as client:
            yield client
    else:
        async with AsyncCannon(**kwargs) as client:
            yield client
