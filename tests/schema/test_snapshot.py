"""The schema snapshot: valid OpenAPI, complete against the fact sheet, and parsed right by the
generated client.

Facts come from ``shared/reference/cannon-studio-api.md`` (the fact sheet); its JSON examples are
committed in ``fact_sheet_examples.json`` (see ``extract_examples.py``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import cannon_studio_api.models as m
import jsonschema
import pytest
from cannon_studio_api._schema import SCHEMA_SHA256, load_schema
from cannon_studio_schema import ApiSchema
from openapi_spec_validator import validate as validate_openapi

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"
SHARED = ROOT.parent / "shared"
EXAMPLES = json.loads((HERE / "fact_sheet_examples.json").read_text(encoding="utf-8"))

# Fact sheet section 6.1: the operation ids that have a documentation page (16 of the overview's
# 19, plus the extra three_d.location.generate page).
DOCUMENTED = {
    "video.generate", "image.generate", "image.edit", "prompt.enhance.video",
    "prompt.enhance.image", "prompt.enhance.variant", "music.generate", "narration.generate",
    "soundfx.generate", "lipsync.generate", "subtitles.generate", "smartmotion.generate",
    "video.upscale", "sora2.video.edit", "sora2.video.extend", "sora2.video.remix",
    "three_d.location.generate",
}  # fmt: skip
# The three overview entries whose pages are missing: ids assumed from their siblings' naming.
ASSUMED = {"sora2.character_video.generate", "sora2.character.create", "prompt.enhance.location"}

OUTPUT_CLASSES = {
    "video": m.VideoOutput,
    "image": m.ImageOutput,
    "audio": m.AudioOutput,
    "3d": m.Location3DOutput,
    "character": m.CharacterOutput,
}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry(doc: dict[str, Any]) -> ApiSchema:
    """The schema model of the snapshot (it compiles the validators)."""
    return ApiSchema(doc)


def validator(registry: ApiSchema, component: str) -> jsonschema.Draft202012Validator:
    return registry.component_validator(component)


def envelopes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Operation id -> envelope component (plus its name as ``x-name``), from the schema model."""
    model = ApiSchema(doc)
    out = {}
    for op in model.operations:
        assert op.envelope_name is not None, f"{op.id}: the snapshot names every envelope"
        env = doc["components"]["schemas"][op.envelope_name]
        out[op.id] = env | {"x-name": op.envelope_name}
    return out


def test_snapshot_is_valid_openapi_31(doc: dict[str, Any]) -> None:
    assert doc["openapi"].startswith("3.1")
    validate_openapi(doc)


def test_snapshot_is_normalised_and_embedded_in_the_generated_package() -> None:
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    import hashlib

    assert hashlib.sha256(text.encode()).hexdigest() == SCHEMA_SHA256
    assert load_schema() == json.loads(text)


def test_paths_and_security(doc: dict[str, Any]) -> None:
    assert set(doc["paths"]) == {
        "/api/v1/status",
        "/api/v1/requests",
        "/api/v1/requests/{requestId}",
        "/api/v1/openapi",
    }
    schemes = doc["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == schemes["ApiKeyAuth"] | {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
    }
    assert schemes["BearerAuth"]["type"] == "http" and schemes["BearerAuth"]["scheme"] == "bearer"
    assert {"ApiKeyAuth": []} in doc["security"] and {"BearerAuth": []} in doc["security"]
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert {"ApiKeyAuth": []} in operation["security"], (path, method)
            assert {"BearerAuth": []} in operation["security"], (path, method)
    create = doc["paths"]["/api/v1/requests"]["post"]
    (header,) = create["parameters"]
    assert header["name"] == "x-idempotency-key" and header["in"] == "header"
    errors = {"400", "401", "402", "403", "409", "422", "429", "500", "502", "503", "504"}
    assert errors <= set(create["responses"])
    assert "Retry-After" in create["responses"]["429"]["headers"]
    get = doc["paths"]["/api/v1/requests/{requestId}"]["get"]
    assert "404" in get["responses"]


