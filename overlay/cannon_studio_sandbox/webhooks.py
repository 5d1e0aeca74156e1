"""Webhook scheduling: a WebhookEvent POSTed to ``webhook_url`` when a request reaches a terminal
state, delivered like a real at-least-once sender (see :mod:`.delivery`).

Assumed (the docs only say terminal delivery is attempted): payload ``{id, type, timestamp,
data}`` with ``type`` ``request.succeeded`` / ``request.failed`` and ``data`` the request object,
signed per Standard Webhooks; retries with exponential backoff on non-2xx, errors and timeouts.

Webhook fault kinds (``FaultRule(kind, endpoint="webhooks")``), drawn once per event:
``duplicate`` sends the event a second time, same ``webhook-id``, ``delay_s`` after the first
copy was acknowledged (or given up); ``reorder`` holds the event back ``delay_s`` so events that
fell due later overtake it; ``drop`` loses the event (no attempt is made; the delivery log
records it as ``attempt`` 0 with ``error`` ``"dropped (fault)"``).

A background ticker finds requests whose terminal time has passed (on the sandbox clock), so
webhooks go out even if nobody polls. It runs for the server's lifetime (lifespan) and is also
started on demand inside whatever event loop serves a create, so in-process (ASGITransport) use
delivers too.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import secrets
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx2

from .clock import iso_ms
from .config import SandboxConfig
from .delivery import Attempt, DeliveryLog, Policy, Post, aiohttp_post, httpx2_post, send
from .faults import FaultInjector
from .state import RequestRecord, SandboxState

DELIVERY_CONNECTIONS = 256
"""Deliveries in flight at once per event loop (the rest wait their turn), over one shared
HTTP client with that many keep-alive connections. Each one is in flight for a round trip of
the receiver's event loop, tens of milliseconds on a receiver busy sending its own creates:
a smaller cap makes deliveries queue in the sandbox, a delay a real sender, fanning out from
many machines, would not add (64 held them back 0.4 s at 10,000 jobs in 25 s). It matches the
client receiver's default ``RECEIVER_MAX_CONCURRENT``, so a burst is never answered 503."""


def _unsent(error: str) -> dict[str, Any]:
    """The delivery-log fields of an event that was never attempted, and why."""
    return {
        "copy": 1,
        "duplicate": False,
        "held_s": 0.0,
        "attempt": 0,
        "status_code": None,
        "ok": False,
        "error": error,
    }


