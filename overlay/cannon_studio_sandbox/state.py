"""Sandbox state: accounts and credits, requests, the ledger and idempotency keys.

What one request is, and how it reads as a RequestObject, is :mod:`.records` (pure); this module
holds the mutable state around the records. The lifecycle is computed from timestamps on every
read (no per-request timers), so thousands of requests cost nothing while they wait. What must *happen* at a
time (refunds of failed requests, the 7-day sweep of request logs) sits in due-queues on the
sandbox clock and is applied by :meth:`SandboxState.tick`, which every API call and the ticker
run. All mutation happens under one lock, so the control handle can be used from another thread
than the server's.
"""

from __future__ import annotations

import hmac
import random
import secrets
import threading
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from . import outputs
from .clock import DueQueue, SandboxClock, wall_ms
from .config import SandboxConfig
from .mediaspec import AssetSpec, plan
from .pricing import price
from .records import (
    FAIL_MARKER,
    CreateOutcome,
    RequestRecord,
    contains_marker,
    fingerprint,
    request_object,
)
from .retention import RETENTION_DAYS, RETENTION_MS, RetentionSweeper
from .storage import AssetSigner, asset_ref

__all__ = [
    "FAIL_MARKER",
    "RETENTION_DAYS",
    "RETENTION_MS",
    "AssetSigner",
    "CreateOutcome",
    "RequestRecord",
    "SandboxState",
    "fingerprint",
    "now_ms",
]

#: Wall-clock time in epoch milliseconds (the default clock source).
now_ms = wall_ms
#: How many sandbox sources deep a source chain is followed (upscale of a lip sync of a video...).
MAX_SOURCE_DEPTH = 16


