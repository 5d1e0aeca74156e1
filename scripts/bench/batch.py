"""The batch runner beside a pipelined ``as_completed`` on the same instant jobs, same run.

Runs ``scripts/bench_batch.py`` (its own sandbox process, each measurement a fresh child) and
turns its JSON into rows: throughput of ``AsyncCannon.batch`` vs ``as_completed`` fed the
pending creates (create while polling), goal >= 0.95x; peak RSS <= 200 MB. 1,000 jobs, one
round with ``quick``; 2,000 jobs, two rounds otherwise (the median), to stay in the time budget.
"""

from __future__ import annotations

import json
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from .profiling import bucket
from .report import Context, Row, load_line
from .sandbox_process import ROOT

__all__ = ["run"]


def run(ctx: Context) -> list[Row]:
    """The batch round (raw figures in ``ctx.results["batch"]``)."""
    jobs, rounds = (1000, 1) if ctx.quick else (2000, 2)
    with tempfile.TemporaryDirectory(prefix="cannon-bench-batch-") as tmp:
        out, prof = Path(tmp) / "batch.json", Path(tmp) / "batch.prof"
        command = [sys.executable, "scripts/bench_batch.py", "--jobs", str(jobs),
                   "--rounds", str(rounds), "--json", str(out), "--profile", str(prof)]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"bench_batch failed:\n{done.stderr[-3000:]}")
        data = json.loads(out.read_text(encoding="utf-8"))
        profile = _summary(prof, jobs) if prof.exists() else []
    ctx.results["batch"] = data
    rate, rss = data["jobs_per_s"], data["peak_rss_mb"]
    section = (
        f"batch runner ({jobs:,} instant jobs, {data['concurrency']} in flight, median of {rounds})"
    )
    rows = [
        Row(section, "throughput", rate["batch"], "jobs/s", rate["as_completed"],
            "pipelined as_completed", 0.95, at_least=True,
            note=f"raw httpx2 POST + GET on httpx2's transport (context) {rate['raw']:.0f} jobs/s"),
        Row(section, "peak RSS", rss["batch"], "MB", rss["as_completed"],
            "pipelined as_completed", note="goal <= 200 MB (absolute)"),
    ]  # fmt: skip
    rows[0].profile = profile
    return rows


def _summary(path: Path, jobs: int) -> list[str]:
    """cProfile of one ``AsyncCannon.batch`` run: own time per job by package, top functions."""
    raw = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    by_package: dict[str, float] = {}
    for (file, _line, _func), entry in raw.items():
        key = "batch" if "/cannon_studio/batch/" in file else bucket(file)
        by_package[key] = by_package.get(key, 0.0) + entry[2]
    total = sum(by_package.values())
    top = sorted(raw.items(), key=lambda kv: -kv[1][2])[:8]
    lines = [
        f"cProfile: one AsyncCannon.batch run of {jobs:,} jobs, {total / jobs * 1e3:.2f} ms per "
        f"job under the profiler; {load_line()}",
        "own time by package: "
        + ", ".join(
            f"{k} {v / total * 100:.0f}%"
            for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])
        ),
        "top functions by own time, per job:",
    ]
    lines += [
        f"  {entry[2] / jobs * 1e6:7.1f} us  x{entry[1] / jobs:<5.1f} {Path(file).name}:{line}({func})"
        for (file, line, func), entry in top
    ]
    return lines
