"""Retries, Retry-After, idempotency keys and error mapping over httpx2.MockTransport."""

from __future__ import annotations

import httpx2
import pytest
from cannon_studio import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncCannon,
    BadRequestError,
    Cannon,
    RateLimitError,
    ServerError,
)
from overlay_helpers import API_KEY, FakeClock
from overlay_mock_api import MockAPI, accepted, ok, request_object

BASE = "https://api.test"
VIDEO = {"prompt": "a lighthouse at dusk"}


def sync_client(api: MockAPI, **kw: object) -> Cannon:
    return Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport(), **kw)  # type: ignore[arg-type]


def async_client(api: MockAPI, **kw: object) -> AsyncCannon:
    return AsyncCannon(api_key=API_KEY, base_url=BASE, transport=api.transport(), **kw)  # type: ignore[arg-type]


def test_get_retries_503_honouring_retry_after(clock: FakeClock) -> None:
    api = MockAPI()
    api.add(
        "GET",
        "/api/v1/requests/req_1",
        ok({"error": "busy"}, 503, **{"Retry-After": "3"}),
        ok(request_object()),
    )
    with sync_client(api) as c:
        handle = c.requests.retrieve("req_1")
    assert handle.status == "queued"
    assert len(api.calls) == 2
    assert clock.sleeps == [3.0]
    assert api.calls[0].headers["x-api-key"] == API_KEY


def test_retry_after_http_date_and_cap(clock: FakeClock) -> None:
    api = MockAPI()
    api.add(
        "GET",
        "/api/v1/requests/req_1",
        ok({"error": "slow down"}, 429, **{"Retry-After": "86400"}),
        ok(request_object()),
    )
    with sync_client(api) as c:
        c.requests.retrieve("req_1")
    assert clock.sleeps == [60.0]  # capped at RETRY_AFTER_MAX_S


def test_create_retries_with_the_same_idempotency_key(clock: FakeClock) -> None:
    api = MockAPI()
    api.add(
        "POST",
        "/api/v1/requests",
        httpx2.ConnectError("reset"),
        ok({"error": "x"}, 502),
        ok(accepted(), 202),
    )
    with sync_client(api) as c:
        handle = c.requests.create("video.generate", VIDEO)
    keys = [r.headers["x-idempotency-key"] for r in api.calls]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert handle.idempotency_key == keys[0]
    assert len(clock.sleeps) == 2 and clock.sleeps[0] <= 0.5 and clock.sleeps[1] <= 1.0


def test_caller_idempotency_key_is_used(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    with sync_client(api) as c:
        c.requests.create("video.generate", VIDEO, idempotency_key="my-key-001")
        c.requests.create("video.generate", VIDEO)
        c.requests.create("video.generate", VIDEO)
    keys = [r.headers["x-idempotency-key"] for r in api.calls]
    assert keys[0] == "my-key-001" and keys[1] != keys[2]


def test_retries_exhausted_raise_typed_error(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", ok({"error": "down"}, 500))
    with sync_client(api, max_retries=3) as c, pytest.raises(ServerError) as info:
        c.requests.retrieve("req_1")
    assert len(api.calls) == 4 and len(clock.sleeps) == 3
    assert info.value.status_code == 500 and info.value.message == "down"


def test_max_retries_zero_does_not_retry(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", ok({"error": "slow"}, 429, **{"Retry-After": "1"}))
    with sync_client(api, max_retries=0) as c, pytest.raises(RateLimitError) as info:
        c.requests.retrieve("req_1")
    assert len(api.calls) == 1 and clock.sleeps == []
    assert info.value.retry_after == 1.0


def test_non_retryable_error_is_not_retried(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok({"error": "bad", "field": "input.prompt"}, 400))
    with sync_client(api) as c, pytest.raises(BadRequestError) as info:
        c.requests.create("video.generate", VIDEO)
    assert len(api.calls) == 1 and info.value.field == "input.prompt"


def test_connection_and_timeout_errors_are_mapped(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/a", httpx2.ConnectError("refused"))
    api.add("GET", "/api/v1/requests/b", httpx2.ReadTimeout("slow"))
    with sync_client(api) as c:
        with pytest.raises(APIConnectionError) as conn:
            c.requests.retrieve("a")
        assert not isinstance(conn.value, APITimeoutError)
        with pytest.raises(APITimeoutError):
            c.requests.retrieve("b")
    assert len(api.calls) == 6  # 3 attempts each


def test_non_json_error_body_is_clear(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/status", httpx2.Response(401, text="Unauthorized (plain text)"))
    with sync_client(api) as c, pytest.raises(Exception) as info:
        c.status()
    assert type(info.value).__name__ == "AuthenticationError"
    assert "plain text" in str(info.value)


@pytest.mark.parametrize("status", [200, 204, 302])
def test_undocumented_status_is_an_error_not_none(clock: FakeClock, status: int) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", httpx2.Response(status, json={"weird": True}))
    with sync_client(api) as c, pytest.raises(APIResponseValidationError) as info:
        c.requests.create("video.generate", VIDEO)
    assert info.value.status_code == status


def test_success_body_not_matching_schema(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", httpx2.Response(200, text="not json"))
    with sync_client(api) as c, pytest.raises(APIResponseValidationError):
        c.requests.retrieve("req_1")


async def test_async_retries_same_key_and_retry_after(clock: FakeClock) -> None:
    api = MockAPI()
    api.add(
        "POST",
        "/api/v1/requests",
        ok({"error": "busy"}, 429, **{"Retry-After": "2"}),
        httpx2.RemoteProtocolError("dropped"),
        ok(accepted(), 202),
    )
    async with async_client(api) as c:
        handle = await c.requests.create("video.generate", VIDEO)
    assert handle.id == "req_1"
    keys = {r.headers["x-idempotency-key"] for r in api.calls}
    assert len(api.calls) == 3 and len(keys) == 1
    assert clock.sleeps[0] == 2.0


async def test_async_errors_are_mapped(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/x", httpx2.Response(503, text="<html>oops</html>"))
    api.add("GET", "/api/v1/requests/t", httpx2.ConnectTimeout("t"))
    async with async_client(api, max_retries=1) as c:
        with pytest.raises(ServerError) as info:
            await c.requests.retrieve("x")
        assert "oops" in str(info.value)
        with pytest.raises(APITimeoutError):
            await c.requests.retrieve("t")
