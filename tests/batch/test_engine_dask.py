"""Batch workers as tasks of a real Dask cluster on loopback (``cannon_studio.cluster``): a
scheduler and two worker processes, every socket they listen on bound to 127.0.0.1. The plumbing (task numbering, Dask's retries,
a dead worker process, failures reported per task, not raised) runs stand-in tasks from
``engine_tasks``; the API key stays out of the task graph."""

from __future__ import annotations

import functools
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dask
import distributed
import engine_tasks
import psutil
import psycopg
import pytest
from batch_support import API_KEY, SandboxProcess, expected_states, mixed_jobs, write_jobs
from cannon_studio import Cannon
from cannon_studio.batch import open_journal, submit_batch
from cannon_studio.cluster import EngineWorkerResult, local_dask_cluster, start_workers_on_dask
from cannon_studio.cluster._dask import _WorkerSpec, run_tasks

KEY = "cs_test_engine_key_never_in_the_graph_0000"


@pytest.fixture(scope="module")
def dask_client() -> Iterator[distributed.Client]:
    """Two worker processes on 127.0.0.1 for the module; CANNON_* unset in them."""
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("CANNON_")}
    try:
        with local_dask_cluster(2) as client:
            yield client
    finally:
        os.environ.update(saved)


def _spec(tmp_path: Path) -> _WorkerSpec:
    return _WorkerSpec("postgresql://u:pw@127.0.0.1/j", str(tmp_path), {}, None, "test-worker")


def _listening() -> list[tuple[str, int]]:
    """The addresses this process listens on (TCP)."""
    connections = psutil.Process(os.getpid()).net_connections("inet")
    return [(c.laddr.ip, c.laddr.port) for c in connections if c.status == psutil.CONN_LISTEN]


def test_the_local_cluster_is_a_scheduler_and_worker_processes_on_loopback(
    dask_client: distributed.Client,
) -> None:
    info = dask_client.scheduler_info()
    assert info["address"].startswith("tcp://127.0.0.1:")
    assert len(info["workers"]) == 2
    assert all(address.startswith("tcp://127.0.0.1:") for address in info["workers"])
    assert {ip for ip, _ in _listening()} <= {"127.0.0.1"}  # scheduler, nannies
    for sockets in dask_client.run(_listening).values():
        assert sockets and {ip for ip, _ in sockets} == {"127.0.0.1"}
    pids = dask_client.run(os.getpid)
    assert len(set(pids.values())) == 2
    assert os.getpid() not in pids.values()


def test_every_task_runs_once_in_worker_processes(
    dask_client: distributed.Client, tmp_path: Path
) -> None:
    results = run_tasks(dask_client, engine_tasks.report_pid, _spec(tmp_path), 4)
    assert [r.index for r in results] == [0, 1, 2, 3]
    assert all(r.error is None for r in results)
    worker_pids = {str(pid) for pid in dask_client.run(os.getpid).values()}
    assert {r.worker_id for r in results} <= worker_pids
    for index in range(4):
        assert len((tmp_path / f"attempt-{index}").read_text().splitlines()) == 1


def test_a_task_that_raises_is_run_again(dask_client: distributed.Client, tmp_path: Path) -> None:
    results = run_tasks(dask_client, engine_tasks.raise_first, _spec(tmp_path), 2, retries=1)
    assert all(r.error is None for r in results), results
    assert len((tmp_path / "attempt-0").read_text().splitlines()) == 2


def test_a_task_that_keeps_failing_is_reported_in_one_sentence_not_raised(
    dask_client: distributed.Client, tmp_path: Path
) -> None:
    results = run_tasks(dask_client, engine_tasks.always_raise, _spec(tmp_path), 3, retries=1)
    assert [r.error is None for r in results] == [True, False, True]
    assert results[1].error == "RuntimeError: no journal at postgresql://db/x"
    assert results[1].summary is None and not results[1].ok
    assert len((tmp_path / "attempt-1").read_text().splitlines()) == 2  # retried once


def test_a_task_whose_worker_process_dies_is_rescheduled(
    dask_client: distributed.Client, tmp_path: Path
) -> None:
    results = run_tasks(dask_client, engine_tasks.die_first, _spec(tmp_path), 2, retries=0)
    assert all(r.error is None for r in results), results
    attempts = (tmp_path / "attempt-0").read_text().splitlines()
    assert len(attempts) == 2 and attempts[0] != attempts[1]  # in a new process
    dask_client.wait_for_workers(2, timeout=60)  # the nanny starts a new process


