"""``run_worker`` / ``arun_worker``: one of any number of workers on a shared PostgreSQL journal.

A worker claims ready jobs (``_claims.ClaimQueue``), drives each exactly as ``run_batch`` does
(``_steps.job_steps``: the journaled idempotency key, re-attach by request id, download what
is missing), renews its leases, and claims more as jobs end. Jobs of a dead worker are claimed
again once their lease expires and continue from their journaled state. A job is claimed only
when every job it takes values from has succeeded; their outputs come from the journal.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx2

from .._errors import CannonError
from ._claims import ClaimQueue, LeaseLostError
from ._client_protocol import AsyncBatchClient, BatchClient
from ._errors import BatchJournalError, BatchRerunError, BatchStorageError
from ._journal_postgres import DEFAULT_LEASE_S, is_postgres_url
from ._runner import (
    DEFAULT_CONCURRENCY,
    DEFAULT_JOB_TIMEOUT_S,
    _adrive,
    _drive,
    _set_replay_floor,
)
from ._scheduler import Action, BatchEvent
from ._steps import Step, job_steps
from ._storage import ObjectStore, Output, open_output

__all__ = ["DEFAULT_POLL_S", "ClaimOutcomes", "WorkerSummary", "arun_worker", "run_worker"]

DEFAULT_POLL_S = 1.0
"""How often an idle worker looks for claimable jobs (SECONDS)."""


@dataclass
class WorkerSummary:
    """What one worker did.

    Attributes:
        worker_id: the id it claimed jobs under.
        claimed: jobs it claimed (a job taken over counts again).
        outcomes: jobs it brought to an end, per state (``succeeded``, ``failed``).
        credits: ``billableCredits`` of the jobs it brought to an end.
        held: jobs it marked ``held`` (the budget was spent when it went idle).
        budget_exhausted: the batch's budget was spent when it stopped.
        interrupted: it stopped on Ctrl-C / SIGTERM / ``stop`` (its jobs were given back).
        error: what stopped it early (the API unreachable, a refused key, storage), or None.
        storage_error: ``error`` is local storage or the journal refusing a write.
        elapsed_s: SECONDS it ran.
    """

    worker_id: str
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    credits: int = 0
    held: int = 0
    budget_exhausted: bool = False
    interrupted: bool = False
    error: str | None = None
    storage_error: bool = False
    elapsed_s: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 done, 3 stopped by the API, 5 by storage, 130 interrupted (as ``batch``)."""
        if self.interrupted:
            return 130
        if self.error is not None:
            return 5 if self.storage_error else 3
        return 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "worker_id": self.worker_id,
            "claimed": self.claimed,
            "outcomes": dict(self.outcomes),
            "credits": self.credits,
            "held": self.held,
            "budget_exhausted": self.budget_exhausted,
            "interrupted": self.interrupted,
            "error": self.error,
            "elapsed_s": round(self.elapsed_s, 3),
        }


