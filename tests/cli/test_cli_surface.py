"""The CLI as a script sees it: with ``--json`` every user error is the documented
``{"error": {...}}`` object on stdout; piped output is neither wrapped nor padded; ``wait``
prints what it has before reporting unknown ids; a missing extra is one sentence and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from cannon_studio.cli._fields import load_operations
from cli_support import Invoke, created_ids

ALL_OPERATIONS = list(load_operations())


def _error_object(result: Any) -> dict[str, Any]:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    error = json.loads(lines[-1])["error"]
    assert error["exit_code"] == result.exit_code
    assert isinstance(error["message"], str) and error["message"]
    assert "Error:" in result.stderr and "Traceback" not in result.output
    return dict(error)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["run", "image.generate", "--prompt", "x", "--aspect-ratio", "5:4", "--json"],
            {"type": "InputValidationError", "field": "input.aspect_ratio"},
        ),
        (
            ["run", "video.genrate", "--prompt", "x", "--json"],
            {"type": "InputValidationError", "field": "operation", "operation": "video.genrate"},
        ),
        (
            ["--json", "run", "image.generate"],
            {"type": "InputValidationError", "field": "input.prompt"},
        ),
        (["run", "image.generate", "--prompt", "x", "--colour", "red", "--json"], {}),
        (["get", "--json"], {}),
        (["--json", "no-such-command"], {}),
        (["run", "image.generate", "--prompt", "x", "--duration", "x", "--json"], {}),
    ],
    ids=["bad-enum", "unknown-operation", "missing-field", "unknown-flag", "missing-arg",
         "unknown-command", "unknown-field-flag"],
)  # fmt: skip
def test_json_error_object_for_every_user_error(
    invoke: Invoke, cannon_sandbox: Any, args: list[str], expected: dict[str, Any]
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    error = _error_object(result)
    for key, value in expected.items():
        assert error[key] == value, error
    if expected.get("field") == "input.aspect_ratio":
        assert "16:9" in error["allowed"]
    if expected.get("field") == "operation":
        assert error["allowed"] == ALL_OPERATIONS
    assert created_ids(cannon_sandbox.sandbox) == []


def test_json_error_object_for_configuration_and_api_errors(invoke: Invoke) -> None:
    no_key = invoke("status", "--json", env={"CANNON_API_KEY": None})
    assert no_key.exit_code == 2 and _error_object(no_key)["type"] == "ConfigurationError"
    missing = invoke("get", "req_nope", "--json")
    assert missing.exit_code == 3 and _error_object(missing)["status_code"] == 404


def test_piped_output_is_not_wrapped_or_padded(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke(
        "run", "image.generate", "--prompt", "a long prompt " * 12, env={"COLUMNS": "40"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(line == line.rstrip() for line in lines), [ln for ln in lines if ln != ln.rstrip()]
    (request_id,) = created_ids(cannon_sandbox.sandbox)
    assets = json.loads(invoke("get", request_id, "--json").stdout)["assets"]
    assert assets and all(any(url in line for line in lines) for url in assets)  # never broken
    described = invoke("operations", "image.generate", env={"COLUMNS": "40"}).stdout
    assert max(len(line) for line in described.splitlines()) > 80  # descriptions not folded
    assert all(line == line.rstrip() for line in described.splitlines())


def _create(invoke: Invoke, *args: str) -> str:
    result = invoke("run", *args, "--no-wait", "--json")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["accepted"]["id"])


def test_wait_prints_every_result_then_reports_unknown_ids(invoke: Invoke) -> None:
    good = [_create(invoke, "prompt.enhance.image", "--prompt", f"p{n}") for n in range(3)]
    result = invoke("wait", *good, "req_nope", "--json")
    assert result.exit_code == 3, result.output
    lines = result.stdout.splitlines()
    printed = [json.loads(line)["request"]["id"] for line in lines[:-1]]
    assert sorted(printed) == sorted(good)
    error = _error_object(result)
    assert error["request_ids"] == ["req_nope"] and error["status_code"] == 404
    human = invoke("wait", good[0], "req_nope")
    assert human.exit_code == 3 and good[0] in human.stdout and "req_nope" in human.stderr


def test_deprecated_timeout_flag_still_works_and_says_so(invoke: Invoke) -> None:
    request_id = _create(invoke, "prompt.enhance.image", "--prompt", "p")
    result = invoke("wait", request_id, "--timeout", "30")
    assert result.exit_code == 0, result.output
    assert "--timeout is deprecated, use --max-wait" in result.stderr


def _run_without(module: str, argv: list[str]) -> subprocess.CompletedProcess[str]:
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from cannon_studio.cli import main\n"
        f"main({argv!r})\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("module", "argv", "extra"),
    [
        ("uvicorn", ["sandbox", "--port", "0"], "[sandbox]"),
        ("PIL", ["sandbox", "--help"], "[sandbox]"),
        ("rich", ["status"], "[cli]"),
        ("click", ["sandbox", "--port", "0"], "[cli]"),
    ],
)
def test_missing_extra_is_one_sentence_and_exit_2(module: str, argv: list[str], extra: str) -> None:
    result = _run_without(module, argv)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""  # nothing else printed first (no "running" banner)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and extra in lines[0] and "Traceback" not in result.stderr
