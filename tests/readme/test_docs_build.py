"""``make docs`` fails on a broken link or a reference to an object that does not exist.

The build runs ``mkdocs build --strict``; this proves that the command ``make docs`` runs really
stops on such warnings (``--quiet``, for one, hides them from ``--strict``), on a copy of the
site's sources with one fault put in.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.readme.pages import ROOT

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def _docs_command() -> str:
    """The recipe of ``make docs`` with this interpreter's scripts (``make -n``: nothing runs)."""
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "docs", f"BIN={BIN}"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    [command] = [line for line in dry.stdout.splitlines() if "mkdocs build" in line]
    return command


def _build_copy(tmp_path: Path, page: str, fault: str) -> subprocess.CompletedProcess[str]:
    for name in ("docs", "overlay", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "CHANGELOG.md"):
        shutil.copy2(ROOT / name, tmp_path / name)
    target = tmp_path / "docs" / page
    target.write_text(target.read_text(encoding="utf-8") + "\n" + fault + "\n", encoding="utf-8")
    return subprocess.run(
        ["bash", "-c", _docs_command()], cwd=tmp_path, capture_output=True, text=True,
        check=False, timeout=300,
    )  # fmt: skip


def test_make_docs_is_strict_and_not_quiet() -> None:
    command = shlex.split(_docs_command())
    assert "--strict" in command and "--quiet" not in command and "-q" not in command


@pytest.mark.parametrize(
    ("page", "fault", "fails"),
    [
        ("getting-started.md", "A sentence with nothing wrong in it.", False),
        ("getting-started.md", "[a page that is not there](no-such-page.md)", True),
        ("reference/client.md", "::: cannon_studio.NoSuchName", True),
    ],
    ids=["control: no fault", "broken link", "unknown object"],
)
def test_a_fault_fails_the_build(tmp_path: Path, page: str, fault: str, fails: bool) -> None:
    result = _build_copy(tmp_path, page, fault)
    assert (result.returncode != 0) == fails, result.stdout[-2000:] + result.stderr[-2000:]
