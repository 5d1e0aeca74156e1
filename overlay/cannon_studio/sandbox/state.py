"""Sandbox state: accounts and credits, requests, the ledger and idempotency keys.

The lifecycle is computed from timestamps on every read (no per-request timers), so thousands of
requests cost nothing while they wait: a request is ``queued`` until ``startedAtMs``,
``processing`` until ``completedAtMs``, then ``succeeded`` or ``failed``. All mutation happens
under one lock, so the control handle can be used from another thread than the server's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from . import outputs
from .config import SandboxConfig
from .pricing import price

#: Documented: request logs are kept 7 days after completion.
RETENTION_DAYS = 7
RETENTION_MS = RETENTION_DAYS * 24 * 3600 * 1000
#: Input marker that makes a request end ``failed`` (contract).
FAIL_MARKER = "[fail]"


def now_ms() -> int:
    """Wall-clock time in epoch milliseconds."""
    return int(time.time() * 1000)


def fingerprint(body: Any) -> str:
    """SHA-256 of the canonical JSON of a parsed body (key order and whitespace do not matter)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _contains_marker(value: Any) -> bool:
    if isinstance(value, str):
        return FAIL_MARKER in value
    if isinstance(value, dict):
        return any(_contains_marker(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_marker(v) for v in value)
    return False


@dataclass
class RequestRecord:
    """One created request. Times are epoch milliseconds."""

    id: str
    account: str
    operation: str
    input: dict[str, Any]
    webhook_url: str | None
    credits: int
    created_at_ms: int
    started_at_ms: int
    completed_at_ms: int
    error_message: str | None
    base_url: str
    idempotency_key: str | None
    accepted: dict[str, Any] = field(default_factory=dict)

    def status(self, at_ms: int) -> str:
        """``queued``, ``processing``, ``succeeded`` or ``failed`` at time ``at_ms``."""
        if at_ms < self.started_at_ms:
            return "queued"
        if at_ms < self.completed_at_ms:
            return "processing"
        return "failed" if self.error_message else "succeeded"


class AssetSigner:
    """Signs asset URLs like cloud-storage signed URLs: ``?expires=<epoch s>&signature=<hex>``."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def signature(self, request_id: str, name: str, expires_s: int) -> str:
        """HMAC-SHA256 (hex, 32 chars) over ``request_id/name:expires``."""
        msg = f"{request_id}/{name}:{expires_s}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def url(self, base_url: str, request_id: str, name: str, expires_s: int) -> str:
        """Absolute signed URL of an asset."""
        sig = self.signature(request_id, name, expires_s)
        return f"{base_url}/assets/{quote(request_id)}/{quote(name)}?expires={expires_s}&signature={sig}"

    def check(
        self, request_id: str, name: str, expires: str, signature: str, at_s: float
    ) -> str | None:
        """``None`` when valid, else the reason (bad signature or expired)."""
        try:
            expires_s = int(expires)
        except ValueError:
            return "malformed expires"
        if not hmac.compare_digest(self.signature(request_id, name, expires_s), signature):
            return "invalid signature"
        if at_s > expires_s:
            return "URL expired"
        return None


class CreateOutcome:
    """Result of :meth:`SandboxState.create`: a record (new or replayed) or an error."""

    def __init__(
        self,
        record: RequestRecord | None = None,
        replayed: bool = False,
        error: tuple[int, str, str] | None = None,
    ) -> None:
        self.record = record
        self.replayed = replayed
        self.error = error  # (http status, code, message)


class SandboxState:
    """All mutable state of one sandbox.

    Args:
        config: the sandbox configuration (read on every create, so updates apply at once).
        clock_ms: time source in epoch milliseconds (tests may inject one).
    """

    def __init__(self, config: SandboxConfig, clock_ms: Callable[[], int] = now_ms) -> None:
        self.config = config
        self.clock_ms = clock_ms
        self.lock = threading.RLock()
        self.signer = AssetSigner()
        self.reset()

    def reset(self) -> None:
        """Forget every request, ledger entry and idempotency key; refill credits; reseed."""
        with self.lock:
            self.requests: dict[str, RequestRecord] = {}
            self.ledger: list[dict[str, Any]] = []
            self.idempotency: dict[tuple[str, str], tuple[str, str, int]] = {}
            self.credits: dict[str, int] = dict.fromkeys(
                self.config.api_keys.values(), self.config.initial_credits
            )
            self.rng = random.Random(self.config.seed)
            self._counter = 0

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
        """Credit balance of ``account``."""
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
            cost = price(operation, input_)
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
            if _contains_marker(input_):
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
                }
            )
            if idempotency_key is not None:
                self.idempotency[(account, idempotency_key)] = (request_id, digest, at)
            return CreateOutcome(record=record)

    # -- read ---------------------------------------------------------------------------------

    def get(self, account: str, request_id: str) -> RequestRecord | None:
        """The record when it exists and belongs to ``account`` (else ``None``: 404)."""
        with self.lock:
            record = self.requests.get(request_id)
        if record is None or record.account != account:
            return None
        return record

    def asset_url(self, record: RequestRecord, name: str) -> str:
        """Signed asset URL, valid until the end of the 7-day retention window."""
        expires_s = (record.completed_at_ms + RETENTION_MS) // 1000
        return self.signer.url(record.base_url, record.id, name, expires_s)

    def view(self, record: RequestRecord, at_ms: int | None = None) -> dict[str, Any]:
        """The RequestObject JSON of ``record`` at ``at_ms`` (default: now)."""
        at = self.clock_ms() if at_ms is None else at_ms
        status = record.status(at)
        terminal = status in ("succeeded", "failed")
        output: dict[str, Any] | None = None
        output_preview: str | None = None
        if status == "processing":
            output = outputs.in_flight_output(record.operation, record.id, record.input)
        elif status == "succeeded":
            output = self.final_output(record)
            output_preview = outputs.output_preview(output)
        elif status == "failed":
            output = outputs.failed_output(record.operation, record.id, record.input)
        retained_until = record.completed_at_ms + RETENTION_MS if terminal else None
        available = retained_until is None or at <= retained_until
        log: dict[str, Any] = {
            "available": available,
            "retentionDays": RETENTION_DAYS,
            "retainedUntilMs": retained_until,
            "input": record.input if available else None,
            "output": (output if status == "succeeded" else None) if available else None,
            "errorMessage": record.error_message if terminal else None,
        }
        return {
            "id": record.id,
            "operation": record.operation,
            "status": status,
            "billableCredits": record.credits,
            "inputPreview": outputs.input_preview(record.input),
            "outputPreview": output_preview,
            "createdAtMs": record.created_at_ms,
            "startedAtMs": record.started_at_ms if status != "queued" else None,
            "completedAtMs": record.completed_at_ms if terminal else None,
            "errorMessage": record.error_message if status == "failed" else None,
            "output": output,
            "requestLog": log,
        }

    def final_output(self, record: RequestRecord) -> dict[str, Any]:
        """The success output of ``record`` (asset URLs signed for this sandbox)."""
        return outputs.final_output(
            record.operation,
            record.id,
            record.input,
            record.credits,
            lambda name: self.asset_url(record, name),
        )

    # -- control ------------------------------------------------------------------------------

    def created_count(self, account: str | None = None) -> int:
        """Requests actually created (ledger entries), optionally for one account."""
        with self.lock:
            return sum(1 for e in self.ledger if account is None or e["account"] == account)

    def credits_charged(self, account: str | None = None) -> int:
        """Total credits charged, optionally for one account."""
        with self.lock:
            return sum(
                e["credits"] for e in self.ledger if account is None or e["account"] == account
            )

    def ledger_entries(self) -> list[dict[str, Any]]:
        """A copy of the ledger: one entry per created request."""
        with self.lock:
            return [dict(e) for e in self.ledger]
