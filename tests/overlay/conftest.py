"""Fixtures of the overlay tests: a fake clock for sleeps, clients against the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from cannon_studio import Cannon, _clock
from overlay_helpers import FakeClock, client_for


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(_clock, "sleep", fake.sleep)
    monkeypatch.setattr(_clock, "async_sleep", fake.async_sleep)
    monkeypatch.setattr(_clock, "monotonic", fake.monotonic)
    return fake


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record sleeps without sleeping, keep the real clock (for real sandbox timing)."""
    slept: list[float] = []

    def fake(seconds: float) -> None:
        slept.append(seconds)

    async def afake(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(_clock, "sleep", fake)
    monkeypatch.setattr(_clock, "async_sleep", afake)
    return slept


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CANNON_API_KEY", "CANNON_BASE_URL", "CANNON_WEBHOOK_SECRET", "CANNON_LOG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def client(cannon_sandbox: Any) -> Iterator[Cannon]:
    """A sync client against the session sandbox server (instant mode, reset per test)."""
    with Cannon(
        api_key=cannon_sandbox.api_key,
        base_url=cannon_sandbox.base_url,
        webhook_secret=cannon_sandbox.webhook_secret,
    ) as c:
        yield c


@pytest.fixture
async def sandbox_client(mode: str, cannon_sandbox: Any) -> AsyncIterator[Any]:
    """A ``Cannon`` or ``AsyncCannon`` (the test's ``mode``) against the session sandbox server
    (instant mode, reset per test), closed after the test."""
    async with client_for(
        mode,
        api_key=cannon_sandbox.api_key,
        base_url=cannon_sandbox.base_url,
        webhook_secret=cannon_sandbox.webhook_secret,
    ) as c:
        yield c
