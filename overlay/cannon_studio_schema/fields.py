"""One description of an input field, read by everything that types or checks a field.

:class:`Field` is made from the canonical form of the document (one spelling per nullable or
enum, :mod:`cannon_studio_schema.canonical`), so ``anyOf: [X, {type: null}]``, ``nullable: true``
and ``type: [X, "null"]`` give the same field. The typed wrappers (``scripts/generate_wrappers.py``)
take :meth:`Field.python_type`, the CLI takes the type, enum and constraints for its options, and
the tests check that the sandbox's validators accept and refuse what the field says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .resolver import Resolver

JSON_TYPES = ("string", "integer", "number", "boolean", "object", "array")
"""The JSON types a field may have; ``any`` when the schema gives none usable."""

PYTHON_TYPES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "object": "Mapping[str, Any]",
    "any": "Any",
}

CONSTRAINT_KEYS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "format",
    "pattern",
)
"""The bounds a field may carry (as the schema gives them)."""


def _python_literal(value: Any) -> str | None:
    """``repr`` of a string, integer or boolean enum value; ``None`` for any other value."""
    return repr(value) if isinstance(value, str | int | bool) else None


@dataclass(frozen=True)
class Field:
    """One input field of an operation, as the canonical form describes it.

    Attributes:
        name: the field name as the API spells it (``aspect_ratio``, ``aspectRatio``).
        type: the JSON type (:data:`JSON_TYPES`), or ``any`` when the schema gives none.
        item_type: for arrays, the type of one item (same vocabulary), else ``None``.
        nullable: ``null`` is an allowed value (for arrays: of the array itself).
        required: the input lists the field under ``required``.
        enum: the closed set of allowed values (for arrays: of one item; ``null`` never in it),
            else ``None``.
        constraints: bounds, format and pattern as the schema gives them
            (:data:`CONSTRAINT_KEYS`; for arrays also ``items.format``/``items.pattern``).
        description: the schema's description (may say "Assumed:").
        default: the schema's default (``has_default`` says whether there is one).
        has_default: the schema gives a default.
        deprecated: the field is ``deprecated: true``.
        examples: known values (``examples``), may be empty.
    """

    name: str
    type: str
    item_type: str | None = None
    nullable: bool = False
    required: bool = False
    enum: tuple[Any, ...] | None = None
    constraints: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    default: Any = None
    has_default: bool = False
    deprecated: bool = False
    examples: tuple[Any, ...] = ()

    def python_type(self, literal: Callable[[Any], str | None] = _python_literal) -> str:
        """The Python annotation text: ``str | None``, ``Literal['16:9', '9:16']``,
        ``Sequence[str]``, ``Mapping[str, Any]`` or ``Any``.

        Args:
            literal: writes one enum value as Python source, or ``None`` when it cannot be in
                a ``Literal`` (then the field's plain type is used); code generators pass
                their escaping function.
        """
        if self.type == "array":
            text = f"Sequence[{_scalar(self.item_type or 'any', self.enum, literal)}]"
        else:
            text = _scalar(self.type, self.enum, literal)
        return f"{text} | None" if self.nullable and text != "Any" else text


class HasResolver(Protocol):
    """What a ``Field`` is read through: a schema model's resolver (``ApiSchema`` has one).
    A protocol, not ``ApiSchema`` itself, so that this module stays below ``model``."""

    @property
    def resolver(self) -> Resolver: ...


def _scalar(kind: str, enum: tuple[Any, ...] | None, literal: Callable[[Any], str | None]) -> str:
    values = [literal(value) for value in enum or ()]
    if values and all(value is not None for value in values):
        return "Literal[" + ", ".join(str(value) for value in values) + "]"
    return PYTHON_TYPES.get(kind, "Any")


def _non_null(model: HasResolver, node: Any) -> tuple[dict[str, Any], bool]:
    """The schema ``node`` admits besides ``null``, references followed, and whether ``null``
    is admitted. Annotations of the outer schema win over the target's."""
    merged: dict[str, Any] = {}
    nullable = False
    current: Any = node
    for _ in range(16):  # nullable unions nest shallowly; the bound only guards cycles
        flat = dict(model.resolver.flatten(current).schema)
        merged = {**flat, **merged}
        kind = merged.get("type")
        if isinstance(kind, list) and "null" in kind:
            nullable = True
            rest = [k for k in kind if k != "null"]
            merged["type"] = rest[0] if len(rest) == 1 else rest
        variants = merged.get("anyOf") or merged.get("oneOf")
        if isinstance(variants, list):
            kept = [v for v in variants if not (isinstance(v, Mapping) and v.get("type") == "null")]
            if len(kept) < len(variants):
                nullable = True
            if len(kept) == 1:
                merged.pop("anyOf", None)
                merged.pop("oneOf", None)
                current = kept[0]
                continue
        break
    return merged, nullable


def _kind(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, str) and kind in JSON_TYPES:
        return kind
    values = schema.get("enum")
    if values is None and "const" in schema:
        values = [schema["const"]]
    if isinstance(values, list) and values:
        if all(isinstance(v, bool) for v in values):
            return "boolean"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return "integer"
        if all(isinstance(v, str) for v in values):
            return "string"
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    return "any"


def _enum(schema: Mapping[str, Any]) -> tuple[Any, ...] | None:
    if isinstance(schema.get("enum"), list):
        return tuple(v for v in schema["enum"] if v is not None)
    if "const" in schema and schema["const"] is not None:
        return (schema["const"],)
    return None


def field_of(model: HasResolver, name: str, node: Any, *, required: bool) -> Field:
    """The :class:`Field` of one input property.

    Args:
        model: the schema model holding the document.
        name: the property name (API spelling).
        node: the property's schema node as written in the document.
        required: whether the input requires the field.
    """
    schema, nullable = _non_null(model, node)
    kind = _kind(schema)
    item_type: str | None = None
    enum_source = schema
    constraints = {key: schema[key] for key in CONSTRAINT_KEYS if key in schema}
    if kind == "array":
        items, _ = _non_null(model, schema.get("items", {}))
        item_type = _kind(items)
        enum_source = items
        constraints.update({f"items.{k}": items[k] for k in ("format", "pattern") if k in items})
    examples = schema.get("examples")
    return Field(
        name=name,
        type=kind,
        item_type=item_type,
        nullable=nullable,
        required=required,
        enum=_enum(enum_source),
        constraints=constraints,
        description=str(schema.get("description") or ""),
        default=schema.get("default"),
        has_default="default" in schema,
        deprecated=bool(schema.get("deprecated", False)),
        examples=tuple(examples) if isinstance(examples, list) else (),
    )


__all__ = ["CONSTRAINT_KEYS", "JSON_TYPES", "PYTHON_TYPES", "Field", "field_of"]
