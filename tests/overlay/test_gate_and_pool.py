"""The async client's in-flight limit is taken before a request is built, is given back during
retry backoff, and the default transport reuses its connections (pool sized to the limit)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from cannon_studio import AsyncCannon, ConfigurationError, _clock, _requests
from cannon_studio._gate import InFlightGate
from cannon_studio._proxies import AsyncEnvironmentTransport
from cannon_studio.transports import (
    aiohttp_available,
    aiohttp_transport,
    default_async_transport,
    httpx2_transport,
    pool_limits,
)
from cannon_studio_sandbox import Sandbox, SandboxConfig
from cannon_studio_sandbox.server import run_in_thread

API_KEY = "cs_test_gate_0000000000000000"
OPERATION = "image.generate"
INPUT = {"prompt": "a red square"}


def _mock_client(answer: Callable[..., Any], limit: int) -> AsyncCannon:
    """An ``AsyncCannon`` with ``limit`` slots whose every call ``answer`` serves."""
    return AsyncCannon(
        api_key=API_KEY,
        base_url="https://api.test",
        transport=httpx2.MockTransport(answer),
        max_in_flight=limit,
    )


def _accepted(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(
        202,
        json={
            "id": f"req_{request.headers['x-idempotency-key'][-12:]}",
            "status": "queued",
            "operation": OPERATION,
            "poll_after_ms": 1000,
            "urls": {"get": "https://api.test/api/v1/requests/x"},
        },
    )


async def test_creates_are_built_only_when_they_hold_a_slot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limit = 4
    prepared_not_sent = 0
    peak = 0
    original: Callable[..., Any] = _requests.prepare_create

    def counting_prepare(*args: Any) -> Any:
        nonlocal prepared_not_sent, peak
        prepared_not_sent += 1
        peak = max(peak, prepared_not_sent)
        return original(*args)

    class Slow(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            nonlocal prepared_not_sent
            await asyncio.sleep(0.001)
            prepared_not_sent -= 1
            return _accepted(request)

    monkeypatch.setattr(_requests, "prepare_create", counting_prepare)
    async with AsyncCannon(
        api_key=API_KEY, base_url="https://api.test", transport=Slow(), max_in_flight=limit
    ) as client:
        handles = await asyncio.gather(
            *(client.requests.create(OPERATION, INPUT) for _ in range(100))
        )
        assert client._core.gate.in_flight == 0
    assert len({h.id for h in handles}) == 100
    assert peak == limit  # never more built envelopes than slots, however many creates wait


async def test_backoff_sleep_gives_the_slot_back(monkeypatch: pytest.MonkeyPatch) -> None:
    seen_during_sleep: list[int] = []
    gate_of: list[InFlightGate] = []

    async def recording_sleep(seconds: float) -> None:
        seen_during_sleep.append(gate_of[0].in_flight)

    attempts = 0

    def flaky(request: httpx2.Request) -> httpx2.Response:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            return httpx2.Response(503, json={"error": {"message": "busy"}})
        return _accepted(request)

    monkeypatch.setattr(_clock, "async_sleep", recording_sleep)
    async with AsyncCannon(
        api_key=API_KEY,
        base_url="https://api.test",
        transport=httpx2.MockTransport(flaky),
        max_in_flight=1,
    ) as client:
        gate_of.append(client._core.gate)
        await client.requests.create(OPERATION, INPUT)
        assert client._core.gate.in_flight == 0
    assert attempts == 2 and seen_during_sleep == [0]


async def test_cancelled_create_gives_its_slot_back() -> None:
    started = asyncio.Event()

    class Hanging(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            started.set()
            await asyncio.sleep(3600)
            raise AssertionError("unreachable")

    async with AsyncCannon(
        api_key=API_KEY, base_url="https://api.test", transport=Hanging(), max_in_flight=1
    ) as client:
        task = asyncio.create_task(client.requests.create(OPERATION, INPUT))
        await started.wait()
        assert client._core.gate.in_flight == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert client._core.gate.in_flight == 0


class _ConnectionsSeen:
    """The sandbox's ASGI app, noting the client address of every HTTP request it serves: one
    address per TCP connection the server accepted (uvicorn's ``scope["client"]``).

    Counted at the server, in this process, rather than in the machine's socket table: a
    TIME_WAIT socket of an earlier server that had the same port (any process on the machine,
    for 60 s) would otherwise be counted as opened by this test.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.clients: set[tuple[str, int]] = set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("client"):
            self.clients.add(tuple(scope["client"]))
        await self.app(scope, receive, send)


@pytest.mark.parametrize("kind", ["httpx2", "aiohttp"])
async def test_transports_reuse_connections(kind: str) -> None:
    if kind == "aiohttp":
        pytest.importorskip("aiohttp")
    limit = 32
    make = {"httpx2": httpx2_transport, "aiohttp": aiohttp_transport}[kind]
    sandbox = Sandbox(SandboxConfig.instant())
    seen = _ConnectionsSeen(sandbox.app)
    calls = 600
    with run_in_thread(seen, "127.0.0.1", 0, on_bound=sandbox.guard.bind) as server:
        transport = make(limit)
        async with AsyncCannon(
            api_key=sandbox.api_key,
            base_url=server.base_url,
            max_in_flight=limit,
            transport=transport,
        ) as client:
            handles = await asyncio.gather(
                *(client.requests.create(OPERATION, INPUT) for _ in range(calls // 2))
            )
            await asyncio.gather(*(h.refresh() for h in handles))
        await transport.aclose()
    # 600 calls, `limit` at a time: each connection is opened once and reused (httpx2's default
    # pool keeps 20 alive, so more calls in flight than that open a connection per call).
    assert 1 <= len(seen.clients) <= limit


def test_pool_limits_follow_the_in_flight_limit() -> None:
    limits = pool_limits(48)
    assert limits.max_connections == 48 and limits.max_keepalive_connections == 48
    assert isinstance(httpx2_transport(48), httpx2.AsyncHTTPTransport)


def test_default_transport_is_aiohttp_when_the_extra_is_installed() -> None:
    transport = default_async_transport(8)
    direct = transport.direct
    if aiohttp_available():
        assert type(direct).__name__ == "AiohttpTransport"
    else:
        assert isinstance(direct, httpx2.AsyncHTTPTransport)
    assert not isinstance(direct, AsyncEnvironmentTransport)


async def test_async_cannon_sends_through_the_default_transport() -> None:
    """What the client builds when given no transport is ``default_async_transport``'s: the
    aiohttp one for direct requests when the extra is installed (the benchmark's figures)."""
    async with AsyncCannon(api_key=API_KEY, max_in_flight=8) as client:
        inner = client._core._inner
        assert isinstance(inner, AsyncEnvironmentTransport)
        expected = type(default_async_transport(8).direct)
        assert type(inner.direct) is expected


def test_in_flight_limit_must_be_positive() -> None:
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ConfigurationError):
            AsyncCannon(api_key=API_KEY, max_in_flight=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        InFlightGate(0)


async def test_aiohttp_transport_works_against_the_sandbox() -> None:
    pytest.importorskip("aiohttp")
    sandbox = Sandbox(SandboxConfig.instant())
    with sandbox.serve(host="127.0.0.1", port=0) as server:
        transport = aiohttp_transport(8)
        async with AsyncCannon(
            api_key=sandbox.api_key, base_url=server.base_url, transport=transport
        ) as client:
            handle = await client.requests.create(OPERATION, INPUT)
            await handle.wait(max_wait=30)
            assert handle.status == "succeeded"
        await transport.aclose()


async def test_urgent_waiters_go_first() -> None:
    gate = InFlightGate(1)
    order: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with gate.slot():
            await release.wait()

    async def waiter(name: str, urgent: bool) -> None:
        async with gate.slot(urgent=urgent):
            order.append(name)

    hold = asyncio.create_task(holder())
    await asyncio.sleep(0)
    tasks = [asyncio.create_task(waiter(f"create{i}", False)) for i in range(3)]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(waiter("poll", True)))
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(hold, *tasks)
    assert order == ["poll", "create0", "create1", "create2"]
    assert gate.in_flight == 0


async def test_as_completed_follows_pending_creates_lazily() -> None:
    limit = 4
    pulled = 0
    pulled_at_posts: list[int] = []
    polls: dict[str, int] = {}

    def answer(request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            pulled_at_posts.append(pulled)
            return _accepted(request)
        request_id = request.url.path.rsplit("/", 1)[-1]
        polls[request_id] = polls.get(request_id, 0) + 1
        return httpx2.Response(
            200,
            json={"id": request_id, "operation": OPERATION, "status": "succeeded",
                  "billableCredits": 1, "createdAtMs": 1, "completedAtMs": 2, "output": None},
        )  # fmt: skip

    async def no_wait(seconds: float) -> None:
        await asyncio.sleep(0)

    async with _mock_client(answer, limit) as client:

        def creates() -> Any:
            nonlocal pulled
            for i in range(40):
                pulled += 1
                yield client.requests.create(OPERATION, {"prompt": f"p{i}"})

        original = _clock.async_sleep
        _clock.async_sleep = no_wait
        try:
            seen = [h.id async for h in client.requests.as_completed(creates(), max_wait=30)]
        finally:
            _clock.async_sleep = original
    assert len(seen) == len(set(seen)) == 40 and set(polls) == set(seen)
    assert pulled_at_posts[0] <= limit  # read lazily: never more pending creates than slots


async def test_due_polls_go_before_queued_creates_even_when_every_slot_is_busy() -> None:
    """With every slot taken and creates queued, each due poll gets a freed slot before a
    queued create: the follower keeps more polls started than there are slots
    (``InFlightGate.poll_width``), so due polls already wait at the gate. With only ``limit``
    started, a freed slot went to a create while due polls waited in the follower's queue."""
    wire: list[str] = []

    async def answer(request: httpx2.Request) -> httpx2.Response:
        wire.append(request.method)
        await asyncio.sleep(0.005)
        if request.method == "POST":
            return _accepted(request)
        request_id = request.url.path.rsplit("/", 1)[-1]
        body = {"id": request_id, "operation": OPERATION, "status": "succeeded",
                "createdAtMs": 1, "completedAtMs": 2, "output": None}  # fmt: skip
        return httpx2.Response(200, json=body)

    limit = 2
    async with _mock_client(answer, limit) as client:
        known = [f"req_known_{i}" for i in range(2 * limit)]  # due at once (never polled)
        creates = [client.requests.create(OPERATION, INPUT) for _ in range(3 * limit)]
        seen = [h.id async for h in client.requests.as_completed([*known, *creates])]
    assert set(known) <= set(seen) and len(seen) == len(known) + len(creates)
    third_post = [i for i, method in enumerate(wire) if method == "POST"][limit]
    assert wire[:third_post].count("GET") == len(known), wire
