"""Valid inputs and bad-input cases derived from the OpenAPI schema (shared by the BENCH tests).

Everything here is computed from the schema embedded in ``cannon_studio_api`` (the same document
the sandbox validates against), read through the schema model (``cannon_studio_schema``), so a
new operation the schema adds is covered by the fault suite and the bad-input matrix without
touching the tests.

- :func:`operations` lists ``(operation id, input component name)`` from the model.
- :func:`valid_input` builds a small valid input: the docs example of the operation when the fact
  sheet has one (``tests/schema/fact_sheet_examples.json``, read if present) and it validates,
  else the required fields synthesised from their schemas (``examples``, ``enum``, ``format: uri``,
  bounds).
- :func:`bad_cases` yields one :class:`BadCase` per (operation, defect): a missing required field
  (each one), a wrong type, a bad enum value, a non-URL in a URL field and an over-long prompt,
  each where the operation has such a field.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from cannon_studio_schema import embedded

TESTS = Path(__file__).resolve().parent.parent
FACT_SHEET_EXAMPLES = TESTS / "schema" / "fact_sheet_examples.json"
NOT_A_URL = "not a url"
BAD_ENUM_STRING = "definitely-not-an-allowed-value"


@cache
def schema() -> dict[str, Any]:
    """Return the OpenAPI document embedded in the generated package (do not mutate)."""
    return dict(embedded().document)


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """The schema ``node`` with references followed and ``allOf`` merged (schema model)."""
    return dict(embedded().resolver.flatten(node).schema)


@cache
def operations() -> tuple[tuple[str, str], ...]:
    """Return ``(operation id, input component name)`` for every operation of the model."""
    return tuple((op.id, op.input_name or op.id) for op in embedded().operations)


def input_schema(operation: str) -> dict[str, Any]:
    """Return the resolved input schema (an object schema) of ``operation``."""
    op = embedded().operation(operation)
    assert op is not None and op.input_schema is not None, operation
    return dict(op.input_schema)


@cache
def _validator(operation: str) -> jsonschema.protocols.Validator:
    """A format-checking validator for the input of ``operation`` (refs resolve in the document)."""
    op = embedded().operation(operation)
    assert op is not None and op.input_name is not None, operation
    return embedded().component_validator(op.input_name)


def is_valid(operation: str, value: dict[str, Any]) -> bool:
    """True when ``value`` validates against the input schema of ``operation`` (formats checked)."""
    return _validator(operation).is_valid(value)


def synth(node: dict[str, Any], name: str) -> Any:
    """Return a small valid value for the (unresolved) property schema ``node`` named ``name``."""
    node = resolve(node)
    if "const" in node:
        return node["const"]
    if node.get("examples"):
        return node["examples"][0]
    if node.get("enum"):
        return node["enum"][0]
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "uri":
            return f"https://example.com/assets/{name}.bin"
        if node.get("pattern") == "^#[0-9A-Fa-f]{6}$":
            return "#FFCC00"
        text = f"Example {name} for the fault suite"
        return text[: node.get("maxLength", len(text))]
    if kind == "integer":
        return int(node.get("minimum", 1))
    if kind == "number":
        return float(node.get("minimum", 0)) + 1.0
    if kind == "boolean":
        return True
    if kind == "array":
        return [synth(node.get("items", {}), name) for _ in range(max(1, node.get("minItems", 1)))]
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {key: synth(props[key], key) for key in node.get("required", [])}
    return f"example-{name}"


@cache
def _doc_examples() -> dict[str, dict[str, Any]]:
    """The first docs example input per operation id, from the fact-sheet fixture when present."""
    if not FACT_SHEET_EXAMPLES.exists():
        return {}
    found: dict[str, dict[str, Any]] = {}
    for entry in json.loads(FACT_SHEET_EXAMPLES.read_text(encoding="utf-8")):
        example = entry.get("example")
        if isinstance(example, dict) and isinstance(example.get("input"), dict):
            op = example.get("operation")
            if isinstance(op, str):
                found.setdefault(op, example["input"])
    return found


def valid_input(operation: str, *, prefer_docs: bool = True) -> dict[str, Any]:
    """Return a valid input for ``operation`` (a fresh copy; safe to mutate).

    The docs example is used when there is one and it validates against the schema; otherwise the
    required fields are synthesised. Raises AssertionError if even the synthesised input is invalid
    (that would be a schema the tests cannot exercise, so it must be loud).
    """
    example = _doc_examples().get(operation) if prefer_docs else None
    if example is not None and is_valid(operation, example):
        return copy.deepcopy(example)
    built = synth(input_schema(operation), operation)
    assert is_valid(operation, built), f"cannot synthesise a valid input for {operation}: {built}"
    return built


@dataclass(frozen=True)
class BadCase:
    """One bad input: ``input`` differs from a valid one only in ``field`` (a top-level key)."""

    operation: str
    case: str  # missing_required | wrong_type | bad_enum | non_url | too_long
    field: str
    input: dict[str, Any]
    allowed: tuple[Any, ...] | None = None

    @property
    def id(self) -> str:
        """Test id naming the operation, the case and the field."""
        return f"{self.operation}-{self.case}-{self.field}"


def _wrong_type_value(node: dict[str, Any]) -> Any:
    kind = resolve(node).get("type")
    if kind in ("integer", "number"):
        return "twelve"
    if kind == "boolean":
        return "yes"
    if kind == "array":
        return "not-an-array"
    if kind == "object":
        return ["not", "an", "object"]
    return 12345


def _bad_enum_value(values: list[Any]) -> Any:
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return max(values) + 7
    return BAD_ENUM_STRING


def bad_cases() -> Iterator[BadCase]:
    """Yield the bad-input matrix for every operation of the schema (see the module docstring)."""
    for operation, _ in operations():
        spec = input_schema(operation)
        props: dict[str, Any] = spec.get("properties", {})
        required: list[str] = spec.get("required", [])
        base = valid_input(operation, prefer_docs=False)

        def variant(field: str, value: Any, base: dict[str, Any] = base) -> dict[str, Any]:
            changed = copy.deepcopy(base)
            changed[field] = value
            return changed

        for field in required:
            missing = copy.deepcopy(base)
            del missing[field]
            yield BadCase(operation, "missing_required", field, missing)
        # Required fields first, so the defect lands where users hit it (e.g. ``prompt``).
        ordered = [*required, *sorted(f for f in props if f not in required)]
        typed = next((f for f in ordered if resolve(props[f]).get("type")), None)
        if typed is not None:
            yield BadCase(
                operation, "wrong_type", typed, variant(typed, _wrong_type_value(props[typed]))
            )
        enum_field = next((f for f in ordered if resolve(props[f]).get("enum")), None)
        if enum_field is not None:
            values = resolve(props[enum_field])["enum"]
            yield BadCase(
                operation,
                "bad_enum",
                enum_field,
                variant(enum_field, _bad_enum_value(values)),
                allowed=tuple(values),
            )
        url_field = next((f for f in ordered if resolve(props[f]).get("format") == "uri"), None)
        if url_field is not None:
            yield BadCase(operation, "non_url", url_field, variant(url_field, NOT_A_URL))
        else:
            list_field = next(
                (
                    f
                    for f in ordered
                    if resolve(props[f]).get("type") == "array"
                    and resolve(resolve(props[f]).get("items", {})).get("format") == "uri"
                ),
                None,
            )
            if list_field is not None:
                yield BadCase(operation, "non_url", list_field, variant(list_field, [NOT_A_URL]))
        long_field = next((f for f in ordered if resolve(props[f]).get("maxLength") == 4000), None)
        if long_field is not None:
            yield BadCase(operation, "too_long", long_field, variant(long_field, "x" * 4001))
