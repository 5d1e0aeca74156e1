"""Webhook-driven waiting against the real sandbox on loopback: the sandbox POSTs its terminal
webhooks to a ``WebhookReceiver`` of the client, which resolves the waits.

What is asserted: every job finishes with far fewer GETs than polling makes; with deliveries
dropped (the sandbox's ``drop`` fault) every job still finishes, through the safety-net poll;
duplicated deliveries never resolve a request twice; hostile deliveries (bad signature, huge
body, garbage, wrong method) are refused and resolve nothing; the secret never shows.

And ``as_completed`` with a running receiver, whose request handler hands each delivery to the
scheduler (a subscription, no task per request) while the poll queue keeps only the safety net:
a delivery resolves its request without a GET (the safety net set far beyond the test); copies
of a delivery, even under new ``webhook-id`` values that pass the dedupe store, yield the request
once and call ``on_update`` once; a delivery about a request nobody follows is answered 204 and
changes nothing; one without the whole record costs one GET at once; a receiver that stops sends
its requests back to polling; a delivery taken before the scheduler subscribed is not lost; the
poll queue's discarded entries are never polled nor listed at the deadline.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from cannon_studio import (
    AsyncCannon,
    ConfigurationError,
    WaitTimeoutError,
    WebhookReceiver,
    Webhooks,
)
from cannon_studio._as_completed import PollQueue
from cannon_studio.webhooks import sign
from cannon_studio_sandbox.config import FaultRule

OPERATION = "image.generate"
JOBS = 24
# Short jobs that polling would need several GETs for (first poll after poll_after_ms).
TIMING = {"job_duration_s": (0.3, 0.8), "poll_after_ms": 100}
OTHER_SECRET = "whsec_" + "b3RoZXItc2VjcmV0LW5vdC10aGUtc2FuZGJveHMtMDAwMQ=="


class _Gets:
    """Counts the GETs of request objects a client sends (its own httpx2 client's hook)."""

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


async def _create_all(client: AsyncCannon, n: int) -> list[Any]:
    return list(
        await asyncio.gather(
            *(client.requests.create(OPERATION, {"prompt": f"job {i}"}) for i in range(n))
        )
    )


async def test_waits_are_resolved_by_deliveries_not_polls(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, gets = counted
    cannon_sandbox.configure(**TIMING)
    async with client.webhook_receiver() as receiver:
        handles = await _create_all(client, JOBS)
        await asyncio.gather(*(h.wait(max_wait=30) for h in handles))
    assert [h.status for h in handles] == ["succeeded"] * JOBS
    assert all(h.output is not None for h in handles)
    # Every create carried the receiver's URL; every delivery was taken.
    delivered = cannon_sandbox.sandbox.webhook_deliveries()
    assert {d["url"] for d in delivered} == {receiver.public_url}
    assert receiver.stats.accepted == JOBS
    # Polling the same jobs costs >= 1 GET each (poll_after_ms, then backoff); here none is
    # needed, and at most one in ten is allowed for deliveries slowed by load.
    assert gets.count <= JOBS // 10


async def test_the_same_jobs_polled_cost_a_get_each_at_least(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    """The baseline of the test above: without a receiver the waits poll."""
    client, gets = counted
    cannon_sandbox.configure(**TIMING)
    handles = await _create_all(client, JOBS)
    await asyncio.gather(*(h.wait(max_wait=30) for h in handles))
    assert gets.count >= JOBS


async def test_dropped_deliveries_are_found_by_the_safety_net(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, gets = counted
    cannon_sandbox.configure(**TIMING)
    cannon_sandbox.sandbox.add_fault(FaultRule("drop", endpoint="webhooks", rate=0.3))
    async with client.webhook_receiver(safety_min_s=0.2, safety_default_s=1.0) as receiver:
        handles = await _create_all(client, JOBS)
        await asyncio.gather(*(h.wait(max_wait=30) for h in handles))
    dropped = {
        d["request_id"]
        for d in cannon_sandbox.sandbox.webhook_deliveries()
        if d["error"] == "dropped (fault)"
    }
    assert dropped, "the drop fault lost no delivery; the test proves nothing"
    assert [h.status for h in handles] == ["succeeded"] * JOBS
    assert all(h.output is not None for h in handles)
    assert receiver.stats.accepted == JOBS - len(dropped)
    assert gets.count >= len(dropped)  # each lost delivery was replaced by a GET


async def test_duplicated_deliveries_never_resolve_twice(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, _ = counted
    cannon_sandbox.configure(**TIMING)
    cannon_sandbox.sandbox.add_fault(FaultRule("duplicate", endpoint="webhooks", delay_s=0.0))
    finished: Counter[str] = Counter()

    def on_update(handle: Any) -> None:
        if handle.is_terminal:
            finished[handle.id] += 1

    async with client.webhook_receiver() as receiver:
        handles = await _create_all(client, JOBS)
        await asyncio.gather(*(h.wait(max_wait=30, on_update=on_update) for h in handles))
        await cannon_sandbox.sandbox.drain_webhooks()
        for _ in range(100):  # the copies land after the waits ended
            if receiver.stats.duplicates >= JOBS:
                break
            await asyncio.sleep(0.02)
    assert receiver.stats.duplicates == JOBS
    assert receiver.stats.accepted == JOBS
    assert finished == dict.fromkeys((h.id for h in handles), 1)
    assert cannon_sandbox.sandbox.created_count() == JOBS


def _delivery(secret: str, record: dict[str, Any], webhook_id: str = "msg_forged") -> tuple:
    body = json.dumps(
        {
            "id": webhook_id,
            "type": "request.succeeded",
            "timestamp": "2026-01-01T00:00:00Z",
            "data": record,
        }
    ).encode()
    ts = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, webhook_id, ts, body),
    }
    return body, headers


async def test_hostile_deliveries_are_refused_and_resolve_nothing(
    counted: tuple[AsyncCannon, _Gets],
    cannon_sandbox: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, _ = counted
    cannon_sandbox.configure(job_duration_s=(60.0, 60.0))
    caplog.set_level(logging.DEBUG)
    async with client.webhook_receiver(safety_default_s=60.0) as receiver:
        handle = await client.requests.create(OPERATION, {"prompt": "slow"})
        forged = {**(cannon_sandbox.sandbox.request_object(handle.id) or {}), "status": "succeeded"}
        forged.update(completedAtMs=forged["createdAtMs"], output={"status": "succeeded"})
        url = receiver.public_url
        async with httpx2.AsyncClient() as http:
            body, headers = _delivery(OTHER_SECRET, forged)
            assert (await http.post(url, content=body, headers=headers)).status_code == 401
            headers["webhook-signature"] = "v1,AAAA"
            assert (await http.post(url, content=body, headers=headers)).status_code == 401
            assert (await http.post(url, content=b"{", headers={})).status_code == 400
            huge = b"x" * (receiver.webhooks.max_body_bytes + 1)
            assert (await http.post(url, content=huge, headers=headers)).status_code == 413

            async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: refused as it grows
                for _ in range(receiver.webhooks.max_body_bytes // 65536 + 2):
                    yield b"y" * 65536

            assert (await http.post(url, content=chunks(), headers=headers)).status_code == 413
            assert (await http.get(url)).status_code == 405
            assert (await http.post(url + "/elsewhere", content=body)).status_code == 404
        reader, writer = await asyncio.open_connection("127.0.0.1", receiver.port)
        writer.write(b"\x00\xffNOT HTTP AT ALL\r\n\r\n")
        await writer.drain()
        answer = await reader.read(100)
        writer.close()
        assert answer.split(b" ")[1] == b"400"
        # Nothing was resolved: the request is still running, on the server and here.
        assert handle.status in ("queued", "processing")
        notice = await receiver.next_notice(handle.id, 0, 0.05)
        assert notice is None
        # Each refusal is counted: the two forgeries, the missing headers and the bytes that
        # are not HTTP, the two bodies too large, the method and the path.
        assert receiver.stats.refused == {401: 2, 400: 2, 413: 2, 405: 1, 404: 1}
        assert receiver.stats.accepted == 0
    secret = cannon_sandbox.webhook_secret
    assert secret not in caplog.text and secret[6:] not in caplog.text
    assert "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)
    assert secret not in repr(receiver) and secret not in repr(receiver.webhooks)


async def test_a_hint_without_the_record_costs_one_get(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    """A verified delivery whose data lacks the terminal result (Assumed shape differs) is a
    hint: the wait GETs once at once, and takes the result from the GET."""
    client, gets = counted
    cannon_sandbox.configure(job_duration_s=(0.2, 0.2), webhook_hosts=())  # sandbox sends none
    async with client.webhook_receiver(safety_default_s=60.0) as receiver:
        handle = await client.requests.create(OPERATION, {"prompt": "hint"})
        await asyncio.sleep(0.4)  # finished on the server; no delivery came
        record = {
            "id": handle.id,
            "operation": OPERATION,
            "status": "succeeded",
            "createdAtMs": 1,
            "output": None,
        }
        body, headers = _delivery(cannon_sandbox.webhook_secret, record, "msg_hint")
        async with httpx2.AsyncClient() as http:
            assert (
                await http.post(receiver.public_url, content=body, headers=headers)
            ).status_code == 204
        await handle.wait(max_wait=5)
    assert handle.status == "succeeded" and handle.output is not None
    assert gets.count == 1 and receiver.stats.hints == 1


async def test_receiver_configuration_errors_name_the_field(cannon_sandbox: Any) -> None:
    async with AsyncCannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as c:
        with pytest.raises(ConfigurationError, match="webhook secret"):
            c.webhook_receiver()
    hooks = Webhooks(cannon_sandbox.webhook_secret)
    with pytest.raises(ConfigurationError, match="public_url"):
        WebhookReceiver(hooks, public_url="not a url")
    with pytest.raises(ConfigurationError, match="port"):
        WebhookReceiver(hooks, port=70000)
    with pytest.raises(ConfigurationError, match="safety_min_s"):
        WebhookReceiver(hooks, safety_min_s=0)
    receiver = WebhookReceiver(hooks, public_url="https://hooks.example.com/cannon?t=1")
    assert receiver.path == "/cannon" and not receiver.running
    assert "t=1" not in repr(receiver) or "hooks.example.com" in repr(receiver)


async def test_as_completed_listens_for_deliveries(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    """Pending creates fed to ``as_completed`` are followed by their deliveries (no polls), and
    a dropped delivery is found by the safety net; each request is yielded once."""
    client, gets = counted
    cannon_sandbox.configure(**TIMING)
    cannon_sandbox.sandbox.add_fault(FaultRule("drop", endpoint="webhooks", count=2))
    updates: Counter[str] = Counter()
    async with client.webhook_receiver(safety_min_s=0.2, safety_default_s=1.5):
        creates = (client.requests.create(OPERATION, {"prompt": f"job {i}"}) for i in range(JOBS))
        seen = [
            h.id
            async for h in client.requests.as_completed(
                creates, max_wait=30, on_update=lambda h: updates.update([h.id])
            )
        ]
    assert len(seen) == len(set(seen)) == JOBS
    assert set(updates) == set(seen)
    assert 2 <= gets.count <= 2 * 3 + JOBS // 10  # only the two lost deliveries cost GETs


async def test_as_completed_with_a_receiver_keeps_its_deadline(
    counted: tuple[AsyncCannon, _Gets], cannon_sandbox: Any
) -> None:
    client, _ = counted
    cannon_sandbox.configure(job_duration_s=(60.0, 60.0))
    async with client.webhook_receiver(safety_default_s=60.0):
        handles = await _create_all(client, 3)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as caught:
            async for _ in client.requests.as_completed(handles, max_wait=0.5):
                pass
    assert sorted(caught.value.request_ids) == sorted(h.id for h in handles)
    assert time.monotonic() - started < 10  # the deadline, not the 60 s safety net


NO_SAFETY_NET = {"safety_min_s": 60.0, "safety_default_s": 60.0}  # far beyond every test


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
    body, headers = _delivery(secret, record, webhook_id)
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

    def _next_delay(self, close: bool = False) -> float:
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
