"""Batch runs that wait on webhooks: ``AsyncCannon.batch(..., webhooks=receiver)`` and
``cannon-studio batch FILE --webhook-listen HOST:PORT [--webhook-url URL]``, against the
sandbox, which delivers to the receiver on loopback (some deliveries dropped on purpose)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
from batch_support import mixed_jobs, write_jobs
from cannon_studio import AsyncCannon
from cannon_studio.cli import cli
from cannon_studio_sandbox.config import FaultRule
from click.testing import CliRunner, Result

TIMING = {"job_duration_s": (0.2, 0.6), "poll_after_ms": 100}


def run(env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


async def test_batch_with_a_receiver_finishes_every_job_despite_dropped_deliveries(
    cannon_sandbox: Any, tmp_path: Path
) -> None:
    cannon_sandbox.configure(**TIMING)
    cannon_sandbox.sandbox.add_fault(FaultRule("drop", endpoint="webhooks", rate=0.3))
    jobs = mixed_jobs(16, seed=3, fail_rate=0.0)
    gets = 0

    async def count(request: httpx2.Request) -> None:
        nonlocal gets
        gets += request.method == "GET" and "/api/v1/requests/" in request.url.path

    http = httpx2.AsyncClient(event_hooks={"request": [count]})
    async with AsyncCannon(
        api_key=cannon_sandbox.api_key,
        base_url=cannon_sandbox.base_url,
        webhook_secret=cannon_sandbox.webhook_secret,
        http_client=http,
    ) as client:
        receiver = client.webhook_receiver(safety_min_s=0.2, safety_default_s=1.0)
        summary = await client.batch(
            write_jobs(tmp_path / "jobs.jsonl", jobs), tmp_path / "out", webhooks=receiver
        )
    await http.aclose()
    assert not receiver.running  # the batch started it and stopped it
    assert summary.counts["succeeded"] == len(jobs) and summary.unfinished == 0
    log = cannon_sandbox.sandbox.webhook_deliveries()
    dropped = {d["request_id"] for d in log if d["error"] == "dropped (fault)"}
    assert dropped, "the drop fault lost no delivery; the test proves nothing"
    assert {d["url"] for d in log} == {receiver.public_url}
    assert receiver.stats.accepted == len(jobs) - len(dropped)
    # One GET per job is the batch's re-run check after a first create (the 202 does not say
    # when the request was created); beyond it, only the dropped deliveries cost safety-net GETs.
    assert len(jobs) + len(dropped) <= gets <= len(jobs) + 3 * len(dropped) + len(jobs) // 10


def _env(sandbox: Any) -> dict[str, str | None]:
    return {
        "CANNON_BASE_URL": sandbox.base_url,
        "CANNON_API_KEY": sandbox.api_key,
        "CANNON_WEBHOOK_SECRET": sandbox.webhook_secret,
        "CANNON_LOG": None,
        "COLUMNS": "160",
    }


def test_cli_batch_waits_on_webhooks(cannon_sandbox: Any, tmp_path: Path) -> None:
    cannon_sandbox.configure(**TIMING)
    jobs = mixed_jobs(8, seed=4, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    args = ["batch", str(file), "--out", str(tmp_path / "out"), "--json"]
    result = run(_env(cannon_sandbox), *args, "--webhook-listen", "127.0.0.1:0")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["counts"]["succeeded"] == len(jobs)
    log = cannon_sandbox.sandbox.webhook_deliveries()
    assert len(log) == len(jobs) and all(d["ok"] for d in log)
    assert {d["url"].rsplit(":", 1)[0] for d in log} == {"http://127.0.0.1"}


def test_cli_webhook_options_are_checked_before_anything_is_sent(
    cannon_sandbox: Any, tmp_path: Path
) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(2, seed=5, fail_rate=0.0))
    base = ["batch", str(file), "--out", str(tmp_path / "out")]
    for extra, words in (
        (["--webhook-url", "https://hooks.example.com/cannon"], "needs --webhook-listen"),
        (["--webhook-listen", "nowhere"], "HOST:PORT"),
        (["--webhook-listen", "127.0.0.1:99999"], "HOST:PORT"),
    ):
        result = run(_env(cannon_sandbox), *base, *extra)
        assert result.exit_code == 2, result.output
        assert words in result.output and "Traceback" not in result.output
    assert cannon_sandbox.sandbox.created_count() == 0
