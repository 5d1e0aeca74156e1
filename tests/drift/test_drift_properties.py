"""Properties of the drift engine over generated schemas (hypothesis): any two documents compare
without a traceback, a document never drifts from itself or from a respelling of itself, "no
drift" holds both ways, and every change names a check of the catalogue."""

from __future__ import annotations

import json
from typing import Any

from cannon_studio_schema import SchemaError
from cannon_studio_schema.drift import CHECKS, compare_documents, load_document
from hypothesis import given, settings
from hypothesis import strategies as st

SCALARS = st.sampled_from(["string", "integer", "number", "boolean"])
WORDS = st.sampled_from(["a", "b", "c", "name", "id"])


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": SCALARS},
        optional={
            "minimum": st.integers(-5, 5),
            "maximum": st.integers(5, 50),
            "maxLength": st.integers(1, 20),
            "pattern": st.sampled_from(["^[a-z]+$", ".*"]),
            "enum": st.lists(WORDS, min_size=1, max_size=3, unique=True),
            "format": st.sampled_from(["date", "uuid"]),
            "nullable": st.booleans(),
            "default": WORDS,
            "deprecated": st.booleans(),
            "readOnly": st.booleans(),
        },
    )


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    objects = st.builds(
        lambda props, required, extra: {
            "type": "object",
            "properties": props,
            "required": [k for k in required if k in props],
            **({"additionalProperties": extra} if extra is not None else {}),
        },
        st.dictionaries(WORDS, children, max_size=3),
        st.lists(WORDS, max_size=2, unique=True),
        st.one_of(st.none(), st.booleans()),
    )
    arrays = st.builds(
        lambda items, n: {"type": "array", "items": items, "maxItems": n},
        children,
        st.integers(1, 9),
    )
    unions = st.builds(
        lambda kind, members: {kind: members},
        st.sampled_from(["oneOf", "anyOf", "allOf"]),
        st.lists(children, min_size=1, max_size=3),
    )
    nulls = st.builds(lambda inner: {"anyOf": [inner, {"type": "null"}]}, children)
    return st.one_of(objects, arrays, unions, nulls)


SCHEMAS = st.recursive(_leaf(), _extend, max_leaves=8)


def _document(request: dict[str, Any], response: dict[str, Any], version: str) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": request}}}
    reply = {"description": "ok", "content": {"application/json": {"schema": response}}}
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{thingId}": {
                "post": {
                    "parameters": [
                        {"name": "thingId", "in": "path", "required": True, "schema": request}
                    ],
                    "requestBody": body,
                    "responses": {"200": reply},
                }
            }
        },
        "components": {"schemas": {"Shared": response}},
    }


def _load(document: dict[str, Any]) -> dict[str, Any]:
    return load_document(json.dumps(document), "generated.json")


def _reordered(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _reordered(node[k]) for k in reversed(list(node))}
    if isinstance(node, list):
        return [_reordered(item) for item in node]
    return node


@settings(max_examples=150, deadline=None)
@given(SCHEMAS, SCHEMAS, SCHEMAS, SCHEMAS, st.sampled_from(["3.0.3", "3.1.0"]))
def test_any_two_documents_compare_and_every_change_is_a_catalogue_check(
    req_a: dict[str, Any],
    resp_a: dict[str, Any],
    req_b: dict[str, Any],
    resp_b: dict[str, Any],
    version: str,
) -> None:
    try:
        old = _load(_document(req_a, resp_a, version))
        new = _load(_document(req_b, resp_b, version))
    except SchemaError:
        return  # a generated document the canonical form refuses: one sentence, never a crash
    changes = compare_documents(old, new)
    for change in changes:
        assert change.id in CHECKS
        assert change.level in ("breaking", "warning", "info")
    if not changes:  # the same meaning both ways
        assert compare_documents(new, old) == []


@settings(max_examples=150, deadline=None)
@given(SCHEMAS, SCHEMAS, st.sampled_from(["3.0.3", "3.1.0"]))
def test_a_document_never_drifts_from_itself_respelled(
    request: dict[str, Any], response: dict[str, Any], version: str
) -> None:
    document = _document(request, response, version)
    try:
        old = _load(document)
    except SchemaError:
        return
    assert compare_documents(old, _load(document)) == []
    assert compare_documents(old, _load(_reordered(document))) == []
