"""Options after a command name act as the global ones, on every command group: ``--base-url``
and ``--api-key`` after ``batch FILE``, the global ``--json`` before ``schema`` and ``batch``
(one definition for all of them: ``cannon_studio.cli._state.shared_options``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cannon_studio.cli._fields import load_operations
from cannon_studio_schema import embedded
from cli_support import Invoke


def _one_job(tmp_path: Path) -> Path:
    operation = next(op for op in load_operations().values() if op.id.startswith("prompt.enhance"))
    required = {f.name: "a fox in snow" for f in operation.fields if f.required}
    file = tmp_path / "jobs.jsonl"
    file.write_text(json.dumps({"id": "one", "operation": operation.id, "input": required}) + "\n")
    return file


def test_batch_takes_base_url_and_api_key_after_its_name(
    invoke_offline: Invoke, cannon_sandbox: Any, tmp_path: Path
) -> None:
    file, out = _one_job(tmp_path), tmp_path / "out"
    argv = ["batch", str(file), "--out", str(out), "--json"]
    without = invoke_offline(*argv)  # no key in the environment: nothing can be sent
    assert without.exit_code == 2, without.output
    assert cannon_sandbox.sandbox.credits_charged() == 0

    given = ["--base-url", cannon_sandbox.base_url, "--api-key", cannon_sandbox.api_key]
    result = invoke_offline(*argv, *given)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["counts"]["succeeded"] == 1
    assert cannon_sandbox.api_key not in result.output


def test_global_json_reaches_the_batch_and_schema_groups(
    invoke_offline: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    status = invoke_offline("--json", "batch", "status", str(out))
    assert status.exit_code == 2  # no journal there: the error object, on stdout
    assert json.loads(status.stdout)["error"]["exit_code"] == 2

    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(embedded().document))
    check = invoke_offline("--json", "schema", "check", "--url", str(schema))
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["drift"] is False
