"""Operations and their input fields, read from the schema the client was generated from.

The source is the operation model of ``cannon_studio_schema`` (by default the snapshot embedded
in the generated package): each operation's id, ``x-cannon-*`` facts and declared input fields
(the schema's :class:`cannon_studio_schema.Field`, the same the typed wrappers are typed from),
whatever shape the schema gives the create body. An operation whose input the schema does not
describe has no fields (``--input JSON`` still works). Nothing here talks to the network.

Field names keep the API's spelling (``aspect_ratio`` for media operations, ``aspectRatio`` for
``prompt.enhance.*``); the command-line flag is always kebab-case (``--aspect-ratio``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from functools import cache
from typing import Any

from cannon_studio_schema import ApiSchema, Field, embedded

from .._operations import build_registry

__all__ = [
    "FieldInfo",
    "FieldValueError",
    "OperationInfo",
    "convert_value",
    "flag_for",
    "load_operations",
]

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class FieldValueError(ValueError):
    """A command-line value that does not fit its field's schema type.

    Attributes:
        field: the input field name in the API's spelling (``aspect_ratio``).
        allowed: the allowed values when the field is an enum, else ``None``.
    """

    def __init__(self, field: str, message: str, allowed: list[Any] | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.allowed = allowed


@dataclass(frozen=True)
class FieldInfo:
    """One input field of an operation: the schema's :class:`cannon_studio_schema.Field` plus
    what the command line adds (the flag).

    Attributes:
        name: the field name as the API spells it (``aspect_ratio``, ``aspectRatio``).
        type: JSON-schema type: ``string``, ``integer``, ``number``, ``boolean``, ``object``,
            ``array`` or ``any`` (no usable type in the schema).
        item_type: for arrays, the type of one item (same vocabulary), else ``None``.
        required: the schema lists the field under ``required``.
        nullable: ``null`` is an allowed value (pass ``--input`` JSON to send it).
        enum: the closed set of allowed values (for arrays: of one item), else ``None``.
        examples: known values of an open field (``examples`` in the schema), may be empty.
        description: the schema's description (may mention "Assumed:").
        constraints: numeric and length bounds, format and pattern, as the schema gives them
            (``minimum``, ``maximum``, ``exclusiveMinimum``, ``minLength``, ``maxLength``,
            ``minItems``, ``format``, ``pattern``).
    """

    name: str
    type: str
    item_type: str | None = None
    required: bool = False
    nullable: bool = False
    enum: tuple[Any, ...] | None = None
    examples: tuple[Any, ...] = ()
    description: str = ""
    constraints: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_field(cls, described: Field) -> FieldInfo:
        """The command line's view of a schema :class:`~cannon_studio_schema.Field`."""
        return cls(
            name=described.name,
            type=described.type,
            item_type=described.item_type,
            required=described.required,
            nullable=described.nullable,
            enum=described.enum,
            examples=described.examples,
            description=described.description,
            constraints=dict(described.constraints),
        )

    @property
    def flag(self) -> str:
        """The command-line option for this field, e.g. ``--aspect-ratio``."""
        return flag_for(self.name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (used by ``operations --json``)."""
        keys = ("name", "flag", "type", "item_type", "required", "nullable", "enum", "examples")
        return _json_dict(self, (*keys, "description", "constraints"))


@dataclass(frozen=True)
class OperationInfo:
    """One operation of ``POST /api/v1/requests``, as the schema describes it.

    Attributes:
        id: operation id, e.g. ``image.generate``.
        display_name: ``x-cannon-display-name`` (e.g. "Generate Image").
        group: ``x-cannon-group``: generation, prompting, audio or post_production.
        credits: ``x-cannon-credits``: ``"1"`` or ``"dynamic"``.
        output: ``x-cannon-output``: the output component name (``ImageOutput``...).
        deprecated: the envelope is marked ``deprecated`` (sora2.video.remix).
        assumed: ``x-cannon-assumed``: the docs have no page for this operation.
        description: the envelope description (summary, credits and docs link).
        fields: the input fields in schema order.
    """

    id: str
    display_name: str
    group: str
    credits: str
    output: str
    deprecated: bool
    assumed: bool
    description: str
    fields: tuple[FieldInfo, ...]

    @property
    def fields_required_first(self) -> tuple[FieldInfo, ...]:
        """The fields with the required ones first (display order; otherwise schema order)."""
        return tuple(sorted(self.fields, key=lambda f: not f.required))

    def field(self, name: str) -> FieldInfo | None:
        """The field called ``name`` (API spelling), or ``None``."""
        return next((f for f in self.fields if f.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (used by ``operations --json``)."""
        return _json_dict(self, tuple(f.name for f in dataclass_fields(self)))


def _json_ready(value: Any) -> Any:
    """An attribute of a ``FieldInfo``/``OperationInfo`` as JSON: tuples as lists, mappings as
    dicts, infos as their ``to_dict()``."""
    if isinstance(value, FieldInfo | OperationInfo):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_json_ready(item) for item in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _json_dict(info: FieldInfo | OperationInfo, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: _json_ready(getattr(info, key)) for key in keys}


def flag_for(name: str) -> str:
    """The kebab-case option for a field name: ``aspect_ratio`` and ``aspectRatio`` -> ``--aspect-ratio``."""
    return "--" + _CAMEL_BOUNDARY.sub("-", name).replace("_", "-").lower()


def operations_from_schema(schema: ApiSchema | Mapping[str, Any]) -> dict[str, OperationInfo]:
    """Every operation of the schema, keyed by id, in schema order.

    The operation-level facts (id, extensions, deprecation) come from the overlay's registry
    (``cannon_studio._operations.build_registry``); the input fields from the schema model.

    Args:
        schema: a ``cannon_studio_schema.ApiSchema`` or a parsed OpenAPI document.

    Returns:
        ``{operation id: OperationInfo}``.

    Raises:
        cannon_studio_schema.SchemaError: the document cannot be modelled.
    """
    model = schema if isinstance(schema, ApiSchema) else ApiSchema(schema)
    operations: dict[str, OperationInfo] = {}
    for spec in build_registry(model):
        operations[spec.id] = OperationInfo(
            id=spec.id,
            display_name=spec.display_name,
            group=spec.group,
            credits=spec.credits,
            output=spec.output_name or "",
            deprecated=spec.deprecated,
            assumed=spec.assumed,
            description=spec.description,
            fields=tuple(FieldInfo.from_field(f) for f in model.input_fields(spec.id)),
        )
    return operations


@cache
def load_operations() -> dict[str, OperationInfo]:
    """The operations of the schema embedded in ``cannon_studio_api`` (parsed once, cached).

    Returns:
        ``{operation id: OperationInfo}`` in schema order (do not mutate).
    """
    return operations_from_schema(embedded())


def _convert_scalar(info: FieldInfo, kind: str, raw: str) -> Any:
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            number = float(raw)
            return int(number) if number.is_integer() and "." not in raw else number
        if kind == "boolean":
            lowered = raw.strip().lower()
            if lowered in ("true", "1", "yes", "y", "on"):
                return True
            if lowered in ("false", "0", "no", "n", "off"):
                return False
            raise ValueError(raw)
        if kind == "object":
            value = json.loads(raw)
            if not isinstance(value, dict):
                raise ValueError(raw)
            return value
        if kind == "any":
            try:
                return json.loads(raw)
            except json.JSONDecodeError:
                return raw
    except ValueError:
        expected = {
            "integer": "an integer",
            "number": "a number",
            "boolean": "true or false",
            "object": "a JSON object, e.g. '{\"key\": 1}'",
        }.get(kind, kind)
        raise FieldValueError(info.name, f"expected {expected}, got {raw!r}") from None
    return raw


def convert_value(info: FieldInfo, raw: str) -> Any:
    """Convert one command-line string to the field's JSON type (one item, for arrays).

    Integers, numbers and booleans are parsed; objects (and object items) are JSON text;
    enum values are matched by their text form and returned with their schema type
    (``--upscale-factor 2`` -> ``2``).

    Raises:
        FieldValueError: the text does not fit the type, or is not one of the enum values
            (``allowed`` then lists them).
    """
    kind = info.item_type if info.type == "array" else info.type
    if info.enum is not None:
        for allowed in info.enum:
            if raw == str(allowed) or (isinstance(allowed, str) and raw.lower() == allowed.lower()):
                return allowed
        choices = ", ".join(str(v) for v in info.enum)
        raise FieldValueError(
            info.name,
            f"{raw!r} is not one of: {choices}",
            list(info.enum),
        )
    return _convert_scalar(info, kind or "any", raw)
