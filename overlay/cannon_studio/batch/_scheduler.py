"""The batch state machine (sans-IO): which job starts next, and what each outcome changes.

The sync and the async runner share it; they only perform the I/O (create, wait, download) and
report outcomes back. Every change goes to the journal first, then to the ``on_event`` callback.
Thread-safe (the sync runner calls it from its worker threads).
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ._errors import BatchJournalError
from ._graph import JobGraph
from ._jobs import Job, MissingOutputError, resolve_input
from ._journal_base import BatchJournal, JobRow
from ._keys import idempotency_key

__all__ = ["Action", "BatchEvent", "Scheduler"]


@dataclass(frozen=True)
class Action:
    """One piece of work for a runner.

    Attributes:
        kind: ``create`` (send the create with ``key``, then wait and download), ``attach``
            (wait for the journaled ``request_id``, then download) or ``download`` (fetch what is
            missing of the journaled ``output``).
        job: the job.
        key: the idempotency key (``create``).
        input: the input with references filled in (``create``).
        request_id: the request (``attach``, ``download``).
        output: the request's output, JSON form (``download``).
        fresh: the key was derived in this run (``create``); a create resumed from the journal
            (``creating``: it may have been sent before) is not fresh.
    """

    kind: Literal["create", "attach", "download"]
    job: Job
    key: str | None = None
    input: dict[str, Any] | None = None
    request_id: str | None = None
    output: dict[str, Any] | None = None
    fresh: bool = False


@dataclass(frozen=True)
class BatchEvent:
    """A job changed state (passed to ``on_event``).

    Attributes:
        job_id, operation: the job.
        state: the new state (see ``cannon_studio.batch.STATES``); previous: the one before.
        request_id, credits (``billableCredits``), error: as known at this point.
        elapsed: SECONDS since the run started.
    """

    job_id: str
    operation: str
    state: str
    previous: str
    request_id: str | None
    credits: int | None
    error: str | None
    elapsed: float


class Scheduler:
    """Decides the order of work and records every outcome.

    Args:
        graph: the jobs of the whole file.
        selected: ids of the jobs this runner owns (its shard; all of them without sharding).
        journal: where every change is written before it is acted on.
        batch_id: the batch id the idempotency keys are derived from.
        max_credits: stop creating once this many credits are charged (``None``: no budget).
            With a budget, one create at a time is in the window where its price is unknown.
        retry_failed: reopen failed jobs (new attempt, new key) and the jobs skipped after them.
        on_event: called with a ``BatchEvent`` after each state change.
        clock: monotonic clock in SECONDS.

    Raises:
        BatchJournalError: a job that was already started has changed in the file.
    """

    def __init__(
        self,
        graph: JobGraph,
        selected: set[str],
        journal: BatchJournal,
        *,
        batch_id: str,
        max_credits: int | None = None,
        retry_failed: bool = False,
        on_event: Callable[[BatchEvent], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.graph = graph
        self.journal = journal
        self.batch_id = batch_id
        self.max_credits = max_credits
        self.on_event = on_event
        self._clock = clock
        self._started = clock()
        self._lock = threading.RLock()
        self.order = [job_id for job_id in graph.order if job_id in selected]
        self.rows: dict[str, JobRow] = {}
        self._resume: list[Action] = []
        self._ready: list[tuple[int, str]] = []
        self._waiting: dict[str, int] = {}
        self._unpriced: set[str] = set()
        self._charged = 0
        self.budget_reached = False
        self.stopping = False
        self.replay_floor_ms: int | None = None
        """Server time (epoch MILLISECONDS) before which a fresh create's request means a
        re-run; ``None``: not checked (``reuse_requests``, or the server time is unknown)."""
        self._open(retry_failed)

    # -- set-up ------------------------------------------------------------------------------------

    def _open(self, retry_failed: bool) -> None:
        existing = self.journal.rows()
        new_rows: list[JobRow] = []
        for seq, job_id in enumerate(self.order):
            job = self.graph.jobs[job_id]
            row = existing.get(job_id)
            if row is None:
                row = JobRow(job_id, seq, job.line, job.operation, job.content_hash)
                new_rows.append(row)
            elif row.content_hash != job.content_hash:
                if row.state not in ("pending", "held", "failed", "skipped"):
                    raise BatchJournalError(
                        f"job {job_id} (line {job.line}) changed since it was started "
                        f"(state {row.state}, request {row.request_id or 'unknown'}); restore the "
                        "line, give the changed job a new id, or use another output directory"
                    )
                self.journal.update(job_id, content_hash=job.content_hash, detail="job changed")
                row.content_hash = job.content_hash
            self.rows[job_id] = row
        if new_rows:
            self.journal.add(new_rows)
        for row in self.rows.values():
            self._charged += row.credits or 0
        for job_id in self.graph.topological():
            if job_id not in self.rows:
                continue
            row = self.rows[job_id]
            if row.state == "failed" and retry_failed:
                self._set(
                    job_id,
                    detail="retry",
                    state="pending",
                    attempt=row.attempt + 1,
                    idempotency_key=None,
                    request_id=None,
                    credits=None,
                    seconds=None,
                    output=None,
                    error=None,
                    files=[],
                )
            elif row.state == "held":
                self._set(job_id, state="pending")
            if row.state in ("pending", "skipped"):
                blocker = self._blocker(job_id)
                if blocker is not None:
                    if row.state != "skipped":
                        self._set(job_id, state="skipped", error=blocker)
                elif row.state == "skipped":
                    self._set(job_id, state="pending", error=None)
        for job_id in self.order:
            self._place(job_id)

    def _blocker(self, job_id: str) -> str | None:
        for dep in self.graph.jobs[job_id].depends_on:
            state = self.rows[dep].state if dep in self.rows else "pending"
            if state in ("failed", "skipped"):
                return f"job {dep} {state}"
        return None

    def _place(self, job_id: str) -> None:
        """Queue a job that is not finished according to its journaled state."""
        row = self.rows[job_id]
        job = self.graph.jobs[job_id]
        if row.state == "creating":
            self._resume.append(Action("create", job, key=row.idempotency_key))
        elif row.state in ("queued", "processing"):
            self._resume.append(Action("attach", job, request_id=row.request_id))
        elif row.state == "downloading":
            self._resume.append(
                Action("download", job, request_id=row.request_id, output=row.output or {})
            )
        elif row.state == "pending":
            missing = sum(1 for d in job.depends_on if self.rows[d].state != "succeeded")
            if missing:
                self._waiting[job_id] = missing
            else:
                heapq.heappush(self._ready, (row.seq, job_id))

    # -- reading -----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Jobs per state."""
        with self._lock:
            out: dict[str, int] = {}
            for row in self.rows.values():
                out[row.state] = out.get(row.state, 0) + 1
            return out

    def elapsed(self) -> float:
        """SECONDS since the run started."""
        return self._clock() - self._started

    # -- choosing work -----------------------------------------------------------------------------

    def next_action(self) -> Action | None:
        """The next piece of work, or ``None`` when nothing can start now.

        A ``create`` is journaled as ``creating`` with its key before it is returned. A job
        whose references cannot be filled is marked failed here (nothing is sent).
        """
        with self._lock:
            while not self.stopping:
                if self._resume:
                    action = self._resume.pop(0)
                    if action.kind != "create":
                        return action
                    if self.max_credits is not None and self._unpriced:
                        self._resume.insert(0, action)
                        return None
                    return self._begin_create(action.job, action.key)
                if not self._ready:
                    return None
                if self.max_credits is not None:
                    if self._unpriced:
                        return None
                    if self._charged >= self.max_credits:
                        self.budget_reached = True
                        return None
                _, job_id = heapq.heappop(self._ready)
                action_or_none = self._begin_create(self.graph.jobs[job_id], None)
                if action_or_none is not None:
                    return action_or_none
            return None

    def _begin_create(self, job: Job, key: str | None) -> Action | None:
        outputs = {dep: self.rows[dep].output or {} for dep in job.depends_on}
        try:
            resolved = resolve_input(job, outputs)
        except MissingOutputError as exc:
            self._fail(job.id, str(exc))
            return None
        fresh = key is None
        if key is None:
            upstream = [self.rows[dep].request_id or "" for dep in job.depends_on]
            key = idempotency_key(self.batch_id, job, self.rows[job.id].attempt, upstream)
            # committed before the create is sent (with every change gathered before it)
            self._set(job.id, durable=True, state="creating", idempotency_key=key)
        self._unpriced.add(job.id)
        return Action("create", job, key=key, input=resolved, fresh=fresh)

    # -- outcomes ----------------------------------------------------------------------------------

    def created(self, job_id: str, request_id: str, status: str) -> None:
        """The create was answered (202): the request exists."""
        with self._lock:
            state = status if status in ("queued", "processing") else "queued"
            self._set(job_id, state=state, request_id=request_id)

    def replayed(self, job_id: str, request_id: str) -> None:
        """The job's first create was answered with a request created before this run (the
        batch was run before): the job goes back to ``pending`` without a key, and the journal
        is marked so that a new ``batch_id`` may take it over (``rerun_of``)."""
        with self._lock:
            self._unpriced.discard(job_id)
            self._set(
                job_id,
                detail=f"the API answered with request {request_id}, created before this run",
                state="pending",
                idempotency_key=None,
            )
            self.journal.set_meta({"rerun_of": self.batch_id})

    def update(self, job_id: str, status: str, credits: int | None) -> None:
        """A poll result: the API status (``queued``/``processing``/...) and ``billableCredits``."""
        with self._lock:
            values: dict[str, Any] = {}
            row = self.rows[job_id]
            if credits is not None and credits != row.credits:
                values["credits"] = credits
            if status in ("queued", "processing") and status != row.state:
                values["state"] = status
            if values:
                self._set(job_id, **values)
            if credits is not None:
                self._unpriced.discard(job_id)

    def remote_succeeded(
        self,
        job_id: str,
        output: dict[str, Any],
        credits: int | None,
        seconds: float | None,
        *,
        has_files: bool = True,
    ) -> None:
        """The request succeeded: its output is journaled and its files are next (or, with
        ``has_files=False``, the job has succeeded: one journal write instead of two)."""
        with self._lock:
            self._unpriced.discard(job_id)
            if has_files:
                self._set(
                    job_id, state="downloading", output=output, credits=credits, seconds=seconds
                )
                return
            self._set(
                job_id,
                state="succeeded",
                output=output,
                credits=credits,
                seconds=seconds,
                files=[],
                error=None,
            )
            self._release(job_id)

    def new_output(self, job_id: str, output: dict[str, Any]) -> None:
        """The request was fetched again for fresh asset URLs: journal its new output."""
        with self._lock:
            self._set(job_id, output=output, detail="asset URLs refreshed")

    def finished(self, job_id: str, files: Sequence[dict[str, Any]]) -> None:
        """Every file is on disk: the job succeeded; jobs waiting for it may start."""
        with self._lock:
            self._set(job_id, state="succeeded", files=list(files), error=None)
            self._release(job_id)

    def _release(self, job_id: str) -> None:
        """A job succeeded: the jobs that were waiting only for it are ready."""
        for dependent in self.graph.dependents.get(job_id, ()):
            if dependent not in self._waiting:
                continue
            self._waiting[dependent] -= 1
            if self._waiting[dependent] == 0:
                del self._waiting[dependent]
                heapq.heappush(self._ready, (self.rows[dependent].seq, dependent))

    def failed(
        self,
        job_id: str,
        error: str,
        *,
        credits: int | None = None,
        seconds: float | None = None,
        output: dict[str, Any] | None = None,
    ) -> None:
        """The request failed, or its create was refused: jobs taking values from it are skipped."""
        with self._lock:
            self._fail(job_id, error, credits=credits, seconds=seconds, output=output)

    def _fail(self, job_id: str, error: str, **values: Any) -> None:
        self._unpriced.discard(job_id)
        self._set(
            job_id,
            state="failed",
            error=error,
            **{k: v for k, v in values.items() if v is not None},
        )
        for dependent in self.graph.downstream(job_id):
            if dependent in self.rows and self.rows[dependent].state == "pending":
                self._waiting.pop(dependent, None)
                self._set(dependent, state="skipped", error=f"job {job_id} failed")

    def interrupted(self, job_id: str, error: str | None = None) -> None:
        """The work on a job stopped before it ended (Ctrl-C, a wait timeout, a failed
        download, an unreachable API): it keeps its journaled state for the next run."""
        with self._lock:
            self._unpriced.discard(job_id)
            if error is not None:
                self._set(job_id, error=error, detail=error)

    def stop(self) -> None:
        """Start nothing more (Ctrl-C, or an error that stops the run)."""
        with self._lock:
            self.stopping = True

    def close(self) -> int:
        """End of the run: jobs the budget kept from starting become ``held``; their count."""
        with self._lock:
            held = 0
            if self.budget_reached and not self.stopping:
                for job_id in self.order:
                    if self.rows[job_id].state == "pending":
                        self._set(job_id, state="held", error=None)
                        held += 1
            return held

    # -- journal + events --------------------------------------------------------------------------

    def _set(
        self, job_id: str, detail: str | None = None, *, durable: bool = False, **values: Any
    ) -> None:
        """Journal a job's change (``durable``: committed before this returns; otherwise with
        the next commit, within the journal's gathering time) and report a state change."""
        row = self.rows[job_id]
        previous = row.state
        if "credits" in values:
            self._charged += (values["credits"] or 0) - (row.credits or 0)
        self.journal.update(job_id, detail=detail, durable=durable, **values)
        for name, value in values.items():
            setattr(row, name, value)
        if self.on_event is not None and "state" in values and values["state"] != previous:
            self.on_event(
                BatchEvent(
                    job_id,
                    row.operation,
                    row.state,
                    previous,
                    row.request_id,
                    row.credits,
                    row.error,
                    self.elapsed(),
                )
            )
