"""``as_completed`` with a running ``WebhookReceiver``: the receiver's request handler hands each
delivery to the scheduler (a subscription, no task per request), and the poll queue keeps only
the safety net.

What is asserted: a delivery resolves its request without a GET (the safety net is set far
beyond the test); copies of a delivery, even under new ``webhook-id`` values that pass the
dedupe store, yield the request once and call ``on_update`` once; a delivery about a request
nobody follows is answered 204 and changes nothing; a delivery without the whole record costs
one GET at once; a receiver that stops sends its requests back to polling; a delivery taken
before the scheduler subscribed is not lost. And the poll queue's discarded entries are never
polled nor listed at the deadline.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from cannon_studio import AsyncCannon, WaitTimeoutError
from cannon_studio._as_completed import PollQueue
from cannon_studio.webhooks import sign

OPERATION = "image.generate"
NO_SAFETY_NET = {"safety_min_s": 60.0, "safety_default_s": 60.0}  # far beyond every test


class _Gets:
    def __init__(self) -> None:
        self.count = 0

    async def __call__(self, request: httpx2.Request) -> None:
        if request.method == "GET" and "/api/v1/requests/" in request.url.path:
            self.count += 1


@pytest.fixture
async def counted(cannon_sandbox: Any) -> AsyncIterator[tuple[AsyncCannon, _Gets]]:
    gets = _Gets()
    http = httpx2.AsyncClient(event_hooks={"request": [gets]})
    async with AsyncCannon(
        api_key=cannon_sandbox.api_key,
        base_url=cannon_sandbox.base_url,
        webhook_secret=cannon_sandbox.webhook_secret,
        http_client=http,
    ) as client:
        yield client, gets
    await http.aclose()


def _record(request_id: str, *, full: bool = True) -> dict[str, Any]:
    """A terminal request object as the sandbox delivers it (``full=False``: no output, a hint)."""
    record: dict[str, Any] = {
        "id": request_id,
        "operation": OPERATION,
        "status": "succeeded",
        "createdAtMs": 1,
    }
    if full:
        record["completedAtMs"] = 2
        record["output"] = {"status": "succeeded", "image_urls": ["https://assets.test/a.png"]}
    return record


async def _deliver(
    http: httpx2.AsyncClient, url: str, secret: str, record: dict[str, Any], webhook_id: str
) -> int:
    body = json.dumps(
        {"id": webhook_id, "type": "request.succeeded", "timestamp": "2026-01-01T00:00:00Z"}
        | {"data": record}
    ).encode()
    now = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(now),
        "webhook-signature": sign(secret, webhook_id, now, body),
    }
    return (await http.post(url, content=body, headers=headers)).status_code


async def test_deliveries_resolve_as_completed_without_a_get(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, gets = counted
    cannon_sandbox.configure(job_duration_s=(0.2, 0.5), poll_after_ms=100)
    async with client.webhook_receiver(**NO_SAFETY_NET) as receiver:
        creates = (client.requests.create(OPERATION, {"prompt": f"job {i}"}) for i in range(12))
        seen = [h async for h in client.requests.as_completed(creates, max_wait=30)]
    assert len({h.id for h in seen}) == len(seen) == 12
    assert all(h.status == "succeeded" and h.output is not None for h in seen)
    assert receiver.stats.accepted == 12
    assert gets.count == 0  # the safety net (60 s) never came due: deliveries did it all


async def test_copies_and_strangers_neither_double_nor_resolve(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    """Copies under fresh webhook-ids (past the dedupe store) and a delivery about an unknown
    request: every copy and the stranger are answered 204; each request is yielded once."""
    client, gets = counted
    cannon_sandbox.configure(job_duration_s=(60.0, 60.0), webhook_hosts=())  # we deliver
    secret = cannon_sandbox.webhook_secret
    updates: Counter[str] = Counter()
    async with (
        client.webhook_receiver(**NO_SAFETY_NET) as receiver,
        httpx2.AsyncClient() as http,
    ):
        handles = [await client.requests.create(OPERATION, {"prompt": f"{i}"}) for i in range(3)]
        url = receiver.public_url
        order: list[str] = []

        async def follow() -> None:
            async for handle in client.requests.as_completed(
                handles, max_wait=30, on_update=lambda h: updates.update([h.id])
            ):
                order.append(handle.id)

        following = asyncio.create_task(follow())
        await asyncio.sleep(0)
        answers = []
        for copy in range(3):  # three copies of each, interleaved, all signed, new ids
            for handle in handles:
                record = _record(handle.id)
                answers.append(await _deliver(http, url, secret, record, f"msg_{handle.id}_{copy}"))
        answers.append(await _deliver(http, url, secret, _record("req_nobody"), "msg_nobody"))
        await asyncio.wait_for(following, 10)
    assert answers == [204] * 10
    assert sorted(order) == sorted(h.id for h in handles)
    assert updates == dict.fromkeys(order, 1)
    assert all(h.status == "succeeded" for h in handles)
    assert receiver.stats.accepted == 10 and gets.count == 0


async def test_a_hint_makes_as_completed_get_once_at_once(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, gets = counted
    cannon_sandbox.configure(job_duration_s=(0.1, 0.1), webhook_hosts=())  # we deliver
    async with (
        client.webhook_receiver(**NO_SAFETY_NET) as receiver,
        httpx2.AsyncClient() as http,
    ):
        handle = await client.requests.create(OPERATION, {"prompt": "hint"})
        await asyncio.sleep(0.3)  # finished on the server
        stream = client.requests.as_completed([handle], max_wait=30)
        first = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(0)
        hint = _record(handle.id, full=False)
        status = await _deliver(http, receiver.public_url, cannon_sandbox.webhook_secret, hint, "m")
        assert status == 204
        assert (await asyncio.wait_for(first, 10)) is handle
        await stream.aclose()
    assert handle.status == "succeeded" and handle.output is not None
    assert gets.count == 1 and receiver.stats.hints == 1


async def test_a_receiver_that_stops_sends_its_requests_back_to_polling(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, gets = counted
    cannon_sandbox.configure(job_duration_s=(0.2, 0.2), poll_after_ms=100, webhook_hosts=())
    receiver = await client.webhook_receiver(**NO_SAFETY_NET).start()
    handles = [await client.requests.create(OPERATION, {"prompt": f"{i}"}) for i in range(3)]
    stream = client.requests.as_completed(handles, max_wait=30)
    first = asyncio.ensure_future(stream.__anext__())
    await asyncio.sleep(0.05)
    assert not first.done()  # listening: no delivery comes, the safety net is 60 s away
    await receiver.close()
    seen = [await asyncio.wait_for(first, 10)] + [h async for h in stream]
    assert sorted(h.id for h in seen) == sorted(h.id for h in handles)
    assert gets.count >= 3


async def test_a_delivery_taken_before_the_subscription_is_not_lost(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, gets = counted
    cannon_sandbox.configure(job_duration_s=(0.1, 0.1))
    async with client.webhook_receiver(**NO_SAFETY_NET) as receiver:
        handle = await client.requests.create(OPERATION, {"prompt": "early"})
        for _ in range(200):  # the delivery lands before anyone follows the request
            if receiver.stats.accepted:
                break
            await asyncio.sleep(0.02)
        assert receiver.stats.accepted == 1 and handle.status == "queued"
        seen = [h async for h in client.requests.as_completed([handle], max_wait=10)]
    assert seen == [handle] and handle.status == "succeeded"
    assert gets.count == 0


async def test_subscriptions_are_called_from_the_handler_until_unsubscribed(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, _ = counted
    cannon_sandbox.configure(job_duration_s=(60.0, 60.0), webhook_hosts=())
    secret = cannon_sandbox.webhook_secret
    heard: list[Any] = []
    async with (
        client.webhook_receiver(**NO_SAFETY_NET) as receiver,
        httpx2.AsyncClient() as http,
    ):
        assert receiver.subscribe("req_a", heard.append) is None
        await _deliver(http, receiver.public_url, secret, _record("req_a"), "m1")
        assert [n.request_id for n in heard] == ["req_a"]  # before the answer came back
        assert heard[0].record is not None
        receiver.unsubscribe("req_a", heard.append)
        receiver.unsubscribe("req_a", heard.append)  # a second time: no-op
        await _deliver(http, receiver.public_url, secret, _record("req_a"), "m2")
        assert len(heard) == 1
        early = receiver.subscribe("req_a", heard.append, after=heard[0].seq)
        assert early is not None and early.seq > heard[0].seq  # the second delivery
        assert receiver.subscribe("req_a", heard.append, after=early.seq) is None
    assert heard[1:] == [None, None]  # the receiver stopped: each subscription heard it once


class _Handle:
    def __init__(self, name: str) -> None:
        self.id = name

    def _next_delay(self) -> float:
        return 1.0


def test_discarded_entries_are_neither_polled_nor_listed() -> None:
    queue: PollQueue[Any] = PollQueue(limit=10.0, start=0.0)
    a, b, c = _Handle("a"), _Handle("b"), _Handle("c")
    queue.push_at(0, a, 1.0)
    queue.push_at(1, b, 2.0)
    queue.push_at(2, c, 3.0)
    queue.discard(0)
    queue.push_at(1, b, 5.0)  # moved: its first entry is stale
    assert queue.wake_at() == 3.0
    assert queue.take_due(4.0, room=10) == [(2, c)]
    assert queue  # b, at 5.0
    queue.discard(1)
    assert not queue and queue.take_due(100.0, room=10) == []
    queue.push_at(1, b, 5.0)
    queue.push_at(0, a, 6.0)
    queue.discard(0)
    with pytest.raises(WaitTimeoutError) as caught:  # b was never polled: made due, then listed
        assert queue.past_deadline(11.0, [])
        assert queue.take_due(11.0, room=10) == [(1, b)]
        queue.push_at(1, b, 12.0)
        queue.past_deadline(12.0, [])
    assert caught.value.request_ids == ["b"]
