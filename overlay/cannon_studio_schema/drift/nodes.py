"""Reading schema nodes for comparison: one meaning, whatever the spelling.

:func:`view` turns a schema node into the form the comparison reads, so that two spellings of
the same schema compare equal:

- ``$ref`` is followed (a 3.1 ``$ref`` with sibling keywords is an ``allOf`` of both);
- ``allOf`` is flattened where that is exact (properties and ``required`` unioned, every other
  keyword set by one part only or to the same value by each); otherwise it stays;
- a union with ``null`` (``anyOf: [X, {type: null}]``, ``oneOf`` likewise) is ``X`` that also
  admits ``null``; ``type`` is always a sorted list (``null`` in it for a nullable schema, the
  3.0 ``nullable`` spelling included) or absent for "any type";
- ``const`` is a one-value ``enum``, and ``null`` in an ``enum`` is nullability; a one-value
  field's ``default`` equal to that value says nothing and is dropped.

:func:`fingerprint` is the schema with every reference inlined, documentation and component
names dropped and unions sorted: equal fingerprints mean equal meaning (used to match union
variants, renamed components and inline vs ``$ref`` spellings).

References are resolved by :class:`cannon_studio_schema.Resolver` (the ``referencing`` library):
nothing here follows a ``$ref`` by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..errors import SchemaError
from ..resolver import Resolver

DOC_KEYS = frozenset(
    {
        "description",
        "summary",
        "title",
        "examples",
        "example",
        "externalDocs",
        "$comment",
        "xml",
        "$schema",
        "$id",
        "$anchor",
        "$defs",
    }
)
"""Keywords that document a schema without changing which values it admits."""

COMPARED_EXTENSIONS = frozenset({"x-extensible-enum", "x-stability-level"})
"""The ``x-`` keywords whose change the comparison reports (others are documentation)."""

_MAX_DEPTH = 48
_MERGE_DEPTH = 6
"""How deep ``allOf`` parts are compared to decide whether merging them is exact."""
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


def sunset_of(node: Mapping[str, Any]) -> date | str | None:
    """The ``x-sunset`` of an operation, parameter or property as a date (RFC 3339 date or
    date-time), the raw text when it does not parse, or None when there is none."""
    raw = node.get("x-sunset")
    if raw is None:
        return None
    if isinstance(raw, date):  # YAML reads an unquoted 2030-01-01 as a date
        return raw
    text = str(raw)
    try:
        return date.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            return text


def deref(doc: Mapping[str, Any], node: Any) -> tuple[dict[str, Any], str | None]:
    """Follow ``$ref`` chains; return the target object and the last reference's name.

    Raises:
        SchemaError: a reference is not local or does not resolve.
    """
    resolved = _resolver(doc).resolve(node)
    return resolved.schema, resolved.name


@dataclass(frozen=True)
class View:
    """A schema as the comparison reads it (see the module docstring).

    Attributes:
        schema: the keywords; children (``properties`` values, ``items``, variants) are still
            nodes as written, to be viewed in turn.
        name: the component name of the reference followed, if any.
    """

    schema: dict[str, Any]
    name: str | None

    @property
    def types(self) -> frozenset[str]:
        """The admitted JSON types without ``null`` (empty: any type)."""
        return frozenset(t for t in self.schema.get("type", ()) if t != "null")

    @property
    def nullable(self) -> bool:
        """Whether ``null`` is admitted explicitly (an untyped schema admits it implicitly)."""
        return "null" in self.schema.get("type", ())

    @property
    def any_type(self) -> bool:
        """Whether no type restricts the values."""
        return "type" not in self.schema


def _is_null(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == ["null"] and not schema.get("enum")


def _json_type(value: Any) -> str:
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


def view(doc: Mapping[str, Any], node: Any, depth: int = 0) -> View:
    """The comparison form of ``node`` in ``doc`` (see the module docstring).

    Raises:
        SchemaError: a reference is not local or does not resolve.
    """
    if node is True or not isinstance(node, Mapping):
        return View({}, None)
    name: str | None = None
    if "$ref" in node:
        siblings = {k: v for k, v in node.items() if k != "$ref" and k not in DOC_KEYS}
        target, name = deref(doc, {"$ref": node["$ref"]})
        node = {"allOf": [target, siblings]} if siblings else target
    schema = dict(node)
    if depth > _MAX_DEPTH:
        return View(schema, name)
    parts = schema.get("allOf")
    if isinstance(parts, list) and parts:
        merged = _merge_all_of(doc, schema, parts, depth)
        if merged is not None:
            schema, part_name = merged
            if name is None and len(parts) == 1:
                name = part_name
    schema = _collapse_null(doc, schema, depth)
    return View(_normalise_types(schema), name)


def _merge_all_of(
    doc: Mapping[str, Any], schema: dict[str, Any], parts: list[Any], depth: int
) -> tuple[dict[str, Any], str | None] | None:
    """``schema`` with its ``allOf`` parts merged in, or None when merging is not exact."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    part_name = None
    for part in parts:
        part_view = view(doc, part, depth + 1)
        part_name = part_view.name
        for key, value in part_view.schema.items():
            if key in DOC_KEYS:
                merged.setdefault(key, value)
            elif key == "properties" and isinstance(value, Mapping):
                props = dict(merged.get("properties", {}))
                for prop, sub in value.items():
                    if prop in props and _same(doc, props[prop], sub, depth + 1) is False:
                        return None
                    props.setdefault(prop, sub)
                merged["properties"] = props
            elif key == "required" and isinstance(value, list):
                known = list(merged.get("required", []))
                merged["required"] = known + [item for item in value if item not in known]
            elif key not in merged:
                merged[key] = value
            elif json.dumps(merged[key], sort_keys=True, default=str) != json.dumps(
                value, sort_keys=True, default=str
            ):
                return None
    return merged, part_name


