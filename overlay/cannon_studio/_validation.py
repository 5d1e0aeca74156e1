"""Client-side input validation against the embedded schema, before anything is sent.

Two checks, both answered by ``cannon_studio_schema`` (the one reader of the schema):

1. **Unknown fields** (strict inputs): every key of the input, at every depth the schema
   describes, must be declared there. ``aspectRatio`` for ``aspect_ratio`` is refused with a
   ``difflib`` suggestion (``unknown field 'aspectRatio' for video.generate; did you mean
   'aspect_ratio'?``). The schema's input objects leave ``additionalProperties`` open, so this
   is the client's decision. Assumed: the live API ignores (does not reject) unknown input
   fields and runs the job with defaults, so a typo would be charged; fields newer than the
   schema go through ``extra_input=``, unchecked.
2. **The schema itself**: ``jsonschema`` (Draft 2020-12, ``FormatChecker`` so ``format: uri`` is
   checked through ``rfc3986-validator``) against the operation's envelope.

A failure raises ``InputValidationError`` naming the operation, the field as a JSON path
(``input.aspect_ratio``) and, for enums and unknown names, the allowed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ._errors import InputValidationError
from ._operations import OperationSpec, registry

if TYPE_CHECKING:
    from cannon_studio_schema import UnknownField
    from jsonschema.exceptions import ValidationError


class JsonBody:
    """A create body ready to send: the generated ``create_request`` calls ``to_dict()``.

    The body is plain JSON so that every shape of schema (named, inline or flat envelopes) and
    every ``extra_input`` field is sent exactly as validated.
    """

    __slots__ = ("_body",)

    def __init__(self, body: Mapping[str, Any]) -> None:
        self._body = dict(body)

    def to_dict(self) -> dict[str, Any]:
        """The JSON body ``{operation, input, webhook_url?}`` (a shallow copy)."""
        return dict(self._body)

    def __repr__(self) -> str:
        return f"JsonBody(operation={self._body.get('operation')!r})"


def resolve_operation(operation: str) -> OperationSpec:
    """The spec of ``operation``; ``InputValidationError`` listing the known ids otherwise."""
    spec = registry().get(operation) if isinstance(operation, str) else None
    if spec is None:
        known = registry().ids()
        from cannon_studio_schema import suggest  # deferred (docs/architecture.md)

        close = suggest(operation, known) if isinstance(operation, str) else None
        hint = f" (did you mean {close!r}?)" if close else ""
        raise InputValidationError(
            f"unknown operation {operation!r}{hint}; known operations: {', '.join(known)}; "
            "pass validate=False to send an operation the schema does not know",
            operation=str(operation),
            field="operation",
            allowed=known,
        )
    return spec


def check_unknown_fields(spec: OperationSpec, data: Mapping[str, Any]) -> None:
    """Refuse input keys the schema does not declare, at every depth it describes.

    Raises:
        InputValidationError: ``field`` is the first unknown key as a JSON path
            (``input.aspectRatio``), ``allowed`` the names declared there, the message names
            the closest declared one; every unknown key is in ``errors``.
    """
    op = spec.schema
    if op is None or op.input is None:
        return
    from cannon_studio_schema import embedded  # deferred, as above

    unknown = embedded().unknown_fields(op.input, data)
    if not unknown:
        return
    first = unknown[0]
    hint = f"; did you mean {first.suggested_path!r}?" if first.suggested_path else ""
    extra = f" (and {len(unknown) - 1} more unknown field(s))" if len(unknown) > 1 else ""
    raise InputValidationError(
        f"unknown field {first.dotted!r} for {spec.id}{hint}{extra} "
        "(fields newer than the schema go in extra_input=)",
        operation=spec.id,
        field=f"input.{first.dotted}",
        allowed=list(first.allowed),
        errors=[(f"input.{u.dotted}", _not_declared(u)) for u in unknown],
    )


def _not_declared(field: UnknownField) -> str:
    """One unknown field's message in ``errors``: with its suggestion, as the summary has it."""
    hint = f"; did you mean {field.suggested_path!r}?" if field.suggested_path else ""
    return f"is not a field of the schema{hint}"


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
    """Validate ``{operation, input, webhook_url?}`` against the operation's envelope schema.

    Raises:
        InputValidationError: with ``operation``, ``field`` (JSON path), ``allowed`` (enums) and
            every problem in ``errors``. Nothing has been sent when it is raised.
    """
    pointer = spec.schema.envelope_pointer if spec.schema is not None else None
    if pointer is None:
        return
    from cannon_studio_schema import embedded  # deferred, as above

    errors = list(embedded().validator(pointer).iter_errors(envelope))
    if not errors:
        return
    # Deferred like the validator itself (jsonschema loads on the first create, not on import).
    from jsonschema.exceptions import best_match

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


def _input_data(operation: str, spec: OperationSpec | None, input: Any) -> dict[str, Any]:
    expected_name = spec.input_name if spec is not None else None
    if hasattr(input, "to_dict") and not isinstance(input, Mapping):
        expected = spec.input_model if spec is not None else None
        if expected is not None and not isinstance(input, expected):
            raise InputValidationError(
                f"{operation}: input is a {type(input).__name__}, expected {expected_name} "
                "or a mapping",
                operation=operation,
                field="input",
            )
        data = input.to_dict()
        if isinstance(data, Mapping):
            return dict(data)
    elif isinstance(input, Mapping):
        return dict(input)
    wanted = f"a mapping or {expected_name}" if expected_name else "a mapping"
    raise InputValidationError(
        f"{operation}: input must be {wanted}, not {type(input).__name__}",
        operation=operation,
        field="input",
    )


def build_envelope(
    operation: str,
    input: Mapping[str, Any] | Any,
    webhook_url: str | None,
    *,
    extra_input: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> tuple[OperationSpec | None, JsonBody]:
    """Validate and build the body of a create (nothing is sent here).

    Args:
        operation: operation id.
        input: a mapping in the API's JSON spelling, or a generated ``<Cls>Input`` model.
        webhook_url: optional absolute URL for terminal delivery.
        extra_input: fields added to ``input`` after validation, unchecked (for fields newer
            than the schema); a key also present in ``input`` is refused.
        validate: ``False`` skips every client-side check, so an operation id the schema does
            not know can be sent (explicit opt-in; the server decides).

    Returns:
        ``(spec, body)``: the registry entry (``None`` for an unknown id sent with
        ``validate=False``) and the JSON body to send.

    Raises:
        InputValidationError: unknown operation or field, invalid input, or ``extra_input``
            repeating an input key. Nothing has been sent.
    """
    spec = resolve_operation(operation) if validate else registry().get(operation)
    op_id = spec.id if spec is not None else str(operation)
    data = _input_data(op_id, spec, input)
    body: dict[str, Any] = {"operation": op_id, "input": data}
    if webhook_url is not None:
        body["webhook_url"] = webhook_url
    if validate and spec is not None:
        check_unknown_fields(spec, data)
        validate_envelope(spec, body)
    if extra_input:
        if not isinstance(extra_input, Mapping):
            raise InputValidationError(
                f"{op_id}: extra_input must be a mapping, not {type(extra_input).__name__}",
                operation=op_id,
                field="extra_input",
            )
        clash = sorted(str(k) for k in extra_input if k in data)
        if clash:
            raise InputValidationError(
                f"{op_id}: extra_input repeats input field(s) {', '.join(clash)}",
                operation=op_id,
                field=f"extra_input.{clash[0]}",
            )
        body["input"] = {**data, **extra_input}
    return spec, JsonBody(body)
