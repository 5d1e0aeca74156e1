"""Build valid and invalid inputs for every operation straight from the schema model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cannon_studio_schema import embedded

MODEL = embedded()


def resolve(prop: Mapping[str, Any]) -> dict[str, Any]:
    """The property schema with references followed and ``allOf`` merged."""
    return dict(MODEL.resolver.flatten(prop).schema)


def sample(prop: Mapping[str, Any]) -> Any:
    p = resolve(prop)
    if "enum" in p:
        return p["enum"][0]
    kind = p.get("type")
    if kind == "string":
        return "https://example.test/asset.mp4" if p.get("format") == "uri" else "a red kite"
    if kind == "integer":
        return max(1, int(p.get("minimum", 1)))
    if kind == "number":
        return 1.0 if p.get("maximum", 2) >= 1 else 0.5
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(p["items"])]
    if kind == "object":
        return {
            k: sample(v) for k, v in p.get("properties", {}).items() if k in p.get("required", [])
        }
    return "x"


def input_component(operation: str) -> dict[str, Any]:
    """The input schema of ``operation`` (references followed)."""
    op = MODEL.operation(operation)
    if op is None or op.input_schema is None:
        raise KeyError(operation)
    return dict(op.input_schema)


def valid_input(operation: str) -> dict[str, Any]:
    comp = input_component(operation)
    return {name: sample(comp["properties"][name]) for name in comp.get("required", [])}


def operations() -> list[str]:
    return list(MODEL.ids)


def enum_fields(operation: str) -> list[tuple[str, list[Any]]]:
    comp = input_component(operation)
    return [
        (name, resolve(p)["enum"]) for name, p in comp["properties"].items() if "enum" in resolve(p)
    ]


def uri_fields(operation: str) -> list[str]:
    comp = input_component(operation)
    return [n for n, p in comp["properties"].items() if resolve(p).get("format") == "uri"]


def long_text_fields(operation: str) -> list[tuple[str, int]]:
    comp = input_component(operation)
    return [(n, p["maxLength"]) for n, p in comp["properties"].items() if "maxLength" in p]
