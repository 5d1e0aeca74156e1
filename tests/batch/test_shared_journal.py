"""Submit once, work anywhere: ``submit_batch`` / ``batch submit`` load a file into a shared
PostgreSQL journal (``postgres_server``), and workers (``run_worker`` / ``batch worker``) claim
its jobs under leases against the sandbox: chains across workers, re-runs, budgets, races."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from batch_support import (
    API_KEY,
    SandboxProcess,
    expected_states,
    mixed_jobs,
    ref,
    sigint_default,
    write_jobs,
)
from cannon_studio import AsyncCannon, Cannon
from cannon_studio.batch import (
    BatchFileError,
    BatchJournalError,
    PostgresJournal,
    arun_worker,
    open_journal,
    run_worker,
    submit_batch,
    write_html_report,
)
from cannon_studio.batch._claims import CLAIM_FRESH, QUEUE_META, ClaimQueue
from cannon_studio.cli import cli
from cannon_studio.cli._exit_codes import ExitCode
from click.testing import CliRunner


def _states(url: str) -> dict[str, str]:
    with open_journal(url, readonly=True) as journal:
        return {job_id: row.state for job_id, row in journal.rows().items()}


def test_submit_loads_once_and_the_same_file_again_loads_nothing(
    postgres_url: str, tmp_path: Path
) -> None:
    jobs = mixed_jobs(40, seed=3)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    first = submit_batch(file, postgres_url, max_credits=500)
    assert (first.jobs, first.loaded, first.already_submitted) == (len(jobs), len(jobs), False)
    assert first.chained == sum(1 for j in jobs if "from" in json.dumps(j["input"]))
    assert set(_states(postgres_url).values()) == {"pending"}
    again = submit_batch(file, postgres_url)
    assert (again.batch_id, again.loaded, again.already_submitted) == (first.batch_id, 0, True)
    assert again.max_credits == 500
    with psycopg.connect(postgres_url) as db:
        assert db.execute("SELECT count(*) FROM cannon_batch_work").fetchone() == (len(jobs),)
    other = write_jobs(tmp_path / "other.jsonl", mixed_jobs(5, seed=4))
    with pytest.raises(BatchJournalError, match=rf"already holds batch {first.batch_id}"):
        submit_batch(other, postgres_url)
    result = CliRunner().invoke(
        cli, ["batch", "submit", str(file), "--journal", postgres_url, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["already_submitted"] is True


def test_submit_refuses_a_bad_file_with_every_problem_and_loads_nothing(
    postgres_url: str, tmp_path: Path
) -> None:
    lines = [
        {"id": "a", "operation": "image.generate", "input": {"prompt": "x"}},
        {"id": "A", "operation": "image.generate", "input": {"prompt": "y"}},
        {"id": "b", "operation": "image.generate", "input": {"prompt": ref("nobody", "x")}},
        {"id": "c", "operation": "image.generat", "input": {"prompt": "z"}},
        {
            "id": "d",
            "operation": "video.generate",
            "input": {"prompt": "push in", "image_url": ref("a", "image_ur")},
        },
    ]
    file = write_jobs(tmp_path / "bad.jsonl", lines)
    with pytest.raises(BatchFileError) as caught:
        submit_batch(file, postgres_url)
    found = {(p.line, p.field) for p in caught.value.problems}
    assert (2, "id") in found  # duplicate in letter case
    assert (3, "input.prompt.from") in found  # unknown job
    assert (4, "operation") in found  # unknown operation, with a suggestion
    assert (5, "input.image_url.output") in found  # undeclared output field
    with psycopg.connect(postgres_url) as db:
        assert db.execute("SELECT count(*) FROM cannon_batch_jobs").fetchone() == (0,)
    cycle = [
        {"id": "p", "operation": "image.generate", "input": {"prompt": ref("q", "enhancedPrompt")}},
        {
            "id": "q",
            "operation": "prompt.enhance.image",
            "input": {"prompt": ref("p", "image_url")},
        },
    ]
    with pytest.raises(BatchFileError, match="the references form a cycle"):
        submit_batch(write_jobs(tmp_path / "cycle.jsonl", cycle), postgres_url)
    result = CliRunner().invoke(cli, ["batch", "submit", str(file), "--journal", postgres_url])
    assert result.exit_code == ExitCode.USAGE
    assert "nothing was sent" in result.stderr


def test_a_journal_of_another_queue_format_is_refused(postgres_url: str, tmp_path: Path) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(3, seed=1))
    submit_batch(file, postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE cannon_batch_meta SET value = '99' WHERE key = %s", (QUEUE_META,))
    with pytest.raises(BatchJournalError, match="work queue of format '99'"):
        submit_batch(file, postgres_url)
    with pytest.raises(BatchJournalError, match="work queue of format '99'"):
        ClaimQueue(postgres_url, holder="w", lease_s=5)


def test_one_worker_runs_a_submitted_batch_with_chains(
    client: Cannon, cannon_sandbox: Any, postgres_url: str, tmp_path: Path
) -> None:
    jobs = mixed_jobs(60, seed=5)
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", jobs), postgres_url)
    summary = run_worker(client, postgres_url, out=tmp_path / "out", concurrency=8, poll_s=0.1)
    assert summary.error is None and summary.exit_code == 0
    assert _states(postgres_url) == expected_states(jobs)
    ledger = cannon_sandbox.sandbox.ledger()
    with open_journal(postgres_url, readonly=True) as journal:
        rows = journal.rows()
        created = {r.request_id: r for r in rows.values() if r.request_id}
        assert sorted(e["id"] for e in ledger) == sorted(created), "one create per job"
        for row in rows.values():
            if row.state == "succeeded":
                for f in row.files:
                    assert (tmp_path / "out" / row.id / f["name"]).stat().st_size == f["bytes"] > 0
        page = write_html_report(journal, tmp_path / "report.html", out_dir=tmp_path / "out")
    assert "batch" in page.read_text(encoding="utf-8")
    again = run_worker(client, postgres_url, out=tmp_path / "out", poll_s=0.1)
    assert again.claimed == 0 and len(cannon_sandbox.sandbox.ledger()) == len(ledger)
    report = CliRunner().invoke(cli, ["batch", "report", postgres_url, "--json"])
    assert json.loads(report.stdout)["summary"]["jobs"] == len(jobs)
    status = CliRunner().invoke(cli, ["batch", "status", postgres_url, "--json"])
    shown = json.loads(status.stdout)
    charged = sum(r.credits or 0 for r in rows.values())
    assert shown["budget"] == {"max_credits": None, "charged": charged, "unpriced": None}
    assert shown["workers"] == {}
    human = CliRunner().invoke(cli, ["batch", "status", postgres_url])
    assert f"no budget; {charged} credits charged; workers holding jobs: none" in human.stdout


async def test_the_async_worker_runs_a_submitted_batch(
    aclient: AsyncCannon, cannon_sandbox: Any, postgres_url: str, tmp_path: Path
) -> None:
    jobs = mixed_jobs(24, seed=6)
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", jobs), postgres_url)
    summary = await arun_worker(aclient, postgres_url, out=tmp_path / "out", poll_s=0.1)
    assert summary.exit_code == 0
    assert _states(postgres_url) == expected_states(jobs)
    assert len(cannon_sandbox.sandbox.ledger()) == sum(
        1 for s in expected_states(jobs).values() if s != "skipped"
    )


def test_the_claim_query_uses_its_index(postgres_url: str, tmp_path: Path) -> None:
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(300, seed=2)), postgres_url)
    with psycopg.connect(postgres_url) as db:
        db.execute("ANALYZE cannon_batch_work")
        db.execute("SET enable_seqscan = off")  # the plan on a big table, on a small one
        plan = "\n".join(
            r[0] for r in db.execute("EXPLAIN " + CLAIM_FRESH.replace("%s", "4")).fetchall()
        )
    assert "cannon_batch_work_fresh" in plan, plan
    assert "Sort" not in plan, plan


def worker(
    journal: str, out: Path, base_url: str, *extra: str, log: Path | None = None
) -> subprocess.Popen[str]:
    """``cannon-studio batch worker`` in its own process (its progress lines to ``log``, when
    given: a pipe nobody reads while the test waits would fill up and stop the worker)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CANNON_")}
    env |= {"CANNON_BASE_URL": base_url, "CANNON_API_KEY": API_KEY, "COLUMNS": "200"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cannon_studio.cli",
            "batch",
            "worker",
            "--journal",
            journal,
            "--out",
            str(out),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if log is None else log.open("a", encoding="utf-8"),
        preexec_fn=sigint_default,
        text=True,
        env=env,
    )


