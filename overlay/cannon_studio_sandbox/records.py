"""One request of the sandbox: its record, its lifecycle, and how it reads as a RequestObject.

Pure data and functions (no lock, no clock): :class:`~.state.SandboxState` owns the records and
passes the time in. The lifecycle is computed from timestamps on every read: a request is
``queued`` until ``startedAtMs``, ``processing`` until ``completedAtMs``, then ``succeeded`` or
``failed``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import outputs
from .mediaspec import AssetSpec
from .retention import RETENTION_DAYS, RETENTION_MS, swept_log

__all__ = [
    "FAIL_MARKER",
    "CreateOutcome",
    "RequestRecord",
    "contains_marker",
    "fingerprint",
    "request_object",
]

#: Input marker that makes a request end ``failed`` (contract).
FAIL_MARKER = "[fail]"


def fingerprint(body: Any) -> str:
    """SHA-256 of the canonical JSON of a parsed body (key order and whitespace do not matter)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def contains_marker(value: Any) -> bool:
    if isinstance(value, str):
        return FAIL_MARKER in value
    if isinstance(value, dict):
        return any(contains_marker(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_marker(v) for v in value)
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
    #: The credits go back when the request ends ``failed`` (``refund_failed`` at creation).
    refund_on_failure: bool = False
    #: Credits given back so far (0 or ``credits``).
    refunded: int = 0
    #: The 7-day retention sweep removed the request log.
    log_swept: bool = False
    #: Asset name -> what the file is (planned once from the input; see :mod:`.mediaspec`).
    specs: dict[str, AssetSpec] | None = None

    def status(self, at_ms: int) -> str:
        """``queued``, ``processing``, ``succeeded`` or ``failed`` at time ``at_ms``."""
        if at_ms < self.started_at_ms:
            return "queued"
        if at_ms < self.completed_at_ms:
            return "processing"
        return "failed" if self.error_message else "succeeded"


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


def request_object(
    record: RequestRecord,
    at: int,
    final_output: Callable[[RequestRecord], dict[str, Any]],
) -> dict[str, Any]:
    """The RequestObject JSON of ``record`` at ``at`` (epoch milliseconds).

    ``final_output(record)`` gives the success output (signed asset URLs); it is called only
    once the request has succeeded.
    """
    status = record.status(at)
    terminal = status in ("succeeded", "failed")
    output: dict[str, Any] | None = None
    output_preview: str | None = None
    if status == "processing":
        output = outputs.in_flight_output(record.operation, record.id, record.input)
    elif status == "succeeded":
        output = final_output(record)
        output_preview = outputs.output_preview(output)
    elif status == "failed":
        output = outputs.failed_output(record.operation, record.id, record.input)
    retained_until = record.completed_at_ms + RETENTION_MS if terminal else None
    swept = record.log_swept or (retained_until is not None and at > retained_until)
    log: dict[str, Any]
    if swept and retained_until is not None:
        log = swept_log(retained_until)
    else:
        log = {
            "available": True,
            "retentionDays": RETENTION_DAYS,
            "retainedUntilMs": retained_until,
            "input": record.input,
            "output": output if status == "succeeded" else None,
            "errorMessage": record.error_message if terminal else None,
        }
    refunded = status == "failed" and record.refund_on_failure
    return {
        "id": record.id,
        "operation": record.operation,
        "status": status,
        "billableCredits": 0 if refunded else record.credits,
        "inputPreview": outputs.input_preview(record.input),
        "outputPreview": output_preview,
        "createdAtMs": record.created_at_ms,
        "startedAtMs": record.started_at_ms if status != "queued" else None,
        "completedAtMs": record.completed_at_ms if terminal else None,
        "errorMessage": record.error_message if status == "failed" else None,
        "output": output,
        "requestLog": log,
    }
