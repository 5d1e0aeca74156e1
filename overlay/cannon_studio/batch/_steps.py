"""One job's work as a sans-IO generator: it yields the I/O it needs, the driver performs it.

``job_steps`` holds every decision of a job's life (what to send, which answers are final for
the job, which stop the run, what goes to the journal) exactly once; the sync runner performs
each yielded step with ``Cannon`` and the async runner with ``AsyncCannon`` (the httpcore /
h11 pattern: logic without I/O, thin drivers around it). A failed step is thrown back into the
generator, so the error handling lives here too.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from .._errors import (
    APIStatusError,
    CannonError,
    InputValidationError,
    NotFoundError,
    RequestFailedError,
    WaitTimeoutError,
)
from ._errors import BatchRerunError, BatchStorageError
from ._outcomes import JobOutcomes
from ._scheduler import Action
from ._storage import ObjectDir, Output
from ._transfer import planned_files

__all__ = [
    "Create",
    "Download",
    "Refresh",
    "Retrieve",
    "Step",
    "StopRun",
    "Wait",
    "job_steps",
]

REFUSALS = frozenset({400, 402, 404, 409, 413, 422})
"""Create answers that are final for that job (no request was created, nothing charged)."""

GONE = frozenset({400, 401, 403, 404, 410})
"""Asset-host answers that mean the signed URL is no longer good (expired, revoked): the
request is fetched again once for fresh URLs (Assumed: the API may re-sign them)."""


@dataclass(frozen=True)
class Create:
    """``requests.create(operation, input, webhook_url=..., idempotency_key=key)`` -> handle.
    ``checked``: the envelope already passed the schema check when the file was read (sent with
    ``validate=False``, so it is not checked twice)."""

    operation: str
    input: dict[str, Any]
    webhook_url: str | None
    key: str | None
    checked: bool = False


@dataclass(frozen=True)
class Refresh:
    """``handle.refresh()`` (one poll) -> handle. ``check``: the poll that tells whether a
    first create was answered with an earlier request; performed even once the run is stopping,
    so no job is left created but unchecked."""

    handle: Any
    check: bool = False


@dataclass(frozen=True)
class Retrieve:
    """``requests.retrieve(request_id)`` -> handle."""

    request_id: str


@dataclass(frozen=True)
class Wait:
    """``handle.wait(max_wait=seconds, on_update=...)`` -> handle (``RequestFailedError``)."""

    handle: Any
    timeout: float
    on_update: Callable[[Any], None]


@dataclass(frozen=True)
class Download:
    """Fetch the output's files not yet ``verified`` (name -> BYTES, filled as files are
    verified) into ``directory`` (a local one, or a folder in an object store) ->
    ``[{"name", "bytes"}]``."""

    output: dict[str, Any]
    directory: Path | ObjectDir
    verified: dict[str, int] = field(default_factory=dict)


Step = Create | Refresh | Retrieve | Wait | Download


class StopRun(Exception):
    """Thrown into a job's steps by the driver once the run is stopping (Ctrl-C, a stop):
    the job keeps its journaled state and the next run continues it."""


def _seconds(handle: Any) -> float | None:
    request = handle.request
    created = getattr(request, "created_at_ms", None)
    completed = getattr(request, "completed_at_ms", None)
    if isinstance(created, int) and isinstance(completed, int):
        return (completed - created) / 1000.0
    return None


def _output(handle: Any) -> dict[str, Any]:
    output = handle.output
    data: dict[str, Any] = output.to_dict() if output is not None else {}
    return data


def _replayed(handle: Any, floor_ms: int | None) -> bool:
    """The request was created before ``floor_ms`` (server clock, epoch MILLISECONDS)."""
    created = getattr(handle.request, "created_at_ms", None)
    return (
        floor_ms is not None
        and isinstance(created, int)
        and not isinstance(created, bool)
        and created < floor_ms
    )


def job_steps(
    sched: JobOutcomes,
    action: Action,
    out_dir: Output,
    timeout: float,
    notify: Callable[[], None],
    fatal: list[BaseException],
) -> Generator[Step, Any, None]:
    """The steps of one ``Action``; every outcome is reported to ``sched``.

    Args:
        sched: the scheduler to report to.
        action: what to do (create, attach to a request, or download).
        out_dir: the batch's output directory (files go to ``out_dir/<job id>/``), or its
            ``ObjectStore``.
        timeout: SECONDS to wait for the request in this run.
        notify: wakes the driver's loop (a price became known, the job ended).
        fatal: an error that must stop the run is appended here (the job keeps its state).
    """
    job = action.job
    try:
        handle: Any = None
        output: dict[str, Any]
        if action.kind == "create":
            try:
                handle = yield Create(
                    job.operation,
                    action.input or {},
                    job.webhook_url,
                    action.key,
                    checked=job.checked and not job.references,
                )
            except InputValidationError as exc:
                sched.failed(job.id, f"refused before sending: {exc}")
                return
            except APIStatusError as exc:
                if exc.status_code not in REFUSALS:
                    raise
                sched.failed(job.id, f"create refused: {exc}")
                return
            check = action.fresh and sched.replay_floor_ms is not None
            if check or sched.max_credits is not None:
                # One GET now: the price before the next create (budget), and when the request
                # was created (a first create answered with an older request: a re-run).
                handle = yield Refresh(handle, check=check)
                if check and _replayed(handle, sched.replay_floor_ms):
                    sched.replayed(job.id, handle.id)
                    fatal.append(BatchRerunError(sched.batch_id, job.id, handle.id))
                    sched.stop()
                    return
                sched.created(job.id, handle.id, handle.status)
                sched.update(job.id, handle.status, handle.credits)
                notify()
            else:
                sched.created(job.id, handle.id, handle.status)
        elif action.kind == "attach":
            try:
                handle = yield Retrieve(action.request_id or "")
            except NotFoundError as exc:
                sched.failed(job.id, f"request {action.request_id} is not known any more: {exc}")
                return
            sched.update(job.id, handle.status, handle.credits)
        if handle is not None:
            known = handle

            def on_update(h: Any) -> None:
                sched.update(job.id, h.status, h.credits)

            try:
                yield Wait(known, timeout, on_update)
            except RequestFailedError:
                sched.failed(
                    job.id,
                    known.error_message or "the request failed",
                    credits=known.credits,
                    seconds=_seconds(known),
                )
                return
            output = _output(known)
            if not planned_files(output):  # nothing to download: done in one journal write
                sched.remote_succeeded(
                    job.id, output, known.credits, _seconds(known), has_files=False
                )
                return
            sched.remote_succeeded(job.id, output, known.credits, _seconds(known))
        else:
            output = action.output or {}
        request_id = handle.id if handle is not None else action.request_id
        verified: dict[str, int] = {}
        for attempt in (1, 2):
            try:
                files = yield Download(output, out_dir / job.id, verified)
                break
            except BatchStorageError:
                raise
            except APIStatusError as exc:
                if exc.status_code not in GONE or request_id is None:
                    sched.interrupted(job.id, f"download failed: {exc}")
                    return
                fresh = _output((yield Retrieve(request_id))) if attempt == 1 else output
                if fresh == output:  # the URLs are what they were: expired for good
                    sched.failed(
                        job.id,
                        f"the request succeeded but its files cannot be downloaded any more "
                        f"({exc}); --retry-failed creates the job again",
                    )
                    return
                output = fresh
                sched.new_output(job.id, output)
            except (CannonError, httpx2.HTTPError, OSError) as exc:
                sched.interrupted(job.id, f"download failed: {exc}")
                return
        sched.finished(job.id, files)
    except StopRun:
        sched.interrupted(job.id)
    except WaitTimeoutError as exc:
        sched.interrupted(job.id, str(exc))
    except (CannonError, httpx2.HTTPError) as exc:  # unreachable, 5xx after retries, 401/403/429
        sched.interrupted(job.id)
        fatal.append(exc)
        sched.stop()
    finally:
        notify()
