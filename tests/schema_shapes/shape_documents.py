"""Documents that describe the same Cannon Studio API in different valid ways (test data).

Each builder starts from the committed snapshot and rewrites only how the create body (or the
document format) is spelled, so the operations stay the same and expectations come from the
snapshot's own model. ``SHAPES`` lists them with what a client generated from each should offer.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from cannon_studio_schema import ApiSchema

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"
REF = "#/components/schemas/"
NEW_OPERATION = "video.denoise"
NEW_ENDPOINT = "/api/v1/models"


def snapshot() -> dict[str, Any]:
    """A fresh copy of the committed snapshot."""
    document: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return document


def _body_schema(doc: dict[str, Any]) -> dict[str, Any]:
    """The create body's schema as the snapshot writes it (test data: the snapshot's layout)."""
    model = ApiSchema(doc)
    assert model.create_body.name is not None
    schema: dict[str, Any] = doc["components"]["schemas"][model.create_body.name]
    return schema


def _set_body(doc: dict[str, Any], model: ApiSchema, schema: dict[str, Any]) -> None:
    """Write ``schema`` inline as the create body and drop the body component."""
    name = model.create_body.name
    post = doc["paths"][model.create_path]["post"]
    post["requestBody"]["content"]["application/json"]["schema"] = schema
    if name:
        del doc["components"]["schemas"][name]


def _inline(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with a top-level ``$ref`` replaced by a copy of its target."""
    if "$ref" in node:
        return copy.deepcopy(doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]])
    return copy.deepcopy(node)


def by_reference_one_of() -> dict[str, Any]:
    """The snapshot itself: a ``oneOf`` of named envelopes, with a discriminator mapping."""
    return snapshot()


def by_reference_any_of() -> dict[str, Any]:
    """The same union spelled ``anyOf``, without a discriminator."""
    doc = snapshot()
    body = _body_schema(doc)
    body["anyOf"] = body.pop("oneOf")
    body.pop("discriminator", None)
    return doc


def inline_union() -> dict[str, Any]:
    """The union inline in the path, each envelope and each input inline (no components)."""
    doc = snapshot()
    model = ApiSchema(doc)
    schemas = doc["components"]["schemas"]
    members = []
    for op in model.operations:
        envelope = _inline(doc, dict(op.envelope))
        envelope["properties"]["input"] = _inline(doc, envelope["properties"]["input"])
        envelope.pop("title", None)
        envelope["properties"]["input"].pop("title", None)
        members.append(envelope)
    for op in model.operations:
        schemas.pop(op.envelope_name or "", None)
        schemas.pop(op.input_name or "", None)
    _set_body(doc, model, {"oneOf": members, "discriminator": {"propertyName": "operation"}})
    return doc


def discriminator_mapping() -> dict[str, Any]:
    """Envelopes whose ``operation`` is a plain string: only the mapping names the operation."""
    doc = snapshot()
    model = ApiSchema(doc)
    for op in model.operations:
        assert op.envelope_name is not None
        envelope = doc["components"]["schemas"][op.envelope_name]
        envelope["properties"]["operation"] = {"type": "string", "description": "Operation id."}
    return doc


def all_of_envelopes() -> dict[str, Any]:
    """Envelopes composed with ``allOf``: a shared base (``webhook_url``) plus the tag and input."""
    doc = snapshot()
    model = ApiSchema(doc)
    schemas = doc["components"]["schemas"]
    base: dict[str, Any] = {"type": "object", "title": "EnvelopeBase", "properties": {}}
    for op in model.operations:
        assert op.envelope_name is not None
        envelope = schemas[op.envelope_name]
        base["properties"]["webhook_url"] = envelope["properties"].pop("webhook_url")
        own = {
            "type": "object",
            "required": envelope.pop("required"),
            "properties": envelope.pop("properties"),
        }
        envelope.pop("type", None)
        envelope["allOf"] = [{"$ref": REF + "EnvelopeBase"}, own]
    schemas["EnvelopeBase"] = base
    return doc


def flat_operation_enum() -> dict[str, Any]:
    """One envelope: ``operation`` an enum of ids, ``input`` a free-form object."""
    doc = snapshot()
    model = ApiSchema(doc)
    schemas = doc["components"]["schemas"]
    for op in model.operations:
        schemas.pop(op.envelope_name or "", None)
        schemas.pop(op.input_name or "", None)
    webhook = {"type": "string", "format": "uri", "description": "Terminal delivery URL."}
    _set_body(
        doc,
        model,
        {
            "type": "object",
            "title": "CreateBody",
            "required": ["operation", "input"],
            "properties": {
                "operation": {"type": "string", "enum": list(model.ids)},
                "input": {"type": "object", "additionalProperties": True},
                "webhook_url": webhook,
            },
        },
    )
    # Inputs shared by name (enums such as AspectRatio) may now be unused; that is valid.
    return doc


