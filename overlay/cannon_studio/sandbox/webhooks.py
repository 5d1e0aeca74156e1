"""Webhook delivery: a WebhookEvent POSTed to ``webhook_url`` when a request reaches a terminal state.

Signed with the ``standardwebhooks`` library (headers ``webhook-id``, ``webhook-timestamp``,
``webhook-signature``); non-2xx answers and transport errors are retried with exponential backoff
(``webhook_backoff_s``, doubled per retry) up to ``webhook_max_attempts`` attempts; the same
``webhook-id`` is used on every attempt. Every attempt is written to the delivery log.

Assumed (the docs only say terminal delivery is attempted): payload ``{id, type, timestamp,
data}`` with ``type`` ``request.succeeded`` / ``request.failed`` and ``data`` the request object.

A background ticker finds requests whose terminal time has passed, so webhooks go out even if
nobody polls. It runs for the server's lifetime (lifespan) and is also started on demand inside
whatever event loop serves a create, so in-process (ASGITransport) use delivers too.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx2
from standardwebhooks import Webhook

from .clock import iso_ms
from .config import SandboxConfig
from .state import RequestRecord, SandboxState


class WebhookDispatcher:
    """Schedules and delivers terminal webhooks for one sandbox.

    Args:
        state: the sandbox state (records and the clock).
        config: callable returning the current configuration.
        transport: optional httpx2 async transport for deliveries (e.g. an ASGI receiver in tests);
            when given, the loopback-only host check is skipped.
    """

    def __init__(
        self,
        state: SandboxState,
        config: Callable[[], SandboxConfig],
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self._state = state
        self._config = config
        self._transport = transport
        self._lock = threading.Lock()
        self._ticker: asyncio.Task[None] | None = None
        self.reset()

    def reset(self) -> None:
        """Forget pending webhooks and the delivery log (in-flight deliveries finish unlogged)."""
        with self._lock:
            self._pending: list[tuple[int, str]] = []
            self._deliveries: list[dict[str, Any]] = []
            self._tasks: set[asyncio.Task[None]] = set()
            self._generation = getattr(self, "_generation", 0) + 1

    def deliveries(self) -> list[dict[str, Any]]:
        """The delivery log: url, event_id, request_id, type, attempt, status_code, ok, error, at_ms."""
        with self._lock:
            return [dict(d) for d in self._deliveries]

    def register(self, record: RequestRecord) -> None:
        """Queue the terminal webhook of ``record`` (no-op without ``webhook_url``)."""
        if record.webhook_url:
            with self._lock:
                heapq.heappush(self._pending, (record.completed_at_ms, record.id))

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
        while True:
            self._state.tick()
            self.dispatch_due()
            if not persistent and self.idle:
                return
            await asyncio.sleep(self._config().ticker_interval_s)

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
            task = asyncio.get_running_loop().create_task(self.deliver(record))
            with self._lock:
                self._tasks.add(task)
            task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        with self._lock:
            self._tasks.discard(task)

    def _log(self, generation: int, entry: dict[str, Any]) -> None:
        with self._lock:
            if generation == self._generation:
                self._deliveries.append(entry)

    def event_for(self, record: RequestRecord) -> dict[str, Any]:
        """The WebhookEvent for a terminal ``record``."""
        data = self._state.view(record, at_ms=record.completed_at_ms)
        return {
            "id": "msg_" + secrets.token_hex(12),
            "type": f"request.{data['status']}",
            "timestamp": iso_ms(record.completed_at_ms),
            "data": data,
        }

    async def deliver(self, record: RequestRecord) -> None:
        """Deliver the terminal event of ``record`` with retries; log every attempt."""
        cfg = self._config()
        generation = self._generation
        url = record.webhook_url or ""
        event = self.event_for(record)
        payload = json.dumps(event, separators=(",", ":"))
        base = {"url": url, "event_id": event["id"], "request_id": record.id, "type": event["type"]}
        host = urlsplit(url).hostname or ""
        if self._transport is None and host not in cfg.webhook_hosts:
            self._log(
                generation,
                {
                    **base,
                    "attempt": 0,
                    "status_code": None,
                    "ok": False,
                    "error": f"host {host!r} not in webhook_hosts; not attempted",
                    "at_ms": self._state.clock_ms(),
                },
            )
            return
        signer = Webhook(cfg.webhook_secret)
        async with httpx2.AsyncClient(
            transport=self._transport, timeout=cfg.webhook_timeout_s
        ) as client:
            for attempt in range(1, cfg.webhook_max_attempts + 1):
                now = datetime.now(tz=UTC)
                headers = {
                    "content-type": "application/json",
                    "user-agent": "cannon-studio-sandbox/webhooks",
                    "webhook-id": event["id"],
                    "webhook-timestamp": str(int(now.timestamp())),
                    "webhook-signature": signer.sign(event["id"], now, payload),
                }
                status: int | None = None
                error: str | None = None
                try:
                    response = await client.post(url, content=payload.encode(), headers=headers)
                    status = response.status_code
                except httpx2.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                ok = status is not None and 200 <= status < 300
                self._log(
                    generation,
                    {
                        **base,
                        "attempt": attempt,
                        "status_code": status,
                        "ok": ok,
                        "error": error,
                        "at_ms": int(time.time() * 1000),
                    },
                )
                if ok or attempt == cfg.webhook_max_attempts:
                    return
                await asyncio.sleep(cfg.webhook_backoff_s * 2 ** (attempt - 1))

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
