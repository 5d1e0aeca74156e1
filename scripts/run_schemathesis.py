"""Run schemathesis against a running sandbox and print how many cases it generated.

Usage:
    .venv/bin/python scripts/run_schemathesis.py [--max-examples N] [--min-cases 500] [--seed S]
        [--workers W] [--schema openapi/cannon-studio.json]

Starts the sandbox (instant mode, an account with 10**12 credits so that no schema-valid create is
refused for money) on a free 127.0.0.1 port in a background thread, runs the schemathesis CLI
(v4) with ``--checks all`` and the default sandbox API key, parses the "N generated" figure and
prints ``schemathesis: N generated test cases, F failures/errors``.

Exit code: 0 when schemathesis reports no failure and at least ``--min-cases`` cases ran;
1 otherwise (schemathesis's own output is shown above the summary).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from cannon_studio_sandbox import Sandbox, SandboxConfig

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = ROOT / "openapi" / "cannon-studio.json"


def _schemathesis_command() -> list[str]:
    script = Path(sys.executable).with_name("schemathesis")
    if script.exists():
        return [str(script)]
    return [
        sys.executable,
        "-c",
        "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
    ]


def parse_counts(output: str) -> tuple[int, int]:
    """(generated cases, failures + errors) from schemathesis's summary line.

    The summary reads e.g. ``2131 generated, 2131 passed, 9 skipped`` or
    ``33 generated, 1 found 1 unique failure, 9 skipped``.
    """
    match = re.search(r"(\d+) generated,([^\n]*)", output)
    if match is None:
        return 0, 1
    generated = int(match.group(1))
    rest = match.group(2)
    bad = sum(int(n) for n in re.findall(r"(\d+) (?:errored|found)", rest))
    if "No issues found" not in output and bad == 0:
        bad = 1
    return generated, bad


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA)
    parser.add_argument(
        "--max-examples", type=int, default=25, help="examples per operation and phase"
    )
    parser.add_argument(
        "--min-cases", type=int, default=500, help="fail if fewer cases were generated"
    )
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds before schemathesis is stopped"
    )
    args = parser.parse_args(argv)

    sandbox = Sandbox(SandboxConfig.instant(initial_credits=10**12))
    started = time.monotonic()
    with sandbox.serve(host="127.0.0.1", port=0) as server:
        command = [
            *_schemathesis_command(),
            "run",
            str(args.schema),
            "--url",
            server.base_url,
            "-H",
            f"x-api-key: {sandbox.api_key}",
            "--checks",
            "all",
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--workers",
            str(args.workers),
            "--no-color",
        ]
        env = {**os.environ, "SCHEMATHESIS_HOOKS": ""}
        try:
            proc = subprocess.run(
                command, capture_output=True, text=True, timeout=args.timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            print(f"schemathesis: timed out after {args.timeout} s", flush=True)
            return 1
    elapsed = time.monotonic() - started
    output = proc.stdout + proc.stderr
    print(output, flush=True)
    generated, bad = parse_counts(output)
    created = sandbox.created_count()
    print(
        f"schemathesis: {generated} generated test cases, {bad} failures/errors, "
        f"{created} requests created in the sandbox, {elapsed:.1f} s",
        flush=True,
    )
    if proc.returncode != 0 or bad:
        return 1
    if generated < args.min_cases:
        print(f"schemathesis: fewer than {args.min_cases} cases", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
