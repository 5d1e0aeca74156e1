"""Webhooks like a real at-least-once sender: retries on timeouts, duplicate and reordered
deliveries as fault kinds, the delivery log over the control API."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from cannon_studio_sandbox import FaultRule, Sandbox, SandboxConfig
from standardwebhooks import Webhook

from .conftest import body, loopback_server
from .test_webhooks import Receiver, create, sandbox_with

HOOK = "https://your-app.test/hooks/cannon"


def request_ids(receiver: Receiver) -> list[str]:
    return [json.loads(raw)["data"]["id"] for _, raw in receiver.calls]


async def test_duplicate_fault_sends_a_second_copy_with_the_same_webhook_id() -> None:
    receiver = Receiver()
    sb = sandbox_with(receiver)
    sb.add_fault(FaultRule("duplicate", endpoint="webhooks", count=1, delay_s=0.01))
    first = await create(sb, body("image.generate", webhook_url=HOOK))
    second = await create(sb, body("image.generate", webhook_url=HOOK))
    await sb.drain_webhooks(timeout_s=5)
    assert sorted(request_ids(receiver)) == sorted([first["id"], first["id"], second["id"]])
    copies = [h for h, raw in receiver.calls if json.loads(raw)["data"]["id"] == first["id"]]
    assert copies[0]["webhook-id"] == copies[1]["webhook-id"]
    for headers, raw in receiver.calls:  # every copy is signed
        Webhook(sb.config.webhook_secret).verify(raw, headers)
    log = sb.webhook_deliveries()
    assert [(d["request_id"], d["copy"], d["duplicate"]) for d in log if d["duplicate"]] == [
        (first["id"], 2, True)
    ]
    assert sb.fault_log()[0]["kind"] == "duplicate" and sb.fault_log()[0]["endpoint"] == "webhooks"


async def test_reorder_fault_lets_a_later_event_overtake() -> None:
    receiver = Receiver()
    sb = sandbox_with(receiver)
    sb.add_fault(FaultRule("reorder", endpoint="webhooks", count=1, delay_s=0.2))
    ids = [(await create(sb, body("image.generate", webhook_url=HOOK)))["id"] for _ in range(3)]
    await sb.drain_webhooks(timeout_s=5)
    assert request_ids(receiver) == [ids[1], ids[2], ids[0]]  # the first was held back
    held = [d for d in sb.webhook_deliveries() if d["held_s"]]
    assert [d["request_id"] for d in held] == [ids[0]] and held[0]["held_s"] == 0.2


async def test_drop_fault_loses_the_delivery_and_logs_it() -> None:
    receiver = Receiver()
    sb = sandbox_with(receiver)
    sb.add_fault(FaultRule("drop", endpoint="webhooks", count=1))
    ids = [(await create(sb, body("image.generate", webhook_url=HOOK)))["id"] for _ in range(3)]
    await sb.drain_webhooks(timeout_s=5)
    assert request_ids(receiver) == ids[1:]  # the first was never sent, the others were
    dropped = [d for d in sb.webhook_deliveries() if not d["ok"]]
    assert [(d["request_id"], d["attempt"], d["error"]) for d in dropped] == [
        (ids[0], 0, "dropped (fault)")
    ]
    assert [f["kind"] for f in sb.fault_log()] == ["drop"]


def test_webhook_faults_never_hit_http_calls_and_http_faults_never_hit_webhooks() -> None:
    with pytest.raises(ValueError, match="does not apply to webhooks"):
        FaultRule("500", endpoint="webhooks")
    with pytest.raises(ValueError, match="needs endpoint"):
        FaultRule("duplicate", endpoint="create")
    sb = Sandbox(SandboxConfig.instant())
    sb.add_fault(FaultRule("duplicate"))  # endpoint "*": webhooks only
    assert sb.faults.pick("create", "POST", "/api/v1/requests") is None
    sb.add_fault(FaultRule("500"))
    assert sb.faults.pick("webhooks", "POST", "req_1").kind == "duplicate"  # type: ignore[union-attr]


@pytest.fixture
def slow_receiver() -> Iterator[tuple[str, list[float]]]:
    """A loopback receiver that answers its first call too late, then at once."""
    calls: list[float] = []

    def answer(headers: dict[str, str], raw: bytes) -> int:
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(0.6)
        return 204

    with loopback_server(answer) as url:
        yield url, calls


async def test_a_receiver_that_times_out_is_retried(slow_receiver: tuple[str, list[float]]) -> None:
    url, calls = slow_receiver
    sb = Sandbox(SandboxConfig.instant(webhook_timeout_s=0.2, webhook_backoff_s=0.01))
    await create(sb, body("image.generate", webhook_url=url))
    await sb.drain_webhooks(timeout_s=10)
    log = sb.webhook_deliveries()
    assert [(d["attempt"], d["ok"]) for d in log] == [(1, False), (2, True)]
    assert "Timeout" in (log[0]["error"] or "") and log[1]["status_code"] == 204
    assert len(calls) == 2


async def test_delivery_log_over_the_control_api() -> None:
    receiver = Receiver([500])
    sb = sandbox_with(receiver, webhook_backoff_s=0.01)
    sb.add_fault(FaultRule("duplicate", endpoint="webhooks", count=1, delay_s=0.01))
    rid = (await create(sb, body("image.generate", webhook_url=HOOK)))["id"]
    await sb.drain_webhooks(timeout_s=5)
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app), base_url="http://t", headers=sb.control_headers
    ) as c:
        deliveries = (await c.get("/_sandbox/webhooks")).json()["deliveries"]
        faults = (
            await c.post("/_sandbox/faults", json={"kind": "reorder", "endpoint": "webhooks"})
        ).json()
    assert [(d["request_id"], d["copy"], d["attempt"], d["status_code"]) for d in deliveries] == [
        (rid, 1, 1, 500),
        (rid, 1, 2, 204),
        (rid, 2, 1, 204),
    ]
    assert faults["rules"][-1]["kind"] == "reorder"


async def test_at_least_once_receiver_handles_each_event_once_under_duplicates_and_reordering() -> (
    None
):
    """A receiver that dedupes on webhook-id and acknowledges duplicates with 2xx sees every
    request exactly once, and the sender never retries a duplicate."""
    seen: set[str] = set()
    handled: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        event = Webhook(sb.config.webhook_secret).verify(raw, headers)
        if headers["webhook-id"] not in seen:
            seen.add(headers["webhook-id"])
            handled.append(event["data"]["id"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sb = Sandbox(SandboxConfig.instant(seed=3), webhook_transport=httpx2.ASGITransport(app))
    sb.add_fault(FaultRule("duplicate", endpoint="webhooks", rate=0.5, delay_s=0.01))
    sb.add_fault(FaultRule("reorder", endpoint="webhooks", rate=0.5, delay_s=0.5))
    ids = [
        (await create(sb, body("prompt.enhance.image", webhook_url=HOOK)))["id"] for _ in range(12)
    ]
    await sb.drain_webhooks(timeout_s=10)
    await asyncio.sleep(0)
    assert sorted(handled) == sorted(ids)  # each exactly once
    log = sb.webhook_deliveries()
    assert any(d["duplicate"] for d in log) and any(d["held_s"] for d in log)
    assert all(d["ok"] for d in log)  # duplicates were acknowledged, nothing retried
    assert handled != ids  # the order really changed
