"""schemathesis (v4) against the running sandbox: no failures over at least 500 generated cases."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_schemathesis_reports_no_failures_over_500_cases() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "run_schemathesis.py"),
            "--max-examples",
            "10",
            "--min-cases",
            "500",
        ],
        capture_output=True,
        text=True,
        timeout=230,
        check=False,
    )
    summary = [line for line in proc.stdout.splitlines() if line.startswith("schemathesis: ")]
    assert summary, proc.stdout[-3000:] + proc.stderr[-3000:]
    print(summary[-1])
    match = re.match(r"schemathesis: (\d+) generated test cases, (\d+) failures", summary[-1])
    assert match is not None
    assert int(match.group(1)) >= 500
    assert int(match.group(2)) == 0, proc.stdout[-5000:]
    assert proc.returncode == 0, proc.stdout[-5000:]
