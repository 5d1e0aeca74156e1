"""Red team, long jobs and odd numbers: every delay is bounded, every numeric setting checked."""

from __future__ import annotations

import math
from typing import Any

import httpx2
import pytest
from cannon_studio import (
    Cannon,
    ConfigurationError,
    ServerError,
    WaitTimeoutError,
    _clock,
    _handles,
)
from redteam_support import API_KEY, record

AREA = "arithmetic"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        assert math.isfinite(seconds) and seconds >= 0, seconds
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(_clock, "sleep", fake.sleep)
    monkeypatch.setattr(_clock, "async_sleep", fake.async_sleep)
    monkeypatch.setattr(_clock, "monotonic", fake.monotonic)
    return fake


def _obj(status: str) -> dict[str, Any]:
    return {"id": "req_1", "operation": "video.generate", "status": status, "createdAtMs": 1}


def _api(polls_until_done: int, poll_after_ms: object = 2000) -> httpx2.MockTransport:
    state = {"gets": 0}

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            body = {
                "id": "req_1",
                "status": "queued",
                "operation": "video.generate",
                "poll_after_ms": poll_after_ms,
                "urls": {"get": "https://api.test/api/v1/requests/req_1"},
            }
            return httpx2.Response(202, json=body)
        state["gets"] += 1
        done = state["gets"] >= polls_until_done
        return httpx2.Response(200, json=_obj("succeeded" if done else "processing"))

    return httpx2.MockTransport(handler)


def test_wait_survives_thousands_of_polls(clock: Clock) -> None:
    # 0.5 * 1.5**n overflowed a float after ~1,750 polls (~2.2 h of waiting).
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=_api(2500)) as c:
        handle = c.requests.create("video.generate", {"prompt": "long job"})
        handle.wait(max_wait=10**6)
    held = handle.status == "succeeded" and max(clock.sleeps) <= 5.0
    assert record(AREA, held)


def test_retry_backoff_survives_a_thousand_attempts(clock: Clock) -> None:
    transport = httpx2.MockTransport(lambda r: httpx2.Response(503, json={"error": "down"}))
    with (
        Cannon(
            api_key=API_KEY, base_url="https://api.test", transport=transport, max_retries=1100
        ) as c,
        pytest.raises(ServerError),
    ):
        c.status()
    assert record(AREA, len(clock.sleeps) == 1100 and max(clock.sleeps) <= 8.0)


@pytest.mark.parametrize("hint", [1e11, "2000", None, True, -5, 1e308, [1]])
def test_server_poll_hints_of_any_shape_are_safe(clock: Clock, hint: object) -> None:
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=_api(1, hint)) as c:
        handle = c.requests.create("video.generate", {"prompt": "x"})
        handle.wait(max_wait=3600)
    held = handle.status == "succeeded" and 0 <= clock.sleeps[0] <= 600
    assert record(AREA, held), clock.sleeps


@pytest.mark.parametrize("max_wait", [math.nan, -1, math.inf, "10", True])
def test_wait_timeout_is_validated(clock: Clock, max_wait: object) -> None:
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=_api(10**9)) as c:
        handle = c.requests.create("video.generate", {"prompt": "x"})
        with pytest.raises(ConfigurationError, match="max_wait"):
            handle.wait(max_wait=max_wait)  # type: ignore[arg-type]
        with pytest.raises(ConfigurationError):
            list(c.requests.as_completed([handle], max_wait=max_wait))  # type: ignore[arg-type]
    assert record(AREA, True)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": math.nan},
        {"timeout": -1},
        {"timeout": math.inf},
        {"timeout": "60"},
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"webhook_tolerance": math.nan},
        {"webhook_tolerance": 0},
        {"webhook_tolerance": math.inf},
        {"webhook_tolerance": "300"},
    ],
)
def test_numeric_configuration_is_validated(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        Cannon(api_key=API_KEY, base_url="https://api.test", **kwargs)
    assert record(AREA, True)


def test_wait_timeout_zero_polls_once(clock: Clock) -> None:
    transport = _api(1)
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=transport) as c:
        done = c.requests.create("video.generate", {"prompt": "x"}).wait(max_wait=0)
    gets: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        gets.append(1)
        return httpx2.Response(200, json=_obj("processing"))

    with Cannon(
        api_key=API_KEY, base_url="https://api.test", transport=httpx2.MockTransport(handler)
    ) as c:
        with pytest.raises(WaitTimeoutError):
            c.requests.retrieve("req_1").wait(max_wait=0)
        pending = _handles.RequestHandle(c._core, request_id="req_1")
        with pytest.raises(WaitTimeoutError):
            pending.wait(max_wait=0)
    # retrieve: 1 GET; each wait(max_wait=0): exactly 1 more before WaitTimeoutError.
    assert record(AREA, done.status == "succeeded" and len(gets) == 3)
