"""The OpenAPI document the sandbox implements, and request validation against it.

Validation is jsonschema (Draft 2020-12, formats checked) against the schema's own components;
``$ref`` values resolve through a ``referencing`` registry built from the document. No field is
checked by hand: the only code here picks the envelope by ``operation`` and turns the validator's
best error into the error envelope ``{error, code, field, allowed}``.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_BASE_URI = "urn:cannon-studio:openapi"

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

    Found with ``importlib.util.find_spec`` so that no client code is imported.

    Raises:
        FileNotFoundError: the package or its schema file is missing.
    """
    spec = importlib.util.find_spec("cannon_studio_api")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / "openapi.json"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "cannot find cannon_studio_api/openapi.json; pass SandboxConfig(schema_path=...)"
    )


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
    """The loaded OpenAPI document plus one compiled validator per operation envelope.

    Args:
        document: the parsed OpenAPI 3.1 document.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._registry: Registry[Any] = Registry().with_resource(
            _BASE_URI, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self._format_checker = FormatChecker()
        body = document["components"]["schemas"]["CreateRequestBody"]
        mapping: dict[str, str] = body["discriminator"]["mapping"]
        order = [item["$ref"] for item in body.get("oneOf", [])]
        ops = sorted(
            mapping, key=lambda op: order.index(mapping[op]) if mapping[op] in order else 99
        )
        self.envelopes: dict[str, str] = {op: mapping[op].rsplit("/", 1)[-1] for op in ops}
        self._validators = {op: self._validator(name) for op, name in self.envelopes.items()}

    @classmethod
    def load(cls, path: Path | None = None) -> ApiSchema:
        """Load the document from ``path`` (default: :func:`locate_schema`)."""
        source = path or locate_schema()
        return cls(json.loads(source.read_text(encoding="utf-8")))

    @cached_property
    def raw_bytes(self) -> bytes:
        """The document as compact JSON bytes (served by ``GET /api/v1/openapi``)."""
        return json.dumps(self.document, separators=(",", ":")).encode()

    @property
    def operations(self) -> list[str]:
        """The operation ids, in schema order."""
        return list(self.envelopes)

    def component(self, name: str) -> dict[str, Any]:
        """One schema of ``components.schemas``."""
        result: dict[str, Any] = self.document["components"]["schemas"][name]
        return result

    def envelope_extension(self, operation: str, key: str) -> Any:
        """An ``x-cannon-*`` extension of an operation's envelope (``None`` when absent)."""
        return self.component(self.envelopes[operation]).get(key)

    def _validator(self, component: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{_BASE_URI}#/components/schemas/{component}"},
            registry=self._registry,
            format_checker=self._format_checker,
        )

    def validator_for(self, component: str) -> Draft202012Validator:
        """A validator for any component (used by tests to check responses)."""
        return self._validator(component)

    @cached_property
    def _key_validator(self) -> Draft202012Validator | None:
        params = self.document["paths"]["/api/v1/requests"]["post"].get("parameters", [])
        for param in params:
            if param.get("in") == "header" and param.get("name", "").lower() == "x-idempotency-key":
                return Draft202012Validator(
                    param.get("schema", {}),
                    registry=self._registry,
                    format_checker=self._format_checker,
                )
        return None

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
        if not isinstance(operation, str) or operation not in self._validators:
            shown = "missing" if operation is None else repr(operation)
            return InvalidBody(
                400,
                "unknown_operation",
                f"unknown operation ({shown}); use one of the allowed operation ids",
                field="operation",
                allowed=self.operations,
            )
        error = best_match(self._validators[operation].iter_errors(body))
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
