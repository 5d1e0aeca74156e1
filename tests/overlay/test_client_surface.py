"""The openai-style client surface: with_options, per-call options, raw responses, one meaning
per word, transport kinds, typed download errors, key encoding. Sync and async.

The timeout tests use a loopback server that delays the calls marked ``x-test-delay: 1`` by
1.5 s: a call given ``timeout=0.5`` must fail with ``APITimeoutError`` and the same call
without the override (or the original client after a ``with_options`` copy) must succeed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from cannon_studio import (
    APIResponse,
    APITimeoutError,
    AsyncCannon,
    Cannon,
    ConfigurationError,
    NotFoundError,
    RequestNotSucceededError,
)
from cannon_studio._constants import DEFAULT_TIMEOUT_S
from loopback_servers import SlowAPI
from overlay_helpers import API_KEY, MODES, FakeClock, client_for, resolve
from overlay_mock_api import MockAPI, accepted, ok, request_object

PROMPT = {"prompt": "a lighthouse at dusk"}
DELAY = {"x-test-delay": "1"}
SHORT = 0.5  # seconds: room for an undelayed loopback call on a loaded machine
SERVER_DELAY_S = 1.5  # how long the server delays marked calls: well past SHORT


def _is_empty(directory: Any) -> bool:
    return list(directory.iterdir()) == []


@pytest.fixture
def slow() -> Iterator[SlowAPI]:
    with SlowAPI(delay_s=SERVER_DELAY_S) as api:
        yield api


# --------------------------------------------------------------------------- with_options / timeouts
def test_per_call_timeout_applies_to_that_call_only(slow: SlowAPI) -> None:
    with Cannon(api_key=API_KEY, base_url=slow.base_url, max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            client.requests.create("video.generate", PROMPT, timeout=SHORT, extra_headers=DELAY)
        # the same delayed call without the override: the client's 60 s applies again
        handle = client.requests.create("video.generate", PROMPT, extra_headers=DELAY)
        assert handle.id == "req_slow"
        with pytest.raises(APITimeoutError):
            client.status(timeout=SHORT, extra_headers=DELAY)
        assert client.status(extra_headers=DELAY).ok is True
        with pytest.raises(APITimeoutError):
            client.requests.retrieve("req_a", timeout=SHORT, extra_headers=DELAY)
        assert client.requests.retrieve("req_a", extra_headers=DELAY).status == "succeeded"
    assert client.timeout.read == DEFAULT_TIMEOUT_S


def test_with_options_copy_shares_the_pool_and_leaves_the_original(slow: SlowAPI) -> None:
    with Cannon(api_key=API_KEY, base_url=slow.base_url, max_retries=0) as client:
        quick = client.with_options(timeout=SHORT, max_retries=1, default_headers=DELAY)
        assert (quick.max_retries, quick.timeout.read) == (1, SHORT)
        assert (client.max_retries, client.timeout.read) == (0, DEFAULT_TIMEOUT_S)
        assert client.status().ok and quick.requests.retrieve("req_b", timeout=5).id == "req_b"
        # one keep-alive connection served the original and the copy: the pool is shared
        assert len(slow.connections) == 1
        assert slow.headers[-1].get("x-test-delay") == "1"  # the copy's default header
        with pytest.raises(APITimeoutError):
            quick.status()
        assert client.status(extra_headers=DELAY).ok  # the original keeps its timeout
        quick.close()  # a copy never closes the shared pool
        assert client.status().ok
        assert client.copy(max_retries=3).max_retries == 3


async def test_async_per_call_timeout_and_with_options(slow: SlowAPI) -> None:
    async with AsyncCannon(api_key=API_KEY, base_url=slow.base_url, max_retries=0) as client:
        quick = client.with_options(timeout=SHORT)
        assert (await client.status()).ok
        assert (await quick.requests.retrieve("req_c")).status == "succeeded"
        assert len(slow.connections) == 1  # the copy used the original's pooled connection
        with pytest.raises(APITimeoutError):
            await client.requests.create(
                "video.generate", PROMPT, timeout=SHORT, extra_headers=DELAY
            )
        handle = await client.requests.create("video.generate", PROMPT, extra_headers=DELAY)
        assert handle.id == "req_slow"
        with pytest.raises(APITimeoutError):
            await quick.status(extra_headers=DELAY)
        assert (await client.status(extra_headers=DELAY)).ok
        await quick.close()
        assert (await client.status()).ok


def test_wrapper_timeout_is_http_and_max_wait_is_the_deadline(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    api.add("GET", "/api/v1/requests/req_1", ok(request_object("req_1", "processing")))
    seen: list[Any] = []

    def record(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.extensions["timeout"])
        return api.handler(request)

    with Cannon(
        api_key=API_KEY, base_url="https://api.test", transport=httpx2.MockTransport(record)
    ) as c:
        from cannon_studio import WaitTimeoutError

        with pytest.raises(WaitTimeoutError) as info:
            c.video.generate(prompt="x", wait=True, max_wait=7, timeout=3)
    assert info.value.timeout == 7
    # the create had the per-call HTTP timeout (cut to its total deadline as it runs); the
    # polls the client's, cut to the time left until the wait's deadline (7 s)
    assert seen[0]["read"] == pytest.approx(3, abs=0.1)
    assert seen[1]["read"] > 3.5 and all(t["read"] <= 7 < DEFAULT_TIMEOUT_S for t in seen[1:])
    assert len(seen) > 1


def test_old_wait_deadline_spelling_warns_and_still_works(clock: FakeClock) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    api.add("GET", "/api/v1/requests/req_1", ok(request_object("req_1", "processing")))
    from cannon_studio import WaitTimeoutError

    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c:
        handle = c.requests.create("video.generate", PROMPT)
        with pytest.warns(DeprecationWarning, match="max_wait"), pytest.raises(WaitTimeoutError):
            handle.wait(timeout=5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(WaitTimeoutError) as info:
                handle.wait(max_wait=4)
        assert info.value.timeout == 4
        with pytest.warns(DeprecationWarning), pytest.raises(WaitTimeoutError):
            list(c.requests.as_completed([handle], timeout=2))


@pytest.mark.parametrize("bad", [0, -1, "5", float("inf"), True])
def test_bad_timeouts_are_configuration_errors(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        Cannon(api_key=API_KEY, timeout=bad)
    with (
        Cannon(api_key=API_KEY, transport=MockAPI().transport()) as client,
        pytest.raises(ConfigurationError, match="timeout"),
    ):
        client.with_options(timeout=bad)


def test_http_client_timeout_is_the_default_when_none_is_given() -> None:
    with httpx2.Client(timeout=7.0) as mine:
        assert Cannon(api_key=API_KEY, http_client=mine).timeout.read == 7.0
        assert Cannon(api_key=API_KEY, http_client=mine, timeout=3).timeout.read == 3.0


# --------------------------------------------------------------------------------- raw responses
@pytest.mark.parametrize("mode", MODES)
async def test_raw_responses_give_status_headers_and_parse(slow: SlowAPI, mode: str) -> None:
    async with client_for(mode, api_key=API_KEY, base_url=slow.base_url) as client:
        raw = await resolve(client.with_raw_response.requests.create("video.generate", PROMPT))
        assert isinstance(raw, APIResponse)
        assert raw.status_code == 202 and raw.headers["content-type"] == "application/json"
        handle = raw.parse()
        assert handle.id == "req_slow" == raw.json()["id"]
        assert raw.x_request_id is not None and raw.x_request_id.startswith("xr_")
        assert handle.x_request_id == raw.x_request_id
        status = await resolve(client.with_raw_response.status())
        assert status.status_code == 200 and status.parse().credits_remaining == 42
        assert status.headers.get("x-request-id") == status.x_request_id
        got = await resolve(client.with_raw_response.requests.retrieve("req_d"))
        assert got.parse().status == "succeeded" and got.x_request_id != raw.x_request_id
        wrapped = await resolve(client.with_raw_response.images.generate(prompt="x"))
        assert wrapped.status_code == 202 and wrapped.parse().id == "req_slow"
        enhanced = await resolve(client.with_raw_response.prompts.enhance_image(prompt="x"))
        assert enhanced.status_code == 202
        await resolve(handle.refresh())
        assert handle.x_request_id not in (None, raw.x_request_id)  # the poll's own id


def test_errors_expose_the_x_request_id() -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_x", ok({"error": "nope"}, 404, **{"x-request-id": "xr_9"}))
    with (
        Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c,
        pytest.raises(NotFoundError) as info,
    ):
        c.with_raw_response.requests.retrieve("req_x")
    assert info.value.x_request_id == "xr_9"


# ----------------------------------------------------------------------------- construction checks
def test_a_transport_of_the_wrong_kind_is_a_configuration_error() -> None:
    async_transport = httpx2.ASGITransport(app=lambda scope, receive, send: None)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="async transport: use AsyncCannon"):
        Cannon(api_key=API_KEY, transport=async_transport)  # type: ignore[arg-type]
    sync_transport = httpx2.HTTPTransport()
    with pytest.raises(ConfigurationError, match="sync transport: use Cannon"):
        AsyncCannon(api_key=API_KEY, transport=sync_transport)  # type: ignore[arg-type]
    sync_transport.close()
    with pytest.raises(ConfigurationError, match="not both"):
        Cannon(api_key=API_KEY, transport=MockAPI().transport(), http_client=httpx2.Client())
    # MockTransport has both interfaces: fine for either client
    Cannon(api_key=API_KEY, transport=MockAPI().transport()).close()


@pytest.mark.parametrize("key", ["cs_test_caf\u00e9", "cs_test_\u2013dash", "cs_test_\u200bzw"])
def test_a_key_that_cannot_go_in_a_header_is_rejected(key: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        Cannon(api_key=key)
    assert key not in str(info.value)
    with pytest.raises(ConfigurationError):
        AsyncCannon(api_key=key)


# -------------------------------------------------------------------------------------- download
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", ["queued", "processing", "failed"])
async def test_download_before_success_names_the_status(
    clock: FakeClock, status: str, tmp_path: Any, mode: str
) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", ok(request_object("req_1", status)))
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    async with client_for(
        mode, api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as c:
        handle = await resolve(c.requests.retrieve("req_1"))
        with pytest.raises(RequestNotSucceededError) as info:
            await resolve(handle.download(tmp_path))
        created = await resolve(c.requests.create("video.generate", PROMPT))
        with pytest.raises(RequestNotSucceededError, match="queued"):
            await resolve(created.download(tmp_path))  # a handle that was only accepted
    assert info.value.status == status and status in str(info.value)
    assert info.value.request_id == "req_1" and _is_empty(tmp_path)
