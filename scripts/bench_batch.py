#!/usr/bin/env python3
"""The batch runner's speed and memory, each figure beside its same-run baseline and goal.

Usage (``make bench`` runs it after ``python -m scripts.bench``)::

    python scripts/bench_batch.py [--jobs 10000] [--concurrency 32] [--json PATH] [--quick]

Against the sandbox started in a SEPARATE process (``python -m cannon_studio_sandbox --port 0
--instant``; reset through ``POST /_sandbox/reset`` before each run), with N instant jobs
(``prompt.enhance.image``, distinct prompts, no assets), each measurement in a fresh child
process so its peak RSS is its own (``getrusage``):

1. raw HTTP: httpx2 ``POST`` + ``GET`` per job, C in flight: what the client cannot influence.
2. pipelined ``as_completed``: ``AsyncCannon`` hands the N pending creates (C in flight) to
   ``requests.as_completed(max_concurrency=C)``, which follows each request as soon as its
   create is answered (create while polling): the baseline the batch runner must keep up with.
3. ``AsyncCannon.batch(file, out_dir, concurrency=C)``: parse and validate the file, journal,
   create, wait, report.

Figures: throughput (jobs/s) of (3) vs (2), goal >= 0.95x (raw HTTP shown as the ceiling); peak
RSS of (3), goal <= 200 MB (the baseline's beside it); the journal's cost per job (changes,
microseconds and bytes per job; one commit per job, the intent to create, and the other changes
gathered into shared commits, measured by replaying one job's state changes N times
through the scheduler with and without the journal writing to disk). The rounds alternate the
order (baseline, batch, batch, baseline...) and the medians are compared. Exit status 0 even
when a goal is missed (the table says MISS): the benchmark measures, it does not gate.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from cannon_studio import AsyncCannon
from cannon_studio.batch._graph import JobGraph
from cannon_studio.batch._jobs import jobs_from_mappings
from cannon_studio.batch._journal import Journal
from cannon_studio.batch._scheduler import Scheduler

API_KEY = "cs_test_bench_batch_0000000000000"
BANNER = re.compile(r"sandbox on (http://127\.0\.0\.1:\d+)")
GOAL_RATIO = 0.95
GOAL_RSS_MB = 200.0


def job_lines(n: int, tag: str) -> list[dict[str, Any]]:
    """N instant jobs with distinct prompts (``tag`` keeps runs apart)."""
    return [
        {"id": f"j{i}", "operation": "prompt.enhance.image", "input": {"prompt": f"{tag} shot {i}"}}
        for i in range(n)
    ]


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------------------------- children
async def child_raw(base_url: str, n: int, c: int) -> None:
    gate = asyncio.Semaphore(c)
    headers = {"x-api-key": API_KEY}
    async with httpx2.AsyncClient(base_url=base_url, headers=headers, timeout=60.0) as http:

        async def one(i: int) -> None:
            async with gate:
                body = {"operation": "prompt.enhance.image", "input": {"prompt": f"raw shot {i}"}}
                created = await http.post(
                    "/api/v1/requests", json=body, headers={"x-idempotency-key": f"raw-{i}"}
                )
                request_id = json.loads(created.content)["id"]
                json.loads((await http.get(f"/api/v1/requests/{request_id}")).content)

        await asyncio.gather(*(one(i) for i in range(n)))


async def child_as_completed(base_url: str, n: int, c: int) -> None:
    jobs = job_lines(n, "baseline")
    async with AsyncCannon(api_key=API_KEY, base_url=base_url) as client:
        gate = asyncio.Semaphore(c)

        async def create(job: dict[str, Any]) -> Any:
            async with gate:
                return await client.requests.create(job["operation"], job["input"])

        # Pipelined: pending creates go straight into as_completed, so polling starts with the
        # first answered create instead of after the last one.
        done = 0
        async for _ in client.requests.as_completed(
            (create(job) for job in jobs), max_concurrency=c
        ):
            done += 1
        assert done == n


async def child_batch(base_url: str, n: int, c: int, work: Path) -> None:
    file = work / "jobs.jsonl"
    file.write_text("".join(json.dumps(j) + "\n" for j in job_lines(n, "batch")), encoding="utf-8")
    async with AsyncCannon(api_key=API_KEY, base_url=base_url) as client:
        summary = await client.batch(file, work / "out", concurrency=c)
    assert summary.counts["succeeded"] == n, summary.to_dict()


def run_child(mode: str, base_url: str, n: int, c: int) -> None:
    """Entry point of a child: run one measurement, print ``{"seconds", "rss_mb"}``.

    With ``BENCH_BATCH_PROFILE=PATH`` in the environment, the run is profiled (cProfile) and its
    statistics dumped to PATH.
    """
    profile = os.environ.get("BENCH_BATCH_PROFILE")
    profiler = cProfile.Profile(time.process_time) if profile else None
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        if mode == "raw":
            asyncio.run(child_raw(base_url, n, c))
        elif mode == "as_completed":
            asyncio.run(child_as_completed(base_url, n, c))
        else:
            asyncio.run(child_batch(base_url, n, c, Path(tmp)))
        seconds = time.perf_counter() - started
        if profiler is not None and profile:
            profiler.disable()
            profiler.dump_stats(profile)
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb()}))


# --------------------------------------------------------------------------------------- parent
CONTROL_TOKEN = "bench-control-token-0123456789"
"""Passed as ``--control-token``; the control API (``/_sandbox/*``) asks for it."""
CONTROL_HEADERS = {"x-sandbox-token": CONTROL_TOKEN, "content-type": "application/json"}


class SandboxProcess:
    """The sandbox in its own process, instant mode, on an ephemeral loopback port."""

    def __init__(self) -> None:
        command = [sys.executable, "-m", "cannon_studio_sandbox", "--port", "0", "--instant"]
        command += ["--api-key", API_KEY, "--credits", "1000000000"]
        command += ["--control-token", CONTROL_TOKEN]
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.proc.stdout is not None
        match = BANNER.search(self.proc.stdout.readline())
        if match is None:
            self.proc.kill()
            raise SystemExit("the sandbox did not start")
        self.base_url = match.group(1)

    def reset(self) -> None:
        httpx2.post(
            f"{self.base_url}/_sandbox/reset", timeout=30.0, headers=CONTROL_HEADERS
        ).raise_for_status()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def measure(
    sandbox: SandboxProcess, mode: str, n: int, c: int, profile: str | None = None
) -> dict[str, float]:
    sandbox.reset()
    env = {**os.environ, "BENCH_BATCH_PROFILE": profile} if profile else None
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, sandbox.base_url, str(n), str(c)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@dataclass
class JournalCost:
    changes_per_job: float
    us_per_job_disk: float
    us_per_job_memory: float
    bytes_per_job: float


def journal_cost(n: int) -> JournalCost:
    """One job's state changes (create, queued, processing, downloading, succeeded) replayed
    through the scheduler N times, journaled to a file vs to an in-memory database."""
    jobs = jobs_from_mappings(job_lines(n, "journal"))
    graph = JobGraph(jobs)

    def replay(path: str) -> tuple[float, int]:
        journal = Journal(path)
        sched = Scheduler(graph, set(graph.order), journal, batch_id="bench")
        started = time.perf_counter()
        while (action := sched.next_action()) is not None:
            job_id = action.job.id
            sched.created(job_id, f"req_{job_id}", "queued")
            sched.update(job_id, "processing", 1)
            sched.remote_succeeded(job_id, {"enhancedPrompt": "x"}, 1, 0.0)
            sched.finished(job_id, [])
        seconds = time.perf_counter() - started
        events = len(journal.events())
        journal.close()
        return seconds, events

    with tempfile.TemporaryDirectory(prefix="bench-journal-") as tmp:
        path = os.path.join(tmp, "journal.sqlite")
        disk, events = replay(path)
        size = sum(
            os.path.getsize(os.path.join(tmp, f))
            for f in os.listdir(tmp)
            if f.startswith("journal")
        )
    memory, _ = replay(":memory:")
    return JournalCost(events / n, disk / n * 1e6, memory / n * 1e6, size / n)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=10_000, help="jobs per run (10000)")
    parser.add_argument("--concurrency", type=int, default=32, help="jobs in flight (32)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each kind (2)")
    parser.add_argument("--quick", action="store_true", help="1,000 jobs, one round (smoke run)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument(
        "--profile", metavar="PATH", help="when the goal is missed, profile one batch run to PATH"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, base_url, n, c = args.child
        run_child(mode, base_url, int(n), int(c))
        return 0
    n = 1_000 if args.quick else args.jobs
    rounds = 1 if args.quick else args.rounds
    c = args.concurrency
    print(f"batch benchmark: {n} instant jobs, {c} in flight, {rounds} round(s)", flush=True)
    sandbox = SandboxProcess()
    runs: dict[str, list[dict[str, float]]] = {"raw": [], "as_completed": [], "batch": []}
    try:
        for r in range(rounds):
            order = (
                ["raw", "as_completed", "batch"] if r % 2 == 0 else ["batch", "as_completed", "raw"]
            )
            for mode in order:
                result = measure(sandbox, mode, n, c)
                runs[mode].append(result)
                print(
                    f"  {mode:13} {result['seconds']:7.2f} s  peak RSS {result['rss_mb']:6.1f} MB",
                    flush=True,
                )
        seconds = {mode: statistics.median(r["seconds"] for r in rs) for mode, rs in runs.items()}
        rate = {mode: n / s for mode, s in seconds.items()}
        ratio = rate["batch"] / rate["as_completed"]
        if args.profile and ratio < GOAL_RATIO:
            measure(sandbox, "batch", n, c, profile=args.profile)
    finally:
        sandbox.stop()
    rss = {mode: max(r["rss_mb"] for r in rs) for mode, rs in runs.items()}
    cost = journal_cost(n)
    per_job_us = seconds["as_completed"] / n * 1e6
    print()
    print(f"{'figure':44} {'measured':>14} {'baseline (same run)':>24} {'goal':>10}")
    print(
        f"{'throughput, batch vs pipelined as_completed':44} {rate['batch']:9.0f} j/s "
        f"{rate['as_completed']:17.0f} j/s {'>= 0.95x':>10}  {ratio:.2f}x {verdict(ratio >= GOAL_RATIO)}"
    )
    print(f"{'  (raw httpx2 POST + GET, the ceiling)':44} {rate['raw']:9.0f} j/s")
    print(
        f"{'peak RSS, batch (as_completed beside it)':44} {rss['batch']:10.1f} MB "
        f"{rss['as_completed']:18.1f} MB {'<= 200 MB':>10}  {verdict(rss['batch'] <= GOAL_RSS_MB)}"
    )
    print(f"{'journal per job: changes':44} {cost.changes_per_job:14.1f}{'':>25} {'':>10}")
    print(
        f"{'journal per job: us, file (in-memory db)':44} {cost.us_per_job_disk:11.0f} us "
        f"{cost.us_per_job_memory:17.0f} us (mem)"
    )
    print(
        f"{'journal per job: share of a job (as_completed)':44} "
        f"{cost.us_per_job_disk / per_job_us * 100:12.1f} % {per_job_us:17.0f} us/job"
    )
    print(f"{'journal per job: bytes on disk':44} {cost.bytes_per_job:11.0f} B")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "jobs": n,
                    "concurrency": c,
                    "rounds": rounds,
                    "runs": runs,
                    "jobs_per_s": rate,
                    "ratio_batch_vs_as_completed": ratio,
                    "peak_rss_mb": rss,
                    "journal": cost.__dict__,
                    "quick": args.quick,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
