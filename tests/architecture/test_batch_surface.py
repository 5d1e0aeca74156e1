"""``cannon_studio.batch`` drives a client only through public members (its ``BatchClient``
protocols): no private attribute of another object is read anywhere in the package."""

from __future__ import annotations

import ast
from pathlib import Path

BATCH = Path(__file__).resolve().parents[2] / "overlay" / "cannon_studio" / "batch"


def _private_reads(path: Path) -> list[str]:
    """``x._name`` reads where ``x`` is not ``self`` / ``cls`` (dunders aside)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
            continue
        if node.attr.startswith("__") or (
            isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}
        ):
            continue
        found.append(f"{path.name}:{node.lineno} reads .{node.attr}")
    return found


def test_batch_reads_no_private_attribute_of_a_client() -> None:
    problems = [problem for path in sorted(BATCH.glob("*.py")) for problem in _private_reads(path)]
    assert problems == []


def test_the_check_sees_a_private_read(tmp_path: Path) -> None:
    module = tmp_path / "runner.py"
    module.write_text("def f(client):\n    return client._core.download_client()\n")
    assert _private_reads(module) == ["runner.py:2 reads ._core"]
