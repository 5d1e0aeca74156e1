"""Hostile documents: the schema model either understands a document or raises SchemaError,
never a traceback from deep inside (property-based)."""

from __future__ import annotations

import copy
from typing import Any

from cannon_studio_schema import ApiSchema, SchemaError, normalise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shape_documents import snapshot

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["$ref", "oneOf", "anyOf", "allOf", "properties",
                                        "operation", "input", "type", "enum", "const",
                                        "content", "schema", "application/json", "x"]),
                      inner, max_size=5),
    max_leaves=20,
)  # fmt: skip
SNAPSHOT = snapshot()


def _model_or_schema_error(doc: Any) -> None:
    try:
        model = ApiSchema(doc)
        for op in model.operations:
            model.unknown_fields(op.input or {}, {"zz": {"a": [1]}})
        normalise(doc)
    except SchemaError as exc:
        assert str(exc) and "\n" not in str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=JSON, paths=JSON)
def test_random_documents(body: Any, paths: Any) -> None:
    doc = {
        "openapi": "3.1.0",
        "paths": {"/api/v1/requests": {"post": {"requestBody": {"content": {
            "application/json": {"schema": body}}}}}, "/x": paths},
    }  # fmt: skip
    _model_or_schema_error(doc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SNAPSHOT["components"]["schemas"])),
    replacement=JSON,
)
def test_snapshot_with_one_component_replaced(name: str, replacement: Any) -> None:
    doc = copy.deepcopy(SNAPSHOT)
    doc["components"]["schemas"][name] = replacement
    _model_or_schema_error(doc)
