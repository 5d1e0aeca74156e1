"""Reading operations and fields from a schema, and converting command-line values."""

from __future__ import annotations

from typing import Any

import pytest
from cannon_studio.cli._fields import (
    FieldValueError,
    convert_value,
    flag_for,
    operations_from_schema,
)


def _schema() -> dict[str, Any]:
    ref = "#/components/schemas/"
    body = {"content": {"application/json": {"schema": {"$ref": ref + "DemoBody"}}}}
    return {
        "openapi": "3.1.0",
        "paths": {"/api/v1/requests": {"post": {"requestBody": body, "responses": {}}}},
        "components": {
            "schemas": {
                "DemoBody": {"oneOf": [{"$ref": ref + "DemoEnvelope"}]},
                "DemoEnvelope": {
                    "x-cannon-display-name": "Demo",
                    "x-cannon-group": "generation",
                    "x-cannon-credits": "dynamic",
                    "x-cannon-output": "VideoOutput",
                    "x-cannon-assumed": True,
                    "deprecated": True,
                    "properties": {
                        "operation": {"const": "demo.generate"},
                        "input": {"$ref": ref + "DemoInput"},
                    },
                },
                "Size": {"type": "string", "enum": ["1K", "2K"], "description": "Size."},
                "Factor": {"type": "integer", "enum": [1, 2, 4]},
                "DemoInput": {
                    "required": ["prompt"],
                    "properties": {
                        "size": {"allOf": [{"$ref": ref + "Size"}], "description": "Own words."},
                        "factor": {"anyOf": [{"$ref": ref + "Factor"}, {"type": "null"}]},
                        "seed": {"type": ["integer", "null"]},
                        "urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
                        "aspectRatio": {"type": "string"},
                        "settings": {"type": "object", "properties": {"a": {"type": "integer"}}},
                        "prompt": {"type": "string", "maxLength": 10},
                    },
                },
            }
        },
    }


def test_operations_from_schema_resolves_refs_and_extensions() -> None:
    (op,) = operations_from_schema(_schema()).values()
    assert (op.id, op.display_name, op.group, op.credits, op.output) == (
        "demo.generate",
        "Demo",
        "generation",
        "dynamic",
        "VideoOutput",
    )
    assert op.deprecated and op.assumed
    fields = {f.name: f for f in op.fields}
    assert fields["prompt"].required and fields["prompt"].constraints == {"maxLength": 10}
    assert fields["size"].enum == ("1K", "2K")
    assert fields["size"].description == "Own words."  # the wrapper's annotation wins
    assert (fields["factor"].type, fields["factor"].enum) == ("integer", (1, 2, 4))
    assert fields["seed"].type == "integer"
    assert (fields["urls"].type, fields["urls"].item_type) == ("array", "string")
    assert fields["urls"].constraints == {"items.format": "uri"}
    assert fields["settings"].type == "object"
    assert op.fields[0].name == "size"  # schema order is kept...
    assert op.fields_required_first[0].name == "prompt"  # ...and required fields lead in displays


@pytest.mark.parametrize(
    ("name", "flag"),
    [("aspect_ratio", "--aspect-ratio"), ("aspectRatio", "--aspect-ratio"), ("prompt", "--prompt")],
)
def test_flags_are_kebab_case(name: str, flag: str) -> None:
    assert flag_for(name) == flag


def test_convert_value_by_type() -> None:
    fields = {f.name: f for f in operations_from_schema(_schema())["demo.generate"].fields}
    assert convert_value(fields["factor"], "2") == 2
    assert convert_value(fields["size"], "2k") == "2K"
    assert convert_value(fields["seed"], "-3") == -3
    assert convert_value(fields["urls"], "https://a.example/x") == "https://a.example/x"
    assert convert_value(fields["settings"], '{"a": 1}') == {"a": 1}


@pytest.mark.parametrize(
    ("name", "raw", "needle"),
    [
        ("size", "8K", "is not one of: 1K, 2K"),
        ("factor", "3", "is not one of: 1, 2, 4"),
        ("seed", "1.5", "expected an integer"),
        ("settings", "[1]", "expected a JSON object"),
        ("settings", "{oops", "expected a JSON object"),
    ],
)
def test_convert_value_errors_name_the_field(name: str, raw: str, needle: str) -> None:
    field = next(
        f for f in operations_from_schema(_schema())["demo.generate"].fields if f.name == name
    )
    with pytest.raises(FieldValueError) as info:
        convert_value(field, raw)
    assert needle in str(info.value)
    assert info.value.field == name
    if field.enum is not None:
        assert info.value.allowed == list(field.enum)
