"""Cannon on a cluster engine (Dask): ``local_dask_cluster`` starts a Dask cluster on this
machine for code that creates requests from Dask tasks (see ``examples/dask_bag_requests.py``).
Needs the ``dask`` extra (``pip install "cannon-studio[dask]"``).

Files: ``_dask`` (the local cluster).
"""

from __future__ import annotations

from ._dask import local_dask_cluster

__all__ = ["local_dask_cluster"]
