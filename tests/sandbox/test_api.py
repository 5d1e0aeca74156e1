"""Public API behaviour: auth, status, openapi, validation, idempotency, credits, visibility."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from cannon_studio_sandbox import DEFAULT_API_KEY, Sandbox, SandboxConfig
from cannon_studio_sandbox.schema import ApiSchema

from .conftest import VALID_INPUTS, body

SCHEMA = ApiSchema.load()


def assert_valid(component: str, data: Any) -> None:
    errors = list(SCHEMA.validator_for(component).iter_errors(data))
    assert not errors, [e.message for e in errors]


# -- auth -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/status"), ("POST", "/api/v1/requests"), ("GET", "/api/v1/requests/req_1")],
)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-api-key": "cs_test_wrong"},
        {"authorization": "Bearer cs_test_wrong"},
        {"authorization": "Basic abc"},
    ],
)
async def test_auth_failures_are_401_with_error_envelope(
    sb: Sandbox, method: str, path: str, headers: dict[str, str]
) -> None:
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(sb.app), base_url="http://t") as c:
        r = await c.request(method, path, headers=headers, json=body("image.generate"))
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    assert_valid("ErrorResponse", r.json())
    assert sb.created_count() == 0


async def test_bearer_auth_works_and_x_api_key_wins(sb: Sandbox) -> None:
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(sb.app), base_url="http://t") as c:
        r = await c.get("/api/v1/status", headers={"authorization": f"Bearer {DEFAULT_API_KEY}"})
        assert r.status_code == 200
        both = {"authorization": f"Bearer {DEFAULT_API_KEY}", "x-api-key": "cs_test_wrong"}
        assert (await c.get("/api/v1/status", headers=both)).status_code == 401


async def test_status_shape_and_live_balance(sb: Sandbox, client: httpx2.AsyncClient) -> None:
    r = await client.get("/api/v1/status")
    assert r.status_code == 200
    data = r.json()
    assert_valid("StatusResponse", data)
    assert data["ok"] is True and data["creditsRemaining"] == 10_000
    assert data["credits"] == {"remaining": 10_000}
    assert data["apiKey"]["scopes"] == ["requests:write", "requests:read"]
    await client.post("/api/v1/requests", json=body("prompt.enhance.image"))
    assert (await client.get("/api/v1/status")).json()["creditsRemaining"] == 9_999


async def test_openapi_served_without_key(sb: Sandbox) -> None:
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(sb.app), base_url="http://t") as c:
        r = await c.get("/api/v1/openapi")
    assert r.status_code == 200
    assert r.json() == SCHEMA.document


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sorted(VALID_INPUTS))
async def test_missing_required_field_is_400_naming_the_field(
    sb: Sandbox, client: httpx2.AsyncClient, operation: str
) -> None:
    op = SCHEMA.model.operation(operation)
    assert op is not None
    required = list(op.required)
    bad = body(operation)
    del bad["input"][required[0]]
    r = await client.post("/api/v1/requests", json=bad)
    assert r.status_code == 400
    assert r.json()["code"] == "validation_error"
    assert r.json()["field"] == f"input.{required[0]}"
    assert_valid("ErrorResponse", r.json())
    assert sb.created_count() == 0 and sb.credits_charged() == 0


@pytest.mark.parametrize("operation", sorted(VALID_INPUTS))
async def test_wrong_type_is_400_naming_the_field(
    client: httpx2.AsyncClient, operation: str
) -> None:
    bad = body(operation)
    first = next(iter(VALID_INPUTS[operation]))
    bad["input"][first] = {"not": "the right type"}
    r = await client.post("/api/v1/requests", json=bad)
    assert r.status_code == 400
    assert r.json()["field"] == f"input.{first}"


@pytest.mark.parametrize(
    ("operation", "field", "value", "allowed_has"),
    [
        ("image.generate", "aspect_ratio", "5:4", "16:9"),
        ("video.generate", "resolution", "8k", "1080p"),
        ("sora2.video.extend", "duration", 5, 20),
        ("video.upscale", "upscale_factor", 3, 4),
        ("prompt.enhance.video", "aspectRatio", "wide", "9:16"),
    ],
)
async def test_enum_violation_is_422_with_allowed_values(
    client: httpx2.AsyncClient, operation: str, field: str, value: Any, allowed_has: Any
) -> None:
    bad = body(operation)
    bad["input"][field] = value
    r = await client.post("/api/v1/requests", json=bad)
    assert r.status_code == 422
    assert r.json()["field"] == f"input.{field}"
    assert allowed_has in r.json()["allowed"]


async def test_format_and_length_violations_name_the_field(client: httpx2.AsyncClient) -> None:
    bad = body("image.generate", webhook_url="not a url")
    r = await client.post("/api/v1/requests", json=bad)
    assert (r.status_code, r.json()["field"]) == (422, "webhook_url")
    bad = body("image.generate")
    bad["input"]["prompt"] = "x" * 4001
    r = await client.post("/api/v1/requests", json=bad)
    assert (r.status_code, r.json()["field"]) == (422, "input.prompt")
    assert len(r.json()["error"]) < 400
    bad = body("three_d.location.generate")
    bad["input"]["source_image_urls"] = ["https://example.com/a.jpg", "no scheme"]
    r = await client.post("/api/v1/requests", json=bad)
    assert (r.status_code, r.json()["field"]) == (422, "input.source_image_urls[1]")


async def test_unknown_operation_lists_allowed_operations(client: httpx2.AsyncClient) -> None:
    r = await client.post("/api/v1/requests", json={"operation": "video.explode", "input": {}})
    assert r.status_code == 400
    data = r.json()
    assert data["code"] == "unknown_operation" and data["field"] == "operation"
    assert set(data["allowed"]) == set(VALID_INPUTS)


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b""])
async def test_malformed_bodies_are_400(
    sb: Sandbox, client: httpx2.AsyncClient, raw: bytes
) -> None:
    r = await client.post(
        "/api/v1/requests", content=raw, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert_valid("ErrorResponse", r.json())
    assert sb.created_count() == 0


async def test_bad_idempotency_key_is_400(client: httpx2.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/requests", json=body("image.generate"), headers={"x-idempotency-key": "x" * 256}
    )
    assert (r.status_code, r.json()["field"]) == (400, "x-idempotency-key")


# -- idempotency and credits ------------------------------------------------------------------


async def test_idempotent_replay_returns_same_202_and_charges_once(
    sb: Sandbox, client: httpx2.AsyncClient
) -> None:
    headers = {"x-idempotency-key": "video-generate-001"}
    first = await client.post("/api/v1/requests", json=body("video.generate"), headers=headers)
    # same body, different key order and whitespace
    raw = json.dumps(dict(reversed(list(body("video.generate").items()))), indent=2)
    second = await client.post(
        "/api/v1/requests", content=raw, headers={**headers, "content-type": "application/json"}
    )
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert_valid("AcceptedRequest", first.json())
    assert sb.created_count() == 1
    assert sb.credits_charged() == sb.ledger()[0]["credits"] > 0
    assert sb.credits_remaining(sb.account) == 10_000 - sb.ledger()[0]["credits"]
    assert sb.ledger()[0]["idempotency_key"] == "video-generate-001"


async def test_idempotency_key_with_different_body_is_409(
    sb: Sandbox, client: httpx2.AsyncClient
) -> None:
    headers = {"x-idempotency-key": "k-1"}
    assert (
        await client.post("/api/v1/requests", json=body("image.generate"), headers=headers)
    ).status_code == 202
    other = body("image.generate")
    other["input"]["prompt"] = "Something else entirely."
    r = await client.post("/api/v1/requests", json=other, headers=headers)
    assert r.status_code == 409
    assert r.json()["code"] == "idempotency_conflict"
    assert sb.created_count() == 1


async def test_idempotency_keys_are_scoped_per_account() -> None:
    sb = Sandbox(SandboxConfig.instant(api_keys={"cs_test_a": "acct_a", "cs_test_b": "acct_b"}))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(sb.app), base_url="http://t") as c:
        for key in ("cs_test_a", "cs_test_b"):
            r = await c.post(
                "/api/v1/requests",
                json=body("image.generate"),
                headers={"x-api-key": key, "x-idempotency-key": "same"},
            )
            assert r.status_code == 202
    assert sb.created_count("acct_a") == sb.created_count("acct_b") == 1


async def test_insufficient_credits_is_402_and_nothing_is_created(
    sb: Sandbox, client: httpx2.AsyncClient
) -> None:
    sb.set_credits(sb.account, 5)
    r = await client.post("/api/v1/requests", json=body("video.generate"))
    assert r.status_code == 402
    assert r.json()["code"] == "insufficient_credits"
    assert sb.created_count() == 0 and sb.credits_remaining(sb.account) == 5
    # a 1-credit prompt operation still fits
    assert (
        await client.post("/api/v1/requests", json=body("prompt.enhance.video"))
    ).status_code == 202
    assert sb.credits_remaining(sb.account) == 4


async def test_requests_are_visible_only_to_the_creating_account() -> None:
    sb = Sandbox(SandboxConfig.instant(api_keys={"cs_test_a": "acct_a", "cs_test_b": "acct_b"}))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(sb.app), base_url="http://t") as c:
        r = await c.post(
            "/api/v1/requests", json=body("image.generate"), headers={"x-api-key": "cs_test_a"}
        )
        rid = r.json()["id"]
        assert (
            await c.get(f"/api/v1/requests/{rid}", headers={"x-api-key": "cs_test_a"})
        ).status_code == 200
        other = await c.get(f"/api/v1/requests/{rid}", headers={"x-api-key": "cs_test_b"})
        assert other.status_code == 404 and other.json()["code"] == "not_found"
        assert (
            await c.get("/api/v1/requests/req_missing", headers={"x-api-key": "cs_test_a"})
        ).status_code == 404


async def test_secrets_never_in_admin_config_or_repr(
    sb: Sandbox, client: httpx2.AsyncClient
) -> None:
    r = await client.get("/_sandbox/config")
    text = r.text + repr(sb) + repr(sb.config) + str(sb.config.public_dict())
    assert DEFAULT_API_KEY not in text
    assert sb.config.webhook_secret not in text


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        (
            "GET",
            "/api/v1/requests/req_a%0Ab",
            404,
        ),  # a newline: the {requestId} route does not match
        ("GET", "/api/v1/nothing-here", 404),
        ("DELETE", "/api/v1/requests", 405),
        ("PUT", "/api/v1/status", 405),
    ],
)
async def test_unrouted_paths_answer_with_the_error_envelope(
    client: httpx2.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert not list(SCHEMA.validator_for("ErrorResponse").iter_errors(response.json()))
    assert response.json()["code"] == "not_found"
    if status == 405:
        assert response.headers["allow"]
