"""Running a batch: the shared set-up, then the sync (threads) or async (tasks) driver.

Each job is one piece of work from ``Scheduler.next_action``: create (with its journaled key),
wait with the client's own poll policy (``handle.wait``), download what is missing. At most
``concurrency`` jobs are in flight at once. Outcomes go back to the scheduler, which journals
them before anything else happens.

Errors: a create the API refuses (400/402/404/409/413/422) or a request that fails fails that
job only. An API that cannot be reached, 5xx after the client's retries, or a refused key (401,
403, 429 after retries) stops the run: nothing more starts, running jobs stop at their next
step, the journal keeps every job's state, and ``BatchStoppedError`` is raised after the report
is written. Local storage that refuses a write (full disk, read-only directory, a journal that
cannot be written) stops the run the same way (``BatchStoppedError`` whose ``cause`` is a
``BatchStorageError``; the summary's ``exit_code`` is 5).

One driver per directory: the run holds ``DIR/.batch.lock`` from before the journal is opened
until the report is written; a second run on the same directory raises ``BatchLockedError``.

Outputs to object storage (``out_dir="s3://bucket/prefix"``, see ``_storage``): the journal
must be given (``journal_path``: a local SQLite file, or PostgreSQL), and its driver lock is
the run's; files and ``report.jsonl`` go under the prefix.

Re-runs are explicit: the server time is read once at the start (``GET /api/v1/status``), and a
job's first create answered with a request created before that (the same keys were used by an
earlier run of the same file) stops the run with ``BatchRerunError`` unless
``reuse_requests=True``; a new ``batch_id`` generates anew, in the same directory too.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict, Unpack

import httpx2

from .._constants import DEFAULT_BATCH_CONCURRENCY
from .._errors import APIStatusError, CannonError
from .._receiver import WebhookReceiver
from ._client_protocol import AsyncBatchClient, BatchClient
from ._errors import BatchJournalError, BatchRerunError, BatchStorageError
from ._graph import JobGraph
from ._jobs import Job, jobs_from_mappings, load_jobs
from ._journal import open_journal
from ._journal_base import REFERENCES_META, BatchJournal
from ._keys import batch_id_for
from ._lock import LOCK_NAME, DirectoryLock
from ._outcomes import JobOutcomes
from ._report import (
    REPORT_NAME,
    BatchSummary,
    ReportRow,
    remove_stale_report_files,
    report_rows,
    summarize,
)
from ._scheduler import Action, BatchEvent, Scheduler
from ._shard import Shard
from ._steps import Create, Refresh, Retrieve, Step, StopRun, Wait, job_steps
from ._storage import ObjectStore, Output, journal_for, open_output, write_report_to
from ._transfer import adownload_missing, download_missing

__all__ = ["DEFAULT_CONCURRENCY", "BatchStoppedError", "arun_batch", "run_batch"]

DEFAULT_CONCURRENCY = DEFAULT_BATCH_CONCURRENCY
"""Jobs in flight at once unless told otherwise."""

DEFAULT_JOB_TIMEOUT_S = 24 * 3600.0
"""How long one run waits for one request (SECONDS) before leaving it for the next run."""

REPLAY_SLACK_MS = 5000
"""Clock slack of the re-run check (MILLISECONDS): a first create answered with a request
created more than this long before the run's start (server time) means a re-run. A re-run
started within this time of the earlier run's create of the same job is not detected."""

JobsSource = str | os.PathLike[str] | Iterable[Mapping[str, Any]]


class BatchStoppedError(CannonError):
    """The run stopped early: the API could not be reached, answered 5xx after retries, or
    refused the key; or local storage refused a write (``cause`` is a ``BatchStorageError``).
    Every job keeps its journaled state; run the batch again to resume.

    Attributes:
        summary: the ``BatchSummary`` at the stop (its ``exit_code`` is 3, or 5 for storage).
        cause: the error that stopped the run (also ``__cause__``).
    """

    def __init__(self, summary: BatchSummary, cause: BaseException) -> None:
        self.summary = summary
        self.cause = cause
        super().__init__(
            f"batch stopped: {type(cause).__name__}: {cause} "
            f"({summary.unfinished} job(s) unfinished; run again to resume)"
        )


@dataclass
class _Plan:
    scheduler: Scheduler
    journal: BatchJournal
    out_dir: Output
    started: float
    lock: DirectoryLock
    reuse_requests: bool = False


def _load(jobs: JobsSource) -> list[Job]:
    if isinstance(jobs, str | os.PathLike):
        return load_jobs(jobs)
    return jobs_from_mappings(jobs)


