"""Edits of the schema snapshot that the drift check must detect, with the lines it must print.

Each edit keeps the document valid OpenAPI (the drift check validates before diffing). The
expected changes are (level, check id, subject), in report order.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NamedTuple


class Edit(NamedTuple):
    name: str
    mutate: Callable[[dict[str, Any]], None]
    expected: list[tuple[str, str, str]]


def schemas(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = doc["components"]["schemas"]
    return result


def add_operation(doc: dict[str, Any]) -> None:
    """A new ``video.restyle`` envelope, a copy of video.upscale's."""
    envelope = copy.deepcopy(schemas(doc)["VideoUpscaleEnvelope"])
    envelope["properties"]["operation"]["const"] = "video.restyle"
    envelope["properties"]["operation"]["default"] = "video.restyle"
    schemas(doc)["VideoRestyleEnvelope"] = envelope
    body = schemas(doc)["CreateRequestBody"]
    body["oneOf"].append({"$ref": "#/components/schemas/VideoRestyleEnvelope"})
    body["discriminator"]["mapping"]["video.restyle"] = "#/components/schemas/VideoRestyleEnvelope"


def remove_operation(doc: dict[str, Any]) -> None:
    body = schemas(doc)["CreateRequestBody"]
    body["oneOf"] = [
        v for v in body["oneOf"] if v["$ref"] != "#/components/schemas/VideoUpscaleEnvelope"
    ]
    del body["discriminator"]["mapping"]["video.upscale"]
    del schemas(doc)["VideoUpscaleEnvelope"]


def remove_input_field(doc: dict[str, Any]) -> None:
    del schemas(doc)["VideoGenerateInput"]["properties"]["seed"]


def require_input_field(doc: dict[str, Any]) -> None:
    schemas(doc)["VideoGenerateInput"]["required"].append("seed")


def retype_input_field(doc: dict[str, Any]) -> None:
    schemas(doc)["VideoGenerateInput"]["properties"]["seed"]["type"] = "string"


def add_response_enum_value(doc: dict[str, Any]) -> None:
    schemas(doc)["RequestStatus"]["enum"].append("cancelled")


def add_output_variant(doc: dict[str, Any]) -> None:
    schemas(doc)["AvatarOutput"] = {
        "type": "object",
        "title": "AvatarOutput",
        "properties": {
            "asset_type": {"const": "avatar", "type": "string"},
            "avatar_url": {"type": "string"},
        },
        "required": ["asset_type"],
    }
    schemas(doc)["RequestObject"]["properties"]["output"]["anyOf"].insert(
        0, {"$ref": "#/components/schemas/AvatarOutput"}
    )


def add_optional_input_field(doc: dict[str, Any]) -> None:
    schemas(doc)["MusicGenerateInput"]["properties"]["tempo_bpm"] = {
        "type": "integer",
        "minimum": 20,
    }


def rename_input_field(doc: dict[str, Any]) -> None:
    properties = schemas(doc)["VideoGenerateInput"]["properties"]
    properties["random_seed"] = properties.pop("seed")


def remove_request_enum_value(doc: dict[str, Any]) -> None:
    factor = schemas(doc)["UpscaleFactor"]
    factor["enum"].remove(4)
    factor["x-enum-varnames"].remove("X4")


def remove_endpoint(doc: dict[str, Any]) -> None:
    del doc["paths"]["/api/v1/status"]


def remove_idempotency_header(doc: dict[str, Any]) -> None:
    doc["paths"]["/api/v1/requests"]["post"]["parameters"] = []


def remove_bearer_scheme(doc: dict[str, Any]) -> None:
    del doc["components"]["securitySchemes"]["BearerAuth"]
    doc["security"] = [{"ApiKeyAuth": []}]
    for path_item in doc["paths"].values():
        for operation in path_item.values():
            operation["security"] = [s for s in operation["security"] if "BearerAuth" not in s]


def remove_retry_after(doc: dict[str, Any]) -> None:
    del doc["paths"]["/api/v1/requests"]["post"]["responses"]["429"]["headers"]["Retry-After"]


