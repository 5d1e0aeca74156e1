"""Batch workers as tasks of a Dask cluster: ``start_workers_on_dask`` and ``local_dask_cluster``.

Each task runs one batch worker (``cannon_studio.batch.run_worker``) in a worker process of the
cluster, against the shared journal (a ``postgresql://`` URL): it builds its own client there,
claims ready jobs until none is left, and returns the worker's summary. What travels in the
task graph is the journal URL, the output location, the worker options and the client factory
(a picklable callable, by default ``Cannon`` reading ``CANNON_API_KEY`` and ``CANNON_BASE_URL``
from the worker process's environment): never the API key.

A task that raises is run again by Dask (``retries``); a task whose worker process dies is
rescheduled by Dask on another worker (up to the scheduler's ``allowed-failures``, 3 by
default). Either way the jobs the dead attempt had claimed are taken over, by any worker, once
their lease in the journal has expired, and resumed with the same idempotency keys: nothing is
created or charged twice. A task that still fails is reported in its ``EngineWorkerResult``,
never raised, so the other workers' summaries are not lost.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._client import Cannon
from ..batch import BatchClient, WorkerSummary, run_worker
from ..batch._journal_postgres import public_location

if TYPE_CHECKING:
    import distributed

__all__ = ["ClientFactory", "EngineWorkerResult", "local_dask_cluster", "start_workers_on_dask"]

ClientFactory = Callable[[], BatchClient]
"""A zero-argument callable that builds the client a worker runs with, IN the worker process
(e.g. ``functools.partial(Cannon, base_url=...)``). It is pickled into the task graph: it must
read the API key in the worker (environment, secret store), never hold it."""

DEFAULT_RETRIES = 1
"""Times Dask runs a worker task again after it raised (``Client.submit(retries=...)``)."""


def _client_from_environment() -> BatchClient:
    """``Cannon()`` in the worker process: key and base URL from ``CANNON_API_KEY`` /
    ``CANNON_BASE_URL`` there (a missing key raises ``ConfigurationError`` naming the
    variable)."""
    return Cannon()


@dataclass(frozen=True)
class _WorkerSpec:
    """What one worker task receives (pickled into the task graph: no API key here)."""

    journal: str
    out: str
    options: Mapping[str, Any]
    client_factory: ClientFactory | None
    name: str

    def __repr__(self) -> str:
        return f"_WorkerSpec(journal={public_location(self.journal)!r}, out={self.out!r})"


@dataclass(frozen=True)
class EngineWorkerResult:
    """What one engine task ended with.

    Attributes:
        index: the task's number, 0 to ``workers - 1``.
        summary: the batch worker's summary (``WorkerSummary``), or ``None`` when it failed.
        error: one sentence, when the task failed after Dask's retries (its exception type
            and message, or the death of its worker process); ``None`` otherwise.
        worker_id: the id the batch worker claimed jobs under (the journal's ``worker``).
        address: the Dask worker it ran on (``tcp://host:port``), when known.
    """

    index: int
    summary: WorkerSummary | None = None
    error: str | None = None
    worker_id: str | None = None
    address: str | None = field(default=None)

    @property
    def ok(self) -> bool:
        """The task returned and its worker ended without an error (``exit_code`` 0); jobs
        that failed or that the budget held are in ``summary.outcomes`` / ``summary.held``."""
        return self.error is None and self.summary is not None and self.summary.exit_code == 0


def _dask_worker_address() -> str | None:
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # not inside a Dask worker (called directly)
        return None


def _worker_task(spec: _WorkerSpec, index: int) -> EngineWorkerResult:
    """One engine task: build the client here, run the batch worker until nothing is left."""
    worker_id = f"{spec.name}-{index}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    factory = spec.client_factory or _client_from_environment
    client = factory()
    try:
        summary = run_worker(
            client, spec.journal, out=spec.out, worker_id=worker_id, **spec.options
        )
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
    return EngineWorkerResult(
        index, summary=summary, worker_id=worker_id, address=_dask_worker_address()
    )


def _failure(exc: BaseException) -> str:
    if type(exc).__name__ == "KilledWorker":
        return (
            "its Dask worker process died more often than the scheduler allows "
            "(distributed.scheduler.allowed-failures); the jobs it held are taken over by "
            "other workers once their leases expire"
        )
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def run_tasks(
    dask_client: distributed.Client,
    task: Callable[[_WorkerSpec, int], EngineWorkerResult],
    spec: _WorkerSpec,
    workers: int,
    *,
    retries: int = DEFAULT_RETRIES,
) -> list[EngineWorkerResult]:
    """Submit ``workers`` copies of ``task`` (numbered), wait for all, one result per task."""
    from distributed import wait

    batch = uuid.uuid4().hex[:8]
    futures = [
        dask_client.submit(
            task, spec, index, key=f"{spec.name}-{batch}-{index}", pure=False, retries=retries
        )
        for index in range(workers)
    ]
    try:
        wait(futures)
    except BaseException:  # Ctrl-C: start no more; running workers end when idle
        dask_client.cancel(futures)
        raise
    results: list[EngineWorkerResult] = []
    for index, future in enumerate(futures):
        if future.status == "finished":
            results.append(future.result())
        else:
            exc = future.exception()
            results.append(EngineWorkerResult(index, error=_failure(exc)))
    return results


@contextlib.contextmanager
def local_dask_cluster(
    n_workers: int = 2, *, threads_per_worker: int = 1
) -> Iterator[distributed.Client]:
    """A Dask cluster on this machine: a scheduler and ``n_workers`` worker PROCESSES, all on
    127.0.0.1 (ports chosen free), no dashboard; closed on exit.

    The worker processes inherit this process's environment (``CANNON_API_KEY`` included)
    when they start: nothing is sent through the scheduler. Call it under
    ``if __name__ == "__main__":`` in a script (worker processes are spawned).

    Args:
        n_workers: worker processes (>= 1).
        threads_per_worker: threads per worker process.

    Yields:
        A ``distributed.Client`` connected to the cluster.

    Raises:
        ImportError: the ``dask`` extra is not installed (one sentence naming it).
        ValueError: ``n_workers`` below 1.
    """
    LocalCluster, Client = _distributed()
    if n_workers < 1:
        raise ValueError(f"n_workers must be at least 1, not {n_workers}")
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # No dashboard; the scheduler's bare HTTP routes (health, metrics) on a free
            # loopback port rather than on 8787.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _distributed() -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(
            'cannon_studio.cluster needs Dask: pip install "cannon-studio[dask]"'
        ) from None
    return LocalCluster, Client


def start_workers_on_dask(
    dask_client: distributed.Client | None,
    journal: str,
    *,
    out: str | Path,
    workers: int | None = None,
    client_factory: ClientFactory | None = None,
    retries: int = DEFAULT_RETRIES,
    name: str = "cannon-worker",
    **worker_options: Any,
) -> list[EngineWorkerResult]:
    """Run batch workers as tasks of a Dask cluster and wait until every one has returned.

    Each task calls ``cannon_studio.batch.run_worker(client, journal, out=out, worker_id=...,
    **worker_options)`` in a Dask worker process, with a client built there by
    ``client_factory`` (default: ``Cannon()``, which reads ``CANNON_API_KEY`` and
    ``CANNON_BASE_URL`` from that process's environment). Submit the jobs first
    (``cannon_studio.batch.submit_batch`` or ``cannon-studio batch submit``).

    Args:
        dask_client: a ``distributed.Client`` of your cluster; ``None`` starts a local one
            (``local_dask_cluster(workers)``) for the call.
        journal: the shared journal's ``postgresql://`` URL. It travels in the task graph:
            keep its password in the workers' ``PGPASSWORD`` or ``~/.pgpass`` instead.
        out: where the workers write assets: a directory every worker sees (a shared mount)
            or an object-store URL.
        workers: tasks to run (default: one per Dask worker of the cluster, or 2 locally).
        client_factory: builds each worker's client in its process (see ``ClientFactory``).
        retries: times Dask runs a task again after it raised.
        name: prefix of the tasks' keys and of the batch workers' ids.
        **worker_options: passed to ``run_worker`` (``concurrency``, ``lease_s``...).

    Returns:
        One ``EngineWorkerResult`` per task, in task order: the worker's summary, or one
        sentence saying why it failed.

    Raises:
        ImportError: the ``dask`` extra is not installed.
        ValueError: ``workers`` below 1.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    spec = _WorkerSpec(journal, str(out), dict(worker_options), client_factory, name)
    if dask_client is None:
        count = workers or 2
        with local_dask_cluster(count) as local:
            return run_tasks(local, _worker_task, spec, count, retries=retries)
    count = workers or max(1, len(dask_client.scheduler_info()["workers"]))
    return run_tasks(dask_client, _worker_task, spec, count, retries=retries)
