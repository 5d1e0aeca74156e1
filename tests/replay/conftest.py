"""Fixtures of the replay tests: cassettes in record_mode="none", no sleeping, no network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from cannon_studio.transports import httpx2_transport
from replay_support import REPLAY_API_KEY, NetworkBlockedError, Replay

from scripts import record_cassettes as rc


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any real connect or name lookup for the duration of the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NetworkBlockedError(f"network access in a replay test: {args[1:] or args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Replace the overlay's sleeps (sync and async) by no-ops; return the requested delays (s)."""
    import cannon_studio._clock as clock_module

    delays: list[float] = []

    def fake_sleep(seconds: float) -> None:
        delays.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(clock_module, "sleep", fake_sleep)
    monkeypatch.setattr(clock_module, "async_sleep", fake_async_sleep)
    return delays


@pytest.fixture
def replay(no_network: None, sleeps: list[float]) -> Replay:
    """``with replay("status") as cassette:`` plays tests/cassettes/status.yaml (record_mode none).

    On leaving the block, every recorded interaction must have been played, exactly once.
    """
    recorder = rc.make_vcr("none")

    @contextmanager
    def use(name: str) -> Iterator[Any]:
        path = rc.CASSETTE_DIR / f"{name}.yaml"
        assert path.is_file(), f"missing cassette {path}; run make record"
        with recorder.use_cassette(path.name) as cassette:
            yield cassette
            assert cassette.all_played, f"{name}: {cassette.play_count}/{len(cassette)} played"

    return use


@pytest.fixture
def client() -> Iterator[Any]:
    from cannon_studio import Cannon

    with Cannon(api_key=REPLAY_API_KEY, base_url=rc.PLACEHOLDER_BASE_URL) as c:
        yield c


@pytest.fixture
async def async_client() -> Any:
    from cannon_studio import AsyncCannon

    # vcrpy patches httpx2's transports, not the aiohttp one (the default with the extra).
    async with AsyncCannon(
        api_key=REPLAY_API_KEY, base_url=rc.PLACEHOLDER_BASE_URL, transport=httpx2_transport()
    ) as c:
        yield c