class ClaimOutcomes:
    """A ``JobOutcomes`` that journals each outcome on the shared journal under the job's lease
    (``ClaimQueue.record``); a job whose lease was taken over raises ``LeaseLostError`` at its
    next write and stops here.

    Args:
        queue: the worker's queue connection.
        max_credits: the batch's budget (read from the journal).
        summary: filled as jobs end.
        on_event: called with a ``BatchEvent`` after each state change this worker makes.
    """

    def __init__(
        self,
        queue: ClaimQueue,
        *,
        max_credits: int | None,
        summary: WorkerSummary,
        on_event: Callable[[BatchEvent], object] | None = None,
    ) -> None:
        self.queue = queue
        self.batch_id = queue.batch_id
        self.max_credits = max_credits
        self.replay_floor_ms: int | None = None
        self.stopping = False
        self.summary = summary
        self.on_event = on_event
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._known: dict[str, tuple[str | None, int | None]] = {}
        self.operations: dict[str, str] = {}

    def _record(self, job_id: str, detail: str | None = None, **values: Any) -> None:
        previous = self.queue.record(job_id, values, detail)
        state = values.get("state", previous)
        with self._lock:
            old = self._known.get(job_id, (previous, None))
            credits = values.get("credits", old[1])
            self._known[job_id] = (state, credits)
            if state in ("succeeded", "failed"):
                self.summary.outcomes[state] = self.summary.outcomes.get(state, 0) + 1
                self.summary.credits += credits or 0
        if self.on_event is not None and state != previous:
            self.on_event(
                BatchEvent(
                    job_id,
                    self.operations.get(job_id, ""),
                    state,
                    previous,
                    values.get("request_id"),
                    credits,
                    values.get("error"),
                    time.monotonic() - self._started,
                )
            )

    def created(self, job_id: str, request_id: str, status: str) -> None:
        state = status if status in ("queued", "processing") else "queued"
        self._record(job_id, state=state, request_id=request_id)

    def replayed(self, job_id: str, request_id: str) -> None:
        self._record(
            job_id,
            detail=f"the API answered with request {request_id}, created before this run",
            state="pending",
            idempotency_key=None,
        )

    def update(self, job_id: str, status: str, credits: int | None) -> None:
        with self._lock:
            state, known = self._known.get(job_id, (None, None))
        values: dict[str, Any] = {}
        if credits is not None and credits != known:
            values["credits"] = credits
        if status in ("queued", "processing") and status != state:
            values["state"] = status
        if values:
            self._record(job_id, **values)

    def remote_succeeded(
        self,
        job_id: str,
        output: dict[str, Any],
        credits: int | None,
        seconds: float | None,
        *,
        has_files: bool = True,
    ) -> None:
        state = "downloading" if has_files else "succeeded"
        extra: dict[str, Any] = {} if has_files else {"files": [], "error": None}
        self._record(job_id, state=state, output=output, credits=credits, seconds=seconds, **extra)

    def new_output(self, job_id: str, output: dict[str, Any]) -> None:
        self._record(job_id, detail="asset URLs refreshed", output=output)

    def finished(self, job_id: str, files: Sequence[dict[str, Any]]) -> None:
        self._record(job_id, state="succeeded", files=list(files), error=None)

    def failed(
        self,
        job_id: str,
        error: str,
        *,
        credits: int | None = None,
        seconds: float | None = None,
        output: dict[str, Any] | None = None,
    ) -> None:
        values: dict[str, Any] = {"credits": credits, "seconds": seconds, "output": output}
        self._record(
            job_id,
            state="failed",
            error=error,
            **{k: v for k, v in values.items() if v is not None},
        )

    def interrupted(self, job_id: str, error: str | None = None) -> None:
        """The work here stopped: the error is journaled and the claim given back at once."""
        with contextlib.suppress(LeaseLostError, BatchStorageError):
            if error is not None:
                self._record(job_id, detail=error, error=error)
            self.queue.release(job_id)

    def stop(self) -> None:
        self.stopping = True


@dataclass
class _Worker:
    queue: ClaimQueue
    outcomes: ClaimOutcomes
    summary: WorkerSummary
    out_dir: Output
    fatal: list[BaseException]
    started: float


def _open(
    journal: str,
    out: str | os.PathLike[str] | ObjectStore,
    worker_id: str | None,
    lease_s: float,
    on_event: Callable[[BatchEvent], object] | None,
) -> _Worker:
    if not is_postgres_url(journal):
        raise BatchJournalError(
            "workers share a PostgreSQL journal (postgresql://...); on one machine run "
            "cannon-studio batch FILE --out DIR"
        )
    if lease_s <= 0:
        raise ValueError("lease_s must be a number of SECONDS > 0")
    holder = worker_id or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    out_dir = open_output(out)
    if isinstance(out_dir, ObjectStore):
        out_dir.prepare()  # the bucket answers; leftover multipart uploads of killed workers
    else:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BatchStorageError(str(out_dir), exc.strerror or str(exc)) from None
    queue = ClaimQueue(journal, holder=holder, lease_s=lease_s)
    try:
        summary = WorkerSummary(holder)
        outcomes = ClaimOutcomes(
            queue, max_credits=queue.budget().max_credits, summary=summary, on_event=on_event
        )
    except BaseException:
        queue.close()
        raise
    return _Worker(queue, outcomes, summary, out_dir, [], time.monotonic())


def _steps_of(w: _Worker, action: Action, timeout: float, notify: Callable[[], None]) -> Any:
    w.outcomes.operations[action.job.id] = action.job.operation
    return job_steps(w.outcomes, action, w.out_dir, timeout, notify, w.fatal)


def _after_job(w: _Worker, job_id: str, error: BaseException | None) -> None:
    """A job's work ended; a lost lease ends only that job, a refused journal write the run."""
    if isinstance(error, BatchStorageError):
        w.fatal.append(error)
        w.outcomes.stop()
    w.outcomes.operations.pop(job_id, None)


