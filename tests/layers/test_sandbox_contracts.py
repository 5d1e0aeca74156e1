"""The import contracts of the sandbox's independence fail when a back-edge is added.

``make lint`` runs ``lint-imports`` on the real tree (there every contract is kept). Here a copy
of the packages gets one forbidden import per contract, and ``lint-imports`` must exit 1 and name
each broken contract and the offending import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "cannon_studio": ROOT / "overlay" / "cannon_studio",
    "cannon_studio_sandbox": ROOT / "overlay" / "cannon_studio_sandbox",
    "pytest_cannon_studio": ROOT / "overlay" / "pytest_cannon_studio",
    "cannon_studio_api": ROOT / "generated" / "cannon_studio_api",
}
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# (module file in the copy, line added, contract id, offending import as lint-imports shows it)
BACK_EDGES = [
    (
        "cannon_studio_sandbox/clock.py",
        "import cannon_studio._constants\n",
        "sandbox-client-independence",
        "cannon_studio_sandbox.clock -> cannon_studio._constants",
    ),
    (
        "cannon_studio/_constants.py",
        "import cannon_studio_sandbox.config\n",
        "sandbox-client-independence",
        "cannon_studio._constants -> cannon_studio_sandbox.config",
    ),
    (
        "pytest_cannon_studio/__init__.py",
        "import cannon_studio_sandbox.pytest_plugin\n",
        "pytest-entry-point-stdlib-only",
        "pytest_cannon_studio -> cannon_studio_sandbox.pytest_plugin",
    ),
    (
        "cannon_studio_sandbox/parts.py",
        "from . import control\n",
        "sandbox-floors",
        "cannon_studio_sandbox.parts -> cannon_studio_sandbox.control",
    ),
]


def _append_import(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + line + rest if sep else line + text, encoding="utf-8")


def test_each_back_edge_breaks_its_contract(tmp_path: Path) -> None:
    for name, source in PACKAGES.items():
        shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative, line, _, _ in BACK_EDGES:
        _append_import(tmp_path / relative, line)
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "pyproject.toml"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )  # fmt: skip
    out = " ".join((result.stdout + result.stderr).split())  # lint-imports wraps long lines
    assert result.returncode == 1, out
    names = {c["id"]: c["name"] for c in _contracts()}
    for _, _, contract, edge in BACK_EDGES:
        assert f"{names[contract]} BROKEN" in out, contract
        assert f"- {edge} (l." in out, edge
    # sandbox-no-client-side breaks too (the first edge), so every sandbox contract is shown to bite.
    assert f"{names['sandbox-no-client-side']} BROKEN" in out


def _contracts() -> list[dict[str, str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, str]] = config["tool"]["importlinter"]["contracts"]
    return contracts
