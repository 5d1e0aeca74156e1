"""Reading schema nodes for comparison: references resolved, ``allOf`` merged, types and enums.

Pure helpers over one document each, standing on :class:`cannon_studio_schema.Resolver` (the
``referencing`` library): nothing here follows a ``$ref`` by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import SchemaError
from ..resolver import Resolver

DOC_KEYS = frozenset({"description", "summary", "title", "examples", "example", "externalDocs"})

# Constraint keywords: (keyword, True when a larger value is looser).

_RESOLVERS: dict[int, tuple[Mapping[str, Any], Resolver]] = {}
"""One ``cannon_studio_schema.Resolver`` per document compared (keyed by identity, kept small)."""


def _resolver(doc: Mapping[str, Any]) -> Resolver:
    entry = _RESOLVERS.get(id(doc))
    if entry is None or entry[0] is not doc:
        if len(_RESOLVERS) > 16:
            _RESOLVERS.clear()
        entry = (doc, Resolver(doc))
        _RESOLVERS[id(doc)] = entry
    return entry[1]


def resolve_pointer(doc: Mapping[str, Any], ref: str) -> Any:
    """Return the node ``ref`` (a local ``#/...`` JSON pointer) points to in ``doc``.

    Resolution is ``cannon_studio_schema.Resolver`` (the ``referencing`` library).

    Raises:
        KeyError: the pointer is not local or does not resolve.
    """
    try:
        return _resolver(doc).lookup(ref)
    except SchemaError as exc:
        raise KeyError(str(exc)) from exc


def deref(doc: Mapping[str, Any], node: Any) -> tuple[dict[str, Any], str | None]:
    """Follow ``$ref`` chains; return the target object and the last reference's name.

    Raises:
        KeyError: a reference is not local or does not resolve.
    """
    try:
        resolved = _resolver(doc).resolve(node)
    except SchemaError as exc:
        raise KeyError(str(exc)) from exc
    return resolved.schema, resolved.name


def flatten(doc: Mapping[str, Any], node: Any) -> tuple[dict[str, Any], str | None]:
    """Resolve ``$ref`` and merge ``allOf`` parts into one schema; return it and its ref name.

    Merging unions ``properties`` and ``required``; other keywords keep the first value seen
    (the outer schema wins). This is what a reader of ``{"allOf": [{"$ref": X}], ...}`` means.

    Raises:
        KeyError: a reference is not local or does not resolve.
    """
    try:
        resolved = _resolver(doc).flatten(node)
    except SchemaError as exc:
        raise KeyError(str(exc)) from exc
    return resolved.schema, resolved.name


def json_type(value: Any) -> str:
    """The JSON type name of a Python value parsed from JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def type_set(doc: Mapping[str, Any], node: Any, depth: int = 0) -> frozenset[str]:
    """The JSON types a schema admits at its top level (``any`` when unconstrained).

    ``number`` includes ``integer``; ``const``/``enum`` give their values' types; ``oneOf`` and
    ``anyOf`` give the union of their variants.
    """
    schema, _ = flatten(doc, node)
    types: set[str] = set()
    declared = schema.get("type")
    if isinstance(declared, str):
        types.add(declared)
    elif isinstance(declared, list):
        types.update(declared)
    elif "const" in schema:
        types.add(json_type(schema["const"]))
    elif "enum" in schema:
        types.update(json_type(v) for v in schema["enum"])
    elif ("oneOf" in schema or "anyOf" in schema) and depth < 20:
        for variant in schema.get("oneOf", []) + schema.get("anyOf", []):
            types |= type_set(doc, variant, depth + 1)
    elif "properties" in schema:
        types.add("object")
    elif "items" in schema:
        types.add("array")
    if not types:
        types.add("any")
    if schema.get("nullable") is True:  # OpenAPI 3.0 spelling of a null-able type
        types.add("null")
    if "number" in types:
        types.add("integer")
    return frozenset(types)


def canonical(doc: Mapping[str, Any], node: Any, stack: tuple[str, ...] = ()) -> Any:
    """The schema with every ``$ref`` inlined and documentation keywords dropped (for equality)."""
    if isinstance(node, list):
        return [canonical(doc, item, stack) for item in node]
    if not isinstance(node, Mapping):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in stack:
            return {"$ref": ref}
        return canonical(doc, resolve_pointer(doc, ref), (*stack, ref))
    return {k: canonical(doc, v, stack) for k, v in node.items() if k not in DOC_KEYS}


def enum_values(schema: Mapping[str, Any]) -> list[Any] | None:
    """The allowed values of an enum or const schema, else None."""
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return None


def variant_keys(doc: Mapping[str, Any], variants: Iterable[Any]) -> dict[str, Any]:
    """Name each ``oneOf``/``anyOf`` variant: its ``$ref`` name, ``const``, or its type(s)."""
    keyed: dict[str, Any] = {}
    for variant in variants:
        if isinstance(variant, Mapping) and "$ref" in variant:
            key = variant["$ref"].rsplit("/", 1)[-1]
        elif isinstance(variant, Mapping) and "const" in variant:
            key = f"const {variant['const']!r}"
        else:
            key = "|".join(sorted(type_set(doc, variant)))
        base, n = key, 2
        while key in keyed:
            key, n = f"{base}#{n}", n + 1
        keyed[key] = variant
    return keyed
