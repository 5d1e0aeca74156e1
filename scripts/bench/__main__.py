"""``python -m scripts.bench [--json PATH] [--quick] [--only SECTION ...]`` (``make bench``).

Sections, in order: per-call, fanout, polling, transport, import, regeneration, profile. The
sandbox runs in its own process; every client run is a fresh child process. Exit status 0 even
when a goal is missed: the table says MISS and docs/benchmarks.md explains it.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .fanout import bench_fanout
from .imports import bench_import
from .per_call import bench_overhead
from .polling import bench_polling
from .profiling import print_profile, profile_fanout
from .regeneration import bench_regenerate
from .report import Figure, machine, print_table, step, write_json
from .sandbox_process import SandboxProcess
from .transport import bench_transport

SECTIONS = ("per-call", "fanout", "polling", "transport", "import", "regeneration", "profile")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections, print the table (and the profile), optionally write JSON."""
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--json", metavar="PATH", help="also write every figure as JSON to PATH")
    parser.add_argument("--quick", action="store_true", help="small samples (a smoke run)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    args = parser.parse_args(argv)
    chosen = set(args.only or SECTIONS)
    quick = args.quick
    calls, import_runs = (400, 5) if quick else (1000, 8)
    sizes = [100, 1000] if quick else [100, 1000, 10_000]
    light_n = 40 if quick else 100
    started = time.perf_counter()
    figures: list[Figure] = []
    extra: dict[str, Any] = {}
    profile: dict[str, Any] | None = None
    with SandboxProcess(instant=True) as sandbox:
        print(f"[bench] sandbox process {sandbox.proc.pid} on {sandbox.base_url}", flush=True)
        if "per-call" in chosen:
            with step("per call"):
                figures += bench_overhead(sandbox, calls)[0]
        if "fanout" in chosen:
            with step(f"fan-out {', '.join(f'{n:,}' for n in sizes)}"):
                found, extra["fanout"] = bench_fanout(sandbox, sizes)
                figures += found
        if "polling" in chosen:
            with step("polling, light load"):
                found, extra["polling"] = bench_polling(sandbox, light_n)
                figures += found
        if "transport" in chosen:
            with step("transport"):
                fanout = extra.get("fanout", {})
                bare = fanout.get("oracle_1000", {}).get("cpu_ms_per_call")
                found, extra["transport"] = bench_transport(
                    sandbox, 1000, 1, bare, fanout.get("ours_1000")
                )
                figures += found
        if "profile" in chosen:
            with step("profile"):
                profile = profile_fanout(sandbox, 500)
                extra["profile"] = profile
    if "import" in chosen:
        with step("import (core-only venv)"):
            found, extra["import"] = bench_import(import_runs)
            figures += found
    if "regeneration" in chosen:
        with step("regeneration"):
            figures += bench_regenerate()
    total = time.perf_counter() - started

    print_table(figures)
    if profile is not None:
        print_profile(profile)
    missed = [f for f in figures if f.ok is False]
    info = machine()
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {info['cores']} cores, {info['memory_gib']} GiB, "
        f"Python {info['python']}, load average {info['load_average_1m']}; run took {total:.0f} s"
        + (" (--quick: small samples)" if quick else "")
        + f"; {len(missed)} goal(s) missed. The machine may be shared: ratios within one run are "
        "what count, not absolute times."
    )
    if args.json:
        write_json(Path(args.json), figures, run_s=total, quick=quick, extra=extra)
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
