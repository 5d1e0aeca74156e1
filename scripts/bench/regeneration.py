"""Regeneration wall time: ``make regenerate`` from the snapshot, in a COPY of the repository.

openapi/, scripts/, generated/, overlay/, Makefile and pyproject.toml are copied; ``.venv`` is a
symlink to this one and ``-o .venv/.installed`` keeps make from reinstalling, so the working
tree is never rewritten. Goal <= 15 s; the output must be byte-identical to ``generated/``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import Context, Row
from .sandbox_process import ROOT

__all__ = ["bench_regenerate", "run"]


def _tree_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _written_by_regenerate(root: Path) -> str:
    """Digest of everything ``make regenerate`` writes under ``root``."""
    api_md = root / "docs" / "api.md"
    return (
        _tree_digest(root / "openapi")
        + _tree_digest(root / "generated")
        + _tree_digest(root / "overlay" / "cannon_studio" / "resources")
        + (api_md.read_text(encoding="utf-8") if api_md.exists() else "")
    )


def run(ctx: Context) -> list[Row]:
    """``make regenerate`` in a copy of the repository: wall time (<= 15 s), byte-identical."""
    return bench_regenerate()


def bench_regenerate() -> list[Row]:
    before = _written_by_regenerate(ROOT)
    with tempfile.TemporaryDirectory(prefix="cannon-bench-regen-") as tmp:
        copy = Path(tmp)
        for name in ("openapi", "scripts", "generated", "overlay"):
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("Makefile", "pyproject.toml"):
            shutil.copy2(ROOT / name, copy / name)
        (copy / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
        make = shutil.which("make")
        if make:
            # -o: treat the venv stamp as up to date, so the copy never runs pip (that would
            # re-point the shared editable install at the temporary copy).
            cmd = [
                make,
                "-s",
                "-o",
                ".venv/.installed",
                "regenerate",
                "SOURCE=openapi/cannon-studio.json",
            ]
        else:  # what the target runs
            cmd = [
                str(copy / ".venv/bin/python"),
                "scripts/regenerate.py",
                "openapi/cannon-studio.json",
            ]
        t0 = time.perf_counter()
        result = subprocess.run(cmd, cwd=copy, capture_output=True, text=True, timeout=300)
        wall = time.perf_counter() - t0
        if result.returncode != 0:
            raise RuntimeError(
                f"regeneration failed: {result.stdout[-1500:]}{result.stderr[-1500:]}"
            )
        produced = (copy / "generated/cannon_studio_api/openapi.json").exists()
        identical = _tree_digest(copy / "generated") == _tree_digest(ROOT / "generated")
    # Only the copy is written; a change here would mean someone else edited the tree meanwhile.
    untouched = before == _written_by_regenerate(ROOT)
    if not produced:
        raise RuntimeError("regeneration benchmark: the copy has no generated package")
    return [
        Row(
            "regeneration",
            "make regenerate (copy of the repo)",
            wall,
            "s",
            limit=15.0,
            note="byte-identical to generated/" if identical else "differs from generated/",
            detail={
                "command": " ".join(cmd[1:] if make else cmd),
                "identical": identical,
                "working_tree_untouched": untouched,
            },
        ),
    ]