class SandboxState:
    """All mutable state of one sandbox.

    Args:
        config: the sandbox configuration (read on every create, so updates apply at once).
        clock: the sandbox clock, or a bare time source in epoch milliseconds (wrapped in a
            :class:`~.clock.SandboxClock`).
    """

    def __init__(
        self, config: SandboxConfig, clock: SandboxClock | Callable[[], int] = now_ms
    ) -> None:
        self.config = config
        self.clock = clock if isinstance(clock, SandboxClock) else SandboxClock(clock)
        self.clock_ms: Callable[[], int] = self.clock.now_ms
        self.lock = threading.RLock()
        self.signer = AssetSigner()
        self.retention = RetentionSweeper()
        self.refunds = DueQueue()
        self.reset()

    def reset(self) -> None:
        """Forget every request, ledger entry and idempotency key; refill credits; reseed."""
        with self.lock:
            self.requests: dict[str, RequestRecord] = {}
            self.ledger: deque[dict[str, Any]] = deque()
            self.idempotency: dict[tuple[str, str], tuple[str, str, int]] = {}
            # Totals of evicted requests per account: [created, credits net of refunds].
            self.evicted: dict[str, list[int]] = {}
            self.credits: dict[str, int] = dict.fromkeys(
                self.config.api_keys.values(), self.config.initial_credits
            )
            self.rng = random.Random(self.config.seed)
            self._counter = 0
            self.retention.reset()
            self.refunds.clear()

    def tick(self, at_ms: int | None = None) -> list[str]:
        """Apply what fell due by ``at_ms`` (default: now): refunds, then the retention sweep.

        Returns the ids of requests whose log was swept by this call.
        """
        at = self.clock_ms() if at_ms is None else at_ms
        with self.lock:
            for request_id in self.refunds.pop_due(at):
                record = self.requests.get(request_id)
                if record is None or record.refunded:
                    continue
                record.refunded = record.credits
                self.credits[record.account] = self.credits.get(record.account, 0) + record.credits
                for entry in self.ledger:
                    if entry["id"] == request_id:
                        entry["refunded_credits"] = record.credits
            swept = []
            for request_id in self.retention.sweep(at):
                record = self.requests.get(request_id)
                if record is not None and not record.log_swept:
                    record.log_swept = True
                    swept.append(request_id)
            return swept

    # -- accounts -----------------------------------------------------------------------------

    def account_for_key(self, key: str | None) -> str | None:
        """The account of an API key, or ``None`` when the key is unknown."""
        if not key:
            return None
        for known, account in self.config.api_keys.items():
            if hmac.compare_digest(known.encode(), key.encode()):
                return account
        return None

    def credits_remaining(self, account: str) -> int:
        """Credit balance of ``account`` (refunds that fell due are applied first)."""
        self.tick()
        with self.lock:
            return self.credits.get(account, self.config.initial_credits)

    def set_credits(self, account: str, credits: int) -> None:
        """Set the balance of ``account`` (credits, integer >= 0)."""
        with self.lock:
            self.credits[account] = int(credits)

    # -- create -------------------------------------------------------------------------------

    def _new_id(self) -> str:
        self._counter += 1
        return f"req_{self._counter:06d}{secrets.token_hex(6)}"

    def create(
        self,
        account: str,
        body: dict[str, Any],
        idempotency_key: str | None,
        base_url: str,
    ) -> CreateOutcome:
        """Create (or replay) a request from a validated body; charge credits once.

        Order: idempotency replay/conflict first (a replay charges nothing), then the credit
        check (402 ``insufficient_credits``), then commit: record + ledger entry + charge.
        """
        cfg = self.config
        at = self.clock_ms()
        digest = fingerprint(body)
        with self.lock:
            if idempotency_key is not None:
                seen = self.idempotency.get((account, idempotency_key))
                if seen is not None and at - seen[2] <= cfg.idempotency_ttl_s * 1000:
                    if seen[1] != digest:
                        return CreateOutcome(
                            error=(
                                409,
                                "idempotency_conflict",
                                "this x-idempotency-key was already used with a different body",
                            )
                        )
                    return CreateOutcome(record=self.requests[seen[0]], replayed=True)
            operation: str = body["operation"]
            input_: dict[str, Any] = body["input"]
            specs = self._plan(operation, input_, depth=0)
            primary = next(iter(specs.values()), None)
            seconds = primary.duration_s if primary and primary.kind in ("video", "audio") else None
            cost = price(operation, input_, seconds)
            balance = self.credits.get(account, cfg.initial_credits)
            if balance < cost:
                return CreateOutcome(
                    error=(
                        402,
                        "insufficient_credits",
                        f"this request costs {cost} credits; {balance} remaining",
                    )
                )
            lo, hi = cfg.job_duration_s
            duration_ms = int(self.rng.uniform(lo, hi) * 1000) if hi > 0 else 0
            random_failure = cfg.failure_rate > 0 and self.rng.random() < cfg.failure_rate
            error = None
            if contains_marker(input_):
                error = "Generation failed: the input contains the sandbox failure marker [fail]."
            elif random_failure:
                error = "Generation failed: the provider returned an error (sandbox failure_rate)."
            request_id = self._new_id()
            started = at + int(cfg.queue_delay_s * 1000)
            record = RequestRecord(
                id=request_id,
                account=account,
                operation=operation,
                input=input_,
                webhook_url=body.get("webhook_url"),
                credits=cost,
                created_at_ms=at,
                started_at_ms=started,
                completed_at_ms=started + duration_ms,
                error_message=error,
                base_url=base_url,
                idempotency_key=idempotency_key,
                refund_on_failure=cfg.refund_failed and error is not None,
                specs=specs,
            )
            record.accepted = {
                "id": request_id,
                "status": "queued",
                "operation": operation,
                "poll_after_ms": cfg.poll_after_ms,
                "urls": {"get": f"{base_url}/api/v1/requests/{quote(request_id)}"},
            }
            self.requests[request_id] = record
            self.credits[account] = balance - cost
            self.ledger.append(
                {
                    "id": request_id,
                    "account": account,
                    "operation": operation,
                    "credits": cost,
                    "idempotency_key": idempotency_key,
                    "created_at_ms": at,
                    "refunded_credits": 0,
                }
            )
            self.retention.schedule(request_id, record.completed_at_ms)
            if record.refund_on_failure:
                self.refunds.push(record.completed_at_ms, request_id)
            if idempotency_key is not None:
                self.idempotency[(account, idempotency_key)] = (request_id, digest, at)
            self._evict(at)
            return CreateOutcome(record=record)

    # -- memory bounds ------------------------------------------------------------------------

    def _evict(self, at: int) -> None:
        """Keep memory bounded (called under the lock after each commit; amortised O(1)).

        Idempotency keys older than ``idempotency_ttl_s`` are forgotten (insertion order is
        time order, so only the oldest are looked at). Beyond ``max_retained_requests`` the
        oldest terminal requests are evicted with their key and ledger entry; the ledger keeps
        their totals in ``evicted``. The due-queues are compacted when mostly stale.
        """
        cfg = self.config
        ttl_ms = cfg.idempotency_ttl_s * 1000
        while self.idempotency:
            key, (_, _, seen_at) = next(iter(self.idempotency.items()))
            if at - seen_at <= ttl_ms:
                break
            del self.idempotency[key]
        if len(self.requests) <= cfg.max_retained_requests:
            return
        self.tick(at)  # refunds that fell due are paid before their request is forgotten
        while len(self.requests) > cfg.max_retained_requests:
            oldest = next(iter(self.requests.values()))
            if oldest.completed_at_ms > at:
                break  # still running: kept (the cap is exceeded by in-flight requests only)
            del self.requests[oldest.id]
            if oldest.idempotency_key is not None:
                slot = (oldest.account, oldest.idempotency_key)
                if self.idempotency.get(slot, ("",))[0] == oldest.id:
                    del self.idempotency[slot]
            entry = self.ledger[0] if self.ledger else None
            if entry is not None and entry["id"] == oldest.id:
                self.ledger.popleft()
            else:  # pragma: no cover - ledger order is creation order
                entry = next((e for e in self.ledger if e["id"] == oldest.id), None)
                if entry is not None:
                    self.ledger.remove(entry)
            totals = self.evicted.setdefault(oldest.account, [0, 0])
            totals[0] += 1
            if entry is not None:
                totals[1] += entry["credits"] - entry["refunded_credits"]
        live = len(self.requests)
        for queue in (self.retention, self.refunds):
            if len(queue) > 2 * live + 1024:
                queue.retain(self.requests.__contains__)

    # -- read ---------------------------------------------------------------------------------

    def get(self, account: str, request_id: str) -> RequestRecord | None:
        """The record when it exists and belongs to ``account`` (else ``None``: 404)."""
        with self.lock:
            record = self.requests.get(request_id)
        if record is None or record.account != account:
            return None
        return record

    def asset_url(self, record: RequestRecord, name: str) -> str:
        """Signed asset URL, valid ``asset_url_ttl_s`` seconds after completion (default 7 days)."""
        expires_s = (record.completed_at_ms + int(self.config.asset_url_ttl_s * 1000)) // 1000
        return self.signer.url(record.base_url, record.id, name, expires_s)

    def view(self, record: RequestRecord, at_ms: int | None = None) -> dict[str, Any]:
        """The RequestObject JSON of ``record`` at ``at_ms`` (default: now)."""
        at = self.clock_ms() if at_ms is None else at_ms
        return request_object(record, at, self.final_output)

    def final_output(self, record: RequestRecord) -> dict[str, Any]:
        """The success output of ``record`` (asset URLs signed for this sandbox; its metadata
        fields describe the files)."""
        return outputs.final_output(
            record.operation,
            record.id,
            record.input,
            record.credits,
            lambda name: self.asset_url(record, name),
            self.asset_specs(record),
        )

    def asset_specs(self, record: RequestRecord, depth: int = 0) -> dict[str, AssetSpec]:
        """Asset name -> spec of ``record``'s files, planned from its input (once).

        A media input that is an asset URL of this sandbox contributes that asset's own spec
        (size, duration, audio), followed up to ``MAX_SOURCE_DEPTH`` requests deep.
        """
        if record.specs is None:
            record.specs = self._plan(record.operation, record.input, depth)
        return record.specs

    def _plan(self, operation: str, input_: dict[str, Any], depth: int) -> dict[str, AssetSpec]:
        def lookup(url: object) -> AssetSpec | None:
            return self.source_spec(url, depth + 1)

        return {spec.name: spec for spec in plan(operation, input_, lookup)}

    def source_spec(self, url: object, depth: int = 0) -> AssetSpec | None:
        """The spec of the sandbox asset ``url`` points at, or ``None`` (not ours, or too deep)."""
        ref = asset_ref(url)
        if ref is None or depth > MAX_SOURCE_DEPTH:
            return None
        with self.lock:
            record = self.requests.get(ref[0])
        if record is None:
            return None
        return self.asset_specs(record, depth).get(ref[1])

    # -- control ------------------------------------------------------------------------------

    def created_count(self, account: str | None = None) -> int:
        """Requests actually created (ledger entries), optionally for one account."""
        with self.lock:
            live = sum(1 for e in self.ledger if account is None or e["account"] == account)
            return live + sum(t[0] for a, t in self.evicted.items() if account in (None, a))

    def credits_charged(self, account: str | None = None) -> int:
        """Total credits charged net of refunds, optionally for one account."""
        self.tick()
        with self.lock:
            live: int = sum(
                e["credits"] - e["refunded_credits"]
                for e in self.ledger
                if account is None or e["account"] == account
            )
            return live + sum(t[1] for a, t in self.evicted.items() if account in (None, a))

    def ledger_entries(self) -> list[dict[str, Any]]:
        """A copy of the ledger: one entry per created request (``refunded_credits`` included)."""
        self.tick()
        with self.lock:
            return [dict(e) for e in self.ledger]
