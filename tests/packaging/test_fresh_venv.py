"""A user's environment: ``pip install <clone>`` (plus pytest, then the ``[cli]`` extra), no dev tools.

The tests share one fresh venv (``fresh_venv``) and run in file order: the pytest check needs it
without extras; the drift check adds ``[cli]`` afterwards.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from venv_helpers import FreshVenv

TRIVIAL_TEST = """
import sys


def test_arithmetic():
    assert 1 + 1 == 2


def test_nothing_from_the_sandbox_is_loaded():
    loaded = sorted(m for m in sys.modules if m.split(".")[0] == "cannon_studio_sandbox")
    assert loaded == []
"""


def test_pytest_without_the_sandbox_extra_loads_nothing_from_it_and_warns_about_nothing(
    fresh_venv: FreshVenv, tmp_path: Path
) -> None:
    probe = subprocess.run(
        [str(fresh_venv.python), "-c",
         "import importlib.util as u; print([m for m in ('starlette', 'uvicorn', 'click', "
         "'openapi_spec_validator', 'openapi_python_client') if u.find_spec(m)])"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert probe.stdout.strip() == "[]"  # no extra, no dev tool: what `pip install <clone>` gives
    (tmp_path / "test_trivial.py").write_text(TRIVIAL_TEST, encoding="utf-8")
    result = subprocess.run(
        [str(fresh_venv.python), "-m", "pytest", "-W", "error", "-p", "no:cacheprovider",
         "-q", "test_trivial.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "warning" not in result.stdout.lower()
    # The entry point itself was loaded (so the check above means something).
    plugins = subprocess.run(
        [str(fresh_venv.python), "-m", "pytest", "--trace-config", "-q", "--co", "test_trivial.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert "pytest_cannon_studio" in plugins.stdout, plugins.stdout
