"""The benchmark table's verdicts: a row is ok or MISS against its goal on the ratio to its
same-run baseline (or on its value when it has none), and a missed row shows its profile."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scripts.bench.report import Row, table_lines

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("row", "ok"),
    [
        (Row("s", "cpu", 1.4, "ms", base=1.0, limit=1.5), True),
        (Row("s", "cpu", 1.6, "ms", base=1.0, limit=1.5), False),
        (Row("s", "cpu", 1.5, "ms", base=1.0, limit=1.5), True),
        (Row("s", "gets", 1.0, "GETs/req", base=1.0, limit=1.0, strict=True), False),
        (Row("s", "gets", 0.9, "GETs/req", base=1.0, limit=1.0, strict=True), True),
        (Row("s", "rate", 96, "jobs/s", base=100, limit=0.95, at_least=True), True),
        (Row("s", "rate", 94, "jobs/s", base=100, limit=0.95, at_least=True), False),
        (Row("s", "rss", 120, "MB", limit=100), False),
        (Row("s", "rss", 80, "MB", limit=100), True),
        (Row("s", "context", 3.0, "s", base=1.0), None),
        (Row("s", "unmeasured", float("nan"), "s", base=1.0, limit=1.2), False),
    ],
)
def test_verdict(row: Row, ok: bool | None) -> None:
    assert row.ok is ok


def test_table_marks_miss_and_prints_the_profile_under_it() -> None:
    rows = [
        Row("fan-out", "client CPU per request", 2.0, "ms", 1.0, "oracle", 1.5,
            profile=["own time by package: overlay 40%"]),
        Row("fan-out", "wall", 3.3, "s", 3.0, "bound", 1.2),
    ]  # fmt: skip
    lines = table_lines(rows)
    cpu = next(line for line in lines if line.startswith("client CPU per request"))
    wall = next(line for line in lines if line.startswith("wall"))
    assert "2.00x" in cpu and "MISS" in cpu and "<= 1.5x" in cpu
    assert "1.10x" in wall and " ok " in f"{wall} " and "MISS" not in wall
    tail = lines[lines.index("MISS fan-out / client CPU per request: <= 1.5x oracle") :]
    assert tail[1].strip() == "own time by package: overlay 40%"


def test_baselines_import_nothing_from_the_client() -> None:
    ours = ("cannon_studio", "cannon_studio_api", "cannon_studio_schema", "cannon_studio_sandbox")
    for name in ("baselines.py", "measure.py"):
        tree = ast.parse((ROOT / "scripts" / "bench" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                modules = [node.module or ""]
            elif isinstance(node, ast.ImportFrom):  # relative: only measure may be imported
                assert node.module == "measure", f"{name} imports .{node.module}"
                continue
            else:
                continue
            assert not [m for m in modules if m.split(".")[0] in ours], f"{name}: {modules}"
