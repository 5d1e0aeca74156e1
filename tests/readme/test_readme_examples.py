"""Every code example in README.md runs.

- ```` ```python ```` blocks run as-is, each in a fresh interpreter, against the sandbox (only
  ``CANNON_BASE_URL`` and ``CANNON_API_KEY`` are given, as a user would set them).
  Each runs under ``python -W error`` (a ``ResourceWarning`` of an unclosed client, or any
  deprecation, fails it).
- ```` ```py ```` blocks are the FastAPI and Flask receivers: each must be, verbatim, a file of
  ``examples/``, which ``tests/examples`` runs under ``-W error`` through the framework's own test
  client.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
TEXT = README.read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)
RECEIVER_BLOCKS = re.findall(r"```py\n(.*?)```", TEXT, re.DOTALL)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _first_line(block: str) -> str:
    return next(line for line in block.splitlines() if line.strip())[:60]


def test_readme_has_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 5
    assert {"fastapi", "flask"} <= {
        "fastapi" if "FastAPI()" in b else "flask" if "Flask(" in b else "?"
        for b in RECEIVER_BLOCKS
    }


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[_first_line(b) for b in PYTHON_BLOCKS])
def test_python_example_runs_against_the_sandbox(
    block: str, cannon_sandbox: Any, tmp_path: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CANNON_") and key != "PYTHONPATH"
    }
    env |= {"CANNON_BASE_URL": cannon_sandbox.base_url, "CANNON_API_KEY": cannon_sandbox.api_key}
    if re.search(r"^def test_", block, re.MULTILINE):
        # A test written for users' own suites: run it with pytest and the shipped fixture.
        (tmp_path / "test_example.py").write_text(block, encoding="utf-8")
        command = [
            sys.executable,
            "-W",
            "error",
            "-m",
            "pytest",
            "-W",
            "error",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:asyncio",  # a user's own suite configures pytest-asyncio itself
            "test_example.py",
        ]
    else:
        command = [sys.executable, "-W", "error", "-c", block]
    result = subprocess.run(
        command,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]


EXAMPLE_FILES = {
    path.name: path.read_text(encoding="utf-8")
    for path in (README.parent / "examples").glob("*.py")
}


@pytest.mark.parametrize("block", RECEIVER_BLOCKS, ids=[_first_line(b) for b in RECEIVER_BLOCKS])
def test_receiver_block_is_a_complete_file_under_examples(block: str) -> None:
    """``py`` blocks show a file of ``examples/`` verbatim (tests/examples runs each one)."""
    assert block in EXAMPLE_FILES.values(), "README block differs from every file in examples/"
