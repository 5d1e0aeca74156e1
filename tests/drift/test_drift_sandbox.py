"""`make check-drift` against the sandbox, which serves the committed snapshot: no drift.

This is the full check (schema diff and a fresh regeneration compared with the real generated/),
run the way CI runs it. The venv stamp is marked old-enough (``-o``) so that make never
reinstalls packages from inside the test suite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_check_drift_against_the_sandbox_reports_no_drift(cannon_sandbox: Any) -> None:
    url = f"{cannon_sandbox.base_url}/api/v1/openapi"
    result = subprocess.run(
        [
            # The environment running the suite (a nox session's too), never a rebuild of it.
            "make", "--no-print-directory", f"VENV={sys.prefix}", "-o", f"{sys.prefix}/.installed",
            "check-drift", f"CANNON_OPENAPI_URL={url}",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"schema: {url} compared with openapi/cannon-studio.json" in lines
    assert "schema: no changes" in lines
    assert "generated/: matches a fresh generation from the snapshot" in lines
    assert lines[-1] == "no drift"
