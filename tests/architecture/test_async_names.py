"""One async naming rule across the package (the contributing page states it):

- an awaitable twin of a function is named ``a`` + the sync twin's name, in the same module
  (``download`` / ``adownload``, ``run_batch`` / ``arun_batch``, ``follow`` / ``afollow``);
- a method of an async class keeps the sync method's name (``await client.run(...)``);
- a class, or a plain function that builds an async object, puts ``Async`` / ``async`` before
  the noun (``AsyncCannon``, ``default_async_transport``, ``async_inner_transport``).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "overlay" / "cannon_studio"


def _problems(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    sync_names = {n.name for n in functions if isinstance(n, ast.FunctionDef)}
    problems = []
    for node in functions:
        name = node.name.lstrip("_")
        where = f"{path.relative_to(root)}:{node.lineno} {node.name}"
        if isinstance(node, ast.AsyncFunctionDef) and not node.name.startswith("_"):
            twin = node.name.replace(name, name[1:], 1)
            if not (name.startswith("a") and twin in sync_names):
                problems.append(f"{where}: an awaitable twin is 'a' + its sync twin's name")
        elif isinstance(node, ast.FunctionDef) and (
            name.endswith("_async") or (name.startswith("async_") and name.count("_") < 2)
        ):
            problems.append(f"{where}: 'async' goes before the noun it describes")
    return problems


def test_every_async_function_follows_the_naming_rule() -> None:
    problems = [p for path in sorted(PACKAGE.rglob("*.py")) for p in _problems(path)]
    assert problems == []


def test_the_rule_check_catches_the_old_spellings(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text(
        "def follow(): ...\nasync def follow_async(): ...\ndef poll_async(): ...\n"
        "async def afollow(): ...\nasync def adownload(): ...\nasync def _helper(): ...\n",
        encoding="utf-8",
    )
    found = _problems(module, tmp_path)
    assert [problem.split(" ")[1].split(":")[0] for problem in found] == [
        "follow_async",
        "poll_async",
        "adownload",
    ]
