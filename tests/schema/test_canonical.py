"""The canonical spelling: every way generators write one constraint becomes one JSON form.

Each group below lists spellings real generators emit for the same schema (pydantic, zod-to-openapi
3.0 and 3.1, swagger-jsdoc, hand-written 3.1) and checks that they come out equal. A property
test checks that the rewrite is exact (each value is accepted before iff after) and a fixed point.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from cannon_studio_schema import SchemaError, canonical_spelling, schema_spelling
from cannon_studio_schema.canonical import generator_spelling
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

REF = {"$ref": "#/components/schemas/Thing"}


def doc(schema: Any, version: str = "3.1.0") -> dict[str, Any]:
    """A document holding ``schema`` as a property, a parameter and a response body."""
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "schema": copy.deepcopy(schema)}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"x-h": {"schema": copy.deepcopy(schema)}},
                            "content": {"application/json": {"schema": copy.deepcopy(schema)}},
                        }
                    },
                }
            }
        },
        "webhooks": {
            "done": {
                "post": {
                    "requestBody": {
                        "content": {"application/json": {"schema": copy.deepcopy(schema)}}
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {"type": "object"},
                "Holder": {"type": "object", "properties": {"f": copy.deepcopy(schema)}},
            }
        },
    }


def places(document: dict[str, Any]) -> list[Any]:
    get = document["paths"]["/x"]["get"]
    ok = get["responses"]["200"]
    hook = document["webhooks"]["done"]["post"]["requestBody"]
    return [
        document["components"]["schemas"]["Holder"]["properties"]["f"],
        get["parameters"][0]["schema"],
        ok["headers"]["x-h"]["schema"],
        ok["content"]["application/json"]["schema"],
        hook["content"]["application/json"]["schema"],
    ]


def spelled(schema: Any, version: str = "3.1.0") -> Any:
    """The canonical spelling of ``schema`` (the same at every place of the document)."""
    found = places(canonical_spelling(doc(schema, version)))
    assert all(f == found[0] for f in found), found
    return found[0]


EQUIVALENT: dict[str, list[tuple[str, Any]]] = {
    "nullable string": [
        ("3.1", {"type": ["string", "null"], "maxLength": 5}),
        ("3.1", {"type": ["null", "string"], "maxLength": 5}),
        ("3.1", {"anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}]}),
        ("3.1", {"oneOf": [{"type": "null"}, {"type": "string", "maxLength": 5}]}),
        ("3.1", {"anyOf": [{"type": "string", "maxLength": 5}, {"const": None}]}),
        ("3.0", {"type": "string", "nullable": True, "maxLength": 5}),
    ],
    "nullable enum": [
        ("3.1", {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]}),
        ("3.1", {"type": ["string", "null"], "enum": ["a", "b", None]}),
        ("3.1", {"enum": ["a", "b", None]}),
        ("3.1", {"anyOf": [{"const": "a"}, {"const": "b"}, {"type": "null"}]}),
        ("3.1", {"anyOf": [{"type": "string", "const": "a"}, {"enum": ["b"]}, {"const": None}]}),
        ("3.0", {"type": "string", "enum": ["a", "b"], "nullable": True}),
        ("3.0", {"type": "string", "enum": ["a", "b", None], "nullable": True}),
        ("3.0", {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"nullable": True}]}),
    ],
    "enum": [
        ("3.1", {"type": "string", "enum": ["a", "b"]}),
        ("3.1", {"enum": ["a", "b", "a"]}),
        ("3.1", {"anyOf": [{"const": "a"}, {"const": "b"}]}),
        ("3.1", {"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}]}),
        ("3.1", {"anyOf": [{"const": "a", "title": "A"}, {"const": "b", "description": "B"}]}),
        ("3.0", {"type": "string", "enum": ["a", "b"]}),
    ],
    "one value": [
        ("3.1", {"type": "string", "const": "video"}),
        ("3.1", {"const": "video"}),
        ("3.1", {"type": "string", "enum": ["video"]}),
        ("3.0", {"type": "string", "enum": ["video"]}),
    ],
    "nullable reference": [
        ("3.1", {"anyOf": [REF, {"type": "null"}]}),
        ("3.1", {"oneOf": [REF, {"type": "null"}]}),
        ("3.1", {"anyOf": [{"allOf": [REF]}, {"type": "null"}]}),
        ("3.0", {**REF, "nullable": True}),
        ("3.0", {"allOf": [REF], "nullable": True}),
        ("3.0", {"allOf": [REF, {"nullable": True}]}),
    ],
    "annotated reference": [
        ("3.1", {"allOf": [REF], "description": "d"}),
        ("3.1", {**REF, "description": "d"}),
        ("3.1", {"anyOf": [REF], "description": "d"}),
    ],
    "nullable annotated reference": [
        ("3.1", {"anyOf": [REF, {"type": "null"}], "description": "d", "default": None}),
        (
            "3.1",
            {"anyOf": [{"allOf": [REF]}, {"type": "null"}], "description": "d", "default": None},
        ),
        ("3.0", {"allOf": [REF], "nullable": True, "description": "d", "default": None}),
    ],
    "nullable integer with pydantic's annotations": [
        ("3.1", {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}], "title": "N"}),
        ("3.1", {"type": ["integer", "null"], "minimum": 1, "title": "N"}),
        ("3.0", {"type": "integer", "minimum": 1, "nullable": True, "title": "N"}),
    ],
    "exclusive bound": [
        ("3.1", {"type": "number", "exclusiveMinimum": 0}),
        ("3.0", {"type": "number", "minimum": 0, "exclusiveMinimum": True}),
    ],
    "inclusive bound": [
        ("3.1", {"type": "number", "minimum": 0}),
        ("3.0", {"type": "number", "minimum": 0, "exclusiveMinimum": False}),
        ("3.1", {"type": "number", "minimum": 0, "deprecated": False, "readOnly": False}),
    ],
    "null": [
        ("3.1", {"type": "null"}),
        ("3.1", {"const": None}),
        ("3.1", {"enum": [None]}),
        ("3.0", {"type": "object", "nullable": True, "enum": [None]}),
    ],
    "example": [
        ("3.1", {"type": "string", "examples": ["x"]}),
        ("3.0", {"type": "string", "example": "x"}),
    ],
    "single type": [
        ("3.1", {"type": "string"}),
        ("3.1", {"type": ["string"]}),
        ("3.1", {"anyOf": [{"type": "string"}]}),
    ],
    "nested": [
        ("3.1", {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "null"}]}}),
        ("3.0", {"type": "array", "items": {"type": "string", "nullable": True}}),
    ],
}


@pytest.mark.parametrize("name", EQUIVALENT)
def test_equivalent_spellings_are_one_form(name: str) -> None:
    forms = [spelled(schema, "3.0.3" if v == "3.0" else "3.1.0") for v, schema in EQUIVALENT[name]]
    assert all(form == forms[0] for form in forms), json.dumps(forms, indent=1)


def test_the_canonical_forms_are_the_documented_ones() -> None:
    assert spelled({"anyOf": [{"type": "string"}, {"type": "null"}]}) == {
        "type": ["string", "null"]
    }
    assert spelled({"type": "string", "enum": ["a", "b"], "nullable": True}, "3.0.3") == {
        "anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]
    }
    assert spelled({"anyOf": [{"const": "a"}, {"const": "b"}]}) == {
        "type": "string",
        "enum": ["a", "b"],
    }
    assert spelled({"enum": ["video"]}) == {"type": "string", "const": "video"}
    assert spelled({"allOf": [REF], "nullable": True, "description": "d"}, "3.0.3") == {
        "description": "d",
        "anyOf": [REF, {"type": "null"}],
    }


def test_a_nullable_component_becomes_nullable_references() -> None:
    source = doc(REF)
    source["components"]["schemas"]["Thing"] = {"type": ["object", "null"], "title": "T"}
    result = canonical_spelling(source)
    assert result["components"]["schemas"]["Thing"] == {"type": "object", "title": "T"}
    assert all(place == {"anyOf": [REF, {"type": "null"}]} for place in places(result))
    assert canonical_spelling(result) == result


def test_the_generator_form_splits_type_lists_by_the_keywords_of_each_type() -> None:
    schema = {"type": ["object", "array", "null"], "additionalProperties": {}, "minItems": 1}
    split = {
        "anyOf": [
            {"type": "object", "additionalProperties": True},
            {"type": "array", "minItems": 1, "items": {}},
            {"type": "null"},
        ]
    }
    assert places(generator_spelling(canonical_spelling(doc(schema))))[0] == split
    assert schema_spelling(schema) == {**schema, "additionalProperties": True}


def test_the_document_becomes_31_and_the_argument_is_untouched() -> None:
    source = doc({"type": "string", "nullable": True}, "3.0.3")
    before = copy.deepcopy(source)
    result = canonical_spelling(source)
    assert source == before
    assert result["openapi"] == "3.1.0"
    assert canonical_spelling(result) == result


def test_a_30_keyword_in_a_31_document_is_repaired_with_a_note_naming_the_place() -> None:
    notes: list[str] = []
    result = canonical_spelling(doc({"type": "string", "nullable": True}), notes=notes)
    assert places(result)[0] == {"type": ["string", "null"]}
    assert len(notes) == len(places(result))
    assert "#/components/schemas/Holder/properties/f" in "\n".join(notes)
    assert all(n.startswith("Repaired #/") and "nullable" in n for n in notes)
    assert all("\n" not in n for n in notes)


def test_a_null_type_beside_an_enum_without_null_is_read_as_nullable_with_a_note() -> None:
    notes: list[str] = []
    schema = {"type": ["string", "null"], "enum": ["a", "b"]}
    result = schema_spelling(schema, notes=notes)
    assert result == {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]}
    assert notes == ["Repaired #: type admits null but enum does not list it; read as nullable."]


def test_what_is_already_canonical_or_not_a_value_list_is_left_alone() -> None:
    kept = [
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        {
            "oneOf": [REF, {"$ref": "#/components/schemas/Other"}],
            "discriminator": {"propertyName": "k"},
        },
        {"anyOf": [{"type": "string", "const": "a"}, {"type": "string", "pattern": "^b"}]},
        {"type": "object", "properties": {"a": {}}, "additionalProperties": False},
        {"description": "anything"},
    ]
    for schema in kept:
        assert schema_spelling(schema) == schema


def test_a_document_of_another_version_is_refused_in_one_sentence() -> None:
    with pytest.raises(SchemaError, match=r"^OpenAPI version 2\.0 is not supported"):
        canonical_spelling({"swagger": "2.0", "openapi": "2.0"})


JSON = st.recursive(
    SCALARS_ANY := st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["type", "anyOf", "oneOf", "enum", "const", "nullable", "items",
                             "properties", "$ref", "allOf", "schema", "content", "x"]),
            inner, max_size=4,
        ),
    ),
    max_leaves=12,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_a_badly_shaped_document_is_kept_or_refused_never_a_traceback(junk: Any) -> None:
    document = {"openapi": "3.0.3", "paths": {"/x": {"get": {"parameters": [junk]}}},
                "components": {"schemas": {"X": junk}}}  # fmt: skip
    try:
        canonical_spelling(document)
    except SchemaError as exc:
        assert "\n" not in str(exc)


def test_the_snapshot_is_canonical() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "openapi" / "cannon-studio.json").read_text("utf-8")
    snapshot = json.loads(text)
    assert canonical_spelling(snapshot) == snapshot


# -- exactness: the same values are accepted before and after -------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["a", "b", "c"]))
TYPES = st.sampled_from(["string", "integer", "number", "boolean", "null", "array", "object"])


def _schemas() -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.one_of(
        st.builds(lambda t: {"type": t}, TYPES),
        st.builds(lambda ts: {"type": ts}, st.lists(TYPES, min_size=1, max_size=3)),
        st.builds(lambda v: {"const": v}, SCALARS),
        st.builds(lambda vs: {"enum": vs}, st.lists(SCALARS, min_size=1, max_size=4)),
        st.builds(
            lambda t, vs: {"type": t, "enum": vs},
            st.sampled_from(["string", "integer"]),
            st.lists(SCALARS, min_size=1, max_size=3),
        ),
        st.builds(lambda n: {"type": "integer", "minimum": n}, st.integers(-2, 2)),
        st.just({"type": "string", "maxLength": 1, "description": "d", "default": None}),
        st.just({"type": ["string", "array", "null"], "maxLength": 1, "minItems": 1}),
        st.just({"type": ["object", "integer"], "minimum": 1, "additionalProperties": {}}),
        st.just({"type": "null"}),
    )

    def compose(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            st.builds(lambda ms: {"anyOf": ms}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda ms: {"oneOf": ms}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda m: {"allOf": [m]}, inner),
            st.builds(lambda m: {"type": "array", "items": m}, inner),
            st.builds(lambda m: {"anyOf": [m], "title": "T"}, inner),
        )

    return st.recursive(leaf, compose, max_leaves=6)


VALUES = [None, True, False, 0, 1, -2, 2.5, "a", "b", "", "zz", [], ["a"], [None], [1, "a"], {}]


@settings(max_examples=300, deadline=None)
@given(_schemas())
def test_the_rewrite_is_exact_and_a_fixed_point(schema: dict[str, Any]) -> None:
    notes: list[str] = []
    split = schema_spelling(schema, split_types=True)
    assert schema_spelling(split, split_types=True) == split
    result = schema_spelling(schema, notes=notes)
    assert schema_spelling(result) == result
    if notes:  # a repair changes meaning on purpose (null becomes admitted)
        return
    before, after = Draft202012Validator(schema), Draft202012Validator(result)
    split_after = Draft202012Validator(split)
    for value in VALUES:
        assert before.is_valid(value) == after.is_valid(value), (value, result)
        assert before.is_valid(value) == split_after.is_valid(value), (value, split)
