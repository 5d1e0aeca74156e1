"""YAML is read as YAML 1.2 (core schema), not 1.1: one test per scalar the two read differently,
with PyYAML (a YAML 1.1 reader, still installed for other tools) showing the 1.1 reading."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import yaml as yaml11
from cannon_studio_schema import parse_text

# scalar -> (what YAML 1.2's core schema reads, per the spec, section 10.3.2)
DIFFERENT = {
    "16:9": "16:9",  # 1.1: base-60 int 969
    "1:20:30": "1:20:30",  # 1.1: 4830
    "yes": "yes",  # 1.1: True
    "no": "no",  # 1.1: False
    "on": "on",  # 1.1: True
    "off": "off",  # 1.1: False
    "Yes": "Yes",  # 1.1: True
    "0o17": 15,  # 1.1: the string "0o17"
    "017": 17,  # 1.1: octal 15
    "1_000": "1_000",  # 1.1: 1000
    "0b101": "0b101",  # 1.1: 5
    "1e3": 1000.0,  # 1.1: the string "1e3"
    "2024-01-01": "2024-01-01",  # 1.1: a date
    "190:20:30.15": "190:20:30.15",  # 1.1: base-60 float
}

SAME = {".inf": math.inf, "-.inf": -math.inf, "0x1F": 31, "~": None, "true": True, "1.5": 1.5}


def _read12(scalar: str) -> Any:
    return parse_text(f"openapi: 3.1.0\nvalue: {scalar}\n", "doc.yaml")["value"]


@pytest.mark.parametrize("scalar", sorted(DIFFERENT))
def test_scalar_read_as_yaml_12(scalar: str) -> None:
    read11 = yaml11.safe_load(f"value: {scalar}")["value"]
    expected = DIFFERENT[scalar]
    assert read11 != expected or type(read11) is not type(expected)  # 1.1 really differs
    got = _read12(scalar)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("scalar", sorted(SAME))
def test_scalars_both_versions_agree_on(scalar: str) -> None:
    assert _read12(scalar) == SAME[scalar]


def test_yaml_11_directive_does_not_bring_back_11_rules() -> None:
    doc = parse_text("%YAML 1.1\n---\nopenapi: 3.1.0\nratio: 16:9\nflag: on\n", "old.yaml")
    assert doc["ratio"] == "16:9" and doc["flag"] == "on"


def test_enum_of_aspect_ratios_stays_strings() -> None:
    text = "openapi: 3.1.0\nx-enum:\n  enum: [16:9, 9:16, 1:1, 4:3]\n"
    assert parse_text(text, "doc.yaml")["x-enum"]["enum"] == ["16:9", "9:16", "1:1", "4:3"]


def test_non_string_keys_become_their_json_spelling() -> None:
    doc = parse_text("openapi: 3.1.0\nresponses:\n  200: {description: ok}\n  default: {}\n", "d")
    assert list(doc["responses"]) == ["200", "default"]
    assert json.loads(json.dumps(doc)) == doc


def test_python_tags_are_refused() -> None:
    from cannon_studio_schema import SchemaError

    with pytest.raises(SchemaError, match="neither JSON nor YAML"):
        parse_text("openapi: 3.1.0\nx: !!python/object/apply:os.system ['echo pwned']\n", "d")


def test_duplicate_keys_are_refused_in_one_sentence() -> None:
    from cannon_studio_schema import SchemaError

    with pytest.raises(SchemaError, match=r"neither JSON nor YAML \(line \d+\)"):
        parse_text("openapi: 3.1.0\na: 1\na: 2\n", "d")
