"""examples/dask_bag_requests.py on a real local Dask cluster (a scheduler and two worker
processes on 127.0.0.1) against the sandbox: one request per record, and a partition run again
after its worker process died (its requests already created) or a second run of the whole
script charges nothing twice (same deterministic idempotency keys, sandbox ledger)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import dask.bag as db
import pytest
from cannon_studio.cluster import local_dask_cluster

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dask_bag_requests.py"
sys.path.insert(0, str(EXAMPLE.parent))  # the worker processes import the example by name

import dask_bag_requests  # noqa: E402
from dask_crash import create_then_die_once  # noqa: E402


def _ledger_keys(cannon_sandbox: Any) -> Counter[str]:
    return Counter(entry["idempotency_key"] for entry in cannon_sandbox.sandbox.ledger())


def test_a_partition_run_again_after_its_worker_died_charges_nothing_twice(
    cannon_sandbox: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CANNON_API_KEY", cannon_sandbox.api_key)
    monkeypatch.setenv("CANNON_BASE_URL", cannon_sandbox.base_url)
    records = dask_bag_requests.prompts(9)
    marker = tmp_path / "first-attempt.json"
    with local_dask_cluster(2) as client:
        bag = db.from_sequence(records, npartitions=3)
        rows = bag.map_partitions(create_then_die_once, "test-retry", str(marker)).compute()
        assert len(client.scheduler_info()["workers"]) >= 1
    first_attempt = json.loads(marker.read_text())  # the partition ran, created, then died
    assert "shot-0" in first_attempt
    assert [row["id"] for row in rows] == [record["id"] for record in records]
    assert all(row["status"] == "succeeded" for row in rows), rows
    by_id = {row["id"]: row["request_id"] for row in rows}
    assert {job: by_id[job] for job in first_attempt} == first_attempt  # the same requests back
    expected = {dask_bag_requests.idempotency_key("test-retry", record) for record in records}
    keys = _ledger_keys(cannon_sandbox)
    assert set(keys) == expected
    assert max(keys.values()) == 1, "a record was charged twice"


def test_the_example_runs_and_a_second_run_creates_nothing(
    cannon_sandbox: Any, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CANNON_")}
    env |= {"CANNON_API_KEY": cannon_sandbox.api_key, "CANNON_BASE_URL": cannon_sandbox.base_url}
    outputs = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, str(EXAMPLE)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        assert cannon_sandbox.api_key not in result.stdout + result.stderr
        outputs.append(result.stdout)
    assert outputs[0].splitlines()[-1] == "12 records, 12 requests"
    assert outputs[1] == outputs[0]  # the same request ids, all succeeded
    keys = _ledger_keys(cannon_sandbox)
    assert len(keys) == 12 and max(keys.values()) == 1
