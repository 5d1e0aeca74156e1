"""A Dask cluster on this machine: ``local_dask_cluster`` (a scheduler and worker PROCESSES on
127.0.0.1, no dashboard), for code that runs Cannon calls as Dask tasks."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import distributed

__all__ = ["local_dask_cluster"]


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
