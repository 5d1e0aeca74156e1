"""``cannon-studio schema check`` / ``schema diff``: exit 0 below ``--fail-on``, 1 a change at or
above it (each named by check id and level), 2 unavailable; four formats; any OpenAPI document;
the API key goes only to the API's own origin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
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
    assert f"breaking  cannon-operation-removed: {op_id}" in heads
    assert result.output.splitlines()[-1].startswith("drift: 1 breaking")


def test_check_json(invoke_offline: Invoke, removed: tuple[Path, str]) -> None:
    path, op_id = removed
    result = invoke_offline("schema", "check", "--url", str(path), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["exit_code"] == 1 and report["drift"] is True
    assert report["counts"]["breaking"] == 1 and report["fail_on"] == "breaking"
    assert {"id": "cannon-operation-removed", "subject": op_id, "level": "breaking"}.items() <= (
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
    assert f"breaking  cannon-operation-removed: {op_id}" in result.output
    back = invoke_offline("schema", "diff", str(path), str(same))  # adding it back is safe
    assert back.exit_code == 0 and f"info      cannon-operation-added: {op_id}" in back.output
    assert back.output.splitlines()[-1].endswith("passes --fail-on breaking")
    strict = invoke_offline("schema", "diff", "--fail-on", "info", str(path), str(same))
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Could not fetch the schema from"),
        ("{not json", "is not valid JSON"),
        ('{"error": "maintenance"}', "has no 'openapi' version field"),
        ('{"openapi": "2.0", "paths": {}}', "not 3.0 or 3.1"),
        ('{"openapi": "3.0.3"}', "has no 'paths' object"),
        ('{"openapi": "3.1.0", "paths": []}', "has a 'paths' that is not an object"),
        ('{"components": {"schemas": {"A": {"type": "string"}}}}', "a fragment"),
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


BOOKS = {
    "openapi": "3.1.0",
    "info": {"title": "Books", "version": "1"},
    "paths": {
        "/books/{bookId}": {
            "get": {
                "parameters": [
                    {"name": "bookId", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"year": {"type": ["integer", "null"]}},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def _books(tmp_path: Path, name: str, edit: Any = None, as_yaml: bool = False) -> str:
    document = json.loads(json.dumps(BOOKS))
    if edit is not None:
        edit(document)
    path = tmp_path / name
    text = yaml.safe_dump(document) if as_yaml else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _op(document: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = document["paths"]["/books/{bookId}"]["get"]
    return op


def test_diff_any_document_and_equivalent_spellings(invoke_offline: Invoke, tmp_path: Path) -> None:
    def respell(document: dict[str, Any]) -> None:
        # 3.0 spelling, a renamed path parameter: the same API.
        document["openapi"] = "3.0.3"
        item = document["paths"].pop("/books/{bookId}")
        item["get"]["parameters"][0]["name"] = "id"
        year = {"type": "integer", "nullable": True}
        body = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        body["properties"]["year"] = year
        document["paths"]["/books/{id}"] = item

    old = _books(tmp_path, "old.json")
    new = _books(tmp_path, "new.yaml", respell, as_yaml=True)
    result = invoke_offline("schema", "diff", old, new)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "no drift"


@pytest.mark.parametrize(
    ("fail_on", "edit", "code"),
    [
        ("breaking", "info", 0),
        ("warning", "info", 0),
        ("info", "info", 1),
        ("breaking", "warning", 0),
        ("warning", "warning", 1),
        ("breaking", "breaking", 1),
        ("warning", "breaking", 1),
    ],
)
def test_fail_on_decides_the_exit_code(
    invoke_offline: Invoke, tmp_path: Path, fail_on: str, edit: str, code: int
) -> None:
    edits = {
        "info": lambda d: _op(d).update(tags=["catalogue"]),  # api-tag-added
        "warning": lambda d: _op(d)["responses"].update({"206": {"description": "part"}}),
        "breaking": lambda d: _op(d)["responses"].pop("200"),  # success status removed
    }
    old = _books(tmp_path, "old.json")
    new = _books(tmp_path, "new.json", edits[edit])
    result = invoke_offline("schema", "diff", "--fail-on", fail_on, old, new)
    assert result.exit_code == code, result.output
    assert f"{edit:<8}  " in result.output


def test_the_four_formats(invoke_offline: Invoke, tmp_path: Path) -> None:
    def narrow(document: dict[str, Any]) -> None:
        body = _op(document)["responses"]["200"]["content"]["application/json"]["schema"]
        body["properties"]["year"] = {"type": "string"}  # response-property-type-changed

    old, new = _books(tmp_path, "old.json"), _books(tmp_path, "new.json", narrow)
    text = invoke_offline("schema", "diff", old, new)
    assert text.exit_code == 1
    assert "breaking  response-property-type-changed: GET /books/{bookId} 200.year" in text.output
    as_json = invoke_offline("schema", "diff", "--format", "json", old, new)
    report = json.loads(as_json.output)
    assert as_json.exit_code == 1 and report["counts"]["breaking"] == 1
    assert report["changes"][0]["id"] == "response-property-type-changed"
    markdown = invoke_offline("schema", "diff", "--format", "markdown", old, new)
    assert markdown.exit_code == 1
    assert "| breaking | `response-property-type-changed` |" in markdown.output
    github = invoke_offline("schema", "diff", "--format", "github", old, new)
    assert github.exit_code == 1
    assert github.output.startswith(
        "::error title=response-property-type-changed (breaking)::GET /books/{bookId} 200.year"
    )


def test_external_references_are_refused_with_one_sentence(
    invoke_offline: Invoke, tmp_path: Path
) -> None:
    def external(document: dict[str, Any]) -> None:
        body = _op(document)["responses"]["200"]["content"]["application/json"]
        body["schema"] = {"$ref": "book.json#/Book"}

    (tmp_path / "book.json").write_text('{"Book": {"type": "object"}}', encoding="utf-8")
    old, new = _books(tmp_path, "old.json"), _books(tmp_path, "new.json", external)
    result = invoke_offline("schema", "diff", old, new)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert "book.json" in line
