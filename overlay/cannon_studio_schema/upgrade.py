"""Upgrading an OpenAPI 3.0.x document to 3.1 (JSON Schema 2020-12 schemas).

Only what differs between the two schema dialects is rewritten, in every schema of the document
(components, parameters, headers, request and response bodies, callbacks):

- ``nullable: true`` -> ``"null"`` added to ``type``; where there is no plain ``type`` (``$ref``,
  ``enum``, ``allOf``...) the schema becomes ``anyOf: [<it>, {type: "null"}]`` (never ``null``
  inside ``enum``: the generator would emit duplicate enum classes);
- ``example`` -> ``examples: [example]``;
- boolean ``exclusiveMinimum`` / ``exclusiveMaximum`` -> the numeric 2020-12 form.

Then ``openapi`` is set to ``3.1.0``. A 3.1 document is returned unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .errors import SchemaError

TARGET_VERSION = "3.1.0"
_DOC_KEYS = ("title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "if", "then", "else")


def version_of(document: Mapping[str, Any]) -> str:
    """The document's ``openapi`` field as text (``""`` when absent)."""
    return str(document.get("openapi", ""))


def upgrade(document: Mapping[str, Any]) -> dict[str, Any]:
    """Return a 3.1 copy of ``document`` (a deep copy; the argument is not changed).

    Raises:
        SchemaError: the document is not OpenAPI 3.0.x or 3.1.x.
    """
    version = version_of(document)
    if version.startswith("3.1"):
        return copy.deepcopy(dict(document))
    if not version.startswith("3.0"):
        shown = version or "missing"
        raise SchemaError(f"OpenAPI version {shown} is not supported (3.0.x or 3.1.x are).")
    upgraded: dict[str, Any] = copy.deepcopy(dict(document))
    _walk(upgraded)
    upgraded["openapi"] = TARGET_VERSION
    return upgraded


def _walk(node: Any) -> None:
    """Find schemas anywhere in the document (under ``schema`` or ``components.schemas``)."""
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in list(node.items()):
        if key == "schema" and isinstance(value, dict):
            node[key] = _schema(value)
        elif key == "schemas" and isinstance(value, dict):
            for name, schema in list(value.items()):
                if isinstance(schema, dict):
                    value[name] = _schema(schema)
        else:
            _walk(value)


def _schema(schema: dict[str, Any]) -> dict[str, Any]:
    for key in _SCHEMA_MAPS:
        members = schema.get(key)
        if isinstance(members, dict):
            for name, member in list(members.items()):
                if isinstance(member, dict):
                    members[name] = _schema(member)
    for key in _SCHEMA_LISTS:
        members = schema.get(key)
        if isinstance(members, list):
            schema[key] = [_schema(m) if isinstance(m, dict) else m for m in members]
    for key in _SCHEMA_ONE:
        member = schema.get(key)
        if isinstance(member, dict):
            schema[key] = _schema(member)
    if "example" in schema:
        example = schema.pop("example")
        schema.setdefault("examples", [example])
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(bound)
        if isinstance(flag, bool):
            del schema[bound]
            if flag and limit in schema:
                schema[bound] = schema.pop(limit)
    if schema.pop("nullable", False) is not True:
        return schema
    kind = schema.get("type")
    plain = isinstance(kind, str) and not any(k in schema for k in ("$ref", "enum", "const"))
    if plain:
        schema["type"] = [kind, "null"]
        return schema
    if isinstance(kind, list):
        schema["type"] = [*kind, "null"] if "null" not in kind else kind
        return schema
    outer = {key: schema.pop(key) for key in _DOC_KEYS if key in schema}
    return {**outer, "anyOf": [schema, {"type": "null"}]}
