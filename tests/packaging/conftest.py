"""Fixtures of the packaging tests: the wheel built from this tree, and one fresh venv per session.

The fresh venv is what a user gets from ``pip install <clone>`` plus pytest: no dev tools and no
extras. ``pip install`` runs against the machine's package index and its warm pip cache.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from venv_helpers import FreshVenv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this tree (``pip wheel --no-deps --no-build-isolation``)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    (built,) = out.glob("cannon_studio-*.whl")
    return built


@pytest.fixture(scope="session")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshVenv]:
    """A fresh venv with only ``pip install <the wheel> pytest`` (one per session, about 20 s).

    Tests that add an extra to it (``[cli]``) must come after those that need it bare; they sit
    in file order in ``test_fresh_venv.py``.
    """
    path = tmp_path_factory.mktemp("fresh-venv")
    venv.EnvBuilder(with_pip=True).create(path)
    env = FreshVenv(path, path / "bin" / "python", wheel)
    env.pip_install(str(wheel), "pytest")
    yield env
