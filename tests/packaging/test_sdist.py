"""The sdist holds every file the repository tracks, so its own test suite can run from it.

The ``sdist`` session of ``noxfile.py`` (run by ``.ci/run``) unpacks it in a fresh directory and
runs the suite there; this test keeps the include list of ``pyproject.toml`` complete, so a new
tracked file that some test reads cannot be left out.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tracked() -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {name for name in out.split("\0") if name}


@pytest.mark.skipif(
    not (ROOT / ".git").exists(), reason="an unpacked sdist: there is no checkout to compare with"
)
def test_sdist_holds_every_tracked_file(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    [archive] = tmp_path.glob("cannon_studio-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    missing = sorted(_tracked() - names)
    assert missing == [], "add them to [tool.hatch.build.targets.sdist] include"
    assert not [name for name in names if name.startswith((".venv/", ".nox/", "site/"))]