def narrow_response_required(doc: dict[str, Any]) -> None:
    schemas(doc)["AcceptedRequest"]["required"].remove("poll_after_ms")


def new_response_field(doc: dict[str, Any]) -> None:
    schemas(doc)["RequestObject"]["properties"]["priority"] = {"type": "integer"}


def tighten_prompt(doc: dict[str, Any]) -> None:
    schemas(doc)["MusicGenerateInput"]["properties"]["prompt"]["maxLength"] = 2000


def deprecate_operation(doc: dict[str, Any]) -> None:
    schemas(doc)["VideoUpscaleEnvelope"]["deprecated"] = True


# The seven edits the first drift check was built for, then more of what the report classifies.
# Each expected change is (level, check id, subject).
REQUIRED_EDITS = [
    Edit("added operation", add_operation, [("info", "cannon-operation-added", "video.restyle")]),
    Edit(
        "removed operation",
        remove_operation,
        [("breaking", "cannon-operation-removed", "video.upscale")],
    ),
    Edit(
        "removed input field",
        remove_input_field,
        [("warning", "request-property-removed", "video.generate.input.seed")],
    ),
    Edit(
        "newly required field",
        require_input_field,
        [("breaking", "request-property-became-required", "video.generate.input.seed")],
    ),
    Edit(
        "retyped field",
        retype_input_field,
        [("breaking", "request-property-type-changed", "video.generate.input.seed")],
    ),
    Edit(
        "new enum value in a response",
        add_response_enum_value,
        [("warning", "response-property-enum-value-added", "RequestStatus")],
    ),
    Edit(
        "new output variant",
        add_output_variant,
        [("warning", "response-property-any-of-added", "RequestObject.output")],
    ),
]

MORE_EDITS = [
    Edit(
        "new optional input field",
        add_optional_input_field,
        [("info", "new-optional-request-property", "music.generate.input.tempo_bpm")],
    ),
    Edit(
        "renamed input field",
        rename_input_field,
        [
            ("warning", "request-property-removed", "video.generate.input.seed"),
            ("info", "new-optional-request-property", "video.generate.input.random_seed"),
        ],
    ),
    Edit(
        "removed endpoint",
        remove_endpoint,
        [("breaking", "api-path-removed-without-deprecation", "GET /api/v1/status")],
    ),
    Edit(
        "removed idempotency header",
        remove_idempotency_header,
        [
            (
                "warning",
                "request-parameter-removed",
                "POST /api/v1/requests header x-idempotency-key",
            )
        ],
    ),
    Edit(
        "removed Retry-After",
        remove_retry_after,
        [
            (
                "warning",
                "optional-response-header-removed",
                "POST /api/v1/requests 429 header retry-after",
            )
        ],
    ),
    Edit(
        "response field no longer required",
        narrow_response_required,
        [("breaking", "response-property-became-optional", "AcceptedRequest.poll_after_ms")],
    ),
    Edit(
        "new response field",
        new_response_field,
        [("info", "response-optional-property-added", "RequestObject.priority")],
    ),
    Edit(
        "tighter prompt limit",
        tighten_prompt,
        [("breaking", "request-property-max-length-decreased", "music.generate.input.prompt")],
    ),
    Edit(
        "removed request enum value",
        remove_request_enum_value,
        [
            (
                "breaking",
                "request-property-enum-value-removed",
                "video.upscale.input.upscale_factor",
            )
        ],
    ),
    Edit(
        "removed security scheme",
        remove_bearer_scheme,
        [
            ("info", "api-security-removed", "GET /api/v1/openapi"),
            ("info", "api-security-removed", "POST /api/v1/requests"),
            ("info", "api-security-removed", "GET /api/v1/requests/{requestId}"),
            ("info", "api-security-removed", "GET /api/v1/status"),
            ("info", "api-security-component-removed", "BearerAuth"),
        ],
    ),
    Edit(
        "deprecated operation",
        deprecate_operation,
        [("info", "cannon-operation-deprecated", "video.upscale")],
    ),
]
