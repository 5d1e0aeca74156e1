"""Client-side input validation against the embedded schema, before anything is sent.

Uses ``jsonschema`` (Draft 2020-12, with ``FormatChecker`` so ``format: uri`` is checked through
``rfc3986-validator``) and resolves the schema's ``$ref`` s with ``referencing``. Both are imported
on the first create only. A failure raises ``InputValidationError`` naming the operation, the
field as a JSON path (``input.aspect_ratio``) and, for enums, the allowed values.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ._errors import InputValidationError
from ._operations import OperationSpec, registry

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

_SCHEMA_URI = "urn:cannon-studio:openapi"


@functools.cache
def _validator(component: str) -> Validator:
    from cannon_studio_api._schema import load_schema
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    resource = DRAFT202012.create_resource(load_schema())
    refs: Registry[Any] = Registry().with_resource(_SCHEMA_URI, resource)
    schema = {"$ref": f"{_SCHEMA_URI}#/components/schemas/{component}"}
    validator: Validator = Draft202012Validator(
        schema, registry=refs, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return validator


def resolve_operation(operation: str) -> OperationSpec:
    """The spec of ``operation``; ``InputValidationError`` listing the known ids otherwise."""
    spec = registry().get(operation) if isinstance(operation, str) else None
    if spec is None:
        known = registry().ids()
        raise InputValidationError(
            f"unknown operation {operation!r}; known operations: {', '.join(known)}",
            operation=str(operation),
            field="operation",
            allowed=known,
        )
    return spec


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _field_and_message(error: ValidationError) -> tuple[str, str, list[Any] | None]:
    path = [str(part) for part in error.absolute_path]
    allowed: list[Any] | None = None
    if error.validator == "required" and isinstance(error.instance, Mapping):
        required = cast(list[str], error.validator_value)
        missing = [name for name in required if name not in error.instance]
        name = missing[0] if missing else "?"
        return ".".join([*path, name]), "is required but missing", None
    if error.validator == "additionalProperties":
        return ".".join(path) or "input", error.message, None
    where = ".".join(path) or "input"
    if error.validator == "enum":
        allowed = list(cast(list[Any], error.validator_value))
        return (
            where,
            f"{_short(error.instance)} is not one of the allowed values {allowed}",
            allowed,
        )
    if error.validator == "const":
        allowed = [error.validator_value]
        return where, f"must be {error.validator_value!r}", allowed
    if error.validator == "format":
        return where, f"{_short(error.instance)} is not a valid {error.validator_value}", None
    if error.validator == "maxLength":
        size = len(error.instance) if isinstance(error.instance, str | list) else "?"
        return where, f"is {size} characters long; at most {error.validator_value} allowed", None
    if error.validator == "type":
        return where, f"{_short(error.instance)} is not of type {error.validator_value!r}", None
    return where, error.message if len(error.message) <= 200 else error.message[:197] + "...", None


def validate_envelope(spec: OperationSpec, envelope: Mapping[str, Any]) -> None:
    """Validate ``{operation, input, webhook_url?}`` against ``<Cls>Envelope`` of the schema.

    Raises:
        InputValidationError: with ``operation``, ``field`` (JSON path), ``allowed`` (enums) and
            every problem in ``errors``. Nothing has been sent when it is raised.
    """
    from jsonschema.exceptions import best_match

    validator = _validator(spec.envelope_name)
    errors = list(validator.iter_errors(envelope))
    if not errors:
        return
    first = best_match(errors)
    field, message, allowed = _field_and_message(first)
    problems = [_field_and_message(err)[:2] for err in errors]
    extra = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    raise InputValidationError(
        f"{spec.id}: {field}: {message}{extra}",
        operation=spec.id,
        field=field,
        allowed=allowed,
        errors=problems,
    )


def build_envelope(
    operation: str, input: Mapping[str, Any] | Any, webhook_url: str | None
) -> tuple[OperationSpec, Any]:
    """Validate and build the generated envelope for a create (nothing is sent here).

    Args:
        operation: operation id.
        input: a mapping in the API's JSON spelling, or a generated ``<Cls>Input`` model.
        webhook_url: optional absolute URL for terminal delivery.

    Returns:
        ``(spec, envelope)`` where ``envelope`` is the generated ``<Cls>Envelope`` instance.
    """
    spec = resolve_operation(operation)
    if hasattr(input, "to_dict") and not isinstance(input, Mapping):
        expected = spec.input_model
        if expected is not None and not isinstance(input, expected):
            raise InputValidationError(
                f"{spec.id}: input is a {type(input).__name__}, expected {spec.input_name} "
                "or a mapping",
                operation=spec.id,
                field="input",
            )
        data: Any = input.to_dict()
    elif isinstance(input, Mapping):
        data = dict(input)
    else:
        raise InputValidationError(
            f"{spec.id}: input must be a mapping or {spec.input_name}, not {type(input).__name__}",
            operation=spec.id,
            field="input",
        )
    body: dict[str, Any] = {"operation": spec.id, "input": data}
    if webhook_url is not None:
        body["webhook_url"] = webhook_url
    validate_envelope(spec, body)
    envelope_cls = spec.envelope_model
    if envelope_cls is None:  # pragma: no cover - schema and models come from one generation
        raise InputValidationError(
            f"{spec.id}: no generated model {spec.envelope_name}", operation=spec.id
        )
    try:
        envelope = envelope_cls.from_dict(body)
    except (KeyError, TypeError, ValueError) as exc:  # pragma: no cover - schema already checked
        raise InputValidationError(
            f"{spec.id}: input does not fit {spec.input_name}: {exc}", operation=spec.id
        ) from exc
    return spec, envelope
