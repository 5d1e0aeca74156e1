"""``cannon-studio schema check`` / ``schema diff``: exit 0 same, 1 drift (BREAKING named), 2
unavailable; the API key goes only to the API's own origin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cannon_studio_schema.drift import installed_schema
from cli_support import Invoke

from tests.schema_fixtures import SchemaServer, without_last_operation

CLOSED_PORT_URL = "http://127.0.0.1:9/api/v1/openapi"  # discard port: nothing listens


@pytest.fixture
def removed(tmp_path: Path) -> tuple[Path, str]:
    """A schema file with one operation removed, and the removed operation's id."""
    changed, op_id = without_last_operation(installed_schema())
    path = tmp_path / "openapi-without-op.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    return path, op_id


def test_check_against_the_sandbox_is_the_same(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke("schema", "check", "--url", f"{cannon_sandbox.base_url}/api/v1/openapi")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "no drift"


def test_check_names_a_removed_operation_breaking(
    invoke_offline: Invoke, removed: tuple[Path, str]
) -> None:
    path, op_id = removed
    result = invoke_offline("schema", "check", "--url", str(path))
    assert result.exit_code == 1, result.output
    heads = [line.split(" -- ")[0] for line in result.output.splitlines()]
    assert f"BREAKING  operation removed: {op_id}" in heads
    assert result.output.splitlines()[-1].startswith("drift: 1 breaking")


def test_check_json(invoke_offline: Invoke, removed: tuple[Path, str]) -> None:
    path, op_id = removed
    result = invoke_offline("schema", "check", "--url", str(path), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["exit_code"] == 1 and report["drift"] is True and report["breaking"] == 1
    assert {"kind": "operation removed", "subject": op_id, "breaking": True}.items() <= (
        report["changes"][0].items()
    )


def test_check_url_defaults_to_the_environment(
    invoke_offline: Invoke, removed: tuple[Path, str]
) -> None:
    path, _ = removed
    result = invoke_offline("schema", "check", env={"CANNON_OPENAPI_URL": str(path)})
    assert result.exit_code == 1 and str(path) in result.output.splitlines()[0]


def test_diff_two_files(invoke_offline: Invoke, removed: tuple[Path, str], tmp_path: Path) -> None:
    path, op_id = removed
    same = tmp_path / "same.json"
    same.write_text(json.dumps(installed_schema()), encoding="utf-8")
    assert invoke_offline("schema", "diff", str(same), str(same)).exit_code == 0
    result = invoke_offline("schema", "diff", str(same), str(path))
    assert result.exit_code == 1
    assert f"BREAKING  operation removed: {op_id}" in result.output
    back = invoke_offline("schema", "diff", str(path), str(same))  # adding it back is safe
    assert back.exit_code == 1 and f"non-breaking  operation added: {op_id}" in back.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Could not fetch the schema from"),
        ("{not json", "is not valid JSON"),
        ('{"error": "maintenance"}', "has no 'openapi' version field"),
        ('{"openapi": "2.0", "paths": {}}', "not 3.0 or 3.1"),
        ('{"openapi": "3.1.0"}', "has no 'paths' object"),
    ],
)
def test_unavailable_schema_exits_2_with_one_sentence(
    invoke_offline: Invoke, tmp_path: Path, content: str | None, message: str
) -> None:
    url = CLOSED_PORT_URL
    if content is not None:
        url = str(tmp_path / "broken.json")
        Path(url).write_text(content, encoding="utf-8")
    result = invoke_offline("schema", "check", "--url", url)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert message in line


@pytest.fixture
def recording_server() -> Iterator[SchemaServer]:
    with SchemaServer(json.dumps(installed_schema()).encode()) as server:
        yield server


def test_api_key_goes_only_to_the_api_origin(
    invoke_offline: Invoke, recording_server: SchemaServer
) -> None:
    url = recording_server.url
    key = "cs_test_schema_key_0000"
    elsewhere = invoke_offline(
        "schema", "check", "--url", url,
        env={"CANNON_API_KEY": key, "CANNON_BASE_URL": "https://api.example.test"},
    )  # fmt: skip
    assert elsewhere.exit_code == 0
    assert "x-api-key" not in recording_server.seen[-1]
    own = invoke_offline(
        "schema", "check", "--url", url,
        env={"CANNON_API_KEY": key, "CANNON_BASE_URL": recording_server.origin},
    )  # fmt: skip
    assert own.exit_code == 0
    assert recording_server.seen[-1]["x-api-key"] == key
    assert key not in own.output