def _downgrade(node: Any) -> Any:
    """A 3.1 schema tree rewritten in OpenAPI 3.0 spelling (test data for the upgrade)."""
    if isinstance(node, list):
        return [_downgrade(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _downgrade(value) for key, value in node.items()}
    kind = out.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        out["type"] = rest[0]
        if "null" in kind:
            out["nullable"] = True
    for key in ("anyOf", "oneOf"):
        members = out.get(key)
        if isinstance(members, list) and {"type": "null"} in members:
            out[key] = [m for m in members if m != {"type": "null"}]
            out["nullable"] = True
    if "const" in out and not isinstance(out["const"], dict):
        out["enum"] = [out.pop("const")]
    if isinstance(out.get("examples"), list) and "properties" not in out.get("examples", []):
        examples = out.pop("examples")
        if examples and not isinstance(examples, dict):
            out["example"] = examples[0]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), int | float) and not isinstance(out.get(bound), bool):
            out[limit] = out.pop(bound)
            out[bound] = True
    return out


def openapi_30() -> dict[str, Any]:
    """The snapshot in OpenAPI 3.0.3 spelling (nullable, enum for const, example, no webhooks)."""
    doc = snapshot()
    doc["components"]["schemas"] = _downgrade(doc["components"]["schemas"])
    doc["openapi"] = "3.0.3"
    doc.pop("webhooks", None)
    return doc


def with_new_operation_and_endpoint() -> dict[str, Any]:
    """The snapshot plus a new operation (``video.denoise``) and a new endpoint."""
    doc = snapshot()
    schemas = doc["components"]["schemas"]
    body = _body_schema(doc)
    upscale = ApiSchema(doc).operation("video.upscale")
    assert upscale is not None and upscale.envelope_name and upscale.input_name
    envelope = copy.deepcopy(schemas[upscale.envelope_name])
    envelope["title"] = "VideoDenoiseEnvelope"
    envelope["description"] = "Denoise a hosted video (video.denoise). Credits: dynamic."
    envelope["x-cannon-display-name"] = "Denoise Video"
    envelope["properties"]["operation"] = {"type": "string", "const": NEW_OPERATION}
    envelope["properties"]["input"] = {"$ref": REF + "VideoDenoiseInput"}
    schemas["VideoDenoiseEnvelope"] = envelope
    schemas["VideoDenoiseInput"] = {
        "title": "VideoDenoiseInput",
        "type": "object",
        "description": "Input of video.denoise.",
        "required": ["video_url"],
        "properties": {
            "video_url": {"type": "string", "format": "uri", "description": "Hosted video."},
            "strength": {"type": "number", "minimum": 0, "maximum": 1, "description": "0-1."},
        },
    }
    body["oneOf"].append({"$ref": REF + "VideoDenoiseEnvelope"})
    body["discriminator"]["mapping"][NEW_OPERATION] = REF + "VideoDenoiseEnvelope"
    status = copy.deepcopy(doc["paths"]["/api/v1/status"])
    status["get"]["operationId"] = "listModels"
    status["get"]["summary"] = "List models"
    doc["paths"][NEW_ENDPOINT] = status
    return doc


@dataclass(frozen=True)
class Shape:
    """One way of writing the document.

    Attributes:
        name: test id.
        build: returns the document.
        suffix: file suffix to write it with (``.json`` or ``.yaml``).
        typed: whether the document names each operation's input (typed wrappers expected).
        extra_ops: operations beyond the snapshot's.
    """

    name: str
    build: Callable[[], dict[str, Any]]
    suffix: str = ".json"
    typed: bool = True
    extra_ops: tuple[str, ...] = ()

    def text(self) -> str:
        """The document as it would be served (JSON, or YAML for ``.yaml``)."""
        doc = self.build()
        if self.suffix == ".yaml":
            return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        return json.dumps(doc, indent=1)


SHAPES = (
    Shape("by-reference-oneOf", by_reference_one_of),
    Shape("by-reference-anyOf", by_reference_any_of),
    Shape("inline-union", inline_union),
    Shape("discriminator-mapping", discriminator_mapping),
    Shape("allOf-envelopes", all_of_envelopes),
    Shape("flat-operation-enum", flat_operation_enum, typed=False),
    Shape("openapi-3.0-yaml", openapi_30, suffix=".yaml"),
    Shape(
        "new-operation-and-endpoint", with_new_operation_and_endpoint, extra_ops=(NEW_OPERATION,)
    ),
)
