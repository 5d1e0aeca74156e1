"""Tasks the Dask plumbing tests run in worker processes (importable there by name, as
``cannon_studio.cluster``'s own task is): they stand in for the batch worker and leave marker
files so a second attempt can be told from the first."""

from __future__ import annotations

import os
from pathlib import Path

from cannon_studio.cluster._dask import EngineWorkerResult, _WorkerSpec


def _attempt(spec: _WorkerSpec, index: int) -> int:
    """1 on the first call for ``index``, 2 on the second...: counted in marker files."""
    marker = Path(spec.out) / f"attempt-{index}"
    with marker.open("a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    return len(marker.read_text(encoding="utf-8").splitlines())


def report_pid(spec: _WorkerSpec, index: int) -> EngineWorkerResult:
    """Succeeds at once; its worker id names the process it ran in."""
    _attempt(spec, index)
    return EngineWorkerResult(index, worker_id=str(os.getpid()))


def raise_first(spec: _WorkerSpec, index: int) -> EngineWorkerResult:
    """Raises on the first attempt of task 0, succeeds otherwise."""
    if _attempt(spec, index) == 1 and index == 0:
        raise RuntimeError("the first attempt fails")
    return EngineWorkerResult(index, worker_id=str(os.getpid()))


def always_raise(spec: _WorkerSpec, index: int) -> EngineWorkerResult:
    """Task 1 always raises; the others succeed."""
    _attempt(spec, index)
    if index == 1:
        raise RuntimeError("no journal at postgresql://db/x\nsecond line")
    return EngineWorkerResult(index, worker_id=str(os.getpid()))


def die_first(spec: _WorkerSpec, index: int) -> EngineWorkerResult:
    """Task 0's first attempt kills its worker process (as an OOM kill or kill -9 would)."""
    if _attempt(spec, index) == 1 and index == 0:
        os._exit(137)
    return EngineWorkerResult(index, worker_id=str(os.getpid()))
