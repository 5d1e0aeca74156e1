"""The floors of the house hold: the import contracts of ``make lint`` pass, they fail on a
back-edge (proved on a temporary copy of the tree), and no module of the distribution is part
of an import cycle, counting function-level imports too."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .import_graph import read_graph

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _distribution_packages(root: Path) -> list[Path]:
    """The top-level package directories the wheel ships (pyproject's hatch wheel target)."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    return [root / package for package in packages]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` run in ``root`` against the packages under ``root`` (not the venv's)."""
    source_dirs = sorted({str(package.parent) for package in _distribution_packages(root)})
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": ":".join(source_dirs), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy_tree(tmp_path: Path) -> Path:
    copy = tmp_path / "clone"
    copy.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    for name in {package.relative_to(ROOT).parts[0] for package in _distribution_packages(ROOT)}:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# A back-edge from a bottom floor up to the client, once at module top and once hidden inside a
# function (grimp reads both): each must break the contract and be named in the report.
BACK_EDGES = {
    "module-top": "from cannon_studio import _client  # noqa: F401\n",
    "in-function": "\n\ndef _reach_up() -> object:\n    from . import _client\n\n    return _client\n",
}


@pytest.mark.parametrize("where", sorted(BACK_EDGES))
def test_a_back_edge_breaks_make_lint(tmp_path: Path, where: str) -> None:
    copy = _copy_tree(tmp_path)
    errors = copy / "overlay" / "cannon_studio" / "_errors.py"
    errors.write_text(errors.read_text(encoding="utf-8") + BACK_EDGES[where], encoding="utf-8")

    result = _lint_imports(copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert "cannon_studio._errors -> cannon_studio._client" in result.stdout


def test_no_module_of_the_distribution_is_in_an_import_cycle() -> None:
    graph = read_graph(_distribution_packages(ROOT))
    assert len(graph.modules) > 100  # the generated client, the overlay, the schema module
    assert graph.cycles() == []  # the sandbox (its own package since issue 11a) included


def test_the_cycle_check_sees_function_level_imports_and_skips_type_checking(
    tmp_path: Path,
) -> None:
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from . import high\n    return high\n")
    (package / "high.py").write_text("from . import low\n")
    (package / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import high\n"
    )
    (package / "uses_typed.py").write_text("from toy import typed\n")
    graph = read_graph([package])
    assert graph.cycles() == [["toy.high", "toy.low"]]
    assert not any(item.importer == "toy.typed" for item in graph.imports)


def _hidden_imports() -> list[str]:
    graph = read_graph(_distribution_packages(ROOT))
    overlay = ROOT / "overlay"
    found = []
    for item in graph.imports:
        if not item.in_function or item.guarded:
            continue
        if not graph.modules[item.importer].is_relative_to(overlay):
            continue
        if item.imported.startswith("cannon_studio_api"):
            # The generated client, loaded per use to keep import cost low (its endpoint modules
            # pull in every envelope model); it imports nothing back ("generated-raw" contract).
            continue
        found.append(f"{item.importer}:{item.line} imports {item.imported}")
    return found


def test_hand_written_code_imports_the_package_at_module_top() -> None:
    """No import of the overlay's own modules hides inside a function (a cycle would hide
    there). Optional extras (third-party) are not counted; an import of a package module inside
    ``try: ... except ImportError`` is the guard of an optional extra (the CLI's click/rich, the
    sandbox's server stack) and is allowed."""
    assert _hidden_imports() == []