def test_a_worker_process_that_keeps_dying_is_reported(tmp_path: Path) -> None:
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), local_dask_cluster(1) as c:
        results = run_tasks(c, engine_tasks.die_first, _spec(tmp_path), 1, retries=0)
    assert results[0].error is not None
    assert "worker process died" in results[0].error
    assert "leases expire" in results[0].error


def test_without_a_key_in_the_worker_each_task_says_so(
    dask_client: distributed.Client, tmp_path: Path
) -> None:
    results = start_workers_on_dask(dask_client, "postgresql://127.0.0.1/x", out=tmp_path)
    assert len(results) == 2  # one per Dask worker
    for result in results:
        assert isinstance(result, EngineWorkerResult)
        assert result.error is not None and "CANNON_API_KEY" in result.error, result


def test_the_key_is_not_in_the_task_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANNON_API_KEY", KEY)
    factory = functools.partial(Cannon, base_url="http://127.0.0.1:9")
    spec = _WorkerSpec("postgresql://u:secret@h/j", str(tmp_path), {}, factory, "w")
    assert KEY.encode() not in pickle.dumps(spec)
    assert "secret" not in repr(spec)


def test_bad_counts_are_refused_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers must be at least 1"):
        start_workers_on_dask(None, "postgresql://127.0.0.1/x", out=tmp_path, workers=0)
    with pytest.raises(ValueError, match="n_workers must be at least 1"), local_dask_cluster(0):
        pass


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dask_batch_workers.py"


def _holders(url: str) -> Counter[str]:
    """Worker id -> jobs it holds started now (the journal's claims)."""
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT holder, count(*) FROM cannon_batch_work WHERE stage = 'started' "
            "AND holder IS NOT NULL GROUP BY holder"
        ).fetchall()
    return Counter({str(holder): int(n) for holder, n in rows})


def _done(url: str) -> int:
    with psycopg.connect(url) as db:
        row = db.execute("SELECT count(*) FROM cannon_batch_work WHERE stage = 'done'").fetchone()
    return int(row[0]) if row else 0


