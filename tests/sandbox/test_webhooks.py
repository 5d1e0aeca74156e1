"""Webhook delivery: Standard Webhooks signatures, retries with backoff, delivery without polling."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx2
import pytest
from cannon_studio_sandbox import Sandbox, SandboxConfig, delivery
from cannon_studio_sandbox.schema import ApiSchema
from standardwebhooks import Webhook

from .conftest import body, loopback_server

SCHEMA = ApiSchema.load()


class Receiver:
    """An in-process ASGI webhook receiver answering with scripted status codes."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.calls: list[tuple[dict[str, str], bytes]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.calls.append((headers, b"".join(chunks)))
        status = self.statuses.pop(0) if self.statuses else 204
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def sandbox_with(receiver: Receiver, **overrides: Any) -> Sandbox:
    return Sandbox(
        SandboxConfig.instant(**overrides), webhook_transport=httpx2.ASGITransport(receiver)
    )


async def create(sb: Sandbox, payload: dict[str, Any]) -> dict[str, Any]:
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://sandbox.test",
        headers={"x-api-key": sb.api_key},
    ) as c:
        r = await c.post("/api/v1/requests", json=payload)
        assert r.status_code == 202
        data: dict[str, Any] = r.json()
        return data


async def test_terminal_webhook_is_signed_and_verifies() -> None:
    receiver = Receiver()
    sb = sandbox_with(receiver)
    accepted = await create(
        sb, body("image.generate", webhook_url="https://your-app.test/webhooks/cannon")
    )
    await sb.drain_webhooks(timeout_s=5)
    assert len(receiver.calls) == 1
    headers, raw = receiver.calls[0]
    event = Webhook(sb.config.webhook_secret).verify(raw, headers)
    assert event["id"] == headers["webhook-id"]
    assert event["type"] == "request.succeeded"
    assert event["data"]["id"] == accepted["id"] and event["data"]["status"] == "succeeded"
    assert not list(SCHEMA.validator_for("WebhookEvent").iter_errors(event))
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43 + "=").verify(raw, headers)
    [delivery] = sb.webhook_deliveries()
    assert delivery["ok"] is True and delivery["attempt"] == 1 and delivery["status_code"] == 204
    assert delivery["request_id"] == accepted["id"] and delivery["event_id"] == event["id"]


async def test_failed_request_sends_request_failed() -> None:
    receiver = Receiver()
    sb = sandbox_with(receiver)
    payload = body("video.generate", webhook_url="https://your-app.test/hook")
    payload["input"]["prompt"] = "[fail] please"
    await create(sb, payload)
    await sb.drain_webhooks(timeout_s=5)
    event = json.loads(receiver.calls[0][1])
    assert event["type"] == "request.failed" and event["data"]["errorMessage"]


async def test_non_2xx_is_retried_with_the_same_webhook_id() -> None:
    receiver = Receiver([500, 503])
    sb = sandbox_with(receiver, webhook_backoff_s=0.01)
    await create(sb, body("image.generate", webhook_url="https://your-app.test/hook"))
    await sb.drain_webhooks(timeout_s=5)
    log = sb.webhook_deliveries()
    assert [(d["attempt"], d["status_code"], d["ok"]) for d in log] == [
        (1, 500, False),
        (2, 503, False),
        (3, 204, True),
    ]
    assert len({h["webhook-id"] for h, _ in receiver.calls}) == 1
    for headers, raw in receiver.calls:  # every attempt carries a valid signature
        Webhook(sb.config.webhook_secret).verify(raw, headers)


async def test_retries_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    backoffs: list[float] = []

    async def recorded(seconds: float) -> None:  # the backoffs asked for, not wall time
        backoffs.append(seconds)
        await real_sleep(0)

    real_sleep = asyncio.sleep
    monkeypatch.setattr(delivery, "asyncio", SimpleNamespace(sleep=recorded))
    receiver = Receiver([500] * 10)
    sb = sandbox_with(receiver, webhook_max_attempts=3, webhook_backoff_s=0.005)
    await create(sb, body("image.generate", webhook_url="https://your-app.test/hook"))
    await sb.drain_webhooks(timeout_s=5)
    assert len(receiver.calls) == 3
    assert [d["ok"] for d in sb.webhook_deliveries()] == [False, False, False]
    assert [d["attempt"] for d in sb.webhook_deliveries()] == [1, 2, 3]
    assert backoffs == [0.005, 0.01]  # exponential: 5 ms, then 10 ms, none after the last


async def test_no_webhook_url_no_delivery_and_non_loopback_hosts_are_not_contacted() -> None:
    sb = Sandbox(SandboxConfig.instant())
    await create(sb, body("image.generate"))
    await create(sb, body("image.generate", webhook_url="https://example.com/hook"))
    await sb.drain_webhooks(timeout_s=5)
    [entry] = sb.webhook_deliveries()
    assert entry["attempt"] == 0 and entry["ok"] is False and "not attempted" in entry["error"]


@pytest.fixture
def loopback_receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    calls: list[tuple[dict[str, str], bytes]] = []

    def answer(headers: dict[str, str], raw: bytes) -> int:
        calls.append((headers, raw))
        return 200

    with loopback_server(answer) as url:
        yield url, calls


def test_webhooks_go_out_over_loopback_even_if_nobody_polls(
    loopback_receiver: tuple[str, list[tuple[dict[str, str], bytes]]],
) -> None:
    url, calls = loopback_receiver
    sb = Sandbox(
        SandboxConfig(job_duration_s=(0.2, 0.3), queue_delay_s=0.05, ticker_interval_s=0.02)
    )
    with sb.serve() as server:
        r = httpx2.post(
            f"{server.base_url}/api/v1/requests",
            json=body("narration.generate", webhook_url=url),
            headers={"x-api-key": sb.api_key},
        )
        assert r.status_code == 202
        deadline = time.monotonic() + 5
        while not calls and time.monotonic() < deadline:
            time.sleep(0.02)
        admin = httpx2.get(
            f"{server.base_url}/_sandbox/webhooks", headers=sb.control_headers
        ).json()
    assert len(calls) == 1
    headers, raw = calls[0]
    event = Webhook(sb.config.webhook_secret).verify(raw, headers)
    assert event["data"]["id"] == r.json()["id"] and event["data"]["status"] == "succeeded"
    assert admin["deliveries"][0]["ok"] is True
