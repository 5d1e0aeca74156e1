"""Every code example in README.md and in the pages under docs/ runs.

- ```` ```python ```` blocks run as-is, each in a fresh interpreter, against the sandbox (only
  ``CANNON_BASE_URL`` and ``CANNON_API_KEY`` are given, as a user would set them).
  Each runs under ``python -W error`` (a ``ResourceWarning`` of an unclosed client, or any
  deprecation, fails it).
- ```` ```py ```` blocks are the FastAPI and Flask receivers: each must be, verbatim, a file of
  ``examples/``, which ``tests/examples`` runs under ``-W error`` through the framework's own test
  client.
- Every fence names its language, so no block escapes these rules by accident.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.readme.pages import PAGES, ROOT, block_id, blocks

PYTHON_BLOCKS = blocks("python")
STAND_INS = Path(__file__).resolve().parent / "stand_ins"
RECEIVER_BLOCKS = blocks("py")


def test_pages_have_examples() -> None:
    pages_with_python = {page for page, _ in PYTHON_BLOCKS}
    assert {"README.md", "docs/getting-started.md", "docs/client/waiting.md"} <= pages_with_python
    assert {"fastapi", "flask"} <= {
        "fastapi" if "FastAPI()" in b else "flask" if "Flask(" in b else "?"
        for _, b in RECEIVER_BLOCKS
    }


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_fence_names_its_language(page: Path) -> None:
    """An unlabelled fence would be neither run nor checked: each opening fence names one."""
    fences = re.findall(r"^( *)```([^`]*)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    openings = fences[0::2]
    assert len(fences) % 2 == 0, f"{page.name}: an unclosed code fence"
    assert all(label.strip() for _, label in openings), f"{page.name}: a fence without a language"
    # An indented block would escape the runner, which reads fences at the start of a line only.
    assert not [label for indent, label in openings if indent and label.strip() in ("python", "py")]


@pytest.mark.parametrize(
    ("page", "block"), PYTHON_BLOCKS, ids=[block_id(p, b) for p, b in PYTHON_BLOCKS]
)
def test_python_example_runs_against_the_sandbox(
    page: str, block: str, cannon_sandbox: Any, tmp_path: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CANNON_") and key != "PYTHONPATH"
    }
    env |= {
        "CANNON_BASE_URL": cannon_sandbox.base_url,
        "CANNON_API_KEY": cannon_sandbox.api_key,
        "CANNON_WEBHOOK_SECRET": cannon_sandbox.webhook_secret,
    }
    if re.search(r"^import redis\b", block, re.MULTILINE):
        env["PYTHONPATH"] = str(STAND_INS)  # no Redis server here: redis-py's set(nx=, ex=)
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
    assert result.returncode == 0, page + result.stdout[-2000:] + result.stderr[-4000:]


EXAMPLE_FILES = {
    path.name: path.read_text(encoding="utf-8") for path in (ROOT / "examples").glob("*.py")
}


@pytest.mark.parametrize(
    ("page", "block"), RECEIVER_BLOCKS, ids=[block_id(p, b) for p, b in RECEIVER_BLOCKS]
)
def test_receiver_block_is_a_complete_file_under_examples(page: str, block: str) -> None:
    """``py`` blocks show a file of ``examples/`` verbatim (tests/examples runs each one)."""
    assert block in EXAMPLE_FILES.values(), f"a block of {page} differs from every examples/ file"
