"""Re-runs are explicit: the same file into a new output directory gets the earlier requests
back from the API (same batch id, same idempotency keys); the run stops and says so unless the
caller asked to re-use them, and a new batch id generates anew."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_support import mixed_jobs, read_jsonl, write_jobs
from cannon_studio import AsyncCannon, Cannon
from cannon_studio.batch import REPORT_NAME, BatchRerunError, load_jobs
from cannon_studio.batch._keys import batch_id_for
from cannon_studio.cli import cli
from click.testing import CliRunner


def _first_run(client: Cannon, cannon_sandbox: Any, tmp_path: Path) -> tuple[Path, int]:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(12, seed=2, fail_rate=0.0))
    summary = client.batch(file, tmp_path / "first")
    assert summary.ok
    cannon_sandbox.sandbox.advance_clock(60)  # the re-run comes a minute later
    return file, len(cannon_sandbox.sandbox.ledger())


def test_a_rerun_into_a_new_directory_stops_and_names_the_batch(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    file, created = _first_run(client, cannon_sandbox, tmp_path)
    batch = batch_id_for(load_jobs(file))
    with pytest.raises(BatchRerunError) as caught:
        client.batch(file, tmp_path / "second")
    assert caught.value.batch_id == batch
    assert f"already run as batch {batch}" in str(caught.value)
    assert "--batch-id" in str(caught.value)
    assert "--reuse-requests" in str(caught.value)
    assert len(cannon_sandbox.sandbox.ledger()) == created, "nothing new created or charged"
    report = read_jsonl(tmp_path / "second" / REPORT_NAME)
    assert not [row for row in report if row["state"] == "succeeded"], "nothing re-used"
    # the user's choice 1: re-use the earlier requests (their files land here; no charge)
    reused = client.batch(file, tmp_path / "second", reuse_requests=True)
    assert reused.ok
    assert len(cannon_sandbox.sandbox.ledger()) == created
    first = {r["id"]: r["request_id"] for r in read_jsonl(tmp_path / "first" / REPORT_NAME)}
    second = {r["id"]: r["request_id"] for r in read_jsonl(tmp_path / "second" / REPORT_NAME)}
    assert first == second


async def test_a_new_batch_id_generates_anew_in_the_refused_directory(
    aclient: AsyncCannon, client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    file, created = _first_run(client, cannon_sandbox, tmp_path)
    with pytest.raises(BatchRerunError):
        await aclient.batch(file, tmp_path / "second")
    summary = await aclient.batch(file, tmp_path / "second", batch_id="spring-take-2")
    assert summary.ok
    jobs = len(read_jsonl(tmp_path / "second" / REPORT_NAME))
    assert len(cannon_sandbox.sandbox.ledger()) == created + jobs, "every job created anew"
    first = {r["request_id"] for r in read_jsonl(tmp_path / "first" / REPORT_NAME)}
    second = {r["request_id"] for r in read_jsonl(tmp_path / "second" / REPORT_NAME)}
    assert not first & second


def test_the_cli_says_which_batch_and_how_to_start_a_new_one(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    file, created = _first_run(client, cannon_sandbox, tmp_path)
    env = {
        "CANNON_BASE_URL": cannon_sandbox.base_url,
        "CANNON_API_KEY": cannon_sandbox.api_key,
        "CANNON_LOG": None,
    }
    args = ["batch", str(file), "--out", str(tmp_path / "second")]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert f"already run as batch {batch_id_for(load_jobs(file))}" in result.stderr
    assert "Traceback" not in result.stderr
    result = CliRunner().invoke(cli, [*args, "--reuse-requests"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(cannon_sandbox.sandbox.ledger()) == created


def test_resuming_the_same_directory_is_not_a_rerun(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    file, created = _first_run(client, cannon_sandbox, tmp_path)
    summary = client.batch(file, tmp_path / "first")  # every key is journaled here
    assert summary.ok
    assert len(cannon_sandbox.sandbox.ledger()) == created