def test_workers_started_by_the_local_cluster_run_a_batch_once_one_process_killed(
    sandbox_process: SandboxProcess, postgres_url: str, tmp_path: Path
) -> None:
    """The shared-journal run with its workers started by the engine: a scheduler and two
    worker processes on 127.0.0.1 run three batch workers (examples/dask_batch_workers.py);
    one worker process is killed with SIGKILL mid-run while it holds jobs, Dask starts its task
    again in a new process, and the jobs it held are taken over once their lease expires:
    every job created once (sandbox ledger), every file complete, the budget kept."""
    from cannon_studio_sandbox.pricing import price

    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST", "config", {"job_duration_s": [0.05, 0.3], "queue_delay_s": 0.0, "poll_after_ms": 50}
    )
    jobs = mixed_jobs(400, seed=31)
    expected = expected_states(jobs)
    prices = [price(j["operation"], j["input"]) for j in jobs]
    max_credits = sum(prices) * 45 // 100  # the budget holds part of the batch back
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", jobs), postgres_url, max_credits=max_credits)
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CANNON_")}
    env |= {"CANNON_BASE_URL": sandbox_process.base_url, "CANNON_API_KEY": API_KEY}
    options = ("--processes", "2", "--concurrency", "12", "--lease", "2")
    driver = subprocess.Popen(
        [sys.executable, str(EXAMPLE), postgres_url, str(out), "--workers", "3", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 240
        while True:  # mid-run: a worker holds jobs, and some are done
            assert driver.poll() is None, driver.communicate()
            assert time.monotonic() < deadline, "the workers never got going"
            holders = _holders(postgres_url)
            if _done(postgres_url) >= 60 and holders:
                break
            time.sleep(0.05)
        victim = holders.most_common(1)[0][0]
        pid = int(victim.split("-")[-2])  # cannon-worker-<index>-<host>-<pid>-<random>
        os.kill(pid, signal.SIGKILL)
        stdout, stderr = driver.communicate(timeout=300)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.communicate()
    assert API_KEY not in stdout + stderr
    results = [json.loads(line) for line in stdout.splitlines()]
    assert [r["index"] for r in results] == [0, 1, 2], stdout + stderr[-3000:]
    assert all(r["error"] is None and r["summary"]["error"] is None for r in results), results
    assert victim not in {r["summary"]["worker_id"] for r in results}  # its task ran again
    assert driver.returncode == 0, stderr[-3000:]

    with open_journal(postgres_url, readonly=True) as journal:
        rows = journal.rows()
    assert set(rows) == set(expected)
    ledger = {e["id"]: e for e in sandbox_process.control("GET", "ledger")["entries"]}
    created = {row.request_id: row for row in rows.values() if row.request_id}
    assert set(created) == set(ledger), "every created job once, nothing else charged"
    keys = [e["idempotency_key"] for e in ledger.values()]
    assert len(set(keys)) == len(keys)
    for request_id, row in created.items():
        assert row.idempotency_key == ledger[request_id]["idempotency_key"]
    charged = sum(e["credits"] - e["refunded_credits"] for e in ledger.values())
    assert charged < max_credits + max(prices), "overshoot below one job's price"
    held = {job_id for job_id, row in rows.items() if row.state == "held"}
    assert held, "the budget held jobs back"
    for job_id, row in rows.items():
        if job_id not in held:
            assert row.state == expected[job_id], (job_id, row.state)
        for f in row.files:
            assert (out / job_id / f["name"]).stat().st_size == f["bytes"] > 0, f
    named = {f"{job_id}/{f['name']}" for job_id, row in rows.items() for f in row.files}
    on_disk = {str(p.relative_to(out)) for p in out.glob("*/*") if not p.name.startswith(".")}
    assert on_disk == named, "no duplicated or stray file"
    assert sum(r["summary"]["claimed"] for r in results) > 0


def test_workers_on_a_cluster_started_with_the_dask_commands_take_the_key_from_there(
    sandbox_process: SandboxProcess, postgres_url: str, tmp_path: Path
) -> None:
    """An existing cluster (``dask scheduler`` and ``dask worker --nworkers 2`` on 127.0.0.1,
    the workers started with CANNON_API_KEY): the driver, which has no key at all, connects
    with ``--scheduler`` and the batch runs once."""
    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST", "config", {"job_duration_s": [0.05, 0.2], "queue_delay_s": 0.0, "poll_after_ms": 50}
    )
    jobs = mixed_jobs(40, seed=32)
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", jobs), postgres_url)
    plain = {k: v for k, v in os.environ.items() if not k.startswith("CANNON_")}
    keyed = plain | {"CANNON_BASE_URL": sandbox_process.base_url, "CANNON_API_KEY": API_KEY}
    dask = str(Path(sys.executable).with_name("dask"))
    file = tmp_path / "scheduler.json"
    loopback = ("--host", "127.0.0.1", "--no-dashboard")
    scheduler = subprocess.Popen(
        [
            dask,
            "scheduler",
            *loopback,
            "--port",
            "0",
            "--dashboard-address",
            "127.0.0.1:0",
            "--scheduler-file",
            str(file),
        ],
        env=plain,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers = subprocess.Popen(
        [
            dask,
            "worker",
            *loopback,
            "--nworkers",
            "2",
            "--nthreads",
            "2",
            "--scheduler-file",
            str(file),
        ],
        env=keyed,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not file.is_file() or not file.read_text():
            assert time.monotonic() < deadline and scheduler.poll() is None, "no scheduler"
            time.sleep(0.05)
        address = json.loads(file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        with distributed.Client(address, timeout=60) as probe:
            probe.wait_for_workers(2, timeout=60)
        driver = subprocess.run(
            [
                sys.executable,
                str(EXAMPLE),
                postgres_url,
                str(tmp_path / "out"),
                "--scheduler",
                address,
                "--workers",
                "2",
                "--concurrency",
                "8",
            ],
            env=plain,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    finally:
        for proc in (workers, scheduler):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert driver.returncode == 0, driver.stdout + driver.stderr[-3000:]
    results = [json.loads(line) for line in driver.stdout.splitlines()]
    assert len(results) == 2 and all(r["error"] is None for r in results), results
    with open_journal(postgres_url, readonly=True) as journal:
        rows = journal.rows()
    assert {job_id: row.state for job_id, row in rows.items()} == expected_states(jobs)
    ledger = sandbox_process.control("GET", "ledger")["entries"]
    created = sorted(row.request_id for row in rows.values() if row.request_id)
    assert sorted(e["id"] for e in ledger) == created, "one create per job"
