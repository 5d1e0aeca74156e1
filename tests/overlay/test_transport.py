"""Retries, Retry-After, idempotency keys and error mapping over httpx2.MockTransport.

Every test runs against both clients (``mode``): the retry rules live once (``RetryState``),
and these tests prove the sync and async transports apply them alike.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from cannon_studio import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BadRequestError,
    RateLimitError,
    ServerError,
)
from overlay_helpers import API_KEY, MODES, FakeClock, client_for, resolve
from overlay_mock_api import MockAPI, accepted, ok, request_object

BASE = "https://api.test"
VIDEO = {"prompt": "a lighthouse at dusk"}

pytestmark = pytest.mark.parametrize("mode", MODES)


def mock_client(mode: str, api: MockAPI, **kw: Any) -> Any:
    return client_for(mode, api_key=API_KEY, base_url=BASE, transport=api.transport(), **kw)


async def test_get_retries_503_honouring_retry_after(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add(
        "GET",
        "/api/v1/requests/req_1",
        ok({"error": "busy"}, 503, **{"Retry-After": "3"}),
        ok(request_object()),
    )
    async with mock_client(mode, api) as c:
        handle = await resolve(c.requests.retrieve("req_1"))
    assert handle.status == "queued"
    assert len(api.calls) == 2
    assert clock.sleeps == [3.0]
    assert api.calls[0].headers["x-api-key"] == API_KEY


async def test_retry_after_http_date_and_cap(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add(
        "GET",
        "/api/v1/requests/req_1",
        ok({"error": "slow down"}, 429, **{"Retry-After": "86400"}),
        ok(request_object()),
    )
    # a call's timeout is its total deadline, waits included: give it room for the capped wait
    async with mock_client(mode, api, timeout=300) as c:
        await resolve(c.requests.retrieve("req_1"))
    assert clock.sleeps == [60.0]  # capped at RETRY_AFTER_MAX_S


async def test_retry_after_past_the_call_deadline_is_not_waited_for(
    clock: FakeClock, mode: str
) -> None:
    api = MockAPI()
    api.add(
        "GET",
        "/api/v1/requests/req_1",
        ok({"error": "slow down"}, 429, **{"Retry-After": "30"}),
        ok(request_object()),
    )
    async with mock_client(mode, api, timeout=10) as c:
        with pytest.raises(RateLimitError) as info:
            await resolve(c.requests.retrieve("req_1"))
    assert clock.sleeps == [] and len(api.calls) == 1  # given up at once, not after 30 s
    assert info.value.retry_after == 30


async def test_create_retries_with_the_same_idempotency_key(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add(
        "POST",
        "/api/v1/requests",
        httpx2.ConnectError("reset"),
        ok({"error": "x"}, 502),
        ok(accepted(), 202),
    )
    async with mock_client(mode, api) as c:
        handle = await resolve(c.requests.create("video.generate", VIDEO))
    keys = [r.headers["x-idempotency-key"] for r in api.calls]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert handle.idempotency_key == keys[0]
    assert len(clock.sleeps) == 2 and clock.sleeps[0] <= 0.5 and clock.sleeps[1] <= 1.0


async def test_retry_after_then_dropped_connection_keep_the_key(
    clock: FakeClock, mode: str
) -> None:
    api = MockAPI()
    api.add(
        "POST",
        "/api/v1/requests",
        ok({"error": "busy"}, 429, **{"Retry-After": "2"}),
        httpx2.RemoteProtocolError("dropped"),
        ok(accepted(), 202),
    )
    async with mock_client(mode, api) as c:
        handle = await resolve(c.requests.create("video.generate", VIDEO))
    assert handle.id == "req_1"
    keys = {r.headers["x-idempotency-key"] for r in api.calls}
    assert len(api.calls) == 3 and len(keys) == 1
    assert clock.sleeps[0] == 2.0


async def test_caller_idempotency_key_is_used(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    async with mock_client(mode, api) as c:
        await resolve(c.requests.create("video.generate", VIDEO, idempotency_key="my-key-001"))
        await resolve(c.requests.create("video.generate", VIDEO))
        await resolve(c.requests.create("video.generate", VIDEO))
    keys = [r.headers["x-idempotency-key"] for r in api.calls]
    assert keys[0] == "my-key-001" and keys[1] != keys[2]


async def test_retries_exhausted_raise_typed_error(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", ok({"error": "down"}, 500))
    async with mock_client(mode, api, max_retries=3) as c:
        with pytest.raises(ServerError) as info:
            await resolve(c.requests.retrieve("req_1"))
    assert len(api.calls) == 4 and len(clock.sleeps) == 3
    assert info.value.status_code == 500 and info.value.message == "down"


async def test_max_retries_zero_does_not_retry(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", ok({"error": "slow"}, 429, **{"Retry-After": "1"}))
    async with mock_client(mode, api, max_retries=0) as c:
        with pytest.raises(RateLimitError) as info:
            await resolve(c.requests.retrieve("req_1"))
    assert len(api.calls) == 1 and clock.sleeps == []
    assert info.value.retry_after == 1.0


async def test_non_retryable_error_is_not_retried(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok({"error": "bad", "field": "input.prompt"}, 400))
    async with mock_client(mode, api) as c:
        with pytest.raises(BadRequestError) as info:
            await resolve(c.requests.create("video.generate", VIDEO))
    assert len(api.calls) == 1 and info.value.field == "input.prompt"


async def test_connection_and_timeout_errors_are_mapped(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/a", httpx2.ConnectError("refused"))
    api.add("GET", "/api/v1/requests/b", httpx2.ReadTimeout("slow"))
    async with mock_client(mode, api) as c:
        with pytest.raises(APIConnectionError) as conn:
            await resolve(c.requests.retrieve("a"))
        assert not isinstance(conn.value, APITimeoutError)
        with pytest.raises(APITimeoutError):
            await resolve(c.requests.retrieve("b"))
    assert len(api.calls) == 6  # 3 attempts each


async def test_non_json_error_body_is_clear(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/status", httpx2.Response(401, text="Unauthorized (plain text)"))
    api.add("GET", "/api/v1/requests/x", httpx2.Response(503, text="<html>oops</html>"))
    async with mock_client(mode, api, max_retries=1) as c:
        with pytest.raises(Exception) as info:
            await resolve(c.status())
        assert type(info.value).__name__ == "AuthenticationError"
        assert "plain text" in str(info.value)
        with pytest.raises(ServerError) as server:
            await resolve(c.requests.retrieve("x"))
        assert "oops" in str(server.value)


@pytest.mark.parametrize("status", [200, 204, 302])
async def test_undocumented_status_is_an_error_not_none(
    clock: FakeClock, mode: str, status: int
) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", httpx2.Response(status, json={"weird": True}))
    async with mock_client(mode, api) as c:
        with pytest.raises(APIResponseValidationError) as info:
            await resolve(c.requests.create("video.generate", VIDEO))
    assert info.value.status_code == status


async def test_success_body_not_matching_schema(clock: FakeClock, mode: str) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", httpx2.Response(200, text="not json"))
    async with mock_client(mode, api) as c:
        with pytest.raises(APIResponseValidationError):
            await resolve(c.requests.retrieve("req_1"))
