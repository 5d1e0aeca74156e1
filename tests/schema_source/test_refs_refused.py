"""A document is data, never a path to other data: external ``$ref``s are refused by name, with
nothing read or fetched, in regenerate, the drift check, ``cannon-studio schema`` and the
schema model's own resolver and validators (no retrieval at all)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import check_drift
import pytest
import regenerate
from cannon_studio.cli import cli
from cannon_studio_schema import ApiSchema, SchemaError, parse_text
from click.testing import CliRunner

from tests.schema_source.servers import Recorder

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT: dict[str, Any] = json.loads((ROOT / "openapi" / "cannon-studio.json").read_text())
SECRET = "secret-token-that-must-not-be-read-7f3a"


@pytest.fixture
def leak_server() -> Iterator[Recorder]:
    """Serves a schema fragment at /leak.json and records every hit (there must be none)."""
    with Recorder() as server:
        server.serve("/leak.json", json.dumps({"X": {"type": "string", "title": SECRET}}).encode())
        yield server


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.json"
    path.write_text(json.dumps({"X": {"type": "string", "description": SECRET}}))
    return path


def _refs(leak: Recorder, secret: Path) -> dict[str, str]:
    return {
        "file URL": f"file://{secret}#/X",
        "absolute file URL of a system file": "file:///etc/passwd#/X",
        "relative path": "secret.json#/X",
        "parent path": "../secret.json#/X",
        "http URL": f"{leak.origin}/leak.json#/X",
        "https URL": f"https://127.0.0.1:{leak.origin.rsplit(':', 1)[1]}/leak.json#/X",
        "network-path reference": f"//127.0.0.1:{leak.origin.rsplit(':', 1)[1]}/leak.json",
        "URN": "urn:example:other#/X",
    }


KINDS = [
    "file URL",
    "absolute file URL of a system file",
    "relative path",
    "parent path",
    "http URL",
    "https URL",
    "network-path reference",
    "URN",
]

Place = Callable[[dict[str, Any], str], None]


def _in_input(doc: dict[str, Any], ref: str) -> None:
    doc["components"]["schemas"]["VideoGenerateEnvelope"]["properties"]["input"] = {"$ref": ref}


def _in_component(doc: dict[str, Any], ref: str) -> None:
    doc["components"]["schemas"]["Unused"] = {"$ref": ref}


def _as_dynamic_ref(doc: dict[str, Any], ref: str) -> None:
    doc["components"]["schemas"]["Unused"] = {"$dynamicRef": ref}


def _write(tmp_path: Path, place: Place, ref: str, yaml: bool = False) -> Path:
    doc = copy.deepcopy(SNAPSHOT)
    place(doc, ref)
    sub = tmp_path / "docs"
    sub.mkdir(exist_ok=True)
    path = sub / ("openapi.yaml" if yaml else "openapi.json")
    # JSON is valid YAML 1.2 flow style; the leading comment makes the reader take the YAML path.
    path.write_text(("# yaml\n" if yaml else "") + json.dumps(doc, indent=1))
    if (tmp_path / "secret.json").exists():
        (sub / "secret.json").write_text((tmp_path / "secret.json").read_text())
    return path


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("place", [_in_input, _in_component, _as_dynamic_ref])
def test_regenerate_refuses_external_refs(
    kind: str,
    place: Place,
    leak_server: Recorder,
    secret_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ref = _refs(leak_server, secret_file)[kind]
    source = _write(tmp_path, place, ref, yaml=kind == "relative path")
    before = regenerate.SNAPSHOT.read_bytes()
    assert regenerate.main([str(source)]) == 2
    captured = capsys.readouterr()
    line = _one_line(captured.err)
    assert line.startswith("regenerate: ") and repr(ref) in line
    assert "only local references" in line
    assert SECRET not in captured.out + captured.err and "root:" not in captured.err
    assert leak_server.hits == [] and regenerate.SNAPSHOT.read_bytes() == before


@pytest.mark.parametrize("kind", ["file URL", "relative path", "http URL"])
def test_drift_check_and_schema_diff_refuse_external_refs(
    kind: str,
    leak_server: Recorder,
    secret_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ref = _refs(leak_server, secret_file)[kind]
    source = _write(tmp_path, _in_input, ref)
    assert check_drift.main(["--url", str(source), "--skip-generated"]) == 2
    captured = capsys.readouterr()
    assert repr(ref) in _one_line(captured.err) and SECRET not in captured.err + captured.out
    snapshot = str(ROOT / "openapi" / "cannon-studio.json")
    result = CliRunner().invoke(
        cli, ["schema", "diff", snapshot, str(source)], catch_exceptions=False
    )
    assert result.exit_code == 2 and repr(ref) in _one_line(result.stderr)
    assert SECRET not in result.output
    assert leak_server.hits == []


def test_external_ref_served_over_http_is_refused_before_anything_follows_it(
    leak_server: Recorder, secret_file: Path
) -> None:
    doc = copy.deepcopy(SNAPSHOT)
    _in_input(doc, _refs(leak_server, secret_file)["http URL"])
    url = leak_server.serve("/openapi.json", json.dumps(doc).encode())
    result = CliRunner().invoke(cli, ["schema", "check", "--url", url], catch_exceptions=False)
    assert result.exit_code == 2 and "only local references" in _one_line(result.stderr)
    assert [hit.path for hit in leak_server.hits] == ["/openapi.json"]  # the document only


@pytest.mark.parametrize("kind", ["file URL", "http URL", "relative path"])
def test_model_resolver_and_validators_retrieve_nothing(
    kind: str, leak_server: Recorder, secret_file: Path
) -> None:
    # A document handed over as a dict skips the reader: the model's own rule must hold too.
    ref = _refs(leak_server, secret_file)[kind]
    doc = copy.deepcopy(SNAPSHOT)
    doc["components"]["schemas"]["Leaky"] = {"$ref": ref}
    doc["components"]["schemas"]["Based"] = {
        "$id": leak_server.origin + "/",
        "$ref": "leak.json#/X",
    }
    model = ApiSchema(doc)
    with pytest.raises(SchemaError, match="only local references"):
        model.resolver.lookup(ref)
    for name in ("Leaky", "Based"):
        with pytest.raises(Exception, match=r"Unresolvable|NoSuchResource") as caught:
            model.component_validator(name).validate("anything")
        assert SECRET not in str(caught.value)
    assert leak_server.hits == []


def test_unresolvable_local_ref_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path, _in_input, "#/components/schemas/DoesNotExist")
    assert regenerate.main([str(source)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("regenerate: ") and "Traceback" not in line


def test_a_ref_key_inside_data_is_refused_too() -> None:
    # An example whose value looks like a reference is refused as well: the reader does not
    # guess which keys are data, and refusing is the safe side.
    text = json.dumps({"openapi": "3.1.0", "paths": {}, "x-example": {"$ref": "/etc/hosts"}})
    with pytest.raises(SchemaError, match="'/etc/hosts' at #/x-example"):
        parse_text(text, "doc")
