"""A throwaway git copy of this checkout, for tests that run ``make regenerate`` on it.

The copy holds the tracked files, committed (so ``git status`` starts clean), and uses this
checkout's virtual environment (``make ... VENV=<it>``, its install stamp marked old so nothing
is installed). Tests that change it call :func:`reset` afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)  # the virtual environment running the suite
GIT = ("git", "-c", "user.name=copy", "-c", "user.email=copy@example.test")


def tracked_files() -> list[str]:
    """Repository-relative names of the tracked files of this checkout; in an unpacked sdist
    (no git), every file it has."""
    if not (ROOT / ".git").exists():
        return [
            str(path.relative_to(ROOT))
            for path in ROOT.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [name for name in out.split("\0") if name]


def make_copy(root: Path) -> Path:
    """Copy the tracked files into ``root`` (an empty directory) and commit them there."""
    for name in tracked_files():
        source = ROOT / name
        if source.is_file():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "copy"], cwd=root, check=True)
    return root


def reset(repo: Path) -> None:
    """Put the copy back to its commit (tracked changes undone, new files removed)."""
    subprocess.run([*GIT, "checkout", "-q", "--", "."], cwd=repo, check=True)
    subprocess.run([*GIT, "clean", "-q", "-fdx", "-e", "__pycache__"], cwd=repo, check=True)


def status(repo: Path) -> str:
    """``git status --porcelain`` of the copy (``""`` when clean)."""
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def regenerate(repo: Path, source: Path) -> subprocess.CompletedProcess[str]:
    """``make regenerate SOURCE=<source>`` in the copy, with this checkout's environment."""
    stamp = VENV / ".installed"
    env = {key: value for key, value in os.environ.items() if key != "CANNON_OPENAPI_URL"}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(repo), "regenerate", f"SOURCE={source}",
         f"VENV={VENV}", "-o", str(stamp)],
        capture_output=True, text=True, check=False, env=env, timeout=300,
    )  # fmt: skip