def test_two_workers_racing_on_one_job_create_it_once(
    sandbox_process: SandboxProcess, postgres_url: str, tmp_path: Path
) -> None:
    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST", "config", {"job_duration_s": [0.5, 0.5], "queue_delay_s": 0.0, "poll_after_ms": 50}
    )
    job = {"id": "only", "operation": "image.generate", "input": {"prompt": "one lighthouse"}}
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", [job]), postgres_url)
    out = tmp_path / "out"  # the same directory for both: the worst case
    procs = [worker(postgres_url, out, sandbox_process.base_url, "--json") for _ in range(2)]
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    claims = sorted(json.loads(stdout)["claimed"] for stdout, _ in results)
    assert claims == [0, 1], results
    ledger = sandbox_process.control("GET", "ledger")["entries"]
    assert len(ledger) == 1, "one create"
    with PostgresJournal(postgres_url, readonly=True) as journal:
        row = journal.rows()["only"]
    assert row.state == "succeeded" and row.request_id == ledger[0]["id"]
    files = sorted(p for p in (out / "only").iterdir())
    assert [p.name for p in files] == [f["name"] for f in row.files]
    assert all(p.stat().st_size == f["bytes"] > 0 for p, f in zip(files, row.files, strict=True))


def _holder(url: str) -> str | None:
    with psycopg.connect(url) as db:
        row = db.execute("SELECT holder FROM cannon_batch_work WHERE id = 'only'").fetchone()
    return None if row is None else row[0]


