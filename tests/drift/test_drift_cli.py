"""scripts/check_drift.py as a command: exit codes, report lines, JSON, sources (schema part only;
generated/ is covered in test_drift_generated.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import check_drift as cd
import pytest
from drift_edits import REQUIRED_EDITS, Edit, schemas

from tests.schema_fixtures import SchemaServer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_drift.py"
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"
CLOSED_PORT_URL = "http://127.0.0.1:9/api/v1/openapi"  # discard port: nothing listens on loopback

Writer = Callable[[Callable[[dict[str, Any]], None]], Path]


def classified(stdout: str) -> list[tuple[str, str, str]]:
    """(level, check id, subject) of each change line of a text report."""
    found = []
    for line in stdout.splitlines():
        level, _, rest = line.partition(" ")
        if level not in ("breaking", "warning", "info"):
            continue
        check_id, _, where = rest.strip().partition(": ")
        found.append((level, check_id, where.split(" -- ")[0].split(" (")[0]))
    return found


@pytest.mark.parametrize("edit", REQUIRED_EDITS, ids=lambda e: e.name)
def test_modified_schema_exits_1_with_classified_lines(
    edit: Edit, modified_schema: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = modified_schema(edit.mutate)
    assert cd.main(["--url", str(path), "--skip-generated"]) == 1
    out = capsys.readouterr().out
    assert classified(out) == edit.expected
    assert "no drift" not in out
    assert out.splitlines()[-1].startswith("drift: ")


def test_json_report(modified_schema: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    def two_changes(doc: dict[str, Any]) -> None:
        for edit in REQUIRED_EDITS[:2]:
            edit.mutate(doc)

    path = modified_schema(two_changes)
    assert cd.main(["--url", str(path), "--skip-generated", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["drift"] is True and report["exit_code"] == 1
    assert report["schema"]["counts"] == {"breaking": 1, "warning": 0, "info": 1}
    assert [(c["id"], c["subject"], c["level"]) for c in report["schema"]["changes"]] == [
        ("cannon-operation-removed", "video.upscale", "breaking"),
        ("cannon-operation-added", "video.restyle", "info"),
    ]
    assert all(c["summary"] for c in report["schema"]["changes"])
    assert report["generated"] == {"checked": False, "differences": []}


def test_same_schema_reports_no_drift(
    modified_schema: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Written with another indent and key order: the check normalises before comparing.
    path = modified_schema(lambda doc: None)
    assert path.read_text() != SNAPSHOT.read_text()
    assert cd.main(["--url", str(path), "--skip-generated"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "no drift"
    assert classified(out) == []


def test_documentation_only_change_is_still_drift(
    modified_schema: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    def reword(doc: dict[str, Any]) -> None:
        schemas(doc)["VideoGenerateInput"]["properties"]["seed"]["description"] = "Seed."

    assert cd.main(["--url", str(modified_schema(reword)), "--skip-generated"]) == 1
    out = capsys.readouterr().out
    assert classified(out) == []
    assert "schema text differs: descriptions, examples or spelling only" in out


def test_unreachable_url_exits_2_with_one_sentence() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--url", CLOSED_PORT_URL, "--skip-generated"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"check-drift: Could not fetch the schema from {CLOSED_PORT_URL}")
    assert lines[0].endswith(".")


def test_unreachable_url_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cd.main(["--url", CLOSED_PORT_URL, "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["exit_code"] == 2 and "Could not fetch" in report["error"]
    assert len(captured.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "is not a JSON object"),
        ('{"info": {}}', "has no 'openapi' version field"),
        ('{"openapi": "3.1.0", "paths": 5}', "is not valid OpenAPI"),
    ],
)
def test_unparsable_schema_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content)
    assert cd.main(["--url", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.strip().splitlines()
    assert message in line


@pytest.fixture
def schema_server() -> Iterator[SchemaServer]:
    with SchemaServer(SNAPSHOT.read_bytes()) as server:
        yield server


def test_url_from_environment_and_key_sent(
    schema_server: SchemaServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CANNON_OPENAPI_URL", schema_server.url)
    monkeypatch.setenv("CANNON_API_KEY", "cs_test_drift_key")
    # The key goes to the configured API origin only (here the loopback server, http allowed).
    monkeypatch.setenv("CANNON_BASE_URL", schema_server.origin)
    assert cd.main(["--skip-generated"]) == 0
    out = capsys.readouterr().out
    assert schema_server.url in out.splitlines()[0]
    assert out.splitlines()[-1] == "no drift"
    assert schema_server.seen[0]["x-api-key"] == "cs_test_drift_key"
    assert "cs_test_drift_key" not in out


def test_http_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with SchemaServer(b'{"error": "nope"}', status=401) as server:
        assert cd.main(["--url", server.url, "--skip-generated"]) == 2
    assert "HTTP 401" in capsys.readouterr().err


def test_default_source_is_the_live_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANNON_OPENAPI_URL", raising=False)
    assert cd.resolve_source(None) == "https://www.cannonstudio.app/api/v1/openapi"


def test_schema_that_cannot_be_compared_exits_2(
    modified_schema: Writer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def external_ref(doc: dict[str, Any]) -> None:
        schemas(doc)["VideoGenerateEnvelope"]["properties"]["input"] = {
            "$ref": "inputs.json#/Video"
        }

    monkeypatch.setattr(cd, "validate_document", lambda document, source: None)
    assert cd.main(["--url", str(modified_schema(external_ref)), "--skip-generated"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.strip().splitlines()
    # Normalisation models the document first (cannon_studio_schema), so the reference is
    # refused there, before any comparison, with the same single sentence.
    assert "only local references" in line and "inputs.json" in line
