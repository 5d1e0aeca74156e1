"""Batch workers started by a cluster engine (Dask), against one shared journal.

``start_workers_on_dask(dask_client, journal, out=..., workers=N)`` runs N batch workers
(``cannon_studio.batch.run_worker``) as tasks of a Dask cluster, each in a worker process of
the cluster, each with its own client built there from the worker's environment
(``CANNON_API_KEY``) or from a client factory you give: the API key never travels in the task
graph. Needs the ``dask`` extra (``pip install "cannon-studio[dask]"``).

Files: ``_dask`` (the tasks, the local cluster, the per-worker results).
"""

from __future__ import annotations

from ._dask import ClientFactory, EngineWorkerResult, local_dask_cluster, start_workers_on_dask

__all__ = ["ClientFactory", "EngineWorkerResult", "local_dask_cluster", "start_workers_on_dask"]
