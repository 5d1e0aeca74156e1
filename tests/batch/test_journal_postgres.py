"""The PostgreSQL journal against a real server (``postgres_server``): the same interface as
the SQLite file, its schema version kept, its driver lease (one run at a time, taken over once
a killed holder's lease expires), and whole batches run on it against the sandbox."""

from __future__ import annotations

import concurrent.futures
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from batch_support import SandboxProcess, mixed_jobs, read_jsonl, runner, write_jobs
from cannon_studio import Cannon
from cannon_studio.batch import (
    SCHEMA_VERSION,
    BatchJournal,
    BatchJournalError,
    BatchLockedError,
    BatchStorageError,
    JobRow,
    PostgresJournal,
    open_journal,
)
from cannon_studio.cli import cli
from cannon_studio.cli._exit_codes import ExitCode
from click.testing import CliRunner


def test_the_postgres_journal_is_a_batch_journal(postgres_url: str) -> None:
    with open_journal(postgres_url) as journal:
        assert isinstance(journal, PostgresJournal)
        assert isinstance(journal, BatchJournal)
        assert journal.meta()["schema_version"] == str(SCHEMA_VERSION)
        journal.add([JobRow("a", 0, 1, "image.generate", "h"), JobRow("b", 1, 2, "x", "h2")])
        journal.update("a", state="creating", idempotency_key="k")
        journal.update("a", state="queued", request_id="req_1", detail="created")
        journal.update("a", files=[{"name": "a.png", "bytes": 3}], output={"image_url": "u"})
        with pytest.raises(ValueError, match="not journal columns"):
            journal.update("a", seq=4)
    with open_journal(postgres_url, readonly=True) as reader:
        rows = reader.rows()
        assert list(rows) == ["a", "b"]
        assert rows["a"].files == [{"name": "a.png", "bytes": 3}]
        assert rows["a"].output == {"image_url": "u"}
        events = reader.events()
        assert [(e["state"], e["request_id"]) for e in events] == [
            ("creating", None),
            ("queued", "req_1"),
        ]
        assert reader.events(limit=1)[0]["detail"] == "created"


def test_another_schema_version_is_refused(postgres_url: str) -> None:
    with open_journal(postgres_url):
        pass
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE cannon_batch_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(BatchJournalError, match="written by a newer cannon-studio"):
        open_journal(postgres_url)


def test_no_journal_there_and_no_server_say_so_without_the_password(
    postgres_url: str, postgres_server: str
) -> None:
    with pytest.raises(BatchJournalError, match="no journal at"):
        open_journal(postgres_url, readonly=True)
    port = postgres_server.rsplit(":", 1)[1]
    unreachable = f"postgresql://postgres:hunter2@127.0.0.1:{int(port) + 1}/x"
    with pytest.raises(Exception) as caught:
        open_journal(unreachable)
    assert type(caught.value).__name__ == "BatchStorageError"
    assert "hunter2" not in str(caught.value)


def test_one_driver_at_a_time_even_when_racing(postgres_url: str) -> None:
    journals = [PostgresJournal(postgres_url) for _ in range(6)]
    try:

        def claim(journal: PostgresJournal) -> bool:
            try:
                journal.claim_driver()
            except BatchLockedError:
                return False
            return True

        with concurrent.futures.ThreadPoolExecutor(len(journals)) as pool:
            won = list(pool.map(claim, journals))
        assert won.count(True) == 1, won
        holder = journals[won.index(True)]
        other = journals[won.index(False)]
        with pytest.raises(BatchLockedError, match="another cannon-studio batch run"):
            other.claim_driver()
        holder.close()  # gives the lease up: the next run takes it at once
        other.claim_driver()
    finally:
        for journal in journals:
            journal.close()


def test_a_run_whose_lease_was_taken_over_writes_nothing_more(postgres_url: str) -> None:
    with PostgresJournal(postgres_url) as journal:
        journal.add([JobRow("a", 0, 1, "image.generate", "h")])
        journal.acquire_lease(lease_s=0.6)
        journal.update("a", state="creating")
        with psycopg.connect(postgres_url, autocommit=True) as other:  # what a takeover does
            other.execute("UPDATE cannon_batch_lease SET holder = 'another-run'")
        deadline = time.monotonic() + 10.0
        while True:
            try:
                journal.update("a", state="queued")
            except BatchStorageError as exc:
                assert "took this run's lease on the journal over" in str(exc)
                break
            assert time.monotonic() < deadline, "the lost lease was never noticed"
            time.sleep(0.05)
    with open_journal(postgres_url, readonly=True) as reader:
        assert reader.rows()["a"].state in ("creating", "queued")


HOLDER = """
import sys, time
from cannon_studio.batch import PostgresJournal
journal = PostgresJournal(sys.argv[1])
journal.acquire_lease(lease_s=2.0)
print("held", flush=True)
time.sleep(600)
"""


def test_a_killed_drivers_lease_is_taken_over_when_it_expires(postgres_url: str) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, postgres_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        time.sleep(3.0)  # renewed meanwhile: still held
        with PostgresJournal(postgres_url) as journal, pytest.raises(BatchLockedError):
            journal.claim_driver()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        with PostgresJournal(postgres_url) as journal:
            deadline = time.monotonic() + 10.0
            while True:
                try:
                    journal.claim_driver()
                    break
                except BatchLockedError:
                    assert time.monotonic() < deadline, "the dead driver's lease never expired"
                    time.sleep(0.2)
    finally:
        holder.kill()
        holder.wait()


def test_a_batch_on_a_postgres_journal_and_status_from_anywhere(
    client: Cannon, cannon_sandbox: Any, postgres_url: str, tmp_path: Path
) -> None:
    jobs = mixed_jobs(20, seed=6, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    summary = client.batch(file, tmp_path / "out", journal=postgres_url)
    assert summary.ok, summary
    assert len(cannon_sandbox.sandbox.ledger()) == len(jobs)
    assert not (tmp_path / "out" / "journal.sqlite").exists()
    report = read_jsonl(tmp_path / "out" / "report.jsonl")
    assert {row["state"] for row in report} == {"succeeded"}
    status = CliRunner().invoke(cli, ["batch", "status", postgres_url, "--json"])
    assert status.exit_code == 0, status.output
    assert f'"succeeded": {len(jobs)}' in status.stdout
    again = client.batch(file, tmp_path / "out", journal=postgres_url)  # resumes: nothing new
    assert again.ok
    assert len(cannon_sandbox.sandbox.ledger()) == len(jobs)


def test_two_runs_on_one_postgres_journal_one_drives(
    sandbox_process: SandboxProcess, postgres_url: str, tmp_path: Path
) -> None:
    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST", "config", {"job_duration_s": [0.3, 1.0], "queue_delay_s": 0.1, "poll_after_ms": 200}
    )
    jobs = mixed_jobs(30, seed=8, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    procs = [
        runner(file, tmp_path / name, sandbox_process.base_url, "--journal", postgres_url)
        for name in ("a", "b")
    ]
    results = [proc.communicate(timeout=240) for proc in procs]
    codes = sorted(proc.returncode for proc in procs)
    assert codes == [ExitCode.SUCCESS, ExitCode.IN_USE], results
    ledger = sandbox_process.control("GET", "ledger")["entries"]
    assert len(ledger) == len(jobs), "one create per job"