def _same(doc: Mapping[str, Any], a: Any, b: Any, depth: int) -> bool | None:
    """Whether two schemas mean the same, or None when that is too deep to tell (a schema
    that refers to itself through ``allOf``)."""
    if a == b:
        return True
    if depth > _MERGE_DEPTH:
        return None
    return bool(_canon(doc, a, (), depth) == _canon(doc, b, (), depth))


def _collapse_null(doc: Mapping[str, Any], schema: dict[str, Any], depth: int) -> dict[str, Any]:
    """``anyOf``/``oneOf`` members that only admit ``null`` become nullability."""
    for key in ("anyOf", "oneOf"):
        variants = schema.get(key)
        if not isinstance(variants, list):
            continue
        kept = [
            v for v in variants if not _is_null(_normalise_types(view(doc, v, depth + 1).schema))
        ]
        if len(kept) == len(variants):
            continue
        rest = {k: v for k, v in schema.items() if k != key}
        rest["nullable"] = True
        if not kept:
            rest["type"] = ["null"]
            return rest
        if len(kept) > 1:
            rest[key] = kept
            return rest
        inner = view(doc, kept[0], depth + 1)
        combined = dict(inner.schema)
        for k, v in rest.items():
            if k in DOC_KEYS or k == "nullable" or k not in combined:
                combined[k] = v
        combined["nullable"] = True
        return combined
    return schema


def _normalise_types(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    nullable = out.pop("nullable", False) is True
    declared = out.get("type")
    types: set[str] = set()
    if isinstance(declared, str):
        types.add(declared)
    elif isinstance(declared, list):
        types.update(str(t) for t in declared)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if isinstance(out.get("enum"), list):
        values = out["enum"]
        if None in values:
            nullable = True
            values = [v for v in values if v is not None]
            out["enum"] = values
        if not types:
            types.update(_json_type(v) for v in values)
        if len(values) == 1 and out.get("default", values) == values[0]:
            del out["default"]  # the default of a field with one possible value says nothing
    if not types:
        if "properties" in out:
            types.add("object")
        elif "items" in out or "prefixItems" in out:
            types.add("array")
    if nullable and types:
        types.add("null")
    if "number" in types:
        types.discard("integer")
    if types:
        out["type"] = sorted(types)
    else:
        out.pop("type", None)
    return out


def fingerprint(doc: Mapping[str, Any], node: Any, stack: tuple[str, ...] = ()) -> str:
    """A text equal for two schemas exactly when they mean the same (see the module docstring).

    Raises:
        SchemaError: a reference is not local or does not resolve.
    """
    return json.dumps(_canon(doc, node, stack, 0), sort_keys=True, default=str)


def _canon(doc: Mapping[str, Any], node: Any, stack: tuple[str, ...], depth: int) -> Any:
    if not isinstance(node, Mapping):
        return node
    if depth > _MAX_DEPTH:
        return "..."
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in stack:
            return {"$recursive": len(stack) - stack.index(ref)}
        stack = (*stack, ref)
    current = view(doc, node, depth)
    out: dict[str, Any] = {}
    for key, value in current.schema.items():
        if key in DOC_KEYS or (key.startswith("x-") and key not in COMPARED_EXTENSIONS):
            continue
        if key in ("properties", "patternProperties", "dependentSchemas") and isinstance(
            value, Mapping
        ):
            out[key] = {k: _canon(doc, v, stack, depth + 1) for k, v in value.items()}
        elif key in ("anyOf", "oneOf") and isinstance(value, list):
            out[key] = sorted(
                json.dumps(_canon(doc, v, stack, depth + 1), sort_keys=True, default=str)
                for v in value
            )
        elif key in ("allOf", "prefixItems") and isinstance(value, list):
            out[key] = [_canon(doc, v, stack, depth + 1) for v in value]
        elif key in ("required", "enum") and isinstance(value, list):
            out[key] = sorted(json.dumps(v, sort_keys=True) for v in value)
        elif key == "discriminator" and isinstance(value, Mapping):
            out[key] = value.get("propertyName")
        elif isinstance(value, Mapping):
            out[key] = _canon(doc, value, stack, depth + 1)
        else:
            out[key] = value
    return out


def safe_fingerprint(doc: Mapping[str, Any], node: Any) -> str:
    """:func:`fingerprint`, or a marker unique to ``node`` when a reference does not resolve."""
    try:
        return fingerprint(doc, node)
    except SchemaError:
        return f"<unresolved {id(node)}>"
