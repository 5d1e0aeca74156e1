"""Deterministic identities: the batch id and each job's idempotency key.

A job's key is a pure function of the batch id, the job id, the job's content, its attempt
number and the requests it takes values from. So a runner that lost its journal (another
machine, a wiped disk) sends the same key again and the API answers with the original request
instead of creating and charging a second one: at-least-once execution is safe.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ._jobs import Job

__all__ = ["KEY_PREFIX", "batch_id_for", "idempotency_key"]

KEY_PREFIX = "cs-batch-"
"""Prefix of batch idempotency keys (then 48 hex characters; fits the API's 1-255 ASCII)."""


def batch_id_for(jobs: Sequence[Job]) -> str:
    """The default batch id: SHA-256 (first 24 hex) over every job's id and content, in order.

    The same file gives the same id on any machine; pass your own ``batch_id`` to run the same
    file again as a new batch (new requests, new charges).
    """
    digest = hashlib.sha256()
    for job in jobs:
        digest.update(f"{job.id}\0{job.content_hash}\n".encode())
    return digest.hexdigest()[:24]


def idempotency_key(
    batch_id: str, job: Job, attempt: int, upstream_request_ids: Sequence[str] = ()
) -> str:
    """The ``x-idempotency-key`` of one create of ``job`` (pure).

    Args:
        batch_id: the batch id (``batch_id_for`` or the caller's).
        job: the job.
        attempt: 1 for the first create; ``retry_failed`` creates attempt 2, 3...
        upstream_request_ids: request ids of the jobs it takes values from, in
            ``job.depends_on`` order (their outputs are part of its body).

    Returns:
        ``cs-batch-`` followed by 48 hex characters.
    """
    text = "\n".join([batch_id, job.id, job.content_hash, str(attempt), *upstream_request_ids])
    return KEY_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:48]
