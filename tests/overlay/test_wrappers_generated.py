"""``_wrappers.py`` is exactly what scripts/generate_wrappers.py makes from the embedded schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_typed_wrappers_are_current_with_the_schema() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_wrappers.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