def test_post_body_has_one_envelope_per_operation(doc: dict[str, Any]) -> None:
    envs = envelopes(doc)
    assert set(envs) == DOCUMENTED | ASSUMED
    assumed = {op for op, env in envs.items() if env.get("x-cannon-assumed")}
    assert assumed == ASSUMED
    mapping = ApiSchema(doc).create_body.schema["discriminator"]["mapping"]
    assert {op: ref.rsplit("/", 1)[1] for op, ref in mapping.items()} == {
        op: env["x-name"] for op, env in envs.items()
    }
    for op, env in envs.items():
        operation = env["properties"]["operation"]
        assert operation["const"] == operation["default"] == op
        assert set(env["required"]) == {"operation", "input"}
        assert env["properties"]["webhook_url"]["format"] == "uri"
        input_ref = env["properties"]["input"]["$ref"]
        assert input_ref == f"#/components/schemas/{env['x-name'].removesuffix('Envelope')}Input"
        if op in ASSUMED:
            assert "Assumed:" in env["description"]
            assert (
                "Assumed:"
                in doc["components"]["schemas"][input_ref.rsplit("/", 1)[1]]["description"]
            )
    assert envs["sora2.video.remix"].get("deprecated") is True


def test_fact_sheet_examples_fixture_is_current() -> None:
    if not (SHARED / "reference" / "cannon-studio-api.md").exists():
        pytest.skip("../shared is not beside this checkout")
    from extract_examples import extract  # type: ignore[import-not-found]

    assert extract(SHARED) == EXAMPLES


def _kind(example: dict[str, Any]) -> str:
    if "operation" in example and "input" in example:
        return "create"
    if "poll_after_ms" in example:
        return "accepted"
    if "createdAtMs" in example:
        return "request"
    if "creditsRemaining" in example:
        return "status"
    if "enhancedPrompt" in example:
        return "prompt_output"
    if "asset_type" in example:
        return "output"
    raise AssertionError(f"unclassified example: {example}")


def test_every_kind_of_example_is_present() -> None:
    kinds = [_kind(e["example"]) for e in EXAMPLES]
    assert {"create", "accepted", "request", "status", "prompt_output", "output"} == set(kinds)
    assert kinds.count("create") >= 19


@pytest.mark.parametrize("entry", EXAMPLES, ids=[e["source"] for e in EXAMPLES])
def test_fact_sheet_example_validates_and_parses_into_the_right_class(
    entry: dict[str, Any], doc: dict[str, Any], registry: ApiSchema
) -> None:
    example = entry["example"]
    kind = _kind(example)
    if kind == "create":
        body = registry.create_body
        assert body.pointer is not None
        registry.validator(body.pointer).validate(example)
        env = envelopes(doc)[example["operation"]]
        cls = getattr(m, env["x-name"])
        parsed = cls.from_dict(example)
        assert parsed.operation == example["operation"]
        assert parsed.to_dict() == example
        # No other envelope accepts it: the const tag decides.
        others = [
            c for c in (getattr(m, e["x-name"]) for e in envelopes(doc).values()) if c is not cls
        ]
        for other in others:
            with pytest.raises((ValueError, KeyError, TypeError)):
                other.from_dict(example)
        # Every documented input field is declared (none slips through additionalProperties).
        input_schema = doc["components"]["schemas"][cls.__name__.removesuffix("Envelope") + "Input"]
        assert set(example["input"]) <= set(input_schema["properties"])
    elif kind == "accepted":
        validator(registry, "AcceptedRequest").validate(example)
        parsed = m.AcceptedRequest.from_dict(example)
        assert parsed.poll_after_ms == 2000 and parsed.urls.get == example["urls"]["get"]
    elif kind == "request":
        validator(registry, "RequestObject").validate(example)
        parsed = m.RequestObject.from_dict(example)
        assert parsed.status == m.RequestStatus(example["status"])
        expected = m.VideoOutput if example["output"].get("asset_type") == "video" else m.TaskOutput
        assert isinstance(parsed.output, expected)
        assert parsed.to_dict() == example
    elif kind == "status":
        validator(registry, "StatusResponse").validate(example)
        parsed = m.StatusResponse.from_dict(example)
        assert (
            parsed.credits_remaining == 1250
            and parsed.api_key.scopes == example["apiKey"]["scopes"]
        )
    else:
        variant = "PromptOutput" if kind == "prompt_output" else None
        if variant:
            validator(registry, variant).validate(example)
        request = m.RequestObject.from_dict(_request_with(example))
        expected_cls = (
            m.PromptOutput if kind == "prompt_output" else OUTPUT_CLASSES[example["asset_type"]]
        )
        assert type(request.output) is expected_cls
        assert request.output.to_dict() == example
        validator(registry, "RequestObject").validate(_request_with(example))


