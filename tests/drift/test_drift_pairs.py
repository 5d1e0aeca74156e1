"""The pair suite: small documents written from the check catalogue, each with its expected check
id and level, plus equivalence pairs that must give no drift.

The data is in ``pairs_schemas.yaml`` (one schema pair placed in several spots, both
directions), ``pairs_documents.yaml`` (whole-document pairs) and ``pairs_equivalent.yaml``
(the same API spelled two ways). Every pair is written to two files (YAML, or JSON where the
pair says) and compared as ``cannon-studio schema diff OLD NEW`` compares them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from cannon_studio_schema.drift import CHECKS, compare_sources

HERE = Path(__file__).resolve().parent
BASE: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "pairs", "version": "1"}}


def _load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return data


def _document(part: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(BASE), **copy.deepcopy(part)}


def _object(schema: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"p": copy.deepcopy(schema)}}


def _json_body(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def place(spot: str, schema: Any) -> dict[str, Any]:
    """A small document with ``schema`` at ``spot`` (see ``pairs_schemas.yaml``)."""
    ok = {"description": "ok"}
    if spot in ("request", "body"):
        body = _object(schema) if spot == "request" else copy.deepcopy(schema)
        op = {"requestBody": {"required": True, **_json_body(body)}, "responses": {"204": ok}}
        return _document({"paths": {"/items": {"post": op}}})
    if spot in ("response", "reply"):
        body = _object(schema) if spot == "response" else copy.deepcopy(schema)
        op = {"responses": {"200": {**ok, **_json_body(body)}}}
        return _document({"paths": {"/items": {"get": op}}})
    if spot == "parameter":
        param = {"name": "p", "in": "query", "schema": copy.deepcopy(schema)}
        op = {"parameters": [param], "responses": {"204": ok}}
        return _document({"paths": {"/items": {"get": op}}})
    if spot == "header":
        header = {"required": True, "schema": copy.deepcopy(schema)}
        op = {"responses": {"200": {**ok, "headers": {"X-P": header}}}}
        return _document({"paths": {"/items": {"get": op}}})
    raise ValueError(spot)


class Pair(NamedTuple):
    name: str
    old: dict[str, Any]
    new: dict[str, Any]
    expected: list[tuple[str, str]]
    count: int | None = None
    new_as: str = "json"


def _expected(items: list[str] | str) -> list[tuple[str, str]]:
    entries = [items] if isinstance(items, str) else items
    pairs = []
    for entry in entries:
        check_id, level = entry.split()
        pairs.append((check_id, level))
    return pairs


def schema_pairs() -> list[Pair]:
    pairs = []
    for entry in _load("pairs_schemas.yaml"):
        for direction in ("forward", "backward"):
            old, new = entry["old"], entry["new"]
            if direction == "backward":
                old, new = new, old
            for spot, expected in (entry.get(direction) or {}).items():
                name = f"{entry['name']} [{direction} {spot}]"
                pairs.append(Pair(name, place(spot, old), place(spot, new), _expected(expected)))
    return pairs


def document_pairs() -> list[Pair]:
    pairs = []
    for entry in _load("pairs_documents.yaml"):
        old, new = _document(entry["old"]), _document(entry["new"])
        pairs.append(
            Pair(
                f"{entry['name']} [forward]",
                old,
                new,
                _expected(entry["forward"]),
                entry.get("count"),
            )
        )
        if "backward" in entry:
            pairs.append(
                Pair(f"{entry['name']} [backward]", new, old, _expected(entry["backward"]))
            )
    return pairs


def equivalent_pairs() -> list[Pair]:
    pairs = []
    for entry in _load("pairs_equivalent.yaml"):
        old, new = _document(entry["old"]), _document(entry["new"])
        new_as = entry.get("new_as", "json")
        pairs.append(Pair(f"{entry['name']} [forward]", old, new, [], 0, new_as))
        pairs.append(Pair(f"{entry['name']} [backward]", new, old, [], 0, "json"))
    return pairs


def _text(document: dict[str, Any], as_: str) -> str:
    if as_ == "yaml":
        return yaml.safe_dump(document, sort_keys=False)
    return json.dumps(document)


def run(pair: Pair, folder: Path) -> list[tuple[str, str]]:
    """The (check id, level) of every change reported for ``pair``, both sides written to files
    and compared by :func:`compare_sources` (what ``cannon-studio schema diff OLD NEW`` runs)."""
    old, new = folder / "old.yaml", folder / f"new.{pair.new_as}"
    old.write_text(_text(pair.old, "yaml"), encoding="utf-8")
    new.write_text(_text(pair.new, pair.new_as), encoding="utf-8")
    report = compare_sources(str(old), str(new))
    assert report.exit_code == (1 if report.breaking else 0)
    return [(c.id, c.level) for c in report.changes]


SCHEMA_PAIRS = schema_pairs()
DOCUMENT_PAIRS = document_pairs()
EQUIVALENT_PAIRS = equivalent_pairs()


def test_the_suite_has_at_least_120_catalogue_pairs() -> None:
    assert len(SCHEMA_PAIRS) + len(DOCUMENT_PAIRS) >= 120
    assert len(EQUIVALENT_PAIRS) >= 20


def test_every_expected_id_is_in_the_catalogue_at_the_level_written() -> None:
    # The levels in the YAML are written by hand from the catalogue's directions: a level
    # changed in the engine without the suite (or the docs table) is caught here.
    for pair in SCHEMA_PAIRS + DOCUMENT_PAIRS:
        for check_id, level in pair.expected:
            assert check_id in CHECKS, (pair.name, check_id)
            assert CHECKS[check_id].level == level, (pair.name, check_id)


@pytest.mark.parametrize("pair", SCHEMA_PAIRS + DOCUMENT_PAIRS, ids=lambda p: p.name)
def test_pair_reports_the_expected_check_and_nothing_else_breaking(
    pair: Pair, tmp_path: Path
) -> None:
    reported = run(pair, tmp_path)
    for expected in pair.expected:
        assert expected in reported, f"{pair.name}: {expected} not in {reported}"
    extra = [r for r in reported if r[1] == "breaking" and r not in pair.expected]
    assert not extra, f"{pair.name}: extra breaking {extra}"
    if not pair.expected:
        assert reported == []
    if pair.count is not None:
        assert len(reported) == pair.count, reported


@pytest.mark.parametrize("pair", EQUIVALENT_PAIRS, ids=lambda p: p.name)
def test_equivalent_spellings_give_no_drift(pair: Pair, tmp_path: Path) -> None:
    assert run(pair, tmp_path) == []
