"""The first poll is due ``poll_after_ms`` after the create, not after waiting starts; the async
client caps its HTTP calls in flight."""

from __future__ import annotations

import asyncio

import httpx2
import pytest
from cannon_studio import _clock
from cannon_studio._handles import RequestHandle
from cannon_studio._retry import AsyncRetryTransport
from cannon_studio_api.models import AcceptedRequest


def _accepted(poll_after_ms: int) -> AcceptedRequest:
    return AcceptedRequest.from_dict(
        {
            "id": "req_1",
            "status": "queued",
            "operation": "video.generate",
            "poll_after_ms": poll_after_ms,
            "urls": {"get": "http://sandbox.test/api/v1/requests/req_1"},
        }
    )


def test_first_poll_counts_from_the_create_not_from_the_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr(_clock, "monotonic", lambda: clock[0])
    handle = RequestHandle(
        None,  # type: ignore[arg-type]  # no I/O in this test
        request_id="req_1",
        operation="video.generate",
        status="queued",
        accepted=_accepted(2000),
    )
    assert handle._next_delay() == pytest.approx(2.0)
    clock[0] += 1.5  # e.g. the caller spent 1.5 s creating other requests
    assert handle._next_delay() == pytest.approx(0.5)
    clock[0] += 10
    assert handle._next_delay() == 0.0


async def test_async_transport_caps_calls_in_flight() -> None:
    in_flight = 0
    peak = 0

    class Slow(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.002)
            in_flight -= 1
            return httpx2.Response(200, json={"ok": True})

    transport = AsyncRetryTransport(Slow(), max_retries=0, max_in_flight=5)
    async with httpx2.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
        responses = await asyncio.gather(*(client.get(f"/r/{n}") for n in range(200)))
    assert [r.status_code for r in responses] == [200] * 200
    assert peak == 5
