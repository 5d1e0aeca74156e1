"""What a job's steps report to (``JobOutcomes``): the one-machine ``Scheduler`` and the
shared journal's worker (``_worker.ClaimOutcomes``) both are one.

``_steps.job_steps`` drives one job and tells its outcomes here; each implementation journals
them (a SQLite file beside the outputs, or the shared PostgreSQL journal under a per-job lease).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["JobOutcomes"]


class JobOutcomes(Protocol):
    """Where a job's outcomes go (see ``Scheduler`` for each method's meaning).

    Attributes:
        batch_id: the batch id the idempotency keys derive from.
        max_credits: the credit budget (``None``: none); with one, each create's price is read
            right after it.
        replay_floor_ms: server time (epoch MILLISECONDS) before which a fresh create's
            request means a re-run; ``None``: not checked.
        stopping: nothing more is to start (Ctrl-C, a stop).
    """

    batch_id: str
    max_credits: int | None
    replay_floor_ms: int | None
    stopping: bool

    def created(self, job_id: str, request_id: str, status: str) -> None: ...

    def replayed(self, job_id: str, request_id: str) -> None: ...

    def update(self, job_id: str, status: str, credits: int | None) -> None: ...

    def remote_succeeded(
        self,
        job_id: str,
        output: dict[str, Any],
        credits: int | None,
        seconds: float | None,
        *,
        has_files: bool = True,
    ) -> None: ...

    def new_output(self, job_id: str, output: dict[str, Any]) -> None: ...

    def finished(self, job_id: str, files: Sequence[dict[str, Any]]) -> None: ...

    def failed(
        self,
        job_id: str,
        error: str,
        *,
        credits: int | None = None,
        seconds: float | None = None,
        output: dict[str, Any] | None = None,
    ) -> None: ...

    def interrupted(self, job_id: str, error: str | None = None) -> None: ...

    def stop(self) -> None: ...
