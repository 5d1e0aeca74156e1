"""A job nested 50,000 levels deep is one problem on its line, never a ``RecursionError``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cannon_studio.batch import BatchFileError
from cannon_studio.batch._jobs import jobs_from_mappings, parse_jobs
from cannon_studio.cli import cli
from click.testing import CliRunner

DEPTH = 50_000
GOOD = json.dumps({"operation": "prompt.enhance.image", "input": {"prompt": "ok"}})
DEEP = (
    '{"operation": "image.generate", "input": {"prompt": "x", "extra": '
    + "[" * DEPTH
    + "]" * DEPTH
    + "}}"
)


def _deep_mapping(depth: int) -> dict[str, Any]:
    inner: Any = []
    for _ in range(depth):
        inner = [inner]
    return {"operation": "image.generate", "input": {"prompt": "x", "extra": inner}}


@pytest.mark.parametrize("deep", [DEEP, DEEP.replace('"extra": [', '"extra": {"a":[', 1)])
def test_a_50k_deep_line_is_one_problem(deep: str) -> None:
    with pytest.raises(BatchFileError) as info:
        parse_jobs([GOOD, deep])
    problems = info.value.problems
    assert [(p.line, p.field) for p in problems] == [(2, None)]
    assert "nested" in problems[0].message


def test_a_50k_deep_mapping_is_one_problem() -> None:
    with pytest.raises(BatchFileError) as info:
        jobs_from_mappings([_deep_mapping(DEPTH)])
    assert "nested more than" in info.value.problems[0].message


def test_moderate_nesting_still_reaches_the_schema() -> None:
    with pytest.raises(BatchFileError) as info:
        jobs_from_mappings([_deep_mapping(10)])
    assert "nested" not in info.value.problems[0].message  # the schema's own complaint


def test_cli_batch_on_a_deep_line_exits_2_with_one_sentence(tmp_path: Path) -> None:
    file = tmp_path / "jobs.jsonl"
    file.write_text(GOOD + "\n" + DEEP + "\n", encoding="utf-8")
    env = {"CANNON_API_KEY": "cs_test_x", "CANNON_BASE_URL": "http://127.0.0.1:9"}
    result = CliRunner().invoke(cli, ["batch", str(file), "--out", str(tmp_path / "out")], env=env)
    assert result.exit_code == 2, result.output
    assert "RecursionError" not in result.output and "Traceback" not in result.output
    assert "line 2" in result.stderr and "nested" in result.stderr