def test_a_worker_paused_past_its_lease_loses_the_job_to_another_and_writes_nothing(
    sandbox_process: SandboxProcess, postgres_url: str, tmp_path: Path
) -> None:
    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST", "config", {"job_duration_s": [4.0, 4.0], "queue_delay_s": 0.0, "poll_after_ms": 200}
    )
    job = {"id": "only", "operation": "image.generate", "input": {"prompt": "one lighthouse"}}
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", [job]), postgres_url)
    out = tmp_path / "out"
    first = worker(postgres_url, out, sandbox_process.base_url, "--lease", "1", "--json")
    deadline = time.monotonic() + 60
    while _states(postgres_url)["only"] not in ("queued", "processing"):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    holder = _holder(postgres_url)
    first.send_signal(signal.SIGSTOP)  # alive, but silent past its lease
    try:
        second = worker(postgres_url, out, sandbox_process.base_url, "--lease", "1", "--json")
        while _holder(postgres_url) in (holder, None):  # until the second worker took it over
            assert time.monotonic() < deadline and second.poll() is None
            time.sleep(0.05)
    finally:
        first.send_signal(signal.SIGCONT)
    results = [proc.communicate(timeout=120) for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    taken = json.loads(results[1][0])
    assert taken["claimed"] == 1 and taken["outcomes"] == {"succeeded": 1}, results
    assert json.loads(results[0][0])["outcomes"] == {}, "the paused worker ended nothing"
    ledger = sandbox_process.control("GET", "ledger")["entries"]
    assert len(ledger) == 1, "one create"
    with PostgresJournal(postgres_url, readonly=True) as journal:
        row = journal.rows()["only"]
    assert row.state == "succeeded" and row.request_id == ledger[0]["id"]
    files = sorted(p for p in (out / "only").iterdir())
    assert [p.name for p in files] == [f["name"] for f in row.files]
    assert all(p.stat().st_size == f["bytes"] > 0 for p, f in zip(files, row.files, strict=True))


def _ledger_by_request(sandbox: SandboxProcess) -> dict[str, dict[str, Any]]:
    entries = sandbox.control("GET", "ledger")["entries"]
    by_id = {e["id"]: e for e in entries}
    assert len(by_id) == len(entries)
    return by_id


def test_three_workers_one_killed_and_restarted_create_every_job_once_within_budget(
    sandbox_process: SandboxProcess, postgres_url: str, tmp_path: Path
) -> None:
    from cannon_studio_sandbox.pricing import price

    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST",
        "config",
        {"job_duration_s": [0.05, 0.4], "queue_delay_s": 0.0, "poll_after_ms": 50},
    )
    jobs = mixed_jobs(2000, seed=23)
    expected = expected_states(jobs)
    prices = [price(j["operation"], j["input"]) for j in jobs]
    max_credits = sum(prices) // 2  # the budget holds part of the batch back
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", jobs), postgres_url, max_credits=max_credits)
    out = tmp_path / "out"
    lease = ("--lease", "2", "--concurrency", "24", "--json")

    def start(n: int) -> subprocess.Popen[str]:
        log = tmp_path / f"w{n}.log"
        return worker(
            postgres_url, out, sandbox_process.base_url, "--worker-id", f"w{n}", *lease, log=log
        )

    procs = [start(n) for n in range(3)]

    def holding() -> tuple[int, dict[str, set[str]]]:
        """Jobs ended so far, and the started jobs each worker holds."""
        with psycopg.connect(postgres_url) as db:
            done = db.execute("SELECT count(*) FROM cannon_batch_work WHERE stage = 'done'")
            count = int(done.fetchone()[0])
            rows = db.execute(
                "SELECT holder, id FROM cannon_batch_work WHERE holder IS NOT NULL "
                "AND stage = 'started'"
            ).fetchall()
        held: dict[str, set[str]] = {}
        for holder, job_id in rows:
            held.setdefault(holder, set()).add(job_id)
        return count, held

    deadline = time.monotonic() + 300
    while True:  # mid-run: kill whichever worker holds jobs right now
        done, held = holding()
        if done >= len(jobs) // 50 and held:
            break
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), done
        time.sleep(0.01)
    victim, orphaned = max(held.items(), key=lambda item: len(item[1]))
    n = int(victim[1:])
    procs[n].kill()  # kill -9: its claims stay until their lease expires
    procs[n].wait()
    time.sleep(3.0)  # longer than the lease: the others take its jobs over
    procs[n] = start(n)  # restarted later
    results = [proc.communicate(timeout=240) for proc in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results

    report = subprocess.run(  # a fourth process reads the shared journal
        [
            sys.executable,
            "-m",
            "cannon_studio.cli",
            "batch",
            "report",
            postgres_url,
            "--json",
            "--output",
            str(tmp_path / "report.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.returncode == ExitCode.REQUEST_FAILED, report.stderr  # failures and held
    rows = [json.loads(line) for line in (tmp_path / "report.jsonl").read_text().splitlines()]
    assert {r["id"] for r in rows} == set(expected)
    ledger = _ledger_by_request(sandbox_process)
    created = {r["request_id"]: r for r in rows if r["request_id"]}
    assert set(created) == set(ledger), "every created job once, nothing else charged"
    keys = [e["idempotency_key"] for e in ledger.values()]
    assert len(set(keys)) == len(keys)
    for request_id, row in created.items():
        entry = ledger[request_id]
        assert row["idempotency_key"] == entry["idempotency_key"]
        assert row["credits"] == entry["credits"] - entry["refunded_credits"]
    charged = sum(r["credits"] or 0 for r in rows)
    assert charged == sum(e["credits"] - e["refunded_credits"] for e in ledger.values())
    assert charged < max_credits + max(prices), "overshoot below one job's price"
    assert charged >= max_credits, "the budget was used"
    ended = {r["id"]: r["state"] for r in rows}
    assert all(ended[j] in ("succeeded", "failed") for j in orphaned), "taken over, finished"
    held = {r["id"] for r in rows if r["state"] == "held"}
    assert held, "the budget held jobs back"
    for row in rows:
        if row["id"] not in held:
            assert row["state"] == expected[row["id"]], row
        for f in row["files"]:
            path = out / f["path"]
            assert path.stat().st_size == f["bytes"] > 0, f
    named = {f["path"] for r in rows for f in r["files"]}
    on_disk = {str(p.relative_to(out)) for p in out.glob("*/*") if not p.name.startswith(".")}
    assert on_disk == named, "no duplicated or stray file"


def test_a_spent_budget_holds_jobs_and_a_new_budget_reopens_them(
    client: Cannon, cannon_sandbox: Any, postgres_url: str, tmp_path: Path
) -> None:
    jobs = [
        {"id": f"i{n}", "operation": "image.generate", "input": {"prompt": f"lighthouse {n}"}}
        for n in range(6)
    ]
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    submit_batch(file, postgres_url, max_credits=1)  # one create, then the budget is spent
    first = run_worker(client, postgres_url, out=tmp_path / "out", poll_s=0.1)
    assert first.budget_exhausted and first.held == len(jobs) - 1
    assert sorted(_states(postgres_url).values()) == ["held"] * 5 + ["succeeded"]
    assert len(cannon_sandbox.sandbox.ledger()) == 1
    again = submit_batch(file, postgres_url, max_credits=1000)
    assert again.already_submitted and again.max_credits == 1000
    second = run_worker(client, postgres_url, out=tmp_path / "out", poll_s=0.1)
    assert second.outcomes == {"succeeded": len(jobs) - 1} and not second.budget_exhausted
    assert set(_states(postgres_url).values()) == {"succeeded"}
    assert len(cannon_sandbox.sandbox.ledger()) == len(jobs)


def test_a_worker_is_refused_without_a_submitted_batch(postgres_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["batch", "worker", "--journal", postgres_url, "--out", str(tmp_path), "--api-key", "k"],
    )
    assert result.exit_code == ExitCode.USAGE
    assert "no submitted batch" in result.stderr and "batch submit" in result.stderr
    result = CliRunner().invoke(
        cli, ["batch", "worker", "--journal", str(tmp_path / "j.sqlite"), "--out", str(tmp_path)]
    )
    assert result.exit_code == ExitCode.USAGE
    assert "postgresql://" in result.stderr


def test_sigterm_gives_the_workers_claims_back_at_once(
    sandbox_process: SandboxProcess, postgres_url: str, tmp_path: Path
) -> None:
    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST",
        "config",
        {"job_duration_s": [30.0, 30.0], "queue_delay_s": 0.0, "poll_after_ms": 200},
    )
    job = {"id": "only", "operation": "image.generate", "input": {"prompt": "one lighthouse"}}
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", [job]), postgres_url)
    proc = worker(postgres_url, tmp_path / "out", sandbox_process.base_url)
    deadline = time.monotonic() + 60
    while _states(postgres_url)["only"] not in ("queued", "processing"):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.TERMINATED, stderr
    assert "given back" in stderr
    assert _holder(postgres_url) is None, "claimable at once by another worker"


@pytest.mark.parametrize(
    "left_running",
    [
        b"SELECT pg_sleep(0.2)",
        b"BEGIN; SELECT 1 FROM cannon_batch_work WHERE id = 'only' FOR UPDATE; "
        b"SELECT pg_sleep(0.2)",
    ],
    ids=["a query", "a transaction holding the row"],
)
def test_closing_a_queue_whose_connection_a_signal_left_busy_still_gives_its_claims_back(
    left_running: bytes, postgres_url: str, tmp_path: Path
) -> None:
    job = {"id": "only", "operation": "image.generate", "input": {"prompt": "one lighthouse"}}
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", [job]), postgres_url)
    queue = ClaimQueue(postgres_url, holder="w-busy", lease_s=60)
    assert [a.job.id for a in queue.claim(1)] == ["only"]
    assert _holder(postgres_url) == "w-busy"
    # What a signal raised inside psycopg's wait leaves behind: a query sent, never read.
    queue._db.pgconn.send_query(left_running)
    assert queue._db.info.transaction_status == psycopg.pq.TransactionStatus.ACTIVE
    queue.close()
    assert _holder(postgres_url) is None, "claimable at once by another worker"
    queue.close()  # idempotent


def test_a_whole_run_on_a_submitted_journal_is_refused(
    client: Cannon, postgres_url: str, tmp_path: Path
) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(3, seed=1))
    submit_batch(file, postgres_url)
    with pytest.raises(BatchJournalError, match="run its jobs with cannon-studio batch worker"):
        client.batch(file, tmp_path / "out", journal=postgres_url)
