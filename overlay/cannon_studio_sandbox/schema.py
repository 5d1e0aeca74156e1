"""The OpenAPI document the sandbox implements, and request validation against it.

Everything about the document comes from ``cannon_studio_schema`` (the one reader of the schema,
shared with the client but importing nothing from it): which operations exist, which envelope
validates each, and compiled Draft 2020-12 validators (formats checked). No field is checked by
hand: the only code here picks the operation's validator and turns its best error into the error
envelope ``{error, code, field, allowed}``.

The sandbox accepts exactly what the schema allows. The schema's input objects leave
``additionalProperties`` open, so an input field the schema does not name is accepted here (and
ignored by the job). Assumed: the live API does the same (the docs say nothing); the client is
the one that refuses unknown fields, and ``extra_input=`` is how a caller sends them on purpose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import cannon_studio_schema
from cannon_studio_schema import CREATE_PATH, SchemaError, embedded_schema_path
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

# Validator keywords whose failure means "well-formed but not allowed" -> 422 (Assumed).
# Everything else (missing field, wrong type, malformed body) -> 400.
_SEMANTIC_KEYWORDS = frozenset(
    {
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minItems",
        "maxItems",
        "multipleOf",
    }
)


def locate_schema() -> Path:
    """Path of ``openapi.json`` inside the installed ``cannon_studio_api`` package.

    Found without importing any client code (``cannon_studio_schema.embedded_schema_path``).

    Raises:
        FileNotFoundError: the package or its schema file is missing.
    """
    try:
        return embedded_schema_path()
    except SchemaError as exc:
        raise FileNotFoundError(f"{exc} Pass SandboxConfig(schema_path=...).") from exc


@dataclass(frozen=True)
class InvalidBody:
    """A rejected create body: HTTP status (400 or 422) and the ErrorResponse fields."""

    status: int
    code: str
    message: str
    field: str | None = None
    allowed: list[Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """The ErrorResponse body."""
        body: dict[str, Any] = {"error": self.message, "code": self.code}
        if self.field is not None:
            body["field"] = self.field
        if self.allowed is not None:
            body["allowed"] = self.allowed
        return body


class ApiSchema:
    """The sandbox's view of the document: the schema model plus request validation.

    Args:
        model: the ``cannon_studio_schema.ApiSchema`` of the document to implement (any shape
            the schema module understands: JSON or YAML, OpenAPI 3.0 or 3.1).
    """

    def __init__(self, model: cannon_studio_schema.ApiSchema) -> None:
        self.model = model
        self.document = model.document

    @classmethod
    def load(cls, path: Path | None = None) -> ApiSchema:
        """Load the document from ``path`` (default: :func:`locate_schema`).

        Raises:
            FileNotFoundError: no schema at ``path`` / in the installed package.
            cannon_studio_schema.SchemaError: the document cannot be parsed or modelled.
        """
        source = path or locate_schema()
        if not Path(source).is_file():
            raise FileNotFoundError(f"no schema file at {source}")
        return cls(cannon_studio_schema.ApiSchema.from_file(source))

    @cached_property
    def raw_bytes(self) -> bytes:
        """The document as compact JSON bytes (served by ``GET /api/v1/openapi``)."""
        return json.dumps(self.document, separators=(",", ":")).encode()

    @property
    def operations(self) -> list[str]:
        """The operation ids, in schema order."""
        return list(self.model.ids)

    def component(self, name: str) -> dict[str, Any]:
        """One schema of ``components.schemas`` (references followed).

        Raises:
            KeyError: no such component.
        """
        found = self.model.component(name)
        if found is None:
            raise KeyError(name)
        return dict(found)

    def envelope_extension(self, operation: str, key: str) -> Any:
        """An ``x-cannon-*`` fact of an operation (``None`` when absent or unknown)."""
        op = self.model.operation(operation)
        return op.extensions.get(key) if op is not None else None

    def validator_for(self, component: str) -> Draft202012Validator:
        """A validator for any component (used by tests to check responses)."""
        return self.model.component_validator(component)

    @cached_property
    def _key_validator(self) -> Draft202012Validator | None:
        param = self.model.parameter(CREATE_PATH, "post", "x-idempotency-key", "header")
        if param is None or param.pointer is None:
            return None
        return self.model.validator(param.pointer)

    def validate_idempotency_key(self, value: str) -> InvalidBody | None:
        """Validate the ``x-idempotency-key`` header against its parameter schema (400 if bad)."""
        validator = self._key_validator
        problem = best_match(validator.iter_errors(value)) if validator is not None else None
        if problem is None:
            return None
        return InvalidBody(
            400,
            "validation_error",
            f"x-idempotency-key: {problem.message[:200]}",
            field="x-idempotency-key",
        )

    def validate_create(self, body: Any) -> InvalidBody | None:
        """Validate a parsed create body; ``None`` when valid.

        The envelope is chosen by ``operation`` first; an unknown or missing operation is 400
        ``unknown_operation`` with the allowed operation ids.
        """
        if not isinstance(body, dict):
            return InvalidBody(400, "validation_error", "request body must be a JSON object")
        operation = body.get("operation")
        op = self.model.operation(operation) if isinstance(operation, str) else None
        if op is None:
            shown = "missing" if operation is None else repr(operation)
            return InvalidBody(
                400,
                "unknown_operation",
                f"unknown operation ({shown}); use one of the allowed operation ids",
                field="operation",
                allowed=self.operations,
            )
        pointer = op.envelope_pointer or self.model.create_body.pointer
        if pointer is None:
            return None
        error = best_match(self.model.validator(pointer).iter_errors(body))
        if error is None:
            return None
        return _to_invalid(error)


def _json_path(path: list[str | int]) -> str | None:
    """``["input", "urls", 0]`` -> ``input.urls[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or None


def _to_invalid(error: ValidationError) -> InvalidBody:
    path: list[str | int] = list(error.absolute_path)
    allowed: list[Any] | None = None
    value: Any = error.validator_value
    if error.validator == "required" and isinstance(value, list):
        instance: Any = error.instance
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        if missing:
            path.append(missing[0])
    elif error.validator == "enum" and isinstance(value, list):
        allowed = list(value)
    elif error.validator == "const":
        allowed = [value]
    field = _json_path(path)
    status = 422 if error.validator in _SEMANTIC_KEYWORDS else 400
    where = field or "body"
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return InvalidBody(status, "validation_error", f"{where}: {message}", field, allowed)