def _request_with(output: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": "req_123",
        "operation": "video.generate",
        "status": "succeeded",
        "createdAtMs": 1762479300000,
        "output": output,
        **extra,
    }


def test_image_output_is_not_mistaken_for_video_and_back() -> None:
    video = next(e["example"] for e in EXAMPLES if e["example"].get("asset_type") == "video")
    image = next(e["example"] for e in EXAMPLES if e["example"].get("asset_type") == "image")
    with pytest.raises(ValueError):
        m.VideoOutput.from_dict(image)
    with pytest.raises(ValueError):
        m.ImageOutput.from_dict(video)


def test_unknown_fields_models_providers_and_asset_types_still_parse(
    registry: ApiSchema,
) -> None:
    output = {
        "task_id": "t_1",
        "asset_type": "hologram",
        "status": "succeeded",
        "hologram_url": "https://storage.example/h.holo",
        "provider": "brand-new-provider",
        "model": "model-from-the-future",
    }
    raw = _request_with(output, someNewField={"nested": [1, 2]}, queuePosition=3)
    parsed = m.RequestObject.from_dict(copy.deepcopy(raw))
    assert parsed.additional_properties["someNewField"] == {"nested": [1, 2]}
    # Unknown asset kind: kept as task metadata, every key still readable as data.
    assert isinstance(parsed.output, m.TaskOutput)
    assert parsed.output.asset_type == "hologram"
    assert parsed.output.additional_properties["hologram_url"] == "https://storage.example/h.holo"
    assert parsed.output.to_dict() == output
    validator(registry, "RequestObject").validate(raw)

    known = _request_with(
        {"asset_type": "video", "video_url": "https://x/v.mp4", "provider": "new", "model": "new"}
    )
    assert isinstance(m.RequestObject.from_dict(known).output, m.VideoOutput)

    shapeless = _request_with({"something": "else"})
    assert m.RequestObject.from_dict(shapeless).output == {"something": "else"}


def test_nullable_fields_accept_null(registry: ApiSchema) -> None:
    raw = _request_with(
        None,
        status="queued",
        billableCredits=None,
        inputPreview=None,
        outputPreview=None,
        startedAtMs=None,
        completedAtMs=None,
        errorMessage=None,
        requestLog=None,
    )
    validator(registry, "RequestObject").validate(raw)
    parsed = m.RequestObject.from_dict(raw)
    assert parsed.output is None and parsed.request_log is None


def test_undocumented_statements_are_marked_assumed(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert "Assumed:" in schemas["ErrorResponse"]["description"]
    assert "Assumed:" in schemas["WebhookEvent"]["description"]
    assert "Standard Webhooks" in schemas["WebhookEvent"]["description"]
    hook = doc["webhooks"]["requestCompleted"]["post"]
    assert {p["name"] for p in hook["parameters"]} == {
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    }
    assert "maxLength" in schemas["VideoGenerateInput"]["properties"]["prompt"]
    assert "Assumed:" in schemas["VideoGenerateInput"]["properties"]["prompt"]["description"]