def _claim(w: _Worker, free: int) -> list[Action]:
    if w.outcomes.stopping or free <= 0:
        return []
    try:
        actions = w.queue.claim(free)
    except BatchStorageError as exc:
        w.fatal.append(exc)
        w.outcomes.stop()
        return []
    w.summary.claimed += len(actions)
    return actions


def _close(w: _Worker, *, interrupted: bool, idle: bool) -> WorkerSummary:
    summary = w.summary
    try:
        if idle and not interrupted and not w.fatal:
            budget = w.queue.budget()
            summary.budget_exhausted = budget.exhausted
            if budget.exhausted:
                summary.held = w.queue.hold_unstarted()
    except BatchStorageError as exc:
        w.fatal.append(exc)
    finally:
        w.queue.close()
    error = next((e for e in w.fatal if not isinstance(e, LeaseLostError)), None)
    summary.interrupted = interrupted
    summary.error = None if error is None else f"{type(error).__name__}: {error}"
    summary.storage_error = isinstance(error, BatchStorageError)
    summary.elapsed_s = time.monotonic() - w.started
    if isinstance(error, BatchRerunError):
        raise error
    return summary


def _renewer(w: _Worker, stop: threading.Event) -> None:
    """Renew this worker's leases every third of their length until ``stop``."""
    while not stop.wait(w.queue.lease_s / 3.0):
        with contextlib.suppress(BatchStorageError):
            w.queue.renew()


def run_worker(
    client: BatchClient,
    journal: str,
    *,
    out: str | os.PathLike[str] | ObjectStore,
    worker_id: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    lease_s: float = DEFAULT_LEASE_S,
    until_idle: bool = True,
    job_timeout: float = DEFAULT_JOB_TIMEOUT_S,
    poll_s: float = DEFAULT_POLL_S,
    reuse_requests: bool = False,
    on_event: Callable[[BatchEvent], object] | None = None,
    stop: threading.Event | None = None,
) -> WorkerSummary:
    """Work on a batch loaded with ``submit_batch``: claim ready jobs, drive them, repeat.

    Run it on as many processes and machines as you like against the same journal. Each job
    is driven by one worker at a time (a lease this worker renews every ``lease_s / 3``
    SECONDS); a dead worker's jobs are claimed again when their lease expires and continue
    from their journaled state (same idempotency key, re-attach by request id, download what
    is missing), so nothing is created or charged twice.

    Args:
        client: a sync client (``Cannon``; anything with the ``BatchClient`` members).
        journal: the journal's URL (``postgresql://user@host:port/db``).
        out: the directory for this worker's files (``out/<job id>/``), or an object store:
            ``"s3://bucket/prefix"`` (credentials and ``AWS_ENDPOINT_URL`` from the
            environment) or an ``ObjectStore`` built with its storage options.
        worker_id: the id this worker claims under (default: host, pid and a random part).
        concurrency: jobs in flight at once in this worker (>= 1).
        lease_s: SECONDS a claim lasts without renewal (a dead worker's jobs wait this long).
        until_idle: return once no worker has anything left to do (else keep polling until
            ``stop`` is set).
        job_timeout: SECONDS one claim waits for its request before leaving it to a later one.
        poll_s: SECONDS between looks for claimable jobs while none is ready.
        reuse_requests: re-use requests an earlier run with the same keys created, instead of
            stopping with ``BatchRerunError``.
        on_event: called with a ``BatchEvent`` after each state change this worker makes.
        stop: set it to stop claiming; jobs in flight give their claims back at their next step.

    Returns:
        ``WorkerSummary`` of this worker (``exit_code`` 0, 3 or 5).

    Raises:
        BatchJournalError: no submitted batch at ``journal``, another queue format, or not a
            PostgreSQL URL.
        BatchRerunError: a job's first create was answered with an earlier request.
        BatchStorageError: the database cannot be reached when starting; ``out`` not writable.
        ValueError: ``concurrency`` < 1 or ``lease_s`` <= 0.
    """
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError("concurrency must be an integer >= 1")
    w = _open(journal, out, worker_id, lease_s, on_event)
    if not reuse_requests:
        try:
            _set_replay_floor(w.outcomes, client.status(), w.fatal)
        except (CannonError, httpx2.HTTPError) as exc:
            _set_replay_floor(w.outcomes, exc, w.fatal)
    cond = threading.Condition()
    running: set[str] = set()
    stop_renewing = threading.Event()
    renewer = threading.Thread(target=_renewer, args=(w, stop_renewing), daemon=True)
    renewer.start()

    def notify() -> None:
        with cond:
            cond.notify_all()

    def work(action: Action) -> None:
        error: BaseException | None = None
        try:
            _drive(client, w.outcomes, _steps_of(w, action, job_timeout, notify))
        except (LeaseLostError, BatchStorageError) as exc:
            error = exc
        finally:
            _after_job(w, action.job.id, error)
            with cond:
                running.discard(action.job.id)
                cond.notify_all()

    idle = False
    try:
        with cond:
            while True:
                if stop is not None and stop.is_set():
                    w.outcomes.stop()
                actions = _claim(w, concurrency - len(running))
                for action in actions:
                    running.add(action.job.id)
                    threading.Thread(
                        target=work, args=(action,), name=f"worker-{action.job.id}", daemon=True
                    ).start()
                if w.outcomes.stopping and not running:
                    break
                if actions and len(running) < concurrency:
                    continue
                if not running and not actions and until_idle and not w.outcomes.stopping:
                    try:
                        idle = w.queue.idle()
                    except BatchStorageError as exc:
                        w.fatal.append(exc)
                        w.outcomes.stop()
                    if idle:
                        break
                cond.wait(timeout=poll_s)
    except BaseException:  # KeyboardInterrupt, SIGTERM: claims are given back
        w.outcomes.stop()
        stop_renewing.set()
        _close(w, interrupted=True, idle=False)
        raise
    stop_renewing.set()
    renewer.join(timeout=5.0)
    return _close(w, interrupted=False, idle=idle)