def _check_meta(journal: BatchJournal, batch_id: str, shard: Shard | None, given_id: bool) -> None:
    meta = journal.meta()
    old_id, old_shard = meta.get("batch_id"), meta.get("shard")
    shard_text = str(shard) if shard else "all"
    if old_shard is not None and old_shard != shard_text:
        raise BatchJournalError(
            f"{journal.location} belongs to shard {old_shard}, not {shard_text}; "
            "give each shard its own output directory"
        )
    if old_id is not None and old_id != batch_id and given_id and not meta.get("rerun_of"):
        raise BatchJournalError(
            f"{journal.location} belongs to batch {old_id}, not {batch_id}; "
            "use another output directory for another batch"
        )


class PlanOptions(TypedDict, total=False):
    """The options of a run besides ``concurrency`` and ``job_timeout`` (see ``Cannon.batch``)."""

    max_credits: int | None
    shard: Shard | str | None
    retry_failed: bool
    batch_id: str | None
    journal_path: str | os.PathLike[str] | None
    on_event: Callable[[BatchEvent], object] | None
    reuse_requests: bool
    storage_options: Mapping[str, str] | None


def prepare(
    jobs: JobsSource,
    out_dir: str | os.PathLike[str] | ObjectStore,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    journal_path: str | os.PathLike[str] | None = None,
    shard: Shard | str | None = None,
    batch_id: str | None = None,
    max_credits: int | None = None,
    retry_failed: bool = False,
    on_event: Callable[[BatchEvent], object] | None = None,
    reuse_requests: bool = False,
    storage_options: Mapping[str, str] | None = None,
) -> _Plan:
    """Validate the jobs, lock the directory, open the journal, build the scheduler (nothing is
    sent here).

    Raises:
        BatchFileError, BatchJournalError (``BatchLockedError``: another run holds the
        directory; an object-store output without ``journal_path``), BatchStorageError (also:
        the bucket cannot be reached); ValueError for a bad ``concurrency`` or ``max_credits``.
    """
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError("concurrency must be an integer >= 1")
    parsed = _load(jobs)
    graph = JobGraph(parsed)
    part = Shard.parse(shard) if isinstance(shard, str) else shard
    selected = part.select(graph.components()) if part else set(graph.order)
    if max_credits is not None and (isinstance(max_credits, bool) or max_credits < 0):
        raise ValueError("max_credits must be a number of credits >= 0")
    out = open_output(out_dir, storage_options)
    journal_at = journal_for(out, journal_path)
    if isinstance(out, ObjectStore):
        out.prepare()
        lock = DirectoryLock()  # the journal's driver lock (claim_driver) is the run's
    else:
        lock = DirectoryLock(out / LOCK_NAME).acquire()
    try:
        if isinstance(out, Path):
            remove_stale_report_files(out)
        journal = open_journal(journal_at)
    except BaseException:
        lock.release()
        raise
    try:
        journal.claim_driver()
        default_id = batch_id_for(parsed)
        _check_meta(journal, batch_id or default_id, part, batch_id is not None)
        meta = journal.meta()
        if meta.get("rerun_of") and batch_id is not None and batch_id != meta.get("batch_id"):
            chosen = batch_id  # a re-run that was refused becomes a new batch
        else:
            chosen = meta.get("batch_id") or batch_id or default_id
        rerun = meta.get("rerun_of", "")
        journal.set_meta(
            {
                "batch_id": chosen,
                "shard": str(part) if part else "all",
                "source": str(jobs) if isinstance(jobs, str | os.PathLike) else "<mappings>",
                "jobs_in_file": str(len(parsed)),
                "rerun_of": "" if chosen != meta.get("batch_id") or reuse_requests else rerun,
                # The chains, for readers of the journal alone (the HTML report).
                REFERENCES_META: json.dumps(
                    {
                        job.id: [[r.job_id, r.output, r.field] for r in job.references]
                        for job in parsed
                        if job.references
                    },
                    separators=(",", ":"),
                ),
            }
        )
        scheduler = Scheduler(
            graph,
            selected,
            journal,
            batch_id=chosen,
            max_credits=max_credits,
            retry_failed=retry_failed,
            on_event=on_event,
        )
    except BaseException:
        journal.close()
        lock.release()
        raise
    return _Plan(scheduler, journal, out, time.monotonic(), lock, reuse_requests)


def _finish(plan: _Plan, *, interrupted: bool, fatal: list[BaseException]) -> BatchSummary:
    """Close the run: held jobs, ``report.jsonl``, journal and lock. A write refused by local
    storage here is added to ``fatal`` (the journal keeps the state; the report can be made
    again with ``batch report DIR``)."""
    report = f"{plan.out_dir}/{REPORT_NAME}"
    rows: list[ReportRow] = []
    try:
        try:
            plan.scheduler.close()
        except BatchStorageError as exc:
            fatal.append(exc)
        rows = report_rows(plan.journal)
        try:
            write_report_to(plan.out_dir, rows)
        except BatchStorageError as exc:
            fatal.append(exc)
        except OSError as exc:
            fatal.append(BatchStorageError(report, exc.strerror or str(exc)))
    finally:
        plan.journal.close()
        plan.lock.release()
    error = fatal[0] if fatal else None
    return summarize(
        rows,
        interrupted=interrupted,
        error=None if error is None else f"{type(error).__name__}: {error}",
        elapsed_s=time.monotonic() - plan.started,
        out_dirs=[str(plan.out_dir)],
        storage_error=isinstance(error, BatchStorageError),
    )


