"""``cannon-studio batch``: exit codes, JSON summary, status and report, lines in a pipe."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from batch_support import expected_states, mixed_jobs, read_jsonl, write_jobs
from cannon_studio.batch import REPORT_NAME, BatchEvent
from cannon_studio.cli import cli
from cannon_studio.cli._batch_progress import BatchProgress
from click.testing import CliRunner, Result
from rich.console import Console


def run(env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _env(sandbox: Any) -> dict[str, str | None]:
    return {
        "CANNON_BASE_URL": sandbox.base_url,
        "CANNON_API_KEY": sandbox.api_key,
        "CANNON_LOG": None,
        "COLUMNS": "160",
    }


def test_success_exit_0_with_a_json_summary(cannon_sandbox: Any, tmp_path: Path) -> None:
    jobs = mixed_jobs(10, seed=1, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    result = run(_env(cannon_sandbox), "batch", str(file), "--out", str(tmp_path / "out"), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["counts"]["succeeded"] == len(jobs)
    assert summary["credits"] == cannon_sandbox.sandbox.credits_charged()
    # not a terminal: one line per state change on stderr, ending in each job's final state
    lines = [line.split() for line in result.stderr.splitlines() if line.strip()]
    final = {words[1]: words[3] for words in lines}
    assert set(final.values()) == {"succeeded"} and len(final) == len(jobs)


def test_failures_exit_1_and_status_and_report_agree(cannon_sandbox: Any, tmp_path: Path) -> None:
    jobs = mixed_jobs(16, seed=8, fail_rate=0.3)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    env = _env(cannon_sandbox)
    expected = Counter(expected_states(jobs).values())
    assert expected["failed"], "the seed gives failing jobs"
    result = run(env, "batch", str(file), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "did not succeed" in result.stderr
    status = run(env, "batch", "status", str(tmp_path / "out"), "--json")
    assert status.exit_code == 0
    counts = json.loads(status.stdout)["summary"]["counts"]
    assert {k: v for k, v in counts.items() if v} == dict(expected)
    human = run(env, "batch", "status", str(tmp_path / "out"))
    assert "[fail]" in human.stdout  # markup in error messages is printed, not interpreted
    assert "last changes:" in human.stdout
    assert len(json.loads(status.stdout)["recent"]) == 5


def test_bad_file_exit_2_names_line_and_field_and_sends_nothing(
    cannon_sandbox: Any, tmp_path: Path
) -> None:
    file = tmp_path / "jobs.jsonl"
    file.write_text(
        json.dumps({"operation": "prompt.enhance.image", "input": {"prompt": "ok"}})
        + "\n"
        + json.dumps({"operation": "image.generate", "input": {"prompt": 3}})
        + "\n",
        encoding="utf-8",
    )
    result = run(_env(cannon_sandbox), "batch", str(file), "--out", str(tmp_path / "out"), "--json")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["error"]["problems"]
    assert [(p["line"], p["field"]) for p in problems] == [(2, "input.prompt")]
    assert "line 2" in result.stderr and "nothing was sent" in result.stderr
    assert cannon_sandbox.sandbox.created_count() == 0


def test_unreachable_api_exit_3_with_the_resume_command(tmp_path: Path) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(3, seed=2, fail_rate=0.0))
    env = {
        "CANNON_BASE_URL": "http://127.0.0.1:9",
        "CANNON_API_KEY": "cs_test_x",
        "CANNON_LOG": None,
    }
    result = run(env, "batch", str(file), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert f"resume with: cannon-studio batch {file} --out {tmp_path / 'out'}" in result.stderr


def test_shards_and_merged_report(cannon_sandbox: Any, tmp_path: Path) -> None:
    jobs = mixed_jobs(20, seed=3, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    env = _env(cannon_sandbox)
    for k in (1, 2, 3):
        out = str(tmp_path / f"s{k}")
        assert run(env, "batch", str(file), "--out", out, "--shard", f"{k}/3").exit_code == 0
    merged = tmp_path / "merged.jsonl"
    sources = [str(tmp_path / f"s{k}") for k in (1, 2, 3)]
    result = run(env, "batch", "report", *sources, "--output", str(merged), "--json")
    assert result.exit_code == 0, result.output
    rows = read_jsonl(merged)
    assert sorted(r["id"] for r in rows) == sorted(expected_states(jobs))
    assert cannon_sandbox.sandbox.created_count() == len(jobs)
    assert (
        run(env, "batch", str(file), "--out", str(tmp_path / "x"), "--shard", "4/3").exit_code == 2
    )


def test_budget_holds_jobs_and_says_so(cannon_sandbox: Any, tmp_path: Path) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(12, seed=6, fail_rate=0.0))
    result = run(
        _env(cannon_sandbox),
        "batch",
        str(file),
        "--out",
        str(tmp_path / "o"),
        "--max-credits",
        "10",
        "--json",
    )
    assert result.exit_code == 1
    summary = json.loads(result.stdout)["summary"]
    assert summary["held"] > 0
    assert "--max-credits 10" in result.stderr


def test_the_example_pipeline_runs(cannon_sandbox: Any, tmp_path: Path) -> None:
    """``cannon-studio batch example > jobs.jsonl`` then ``batch jobs.jsonl``: the example
    ships with the package, so it works after pip install, and every chained step succeeds."""
    printed = run(_env(cannon_sandbox), "batch", "example")
    assert printed.exit_code == 0 and printed.stderr == ""
    example = tmp_path / "jobs.jsonl"
    example.write_text(printed.stdout, encoding="utf-8")
    assert [job["id"] for job in read_jsonl(example)][-1] == "upscale"
    result = run(_env(cannon_sandbox), "batch", str(example), "--out", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    report = read_jsonl(tmp_path / "demo" / REPORT_NAME)
    assert {r["state"] for r in report} == {"succeeded"}
    media = [r for r in report if r["files"]]
    assert len(media) == len(report) - 1  # every step but the prompt has files
    for row in media:
        for file in row["files"]:
            assert (tmp_path / "demo" / file["path"]).stat().st_size == file["bytes"] > 0


def test_live_panel_counts_credits_throughput_and_eta() -> None:
    clock = [100.0]
    console = Console(file=io.StringIO(), force_terminal=True, width=120)
    progress = BatchProgress(console, live=True, counts={"pending": 4}, clock=lambda: clock[0])

    def event(job: str, previous: str, state: str, credits: int | None = None) -> BatchEvent:
        return BatchEvent(job, "image.generate", state, previous, "req_1", credits, None, 0.0)

    with progress:
        progress(event("a", "pending", "creating"))
        progress(event("a", "creating", "queued"))
        progress(event("a", "queued", "succeeded", credits=6))
        clock[0] += 2.0
        rate, eta = progress.rates()
        panel = Console(file=io.StringIO(), width=120)
        panel.print(progress)
    text = panel.file.getvalue()  # type: ignore[attr-defined]
    assert progress.counts["pending"] == 3 and progress.counts["succeeded"] == 1
    assert rate == 0.5 and eta == 6.0
    assert (
        "1/4 ended" in text and "credits 6" in text and "0.5 jobs/s" in text and "ETA 6 s" in text
    )


def test_lines_in_a_pipe_one_per_state_change() -> None:
    console = Console(file=io.StringIO(), width=200)
    progress = BatchProgress(console, live=False)
    progress(BatchEvent("a", "video.generate", "failed", "queued", "req_9", 20, "boom", 1.5))
    assert console.file.getvalue().split() == [  # type: ignore[attr-defined]
        "1.5s",
        "a",
        "video.generate",
        "failed",
        "req_9",
        "20",
        "credits",
        "boom",
    ]


def test_run_help_lists_the_run_options(tmp_path: Path) -> None:
    result = run({}, "batch", str(tmp_path / "jobs.jsonl"), "--help")
    assert result.exit_code == 0
    for flag in ("--out", "--concurrency", "--max-credits", "--shard", "--retry-failed", "--json"):
        assert flag in result.output
