"""``make help`` (and plain ``make``) lists every target of the Makefile with what it does."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
TARGETS = sorted(set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, re.MULTILINE)))

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


@pytest.mark.parametrize("goal", [["help"], []], ids=["make help", "make"])
def test_help_lists_every_target(goal: list[str]) -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", *goal], cwd=ROOT, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    listed = dict(
        line.strip().split(None, 1) for line in result.stdout.splitlines() if line.strip()
    )
    assert sorted(listed) == TARGETS
    assert all(listed.values()), "each target says what it does"
    assert "$$" not in result.stdout
