"""The drift engine (cannon_studio_schema.drift): pure functions, documents in, changes out."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cannon_studio_schema import ApiSchema, SchemaError, drift
from cannon_studio_schema.drift.nodes import deref, view
from drift_edits import MORE_EDITS, REQUIRED_EDITS, Edit, schemas


def heads(changes: list[drift.Change]) -> list[tuple[str, str, str]]:
    """(level, check id, subject) of each change, in report order."""
    return [(c.level, c.id, c.subject) for c in changes]


def diff(snapshot: dict[str, Any], mutate: Any) -> list[drift.Change]:
    new = copy.deepcopy(snapshot)
    mutate(new)
    return drift.diff_documents(drift.prepare(snapshot), drift.prepare(new))


def test_identical_documents_have_no_changes(snapshot_doc: dict[str, Any]) -> None:
    assert drift.diff_documents(snapshot_doc, copy.deepcopy(snapshot_doc)) == []


def test_the_drift_engine_sees_every_operation_of_the_model(snapshot_doc: dict[str, Any]) -> None:
    ops = drift.operations(snapshot_doc)
    assert list(ops) == list(ApiSchema(snapshot_doc).ids)
    assert {"video.generate", "sora2.video.remix", "three_d.location.generate"} <= set(ops)


@pytest.mark.parametrize("edit", REQUIRED_EDITS + MORE_EDITS, ids=lambda e: e.name)
def test_each_edit_is_found_and_classified(snapshot_doc: dict[str, Any], edit: Edit) -> None:
    changes = diff(snapshot_doc, edit.mutate)
    assert heads(changes) == edit.expected
    assert all(c.summary for c in changes)


def test_most_severe_changes_come_first(snapshot_doc: dict[str, Any]) -> None:
    def both(doc: dict[str, Any]) -> None:
        REQUIRED_EDITS[0].mutate(doc)  # added operation: non-breaking
        REQUIRED_EDITS[1].mutate(doc)  # removed operation: breaking

    changes = diff(snapshot_doc, both)
    assert [c.breaking for c in changes] == [True, False]


def test_a_shared_component_is_reported_once(snapshot_doc: dict[str, Any]) -> None:
    # ErrorResponse is the body of about thirty responses.
    def drop_code(doc: dict[str, Any]) -> None:
        del schemas(doc)["ErrorResponse"]["properties"]["code"]

    assert heads(diff(snapshot_doc, drop_code)) == [
        ("warning", "response-optional-property-removed", "ErrorResponse.code")
    ]


def test_request_enum_value_added_is_not_breaking(snapshot_doc: dict[str, Any]) -> None:
    def add_ratio(doc: dict[str, Any]) -> None:
        schemas(doc)["AspectRatio"]["enum"].append("5:4")
        schemas(doc)["AspectRatio"]["x-enum-varnames"].append("RATIO_5_4")

    changes = diff(snapshot_doc, add_ratio)
    # AspectRatio is used by six inputs: each operation is named.
    assert heads(changes)[0] == (
        "info",
        "request-property-enum-value-added",
        "video.generate.input.aspect_ratio",
    )
    assert changes[0].detail == '"5:4"'
    assert len(changes) == 6
    assert all(c.id == "request-property-enum-value-added" for c in changes)


def test_response_enum_value_removed_is_not_breaking(snapshot_doc: dict[str, Any]) -> None:
    def drop_queued(doc: dict[str, Any]) -> None:
        schemas(doc)["RequestStatus"]["enum"].remove("queued")

    assert heads(diff(snapshot_doc, drop_queued)) == [
        ("info", "response-property-enum-value-removed", "RequestStatus")
    ]


def test_output_variant_removed_is_not_breaking(snapshot_doc: dict[str, Any]) -> None:
    def drop_task(doc: dict[str, Any]) -> None:
        output = schemas(doc)["RequestObject"]["properties"]["output"]
        output["anyOf"] = [
            v for v in output["anyOf"] if v.get("$ref", "").split("/")[-1] != "TaskOutput"
        ]

    [change] = diff(snapshot_doc, drop_task)
    assert heads([change]) == [("info", "response-property-any-of-removed", "RequestObject.output")]
    assert change.detail == "TaskOutput"


def test_widening_a_request_type_is_safe_and_widening_a_response_type_is_not(
    snapshot_doc: dict[str, Any],
) -> None:
    def widen(doc: dict[str, Any]) -> None:
        schemas(doc)["VideoGenerateInput"]["properties"]["seed"]["type"] = ["integer", "string"]
        schemas(doc)["AcceptedRequest"]["properties"]["poll_after_ms"]["type"] = ["integer", "null"]

    assert heads(diff(snapshot_doc, widen)) == [
        ("breaking", "response-property-became-nullable", "AcceptedRequest.poll_after_ms"),
        ("info", "request-property-list-of-types-widened", "video.generate.input.seed"),
    ]


def test_narrowing_a_response_type_is_safe(snapshot_doc: dict[str, Any]) -> None:
    def narrow(doc: dict[str, Any]) -> None:
        schemas(doc)["RequestObject"]["properties"]["billableCredits"]["type"] = "integer"

    changes = diff(snapshot_doc, narrow)
    assert heads(changes) == [
        ("info", "response-property-became-not-nullable", "RequestObject.billableCredits")
    ]


def test_integer_to_number_widens_a_request(snapshot_doc: dict[str, Any]) -> None:
    def to_number(doc: dict[str, Any]) -> None:
        schemas(doc)["VideoGenerateInput"]["properties"]["duration"]["type"] = "number"

    [change] = diff(snapshot_doc, to_number)
    assert change.id == "request-property-type-generalized" and change.level == "info"
    assert change.detail == "integer -> number"


def test_loosening_a_request_constraint_is_safe(snapshot_doc: dict[str, Any]) -> None:
    def loosen(doc: dict[str, Any]) -> None:
        schemas(doc)["MusicGenerateInput"]["properties"]["prompt"]["maxLength"] = 8000

    [change] = diff(snapshot_doc, loosen)
    assert change.id == "request-property-max-length-increased" and change.level == "info"
    assert change.detail == "maxLength 4000 -> 8000"


def test_removing_anonymous_access_is_breaking(snapshot_doc: dict[str, Any]) -> None:
    def key_required(doc: dict[str, Any]) -> None:
        doc["paths"]["/api/v1/openapi"]["get"]["security"].remove({})

    assert heads(diff(snapshot_doc, key_required)) == [
        ("breaking", "api-security-required", "GET /api/v1/openapi")
    ]


def test_new_required_header_and_new_endpoint(snapshot_doc: dict[str, Any]) -> None:
    def add(doc: dict[str, Any]) -> None:
        doc["paths"]["/api/v1/requests/{requestId}"]["get"]["parameters"].append(
            {"in": "header", "name": "x-team", "required": True, "schema": {"type": "string"}}
        )
        doc["paths"]["/api/v1/models"] = copy.deepcopy(doc["paths"]["/api/v1/status"])

    assert heads(diff(snapshot_doc, add)) == [
        (
            "breaking",
            "new-required-request-parameter",
            "GET /api/v1/requests/{requestId} header x-team",
        ),
        ("info", "endpoint-added", "GET /api/v1/models"),
    ]


def test_changes_in_webhook_payload_and_headers(snapshot_doc: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        post = doc["webhooks"]["requestCompleted"]["post"]
        post["parameters"] = [p for p in post["parameters"] if p["name"] != "webhook-timestamp"]
        schemas(doc)["WebhookEvent"]["properties"]["type"]["enum"] = ["request.succeeded"]

    changes = diff(snapshot_doc, change)
    assert heads(changes) == [
        (
            "breaking",
            "required-response-header-removed",
            "webhook requestCompleted header webhook-timestamp",
        ),
        ("info", "response-property-const-added", "WebhookEvent.type"),
    ]


def test_allof_wrapped_refs_are_merged(snapshot_doc: dict[str, Any]) -> None:
    # image.edit.input.resolution is {"allOf": [{"$ref": ImageResolution}], "description": ...}.
    field = schemas(snapshot_doc)["ImageEditInput"]["properties"]["resolution"]
    shown = view(snapshot_doc, field)
    assert shown.name == "ImageResolution"
    assert shown.schema["enum"] == schemas(snapshot_doc)["ImageResolution"]["enum"]
    assert shown.schema["description"] == field["description"]


def test_recursive_schemas_terminate() -> None:
    def doc(extra: dict[str, Any]) -> dict[str, Any]:
        node = {
            "type": "object",
            "properties": {"child": {"$ref": "#/components/schemas/Node"}, **extra},
        }
        return {
            "paths": {
                "/tree": {
                    "get": {
                        "responses": {
                            "200": {
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "#/components/schemas/Node"}
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "components": {"schemas": {"Node": node}},
        }

    old, new = doc({}), doc({"name": {"type": "string"}})
    assert heads(drift.diff_documents(old, new)) == [
        ("info", "response-optional-property-added", "Node.name")
    ]


def test_view_rules() -> None:
    doc: dict[str, Any] = {}
    assert view(doc, {"type": "number"}).types == {"number"}
    assert view(doc, {"const": "x"}).schema == {"type": ["string"], "enum": ["x"]}
    assert view(doc, {"enum": [1, None]}).schema == {"type": ["integer", "null"], "enum": [1]}
    nullable = view(doc, {"anyOf": [{"type": "string"}, {"type": "null"}]})
    assert nullable.types == {"string"} and nullable.nullable
    assert view(doc, {}).any_type


def test_change_line_format() -> None:
    change = drift.Change("new-optional-request-property", "video.generate.input.foo")
    assert change.line() == (
        "info      new-optional-request-property: video.generate.input.foo -- "
        "an optional request property added"
    )
    removed = drift.Change("cannon-operation-removed", "video.upscale", "gone")
    assert removed.line().startswith("breaking  cannon-operation-removed: video.upscale (gone) -- ")
    assert removed.to_json()["level"] == "breaking"


def test_create_body_that_is_no_longer_a_oneof_of_envelopes(snapshot_doc: dict[str, Any]) -> None:
    def flatten_body(doc: dict[str, Any]) -> None:
        schemas(doc)["CreateRequestBody"] = {
            "type": "object",
            "properties": {"operation": {"type": "string"}, "input": {"type": "object"}},
            "required": ["operation", "input"],
        }

    changes = diff(snapshot_doc, flatten_body)
    assert heads(changes)[0] == (
        "breaking",
        "cannon-create-body-restructured",
        "POST /api/v1/requests body",
    )


def test_openapi_30_nullable_counts_as_null() -> None:
    shown = view({}, {"type": "integer", "nullable": True})
    assert shown.types == {"integer"} and shown.nullable


def test_non_local_refs_are_refused() -> None:
    with pytest.raises(SchemaError, match="only local references"):
        deref({}, {"$ref": "other.json#/components/schemas/X"})


def test_annotation_changes(snapshot_doc: dict[str, Any]) -> None:
    def regroup(doc: dict[str, Any]) -> None:
        schemas(doc)["MusicGenerateEnvelope"]["x-cannon-credits"] = "1"

    [change] = diff(snapshot_doc, regroup)
    assert heads([change]) == [("info", "cannon-annotation-changed", "music.generate")]
    assert change.detail == 'x-cannon-credits "dynamic" -> "1"'

    def strip_annotations(doc: dict[str, Any]) -> None:
        for schema in schemas(doc).values():
            schema.pop("x-cannon-group", None)

    [change] = diff(snapshot_doc, strip_annotations)
    assert heads([change]) == [("info", "cannon-annotation-removed", "all operations")]
    assert change.detail == "x-cannon-group"
