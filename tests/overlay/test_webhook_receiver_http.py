"""The receiver's HTTP/1.1 server (``h11`` in an ``asyncio.Protocol``), spoken to over raw
loopback sockets: kept-alive and pipelined deliveries are each answered, in order; a request
that stalls is answered 408; one over the concurrency bound 503 with ``Retry-After``; a sender
that waits for ``100 Continue`` gets it; a refusal whose body is still coming is read by the
sender, not reset.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from cannon_studio import WebhookReceiver, Webhooks
from cannon_studio.webhooks import sign

from tests.webhook_props.test_receiver_props import SECRET, _event


def _signed_request(request_id: str, webhook_id: str, path: str = "/webhooks/cannon") -> bytes:
    body = _event(request_id, webhook_id)
    now = int(time.time())
    head = (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nwebhook-id: {webhook_id}\r\n"
        f"webhook-timestamp: {now}\r\n"
        f"webhook-signature: {sign(SECRET, webhook_id, now, body)}\r\n\r\n"
    )
    return head.encode() + body


async def _statuses(reader: asyncio.StreamReader, count: int) -> list[int]:
    """Read ``count`` answers off a connection; their status codes."""
    statuses = []
    for _ in range(count):
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        statuses.append(int(head.split(b" ")[1]))
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
    return statuses


@pytest.fixture
async def receiver() -> Any:
    async with WebhookReceiver(Webhooks(SECRET), read_timeout_s=0.3, max_concurrent=2) as r:
        yield r


async def test_kept_alive_and_pipelined_deliveries_are_each_answered(
    receiver: WebhookReceiver,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", receiver.port)
    writer.write(_signed_request("req_1", "m1"))
    assert await _statuses(reader, 1) == [204]
    # Three at once in one write: a copy (200), another request, and a stranger path (404).
    writer.write(
        _signed_request("req_1", "m1")
        + _signed_request("req_2", "m2")
        + _signed_request("req_3", "m3", path="/elsewhere")
    )
    assert await _statuses(reader, 3) == [200, 204, 404]
    assert await asyncio.wait_for(reader.read(), 10) == b""  # closed after the refusal
    writer.close()
    assert receiver.stats.accepted == 2 and receiver.stats.duplicates == 1
    assert sorted(receiver._notices) == ["req_1", "req_2"]


async def test_a_stalled_request_is_answered_408(receiver: WebhookReceiver) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", receiver.port)
    writer.write(_signed_request("req_1", "m1")[:40])  # a head that never ends
    assert await _statuses(reader, 1) == [408]
    writer.close()
    assert receiver.stats.refused == {408: 1} and not receiver._notices


async def test_deliveries_over_the_bound_are_answered_503(receiver: WebhookReceiver) -> None:
    whole = _signed_request("req_1", "m1")
    head_end = whole.index(b"\r\n\r\n") + 4
    slow = [await asyncio.open_connection("127.0.0.1", receiver.port) for _ in range(2)]
    for _, writer in slow:  # two bodies under way: the bound (max_concurrent=2)
        writer.write(whole[: head_end + 5])
    await asyncio.sleep(0.05)
    reader, writer = await asyncio.open_connection("127.0.0.1", receiver.port)
    writer.write(_signed_request("req_2", "m2"))
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert head.split(b" ")[1] == b"503" and b"retry-after: 1" in head.lower()
    writer.close()
    slow[0][1].write(whole[head_end + 5 :])  # the first one finishes in time: taken
    assert await _statuses(slow[0][0], 1) == [204]
    for _, w in slow:
        w.close()
    assert receiver.stats.refused.get(503) == 1 and receiver.stats.accepted == 1


async def test_a_sender_waiting_for_100_continue_gets_it(receiver: WebhookReceiver) -> None:
    whole = _signed_request("req_1", "m1")
    head_end = whole.index(b"\r\n\r\n")
    reader, writer = await asyncio.open_connection("127.0.0.1", receiver.port)
    writer.write(whole[:head_end] + b"\r\nexpect: 100-continue\r\n\r\n")
    interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert interim.split(b" ")[1] == b"100"
    writer.write(whole[head_end + 4 :])
    assert await _statuses(reader, 1) == [204]
    writer.close()


async def test_a_refusal_is_read_while_the_body_still_comes(receiver: WebhookReceiver) -> None:
    limit = receiver.webhooks.max_body_bytes
    reader, writer = await asyncio.open_connection("127.0.0.1", receiver.port)
    writer.write(b"POST /webhooks/cannon HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n")
    chunk = b"y" * 65536
    for _ in range(limit // len(chunk) + 4):  # past the limit, and on after the answer
        writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()
    assert await _statuses(reader, 1) == [413]
    writer.close()
