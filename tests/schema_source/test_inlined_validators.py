"""Validators built on inlined references (``Resolver.inlined``) judge exactly as validators that
resolve each ``$ref`` while validating: same verdict, same error paths and keywords.

Hypothesis draws instances against small documents with the shapes inlining must respect: a
recursive schema, a ``$ref`` beside other keywords, properties named like keywords (``enum``,
``$ref``, ``default``), ``$ref`` chains and ``allOf``; then the embedded schema's envelopes.
"""

from __future__ import annotations

from typing import Any

from cannon_studio_schema import ApiSchema, embedded
from cannon_studio_schema.resolver import BASE_URI, Resolver
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

COMPONENTS: dict[str, Any] = {
    "Node": {
        "type": "object",
        "properties": {
            "name": {"$ref": "#/components/schemas/Name", "maxLength": 5},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "enum": {"$ref": "#/components/schemas/Color"},
            "$ref": {"type": "integer"},
            "default": {"$ref": "#/components/schemas/Alias"},
        },
        "additionalProperties": False,
    },
    "Name": {"type": "string", "minLength": 1},
    "Color": {"enum": ["red", "green"]},
    "Alias": {"$ref": "#/components/schemas/Color"},
    "Both": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"required": ["name"]}]},
}
DOCUMENT = {"openapi": "3.1.0", "components": {"schemas": COMPONENTS}}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["", "red", "green", "abcdefg"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "children", "enum", "$ref", "default", "other"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _verdicts(validator: Draft202012Validator, instance: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (tuple(map(str, e.absolute_path)), str(e.validator), repr(e.validator_value))
        for e in validator.iter_errors(instance)
    )


def _pair(resolver: Resolver, pointer: str) -> tuple[Draft202012Validator, Draft202012Validator]:
    by_ref = Draft202012Validator({"$ref": BASE_URI + pointer}, registry=resolver.registry)
    inlined = Draft202012Validator(resolver.inlined(pointer), registry=resolver.registry)
    return by_ref, inlined


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(COMPONENTS)), instance=json_values)
def test_inlined_validator_judges_as_the_referencing_one(name: str, instance: Any) -> None:
    by_ref, inlined = _pair(Resolver(DOCUMENT), f"#/components/schemas/{name}")
    assert _verdicts(inlined, instance) == _verdicts(by_ref, instance)


def test_recursive_schema_keeps_a_back_reference() -> None:
    inlined = Resolver(DOCUMENT).inlined("#/components/schemas/Node")
    items = inlined["properties"]["children"]["items"]
    assert items == {"$ref": BASE_URI + "#/components/schemas/Node"}
    assert inlined["properties"]["$ref"] == {"type": "integer"}  # a property, not a reference


@settings(max_examples=100, deadline=None)
@given(instance=json_values, prompt=st.text(max_size=5) | st.integers())
def test_embedded_envelopes_judge_the_same(instance: Any, prompt: Any) -> None:
    schema: ApiSchema = embedded()
    for op in schema.operations[:5]:
        if op.envelope_pointer is None:
            continue
        by_ref, inlined = _pair(schema.resolver, op.envelope_pointer)
        envelope = {"operation": op.id, "input": {"prompt": prompt, "x": instance}}
        assert _verdicts(inlined, envelope) == _verdicts(by_ref, envelope)
