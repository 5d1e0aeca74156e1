"""Sending one webhook event like a real at-least-once sender: signed attempts with retries and
exponential backoff, and a delivery log of every attempt.

Assumed (the docs only say terminal delivery "is attempted"): any 2xx acknowledges; a non-2xx
answer, a transport error or no answer within ``webhook_timeout_s`` is retried after
``webhook_backoff_s``, doubled on each retry, up to ``webhook_max_attempts`` attempts. Every
attempt carries the same ``webhook-id`` and body and a fresh ``webhook-timestamp`` and
signature (Standard Webhooks), signed with real wall time even when the sandbox clock was moved,
so receivers checking the timestamp tolerance accept it.

Deliveries may repeat (the ``duplicate`` fault kind sends a second copy with the same
``webhook-id``) and arrive out of order (``reorder`` holds one back): receivers dedupe on
``webhook-id`` and answer 2xx to a duplicate.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2
from standardwebhooks import Webhook

USER_AGENT = "cannon-studio-sandbox/webhooks"


@dataclass(frozen=True)
class Attempt:
    """What one delivery copy is: which copy, and whether it was held back.

    Attributes:
        copy: 1 for the delivery, 2 for a duplicate copy (same ``webhook-id``).
        held_s: SECONDS the delivery was held back by a ``reorder`` fault (0 if not).
    """

    copy: int = 1
    held_s: float = 0.0


class DeliveryLog:
    """The delivery log: one entry per attempt (thread-safe).

    Entry keys: ``url``, ``event_id``, ``request_id``, ``type``, ``copy`` (1, or 2 for a
    duplicate), ``duplicate``, ``held_s`` (reorder hold-back), ``attempt`` (0 = not attempted),
    ``status_code``, ``ok``, ``error``, ``at_ms`` (sandbox clock).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._generation = 0

    def reset(self) -> None:
        """Forget every entry; attempts of older deliveries are no longer recorded."""
        with self._lock:
            self._entries = []
            self._generation += 1

    @property
    def generation(self) -> int:
        """Changes on every :meth:`reset`."""
        with self._lock:
            return self._generation

    def add(self, generation: int, entry: dict[str, Any]) -> None:
        """Record ``entry`` unless the log was reset since ``generation``."""
        with self._lock:
            if generation == self._generation:
                self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        """A copy of the log, in the order the attempts finished."""
        with self._lock:
            return [dict(e) for e in self._entries]


@dataclass(frozen=True)
class Policy:
    """Retry policy of one delivery: attempts (first one included), backoff and timeout SECONDS."""

    max_attempts: int
    backoff_s: float
    timeout_s: float


class DeliveryFailed(Exception):
    """An attempt got no HTTP answer (connection refused or dropped, timeout); the message
    names the error's type and text."""


Post = Callable[[str, bytes, dict[str, str], float], Awaitable[int]]
"""``post(url, body, headers, timeout_s) -> status code``; raises ``DeliveryFailed``."""


def httpx2_post(client: httpx2.AsyncClient) -> Post:
    """Attempts through an ``httpx2.AsyncClient`` (any transport, e.g. an ASGI receiver)."""

    async def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
        try:
            response = await client.post(url, content=body, headers=headers, timeout=timeout_s)
        except httpx2.HTTPError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None
        return response.status_code

    return post


def aiohttp_post(session: Any) -> Post:
    """Attempts through an ``aiohttp.ClientSession``: a fraction of httpx2's CPU per POST, so
    thousands of deliveries a second do not starve the API the sandbox serves in the same loop."""
    import aiohttp  # only when aiohttp is installed: see WebhookDispatcher

    async def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
        try:
            async with session.post(
                url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=timeout_s)
            ) as response:
                await response.read()
                return int(response.status)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None

    return post


async def send(
    post: Post,
    url: str,
    event: dict[str, Any],
    payload: str,
    secret: str,
    policy: Policy,
    record: Callable[[dict[str, Any]], None],
    attempt_kind: Attempt,
) -> bool:
    """POST ``payload`` to ``url`` until a 2xx or ``policy.max_attempts``; log every attempt.

    Returns whether some attempt was acknowledged with a 2xx.
    """
    signer = Webhook(secret)
    body = payload.encode()
    for attempt in range(1, policy.max_attempts + 1):
        now = datetime.now(tz=UTC)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": event["id"],
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signer.sign(event["id"], now, payload),
        }
        status: int | None = None
        error: str | None = None
        try:
            status = await post(url, body, headers, policy.timeout_s)
        except DeliveryFailed as exc:
            error = str(exc)
        ok = status is not None and 200 <= status < 300
        record(
            {
                "copy": attempt_kind.copy,
                "duplicate": attempt_kind.copy > 1,
                "held_s": attempt_kind.held_s,
                "attempt": attempt,
                "status_code": status,
                "ok": ok,
                "error": error,
            }
        )
        if ok:
            return True
        if attempt < policy.max_attempts:
            await asyncio.sleep(policy.backoff_s * 2 ** (attempt - 1))
    return False
