"""The local Dask cluster (``cannon_studio.cluster.local_dask_cluster``) is real: a scheduler
and worker processes, every socket they listen on bound to 127.0.0.1, tasks run outside the
calling process."""

from __future__ import annotations

import os

import psutil
import pytest
from cannon_studio.cluster import local_dask_cluster


def _listening() -> list[tuple[str, int]]:
    """The addresses this process listens on (TCP)."""
    connections = psutil.Process(os.getpid()).net_connections("inet")
    return [(c.laddr.ip, c.laddr.port) for c in connections if c.status == psutil.CONN_LISTEN]


def test_the_local_cluster_is_a_scheduler_and_worker_processes_on_loopback() -> None:
    with local_dask_cluster(2) as client:
        info = client.scheduler_info()
        assert info["address"].startswith("tcp://127.0.0.1:")
        assert len(info["workers"]) == 2
        assert all(address.startswith("tcp://127.0.0.1:") for address in info["workers"])
        assert {ip for ip, _ in _listening()} <= {"127.0.0.1"}  # scheduler, nannies
        for sockets in client.run(_listening).values():
            assert sockets and {ip for ip, _ in sockets} == {"127.0.0.1"}
        pids = client.run(os.getpid)
        assert len(set(pids.values())) == 2
        assert os.getpid() not in pids.values()


def test_a_cluster_without_workers_is_refused() -> None:
    with pytest.raises(ValueError, match="n_workers must be at least 1"), local_dask_cluster(0):
        pass
