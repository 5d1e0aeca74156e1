"""A user's environment: ``pip install <clone>`` (plus pytest, then the ``[cli]`` extra), no dev tools.

The tests share one fresh venv (``fresh_venv``) and run in file order: the pytest check needs it
without extras; the drift check adds ``[cli]`` afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from cannon_studio_schema.drift import installed_schema
from venv_helpers import FreshVenv

from tests.schema_fixtures import without_last_operation

TRIVIAL_TEST = """
import sys


def test_arithmetic():
    assert 1 + 1 == 2


def test_nothing_from_the_sandbox_is_loaded():
    loaded = sorted(m for m in sys.modules if m.split(".")[0] == "cannon_studio_sandbox")
    assert loaded == []
"""


def test_pytest_without_the_sandbox_extra_loads_nothing_from_it_and_warns_about_nothing(
    fresh_venv: FreshVenv, tmp_path: Path
) -> None:
    probe = subprocess.run(
        [str(fresh_venv.python), "-c",
         "import importlib.util as u; print([m for m in ('starlette', 'uvicorn', 'click', "
         "'openapi_spec_validator', 'openapi_python_client') if u.find_spec(m)])"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert probe.stdout.strip() == "[]"  # no extra, no dev tool: what `pip install <clone>` gives
    (tmp_path / "test_trivial.py").write_text(TRIVIAL_TEST, encoding="utf-8")
    result = subprocess.run(
        [str(fresh_venv.python), "-m", "pytest", "-W", "error", "-p", "no:cacheprovider",
         "-q", "test_trivial.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "warning" not in result.stdout.lower()
    # The entry point itself was loaded (so the check above means something).
    plugins = subprocess.run(
        [str(fresh_venv.python), "-m", "pytest", "--trace-config", "-q", "--co", "test_trivial.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert "pytest_cannon_studio" in plugins.stdout, plugins.stdout


def test_sandbox_without_its_extra_says_so_in_one_sentence(fresh_venv: FreshVenv) -> None:
    """``python -m cannon_studio_sandbox`` and ``from cannon_studio_sandbox import Sandbox``
    without ``[sandbox]``: one sentence naming the extra, no ``ModuleNotFoundError`` traceback."""
    run = subprocess.run(
        [str(fresh_venv.python), "-m", "cannon_studio_sandbox", "--port", "0"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert "[sandbox] extra" in line and "pip install 'cannon-studio[sandbox]'" in line
    imported = subprocess.run(
        [str(fresh_venv.python), "-c",
         "try:\n    from cannon_studio_sandbox import Sandbox\n"
         "except ImportError as exc:\n    print(exc)"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert imported.stdout.strip() == line.removeprefix("error: ")


def test_schema_check_with_only_the_cli_extra(
    fresh_venv: FreshVenv, cannon_sandbox: Any, tmp_path: Path
) -> None:
    fresh_venv.pip_install(f"{fresh_venv.wheel}[cli]")  # click + rich; still no dev tools
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CANNON_", "PYTHON"))}
    example = subprocess.run(
        [str(fresh_venv.bin("cannon-studio")), "batch", "example"],
        capture_output=True, text=True, check=False, env=env, timeout=120,
    )  # fmt: skip
    assert example.returncode == 0, example.stderr
    assert [json.loads(line)["operation"] for line in example.stdout.splitlines()][-1] == (
        "video.upscale"
    )  # the example job file ships in the wheel: reachable after pip install
    command = [str(fresh_venv.bin("cannon-studio")), "schema", "check", "--url"]

    url = f"{cannon_sandbox.base_url}/api/v1/openapi"
    same = subprocess.run(
        [*command, url], capture_output=True, text=True, check=False, env=env, timeout=120
    )
    assert same.returncode == 0, same.stdout + same.stderr
    assert same.stdout.splitlines()[-1] == "no drift"

    changed, op_id = without_last_operation(installed_schema())
    path = tmp_path / "openapi-without-op.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    drift = subprocess.run(
        [*command, str(path)], capture_output=True, text=True, check=False, env=env, timeout=120
    )
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert f"breaking  cannon-operation-removed: {op_id} -- " in drift.stdout

    gone = subprocess.run(
        [*command, "http://127.0.0.1:9/api/v1/openapi"],
        capture_output=True, text=True, check=False, env=env, timeout=120,
    )  # fmt: skip
    assert gone.returncode == 2 and "Could not fetch the schema" in gone.stderr


def _tiny(tmp_path: Path, name: str, responses: dict[str, Any], tags: list[str]) -> str:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "tiny", "version": "1"},
        "paths": {"/things": {"get": {"tags": tags, "responses": responses}}},
    }
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_schema_diff_fail_on_formats_and_exit_codes_with_only_the_cli_extra(
    fresh_venv: FreshVenv, tmp_path: Path
) -> None:
    # After the test above: the venv has [cli] and nothing else (no dev tools).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CANNON_", "PYTHON"))}
    ok = {"200": {"description": "ok"}}
    base = _tiny(tmp_path, "base.json", ok, ["a"])
    info = _tiny(tmp_path, "info.json", ok, ["a", "b"])  # api-tag-added
    warning = _tiny(tmp_path, "warning.json", {**ok, "206": {"description": "part"}}, ["a"])
    breaking = _tiny(tmp_path, "breaking.json", {"201": {"description": "made"}}, ["a"])

    def diff(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(fresh_venv.bin("cannon-studio")), "schema", "diff", *args],
            capture_output=True, text=True, check=False, env=env, timeout=120,
        )  # fmt: skip

    codes = {
        (fail_on, new): diff("--fail-on", fail_on, base, path).returncode
        for fail_on in ("breaking", "warning", "info")
        for new, path in (("info", info), ("warning", warning), ("breaking", breaking))
    }
    assert codes == {
        ("breaking", "info"): 0, ("breaking", "warning"): 0, ("breaking", "breaking"): 1,
        ("warning", "info"): 0, ("warning", "warning"): 1, ("warning", "breaking"): 1,
        ("info", "info"): 1, ("info", "warning"): 1, ("info", "breaking"): 1,
    }  # fmt: skip
    assert diff(base, base).stdout.splitlines()[-1] == "no drift"

    text = diff(base, breaking)
    assert "breaking  response-success-status-removed: GET /things 200" in text.stdout
    report = json.loads(diff("--format", "json", base, breaking).stdout)
    assert report["exit_code"] == 1
    assert {c["id"] for c in report["changes"]} == {
        "response-success-status-removed",
        "response-success-status-added",
    }
    markdown = diff("--format", "markdown", base, breaking).stdout
    assert "| breaking | `response-success-status-removed` | GET /things 200 |" in markdown
    github = diff("--format", "github", base, warning)
    assert github.returncode == 0
    assert github.stdout.startswith(
        "::warning title=response-success-status-added (warning)::GET /things 206"
    )

    unavailable = diff(base, str(tmp_path / "missing.json"))
    assert unavailable.returncode == 2 and unavailable.stdout == ""
    assert len(unavailable.stderr.strip().splitlines()) == 1
