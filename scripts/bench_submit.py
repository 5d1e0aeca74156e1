"""Benchmark of ``cannon-studio batch submit`` on a shared PostgreSQL journal (not a test).

\b
python scripts/bench_submit.py                      # 1,000,000 lines; a throw-away PostgreSQL
python scripts/bench_submit.py --lines 100000 --journal postgresql://user@host/db

Prints, for the same generated file (chains included: prompt -> image -> video, and singles):

- the peak RSS and wall time of ``batch submit FILE --journal URL`` (a child process), beside
  the SQLite path's figure for the same file: the one-machine run's set-up (``batch FILE --out
  DIR`` up to its first create: the whole file parsed and validated, the journal loaded), also
  a child process; goal: submit <= 200 MB;
- a worker's claim cost (the claim query and its update, rolled back; median of many) at 10,000
  and at the file's number of pending jobs, beside each other; goal: the same order of magnitude
  (O(1) in the number of pending jobs), with the query plan of the big one.

Nothing is sent to any API. Without ``--journal`` a PostgreSQL cluster is started from the
Debian binaries (``initdb``/``pg_ctl``) in a temporary directory on a free loopback port, and
removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

GOAL_MB = 200.0


def write_file(path: Path, lines: int) -> Path:
    """``lines`` jobs: every fourth group a chain of three, the rest single images."""
    with path.open("w", encoding="utf-8") as out:
        n = 0
        while n < lines:
            if n % 4 == 0 and lines - n >= 3:
                out.write(
                    json.dumps(
                        {
                            "id": f"j{n}",
                            "operation": "prompt.enhance.image",
                            "input": {"prompt": f"a cat watching a storm, take {n}"},
                        }
                    )
                    + "\n"
                )
                out.write(
                    json.dumps(
                        {
                            "id": f"j{n + 1}",
                            "operation": "image.generate",
                            "input": {"prompt": {"from": f"j{n}", "output": "enhancedPrompt"}},
                        }
                    )
                    + "\n"
                )
                out.write(
                    json.dumps(
                        {
                            "id": f"j{n + 2}",
                            "operation": "video.generate",
                            "input": {
                                "prompt": f"slow push-in {n}",
                                "image_url": {"from": f"j{n + 1}", "output": "image_url"},
                                "duration": 4,
                            },
                        }
                    )
                    + "\n"
                )
                n += 3
            else:
                out.write(
                    json.dumps(
                        {
                            "id": f"j{n}",
                            "operation": "image.generate",
                            "input": {"prompt": f"a lighthouse at dusk, variant {n}"},
                        }
                    )
                    + "\n"
                )
                n += 1
    return path


def _program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        sys.exit(f"{name} not found: apt-get install postgresql, or pass --journal URL")
    return str(candidates[-1])


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free loopback port: its URL (no database)."""
    base = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = base / "data"
    subprocess.run(
        [*as_user, _program("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    pg_ctl = _program("pg_ctl")
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
    subprocess.run(
        [*as_user, pg_ctl, "-D", str(data), "-l", str(base / "log"), "-o", options, "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


def new_database(server: str) -> str:
    """A new empty database on ``server``: its URL."""
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def child(argv: list[str]) -> tuple[float, float, int]:
    """Run ``argv``; its (peak RSS in MB, wall SECONDS, exit status)."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 and proc.stderr is not None:
        sys.stderr.write(proc.stderr.read().decode(errors="replace")[-2000:])
    return usage.ru_maxrss / 1024.0, wall, proc.returncode


SQLITE_SETUP = """
import sys
from cannon_studio.batch._runner import prepare
plan = prepare(sys.argv[1], sys.argv[2])
plan.journal.close()
plan.lock.release()
"""


def claim_cost(url: str, rounds: int) -> tuple[float, str]:
    """Median MILLISECONDS of one claim of 16 jobs (query and update, rolled back), and the
    query plan."""
    import psycopg
    from cannon_studio.batch._claims import CLAIM_FRESH

    times: list[float] = []
    with psycopg.connect(url) as db:
        db.execute("ANALYZE cannon_batch_work")
        db.rollback()
        for _ in range(rounds):
            started = time.perf_counter()
            ids = [r[0] for r in db.execute(CLAIM_FRESH, (16,)).fetchall()]
            db.execute(
                "UPDATE cannon_batch_work SET holder = 'bench', "
                "lease_until = now() + interval '60 seconds' WHERE id = ANY(%s)",
                (ids,),
            )
            times.append((time.perf_counter() - started) * 1000)
            db.rollback()
        plan = db.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + CLAIM_FRESH.replace("%s", "16")
        ).fetchall()
        db.rollback()
    return statistics.median(times), "\n".join(f"    {r[0]}" for r in plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--journal", help="a PostgreSQL server URL (no database: one is made)")
    parser.add_argument("--skip-sqlite", action="store_true", help="no SQLite baseline")
    parser.add_argument("--rounds", type=int, default=200, help="claims per measurement")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    try:
        print(
            f"bench_submit {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.node()}: "
            f"{os.cpu_count()} cores, Python {platform.python_version()}; load average "
            f"{os.getloadavg()[0]:.2f} at the start",
            flush=True,
        )
        big = write_file(work / "jobs.jsonl", args.lines)
        small = write_file(work / "jobs-10k.jsonl", 10_000)
        print(f"file: {args.lines:,} lines, {big.stat().st_size / 1e6:.0f} MB", flush=True)
        server_cm = contextlib.nullcontext(args.journal) if args.journal else postgres()
        with server_cm as server:
            url = new_database(server)
            cli = [sys.executable, "-m", "cannon_studio.cli", "batch", "submit"]
            rss, wall, status = child([*cli, str(big), "--journal", url])
            result = "PASS" if status == 0 and rss <= GOAL_MB else "MISS"
            line = f"batch submit (PostgreSQL): peak RSS {rss:.0f} MB, {wall:.0f} s, exit {status}"
            if not args.skip_sqlite:
                base_rss, base_wall, base_status = child(
                    [sys.executable, "-c", SQLITE_SETUP, str(big), str(work / "sqlite-out")]
                )
                line += (
                    f"; SQLite path's set-up, same file: {base_rss:.0f} MB, {base_wall:.0f} s, "
                    f"exit {base_status} ({base_rss / max(rss, 1):.1f}x the memory)"
                )
            print(f"{line}; goal <= {GOAL_MB:.0f} MB: {result}", flush=True)
            small_url = new_database(server)
            rss_small, wall_small, _ = child([*cli, str(small), "--journal", small_url])
            print(f"batch submit of 10,000 lines: {rss_small:.0f} MB, {wall_small:.1f} s")
            at_small, _ = claim_cost(small_url, args.rounds)
            at_big, plan = claim_cost(url, args.rounds)
            print(
                f"claim of 16 jobs: {at_small:.2f} ms at 10,000 pending, {at_big:.2f} ms at "
                f"{args.lines:,} pending ({at_big / max(at_small, 1e-9):.2f}x); goal O(1)",
                flush=True,
            )
            print("claim plan at the big journal:\n" + plan)
            print(f"load average at the end {os.getloadavg()[0]:.2f}")
            usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"(this script's own peak RSS: {usage:.0f} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
