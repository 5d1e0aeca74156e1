"""Crash safety: a runner in its own process, killed with SIGKILL at random moments, against a
sandbox in its own process with realistic (shortened) timing; then run to the end.

Asserted through the sandbox's control API: exactly one request per job, credits charged once
each, every succeeded job's files complete on disk, the report complete and correct.
"""

from __future__ import annotations

import concurrent.futures
import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
import pytest
from batch_support import (
    SandboxProcess,
    expected_states,
    mixed_jobs,
    read_jsonl,
    runner,
    wait_started,
    write_jobs,
)
from cannon_studio.assets import asset_urls
from cannon_studio.batch import JOURNAL_NAME, REPORT_NAME
from cannon_studio.batch._journal import Journal


@pytest.fixture
def realistic(sandbox_process: SandboxProcess) -> SandboxProcess:
    """Reset; jobs queue and process for a while and are polled as the API advises, and a
    few creates lose their response after the server committed them."""
    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST",
        "config",
        {"job_duration_s": [0.3, 1.5], "queue_delay_s": 0.1, "poll_after_ms": 300},
    )
    sandbox_process.control(
        "POST", "faults", {"kind": "drop_after_commit", "endpoint": "create", "rate": 0.05}
    )
    return sandbox_process


def _check_files(out: Path, report: list[dict[str, Any]]) -> None:
    with Journal(out / JOURNAL_NAME, readonly=True) as journal:
        outputs = {job_id: row.output or {} for job_id, row in journal.rows().items()}
    checks = [
        (out / file["path"], file["bytes"], url)
        for row in report
        if row["state"] == "succeeded"
        for file, url in zip(row["files"], asset_urls(outputs[row["id"]]), strict=True)
    ]
    for row in report:
        if row["state"] == "succeeded":
            assert len(row["files"]) == len(asset_urls(outputs[row["id"]])), row
    with httpx2.Client(timeout=60.0) as http:

        def same(item: tuple[Path, int, str]) -> bool:
            path, size, url = item
            data = path.read_bytes()
            return len(data) == size and data == http.get(url).content

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            assert all(pool.map(same, checks))
    assert not list(out.glob("*/.*.part"))


@pytest.mark.slow
def test_sigkill_at_random_moments_then_run_to_the_end(
    realistic: SandboxProcess, tmp_path: Path
) -> None:
    jobs = mixed_jobs(200, seed=14)
    assert len(jobs) == 200
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    out = tmp_path / "out"
    rng = random.Random(20261201)
    kills = 0
    for _ in range(5):
        proc = runner(file, out, realistic.base_url)
        if wait_started(proc, out):
            time.sleep(rng.uniform(0.2, 2.5))
            proc.send_signal(signal.SIGKILL)
            kills += proc.wait() == -signal.SIGKILL
        proc.communicate()
        with Journal(out / JOURNAL_NAME, readonly=True) as journal:
            at_kill = Counter(row.state for row in journal.rows().values())
        print(f"killed with {dict(at_kill)}")
    assert kills >= 3, "the runs ended before they could be killed"
    final = runner(file, out, realistic.base_url)
    _, stderr = final.communicate(timeout=240)
    expected = expected_states(jobs)
    assert final.returncode == (0 if set(expected.values()) == {"succeeded"} else 1), stderr[-2000:]

    report = read_jsonl(out / REPORT_NAME)
    assert len(report) == 200
    assert {row["id"]: row["state"] for row in report} == expected
    ledger = realistic.control("GET", "ledger")
    entries = ledger["entries"]
    created = [row for row in report if row["state"] in ("succeeded", "failed")]
    keys = Counter(entry["idempotency_key"] for entry in entries)
    assert len(entries) == len(created), "exactly one request per created job"
    assert max(keys.values()) == 1
    by_key = {entry["idempotency_key"]: entry for entry in entries}
    for row in created:
        entry = by_key[row["idempotency_key"]]
        assert entry["id"] == row["request_id"]
        assert entry["credits"] == row["credits"]
    for row in report:
        if row["state"] == "skipped":
            assert row["request_id"] is None
    assert ledger["credits_charged"] == sum(row["credits"] or 0 for row in report)
    _check_files(out, report)
    faults = realistic.control("GET", "faults")["log"]
    assert faults, "some creates lost their response after the commit"


@pytest.mark.slow
def test_ctrl_c_stops_prints_the_resume_command_and_exits_130(
    realistic: SandboxProcess, tmp_path: Path
) -> None:
    jobs = mixed_jobs(150, seed=4, fail_rate=0.0)  # enough work to still be running after `status`
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    out = tmp_path / "out"
    proc = runner(file, out, realistic.base_url)
    assert wait_started(proc, out)
    time.sleep(0.5)
    status = subprocess.run(  # the journal can be read while the run writes it
        [sys.executable, "-m", "cannon_studio.cli", "batch", "status", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert status.returncode == 0, status.stderr
    seen = json.loads(status.stdout)["summary"]
    assert seen["jobs"] == len(jobs)
    assert seen["counts"]["succeeded"] < len(jobs)  # read while the run was writing
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr[-2000:]
    assert f"resume with: cannon-studio batch {file} --out {out}" in stderr
    report = read_jsonl(out / REPORT_NAME)
    assert len(report) == len(jobs)
    assert any(row["state"] != "succeeded" for row in report)
    resumed = runner(file, out, realistic.base_url)
    resumed.communicate(timeout=120)
    assert resumed.returncode == 0
    ledger = realistic.control("GET", "ledger")
    assert ledger["created_count"] == len(jobs)
