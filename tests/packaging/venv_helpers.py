"""A fresh virtual environment with cannon-studio installed from its wheel (see conftest.py)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FreshVenv:
    """A virtual environment outside the repository with cannon-studio installed from the wheel.

    Attributes:
        path: the venv directory.
        python: its interpreter.
        wheel: the installed wheel (install extras with ``pip_install(f"{wheel}[cli]")``).
    """

    path: Path
    python: Path
    wheel: Path

    def bin(self, name: str) -> Path:
        """The path of the console script ``name`` in the venv."""
        return self.python.parent / name

    def pip_install(self, *requirements: str) -> None:
        """``pip install --quiet REQUIREMENTS`` in the venv.

        Raises:
            subprocess.CalledProcessError: pip failed (its output is in the exception).
        """
        subprocess.run(
            [str(self.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             *requirements],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