def _conclude(plan: _Plan, fatal: list[BaseException]) -> BatchSummary:
    """Finish a run that was not interrupted: the summary, or (after the report is written)
    ``BatchRerunError`` for a re-run that was not asked for, ``BatchStoppedError`` when an error
    stopped it."""
    summary = _finish(plan, interrupted=False, fatal=fatal)
    if fatal:
        if isinstance(fatal[0], BatchRerunError):
            raise fatal[0]
        raise BatchStoppedError(summary, fatal[0]) from fatal[0]
    return summary


def _next_action(sched: Scheduler, fatal: list[BaseException]) -> Action | None:
    """``sched.next_action()``; a journal write refused by local storage stops the run."""
    try:
        return sched.next_action()
    except BatchStorageError as exc:
        fatal.append(exc)
        sched.stop()
        return None


def _replay_floor(server_time: object) -> int | None:
    """Epoch MILLISECONDS ``REPLAY_SLACK_MS`` before a ``serverTime`` (``None`` if unreadable)."""
    if not isinstance(server_time, str):
        return None
    try:
        moment = datetime.fromisoformat(server_time.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return int(moment.timestamp() * 1000) - REPLAY_SLACK_MS


def _set_replay_floor(sched: JobOutcomes, status: Any, fatal: list[BaseException]) -> None:
    """From the answer of ``GET /api/v1/status`` at the start (or its error): the re-run check's
    floor. A key that may not read the status (403/404) runs without the check; an API that
    cannot be reached stops the run before anything is created (as a failed create would)."""
    if isinstance(status, APIStatusError) and status.status_code in (403, 404):
        return
    if isinstance(status, BaseException):
        fatal.append(status)
        sched.stop()
        return
    data = status.to_dict() if hasattr(status, "to_dict") else {}
    sched.replay_floor_ms = _replay_floor(
        data.get("serverTime") if isinstance(data, dict) else None
    )


# ---------------------------------------------------------------------------------------- sync
def _perform(client: BatchClient, step: Step) -> Any:
    if isinstance(step, Create):
        return client.requests.create(
            step.operation,
            step.input,
            webhook_url=step.webhook_url,
            idempotency_key=step.key,
            validate=not step.checked,
        )
    if isinstance(step, Refresh):
        return step.handle.refresh()
    if isinstance(step, Retrieve):
        return client.requests.retrieve(step.request_id)
    if isinstance(step, Wait):
        return step.handle.wait(max_wait=step.timeout, on_update=step.on_update)
    return download_missing(step.output, step.directory, client.download_client)


class _JobSteps:
    """The sans-IO half of driving one job's steps (``job_steps``), shared by both drivers.

    ``next()`` sends the last outcome into the job and returns the next step to perform, or
    ``None`` when the job is done; once the run is stopping, the step is not performed and
    ``StopRun`` is thrown in instead. The drivers only perform each step (the I/O) and report
    its result (``done``) or its error (``failed``).
    """

    def __init__(self, sched: JobOutcomes, steps: Generator[Step, Any, None]) -> None:
        self._sched = sched
        self._steps = steps
        self._result: Any = None
        self._error: Exception | None = None

    def next(self) -> Step | None:
        while True:
            try:
                if self._error is None:
                    step = self._steps.send(self._result)
                else:
                    step = self._steps.throw(self._error)
            except StopIteration:
                return None
            if not self._sched.stopping or (isinstance(step, Refresh) and step.check):
                return step
            self.failed(StopRun())

    def done(self, result: Any) -> None:
        self._result, self._error = result, None

    def failed(self, error: Exception) -> None:
        self._result, self._error = None, error


def _drive(client: BatchClient, sched: JobOutcomes, steps: Generator[Step, Any, None]) -> None:
    """Perform each step of a job with the sync client (see ``_JobSteps``)."""
    job = _JobSteps(sched, steps)
    while (step := job.next()) is not None:
        try:
            job.done(_perform(client, step))
        except Exception as exc:
            job.failed(exc)


def run_batch(
    client: BatchClient,
    jobs: JobsSource,
    out_dir: str | os.PathLike[str] | ObjectStore,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    job_timeout: float = DEFAULT_JOB_TIMEOUT_S,
    **options: Unpack[PlanOptions],
) -> BatchSummary:
    """Run (or resume) a batch with a sync client; see ``Cannon.batch`` for the arguments.

    ``client`` is anything with the ``BatchClient`` members (``Cannon``): its ``requests`` and
    its ``download_client``.

    Raises:
        BatchFileError: a line of the file was refused (nothing sent).
        BatchJournalError: the journal belongs to another batch or shard, or a started job changed.
        BatchStoppedError: the API could not be reached or refused the key (state kept).
        KeyboardInterrupt: after the journal and the report are written (state kept).
    """
    plan = prepare(jobs, out_dir, concurrency=concurrency, **options)
    sched = plan.scheduler
    cond = threading.Condition()
    running = [0]
    fatal: list[BaseException] = []
    if not plan.reuse_requests:
        try:
            _set_replay_floor(sched, client.status(), fatal)
        except (CannonError, httpx2.HTTPError) as exc:
            _set_replay_floor(sched, exc, fatal)

    def notify() -> None:
        with cond:
            cond.notify_all()

    def worker(action: Action) -> None:
        try:
            _drive(
                client, sched, job_steps(sched, action, plan.out_dir, job_timeout, notify, fatal)
            )
        finally:
            with cond:
                running[0] -= 1
                cond.notify_all()

    try:
        with cond:
            while True:
                while running[0] < concurrency:
                    action = _next_action(sched, fatal)
                    if action is None:
                        break
                    running[0] += 1
                    threading.Thread(
                        target=worker, args=(action,), name=f"batch-{action.job.id}", daemon=True
                    ).start()
                if running[0] == 0:
                    break
                cond.wait(timeout=1.0)
    except BaseException:  # KeyboardInterrupt: running jobs keep their journaled state
        sched.stop()
        _finish(plan, interrupted=True, fatal=[])
        raise
    return _conclude(plan, fatal)


# --------------------------------------------------------------------------------------- async
async def _aperform(client: AsyncBatchClient, step: Step) -> Any:
    if isinstance(step, Create):
        return await client.requests.create(
            step.operation,
            step.input,
            webhook_url=step.webhook_url,
            idempotency_key=step.key,
            validate=not step.checked,
        )
    if isinstance(step, Refresh):
        return await step.handle.refresh()
    if isinstance(step, Retrieve):
        return await client.requests.retrieve(step.request_id)
    if isinstance(step, Wait):
        return await step.handle.wait(max_wait=step.timeout, on_update=step.on_update)
    return await adownload_missing(step.output, step.directory, client.download_client)


async def _adrive(
    client: AsyncBatchClient, sched: JobOutcomes, steps: Generator[Step, Any, None]
) -> None:
    """Async twin of ``_drive``."""
    job = _JobSteps(sched, steps)
    while (step := job.next()) is not None:
        try:
            job.done(await _aperform(client, step))
        except Exception as exc:
            job.failed(exc)


async def arun_batch(
    client: AsyncBatchClient,
    jobs: JobsSource,
    out_dir: str | os.PathLike[str] | ObjectStore,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    job_timeout: float = DEFAULT_JOB_TIMEOUT_S,
    webhooks: WebhookReceiver | None = None,
    **options: Unpack[PlanOptions],
) -> BatchSummary:
    """Async twin of ``run_batch`` (one task per job in flight). Cancelling it (or Ctrl-C under
    ``asyncio.run``) stops the run with every job's state journaled, then re-raises.

    ``webhooks``: the client's ``WebhookReceiver``, run for the batch unless it already runs
    (the creates carry its URL; waits are resolved by deliveries, polling as a safety net)."""
    if webhooks is not None and not webhooks.running:
        async with webhooks:
            return await arun_batch(
                client, jobs, out_dir, concurrency=concurrency, job_timeout=job_timeout, **options
            )
    plan = prepare(jobs, out_dir, concurrency=concurrency, **options)
    sched = plan.scheduler
    wake = asyncio.Event()
    fatal: list[BaseException] = []
    tasks: set[asyncio.Task[None]] = set()
    if not plan.reuse_requests:
        try:
            _set_replay_floor(sched, await client.status(), fatal)
        except (CannonError, httpx2.HTTPError) as exc:
            _set_replay_floor(sched, exc, fatal)
    try:
        while True:
            while len(tasks) < concurrency:
                action = _next_action(sched, fatal)
                if action is None:
                    break
                tasks.add(
                    asyncio.create_task(
                        _adrive(
                            client,
                            sched,
                            job_steps(sched, action, plan.out_dir, job_timeout, wake.set, fatal),
                        )
                    )
                )
            if not tasks:
                break
            await wake.wait()
            wake.clear()
            tasks = {task for task in tasks if not task.done()}
    except BaseException:  # CancelledError, KeyboardInterrupt
        sched.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        _finish(plan, interrupted=True, fatal=[])
        raise
    return _conclude(plan, fatal)