class WebhookDispatcher:
    """Schedules and delivers terminal webhooks for one sandbox.

    Args:
        state: the sandbox state (records and the clock).
        config: callable returning the current configuration.
        transport: optional httpx2 async transport for deliveries (e.g. an ASGI receiver in
            tests); when given, the loopback-only host check is skipped.
        faults: the sandbox's fault injector (webhook fault kinds ``duplicate``, ``reorder``, ``drop``).
    """

    def __init__(
        self,
        state: SandboxState,
        config: Callable[[], SandboxConfig],
        transport: httpx2.AsyncBaseTransport | None = None,
        faults: FaultInjector | None = None,
    ) -> None:
        self._state = state
        self._config = config
        self._transport = transport
        self._faults = faults
        self._lock = threading.Lock()
        self._ticker: asyncio.Task[None] | None = None
        self._log = DeliveryLog()
        self._senders: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop,
            tuple[Callable[[], Awaitable[None]], Post, asyncio.Semaphore],
        ] = weakref.WeakKeyDictionary()
        self.reset()

    def reset(self) -> None:
        """Forget pending webhooks and the delivery log (in-flight deliveries finish unlogged)."""
        with self._lock:
            self._pending: list[tuple[int, str]] = []
            self._tasks: set[asyncio.Task[None]] = set()
        self._log.reset()

    def deliveries(self) -> list[dict[str, Any]]:
        """The delivery log: one entry per attempt, in the order the attempts finished (keys in
        :class:`~.delivery.DeliveryLog`)."""
        return self._log.entries()

    def register(self, record: RequestRecord) -> None:
        """Queue the terminal webhook of ``record`` (no-op without ``webhook_url``).

        Inside a running loop (the app's create) a timer also dispatches it at the request's
        completion time, so a delivery leaves when its job ends, as a real sender's would,
        not up to ``ticker_interval_s`` later; the ticker still catches everything else (a
        clock that was moved, a timer in a loop that stopped)."""
        if not record.webhook_url:
            return
        with self._lock:
            heapq.heappush(self._pending, (record.completed_at_ms, record.id))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        due_s = (record.completed_at_ms - self._state.clock_ms() + 1) / 1000.0
        loop.call_later(max(0.0, due_s), self._on_time)

    def _on_time(self) -> None:
        """A registration's timer: apply what fell due (refunds...), then dispatch."""
        self._state.tick()
        self.dispatch_due()

    def has_pending(self) -> bool:
        """True when some webhook is waiting for its request to become terminal."""
        with self._lock:
            return bool(self._pending)

    @property
    def idle(self) -> bool:
        """True when nothing is pending or being delivered."""
        with self._lock:
            return not self._pending and not self._tasks

    def ensure_ticker(self) -> None:
        """Start an on-demand ticker in the running loop if none is alive there."""
        loop = asyncio.get_running_loop()
        ticker = self._ticker
        if ticker is not None and not ticker.done() and ticker.get_loop() is loop:
            return
        self._ticker = loop.create_task(self.run(persistent=False))

    async def run(self, persistent: bool = True) -> None:
        """Ticker loop: dispatch due webhooks every ``ticker_interval_s`` seconds.

        With ``persistent=False`` it stops once nothing is pending or in flight.
        """
        try:
            while True:
                self._state.tick()
                self.dispatch_due()
                if not persistent and self.idle:
                    return
                await asyncio.sleep(self._config().ticker_interval_s)
        finally:
            await self._close_sender()

    async def _close_sender(self) -> None:
        """Close the running loop's delivery client once nothing is being delivered."""
        loop = asyncio.get_running_loop()
        with self._lock:
            busy = bool(self._tasks)
            current = None if busy else self._senders.pop(loop, None)
        if current is not None:
            await current[0]()

    def dispatch_due(self) -> None:
        """Start a delivery task for every pending webhook whose request is now terminal."""
        now = self._state.clock_ms()
        due: list[str] = []
        with self._lock:
            while self._pending and self._pending[0][0] <= now:
                due.append(heapq.heappop(self._pending)[1])
        for request_id in due:
            record = self._state.requests.get(request_id)
            if record is None:
                continue
            if self._fault_delay("drop", request_id) is not None:
                self._log_dropped(record)
                continue
            held_s = self._fault_delay("reorder", request_id)
            duplicate_s = self._fault_delay("duplicate", request_id)
            task = asyncio.get_running_loop().create_task(
                self.deliver(record, held_s=held_s or 0.0, duplicate_after_s=duplicate_s)
            )
            with self._lock:
                self._tasks.add(task)
            task.add_done_callback(self._forget)

    def _log_dropped(self, record: RequestRecord) -> None:
        """Log a delivery the ``drop`` fault lost (no attempt was made)."""
        base = {"url": record.webhook_url or "", "event_id": None, "request_id": record.id}
        entry = {**base, "type": None, **_unsent("dropped (fault)")}
        self._log.add(self._log.generation, {**entry, "at_ms": self._state.clock_ms()})

    def _sender(self) -> tuple[Post, asyncio.Semaphore]:
        """How deliveries of the running loop are POSTed, and the semaphore that keeps at most
        ``DELIVERY_CONNECTIONS`` of them in flight. One HTTP client per loop (building one costs
        tens of milliseconds of CPU): an aiohttp client when aiohttp is installed and no
        ``transport`` was given (its POSTs cost a fraction of httpx2's CPU), else httpx2."""
        loop = asyncio.get_running_loop()
        with self._lock:
            current = self._senders.get(loop)
            if current is None:
                current = self._senders[loop] = self._new_sender()
            return current[1], current[2]

    def _new_sender(self) -> tuple[Callable[[], Awaitable[None]], Post, asyncio.Semaphore]:
        """``(close, post, slots)`` for the running loop."""
        slots = asyncio.Semaphore(DELIVERY_CONNECTIONS)
        if self._transport is None:
            try:
                import aiohttp  # optional: the [webhooks] / [aiohttp] extras
            except ImportError:
                pass
            else:
                connector = aiohttp.TCPConnector(limit=DELIVERY_CONNECTIONS)
                session = aiohttp.ClientSession(connector=connector)
                return session.close, aiohttp_post(session), slots
        limits = httpx2.Limits(
            max_connections=DELIVERY_CONNECTIONS, max_keepalive_connections=DELIVERY_CONNECTIONS
        )
        client = httpx2.AsyncClient(transport=self._transport, limits=limits)
        return client.aclose, httpx2_post(client), slots

    def _fault_delay(self, kind: str, request_id: str) -> float | None:
        """``delay_s`` of the ``kind`` webhook fault that hits this event, or ``None``."""
        if self._faults is None:
            return None
        rule = self._faults.pick("webhooks", "POST", request_id, kinds=(kind,))
        return rule.delay_s if rule is not None else None

    def _forget(self, task: asyncio.Task[None]) -> None:
        with self._lock:
            self._tasks.discard(task)

    def event_for(self, record: RequestRecord) -> dict[str, Any]:
        """The WebhookEvent for a terminal ``record``."""
        data = self._state.view(record, at_ms=record.completed_at_ms)
        return {
            "id": "msg_" + secrets.token_hex(12),
            "type": f"request.{data['status']}",
            "timestamp": iso_ms(record.completed_at_ms),
            "data": data,
        }

    async def deliver(
        self, record: RequestRecord, held_s: float = 0.0, duplicate_after_s: float | None = None
    ) -> None:
        """Deliver the terminal event of ``record`` with retries; log every attempt.

        Args:
            held_s: SECONDS to hold the delivery back first (``reorder`` fault).
            duplicate_after_s: when set, send a second copy (same ``webhook-id``) that many
                SECONDS after the first one finished (``duplicate`` fault).
        """
        cfg = self._config()
        generation = self._log.generation
        url = record.webhook_url or ""
        event = self.event_for(record)
        payload = json.dumps(event, separators=(",", ":"))
        base = {"url": url, "event_id": event["id"], "request_id": record.id, "type": event["type"]}

        def log(entry: dict[str, Any]) -> None:
            self._log.add(generation, {**base, **entry, "at_ms": self._state.clock_ms()})

        host = urlsplit(url).hostname or ""
        if self._transport is None and host not in cfg.webhook_hosts:
            log(_unsent(f"host {host!r} not in webhook_hosts; not attempted"))
            return
        policy = Policy(cfg.webhook_max_attempts, cfg.webhook_backoff_s, cfg.webhook_timeout_s)
        post, slots = self._sender()
        if held_s:
            await asyncio.sleep(held_s)  # reorder: events that fell due later go first
        async with slots:
            await send(
                post, url, event, payload, cfg.webhook_secret, policy, log, Attempt(1, held_s)
            )
        if duplicate_after_s is not None:
            await asyncio.sleep(duplicate_after_s)
            async with slots:
                await send(
                    post, url, event, payload, cfg.webhook_secret, policy, log, Attempt(2, held_s)
                )

    async def drain(self, timeout_s: float = 10.0) -> None:
        """Wait (in the loop that runs deliveries) until nothing is pending or in flight.

        Raises:
            TimeoutError: still busy after ``timeout_s`` seconds.
        """
        deadline = time.monotonic() + timeout_s
        while not self.idle:
            self.dispatch_due()
            if time.monotonic() > deadline:
                raise TimeoutError(f"webhooks still pending after {timeout_s} s")
            await asyncio.sleep(0.005)
