"""cannon_studio_schema: the one door to the Cannon Studio OpenAPI document.

Every consumer (the client's registry, validation and generated wrappers, the CLI, the sandbox,
the drift check, the cassette recorder and the tests) asks this package about operations; none
walks the document or follows a ``$ref`` itself. It imports neither ``cannon_studio`` nor the
sandbox, so both can stand on it.

- :class:`ApiSchema`: load (JSON or YAML, OpenAPI 3.0.x or 3.1.x) and query the operation model
  (:class:`Operation`), the request object, the error body, the webhook event, validators and
  declared fields (:meth:`ApiSchema.unknown_fields`).
- :func:`embedded`: the model of the snapshot shipped in ``cannon_studio_api``.
- :func:`canonical_spelling`: one spelling per constraint (nullable styles, enums written as
  unions of values, 3.0 keywords), so equal meanings are equal JSON.
- :class:`Field`: one input field (type, nullability, enum, constraints, default...), made
  from the canonical form (:meth:`ApiSchema.input_fields`); wrappers, CLI and tests read it.
- :func:`normalise` / :func:`snapshot_text`: the committed snapshot format.
- :class:`Resolver`: reference resolution (``referencing``) for code that compares schemas.
- :class:`SchemaError`: the one error raised; its text is one sentence for the user.
"""

from .canonical import canonical_spelling, schema_spelling
from .errors import SchemaError
from .fields import Field
from .model import (
    CREATE_PATH,
    ApiSchema,
    Component,
    Operation,
    UnknownField,
    class_stem,
    dotted,
    embedded,
    embedded_schema_path,
    suggest,
)
from .normalise import normalise, snapshot_text
from .resolver import BASE_URI, Resolved, Resolver, component_pointer
from .source import parse_text, read_file
from .upgrade import upgrade

__all__ = [
    "BASE_URI",
    "CREATE_PATH",
    "ApiSchema",
    "Component",
    "Field",
    "Operation",
    "Resolved",
    "Resolver",
    "SchemaError",
    "UnknownField",
    "canonical_spelling",
    "class_stem",
    "component_pointer",
    "dotted",
    "embedded",
    "embedded_schema_path",
    "normalise",
    "parse_text",
    "read_file",
    "schema_spelling",
    "snapshot_text",
    "suggest",
    "upgrade",
]
