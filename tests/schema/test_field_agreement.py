"""The typed wrappers, the CLI's options and the sandbox's validation agree on every input field.

All three come from one :class:`cannon_studio_schema.Field`. For every operation and field of
the snapshot and of documents emitted by real generators (``tests/corpus/documents``), this
checks: the wrapper's ``TypedDict`` annotation (as generated for that document) has the field's
type, enum and nullability; the CLI's ``FieldInfo`` has the same type, item type, enum,
nullability and required-ness; and the sandbox accepts a value of the field's type, refuses a
value of another type, and accepts ``null`` exactly when the field is nullable.
"""

from __future__ import annotations

import ast
import collections.abc
import typing
from pathlib import Path
from typing import Any

import generate_wrappers
import pytest
from cannon_studio.cli._fields import operations_from_schema
from cannon_studio_sandbox.schema import ApiSchema as SandboxSchema
from cannon_studio_schema import ApiSchema, Field, embedded, normalise, read_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
DOCUMENTS = ["snapshot", "fastapi-default-ids.json", "zod-to-openapi-3.0.json", "litestar.json"]
PYTHON_KINDS = {str: "string", int: "integer", float: "number", bool: "boolean"}
WRONG = {"string": 12345, "integer": "x", "number": "x", "boolean": "x", "array": "x"}


def _model(name: str) -> ApiSchema:
    return embedded() if name == "snapshot" else ApiSchema(normalise(read_file(CORPUS / name)))


MODELS = {name: _model(name) for name in DOCUMENTS}


def _annotations(model: ApiSchema) -> dict[str, dict[str, Any]]:
    """``{TypedDict name: {field: evaluated annotation}}`` of the wrappers generated for it."""
    names = {
        "Literal": typing.Literal,
        "Sequence": collections.abc.Sequence,
        "Mapping": collections.abc.Mapping,
        "Any": typing.Any,
        "Required": typing.Required,
        "NotRequired": typing.NotRequired,
    }
    found: dict[str, dict[str, Any]] = {}
    for path, text in generate_wrappers.render_files(model).items():
        if not path.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Params"):
                found[node.name] = {
                    item.target.id: eval(ast.unparse(item.annotation), names)
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                }
    return found


def _kind_of(hint: Any) -> tuple[str, tuple[Any, ...] | None, str | None, bool]:
    """(JSON type, enum, item type, nullable) of an evaluated annotation."""
    if typing.get_origin(hint) in (typing.Required, typing.NotRequired):
        hint = typing.get_args(hint)[0]
    args = typing.get_args(hint)
    nullable = type(None) in args
    if nullable:
        [hint] = [a for a in args if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        values = typing.get_args(hint)
        return _literal_kind(values), values, None, nullable
    if origin is collections.abc.Sequence:
        item, enum, _, _ = _kind_of(typing.get_args(hint)[0])
        return "array", enum, item, nullable
    if origin is collections.abc.Mapping:
        return "object", None, None, nullable
    return PYTHON_KINDS.get(hint, "any"), None, None, nullable


def _literal_kind(values: tuple[Any, ...]) -> str:
    kinds = {PYTHON_KINDS[type(value)] for value in values}
    return kinds.pop() if len(kinds) == 1 else "any"


def _sample(field: Field) -> Any:
    if field.type == "array":
        inner = {k[6:]: v for k, v in field.constraints.items() if k.startswith("items.")}
        item = Field(field.name, field.item_type or "any", enum=field.enum, constraints=inner)
        return [_sample(item)] * max(1, int(field.constraints.get("minItems", 1)))
    if field.enum:
        return field.enum[0]
    if field.type == "string":
        if field.constraints.get("format") == "uri":
            return "https://example.test/a.png"
        if "pattern" in field.constraints:
            return "#a0b1c2" if "0-9A-Fa-f" in str(field.constraints["pattern"]) else "a"
        return "a" * max(1, int(field.constraints.get("minLength", 1)))
    if field.type in ("integer", "number"):
        low = field.constraints.get("minimum", field.constraints.get("exclusiveMinimum", 0))
        value = int(low) + 1
        high = field.constraints.get("maximum")
        return min(value, high) if high is not None else value
    return {"boolean": True, "object": {}}.get(field.type, "a")


CASES = [
    (name, op.id, field.name)
    for name, model in MODELS.items()
    for op in model.operations
    for field in model.input_fields(op)
]


@pytest.fixture(scope="module")
def annotations() -> dict[str, dict[str, dict[str, Any]]]:
    return {name: _annotations(model) for name, model in MODELS.items()}


def test_the_cases_cover_nullable_fields() -> None:
    nullable = [c for c in CASES if _field(*c).nullable]
    assert len({name for name, _, _ in nullable}) >= 3  # FastAPI, zod 3.0, Litestar
    assert len(CASES) > 150


def _field(document: str, operation: str, name: str) -> Field:
    model = MODELS[document]
    [field] = [f for f in model.input_fields(operation) if f.name == name]
    return field


@pytest.mark.parametrize(("document", "operation", "name"), CASES)
def test_wrapper_cli_and_sandbox_agree_on_the_field(
    annotations: dict[str, dict[str, dict[str, Any]]], document: str, operation: str, name: str
) -> None:
    model = MODELS[document]
    field = _field(document, operation, name)
    op = model.operation(operation)
    assert op is not None

    params = generate_wrappers.params_name(op)
    kind, enum, item, nullable = _kind_of(annotations[document][params][name])
    assert (kind, nullable) == (field.type, field.nullable)
    assert enum == (field.enum or None) and item == field.item_type

    info = operations_from_schema(model)[operation].field(name)
    assert info is not None
    seen = (info.type, info.item_type, info.enum, info.nullable, info.required)
    assert seen == (field.type, field.item_type, field.enum, field.nullable, field.required)

    sandbox = SandboxSchema(model)
    base = {f.name: _sample(f) for f in model.input_fields(operation) if f.required}

    def refused(value: Any) -> bool:
        body = {"operation": operation, "input": {**base, name: value}}
        return sandbox.validate_create(body) is not None

    if "object" not in (field.type, field.item_type):  # nested objects have their own fields
        assert not refused(_sample(field)), _sample(field)
    assert refused(None) is not field.nullable
    if field.type in WRONG:
        assert refused(WRONG[field.type])