async def arun_worker(
    client: AsyncBatchClient,
    journal: str,
    *,
    out: str | os.PathLike[str] | ObjectStore,
    worker_id: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    lease_s: float = DEFAULT_LEASE_S,
    until_idle: bool = True,
    job_timeout: float = DEFAULT_JOB_TIMEOUT_S,
    poll_s: float = DEFAULT_POLL_S,
    reuse_requests: bool = False,
    on_event: Callable[[BatchEvent], object] | None = None,
    stop: asyncio.Event | None = None,
) -> WorkerSummary:
    """Async twin of ``run_worker`` (``AsyncCannon``; one task per job in flight). Cancelling
    it gives this worker's claims back, then re-raises. Same arguments, returns and raises;
    ``stop`` is an ``asyncio.Event``."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError("concurrency must be an integer >= 1")
    w = await asyncio.to_thread(_open, journal, out, worker_id, lease_s, on_event)
    if not reuse_requests:
        try:
            _set_replay_floor(w.outcomes, await client.status(), w.fatal)
        except (CannonError, httpx2.HTTPError) as exc:
            _set_replay_floor(w.outcomes, exc, w.fatal)
    wake = asyncio.Event()
    tasks: dict[asyncio.Task[None], str] = {}

    async def work(steps: Generator[Step, Any, None], job_id: str) -> None:
        error: BaseException | None = None
        try:
            await _adrive(client, w.outcomes, steps)
        except (LeaseLostError, BatchStorageError) as exc:
            error = exc
        finally:
            _after_job(w, job_id, error)
            wake.set()

    async def renew() -> None:
        while True:
            await asyncio.sleep(w.queue.lease_s / 3.0)
            with contextlib.suppress(BatchStorageError):
                await asyncio.to_thread(w.queue.renew)

    renewer = asyncio.create_task(renew())
    idle = False
    try:
        while True:
            if stop is not None and stop.is_set():
                w.outcomes.stop()
            actions = await asyncio.to_thread(_claim, w, concurrency - len(tasks))
            for action in actions:
                steps = _steps_of(w, action, job_timeout, wake.set)
                tasks[asyncio.create_task(work(steps, action.job.id))] = action.job.id
            if w.outcomes.stopping and not tasks:
                break
            if actions and len(tasks) < concurrency:
                continue
            if not tasks and not actions and until_idle and not w.outcomes.stopping:
                try:
                    idle = await asyncio.to_thread(w.queue.idle)
                except BatchStorageError as exc:
                    w.fatal.append(exc)
                    w.outcomes.stop()
                if idle:
                    break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=poll_s)
            wake.clear()
            tasks = {t: j for t, j in tasks.items() if not t.done()}
    except BaseException:
        w.outcomes.stop()
        renewer.cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, renewer, return_exceptions=True)
        _close(w, interrupted=True, idle=False)
        raise
    renewer.cancel()
    await asyncio.gather(renewer, return_exceptions=True)
    return _close(w, interrupted=False, idle=idle)
