"""Scopes (403), per-key rate limits (429 + Retry-After, retried by the client), refunds, and the
command-line / fixture switches for them."""

from __future__ import annotations

from typing import Any

import cannon_studio._clock as clock_module
import httpx2
import pytest
from cannon_studio import Cannon, PermissionDeniedError, RateLimitError, RequestFailedError
from cannon_studio_sandbox import DEFAULT_ACCOUNT, DEFAULT_API_KEY, Sandbox, SandboxConfig
from cannon_studio_sandbox.__main__ import build_parser, config_from_args
from cannon_studio_sandbox.ratelimit import parse_rate
from cannon_studio_sandbox.schema import ApiSchema
from cannon_studio_sandbox.scopes import READ, READ_ONLY, WRITE

from .conftest import body

SCHEMA = ApiSchema.load()
READ_KEY = "cs_test_reader_000000000000000000"


def read_only_sandbox(**overrides: Any) -> Sandbox:
    return Sandbox(
        SandboxConfig.instant(
            api_keys={DEFAULT_API_KEY: DEFAULT_ACCOUNT, READ_KEY: DEFAULT_ACCOUNT},
            key_scopes={READ_KEY: READ_ONLY},
            **overrides,
        )
    )


def http(sb: Sandbox, key: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app), base_url="http://t", headers={"x-api-key": key}
    )


def assert_error_envelope(response: httpx2.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    data = response.json()
    assert not list(SCHEMA.validator_for("ErrorResponse").iter_errors(data))
    assert data["code"] == code


# -- scopes ------------------------------------------------------------------------------------


async def test_read_only_key_cannot_create_but_can_read_and_check_status() -> None:
    sb = read_only_sandbox()
    async with http(sb, DEFAULT_API_KEY) as writer, http(sb, READ_KEY) as reader:
        denied = await reader.post("/api/v1/requests", json=body("image.generate"))
        assert_error_envelope(denied, 403, "forbidden")
        assert WRITE in denied.json()["error"]
        assert sb.created_count() == 0 and sb.credits_charged() == 0  # nothing created or charged
        # 403 comes before validation: an invalid body is still 403, not 400
        assert (await reader.post("/api/v1/requests", json={"nope": 1})).status_code == 403

        rid = (await writer.post("/api/v1/requests", json=body("image.generate"))).json()["id"]
        got = await reader.get(f"/api/v1/requests/{rid}")
        assert got.status_code == 200 and got.json()["id"] == rid
        status = (await reader.get("/api/v1/status")).json()
        assert status["apiKey"]["scopes"] == [READ]
        assert (await writer.get("/api/v1/status")).json()["apiKey"]["scopes"] == [WRITE, READ]


async def test_write_only_key_cannot_read() -> None:
    sb = Sandbox(SandboxConfig.instant(key_scopes={DEFAULT_API_KEY: (WRITE,)}))
    async with http(sb, DEFAULT_API_KEY) as c:
        rid = (await c.post("/api/v1/requests", json=body("image.generate"))).json()["id"]
        assert_error_envelope(await c.get(f"/api/v1/requests/{rid}"), 403, "forbidden")


def test_the_client_raises_permission_denied_for_a_read_only_key(cannon_sandbox: Any) -> None:
    with Cannon(api_key=cannon_sandbox.read_only_key, base_url=cannon_sandbox.base_url) as client:
        with pytest.raises(PermissionDeniedError) as caught:
            client.requests.create("image.generate", {"prompt": "a read-only attempt"})
        assert client.status().api_key.scopes == [READ]
    assert caught.value.status_code == 403
    assert cannon_sandbox.sandbox.created_count() == 0


def test_unknown_scope_in_the_config_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown scope"):
        SandboxConfig(key_scopes={DEFAULT_API_KEY: ("requests:admin",)})
    with pytest.raises(ValueError, match="not in api_keys"):
        SandboxConfig(key_scopes={"cs_test_other": READ_ONLY})


# -- rate limits -------------------------------------------------------------------------------


async def test_rate_limit_answers_429_with_retry_after_and_refills_with_the_clock() -> None:
    sb = Sandbox(SandboxConfig.instant(rate_limit_per_s=2))
    async with http(sb, DEFAULT_API_KEY) as c:
        assert [(await c.get("/api/v1/status")).status_code for _ in range(2)] == [200, 200]
        limited = await c.get("/api/v1/status")
        assert_error_envelope(limited, 429, "rate_limited")
        assert limited.headers["retry-after"] == "1"
        created = await c.post("/api/v1/requests", json=body("image.generate"))
        assert created.status_code == 429 and sb.created_count() == 0  # nothing created
        sb.advance_clock(1.0)
        assert (await c.get("/api/v1/status")).status_code == 200
        # the schema and signed asset URLs are not limited
        assert (await c.get("/api/v1/openapi")).status_code == 200
    [first, _second] = sb.rate_limit_log()
    assert first["account"] == DEFAULT_ACCOUNT and first["retry_after_s"] == 1
    assert DEFAULT_API_KEY not in repr(sb.rate_limit_log())


async def test_rate_limit_is_per_key() -> None:
    sb = read_only_sandbox(rate_limit_per_s=1)
    async with http(sb, DEFAULT_API_KEY) as a, http(sb, READ_KEY) as b:
        assert (await a.get("/api/v1/status")).status_code == 200
        assert (await a.get("/api/v1/status")).status_code == 429
        assert (await b.get("/api/v1/status")).status_code == 200


def test_the_clients_retry_path_retries_a_429_and_honours_retry_after(
    cannon_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client sleeps ``Retry-After`` through its sleep hook; the hook moves the sandbox clock
    instead of waiting, so the bucket has refilled when the retry arrives."""
    sb = cannon_sandbox.sandbox
    cannon_sandbox.configure(rate_limit_per_s=1)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        sb.advance_clock(seconds)

    monkeypatch.setattr(clock_module, "sleep", sleep)
    with Cannon(
        api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url, max_retries=2
    ) as client:
        client.status()  # takes the one token
        handle = client.requests.create("image.generate", {"prompt": "after a 429"})
    assert handle.id and sb.created_count() == 1
    assert len(sb.rate_limit_log()) == 1  # the create was answered 429 once, then retried
    assert slept and slept[0] >= 1.0  # Retry-After: 1 was honoured

    cannon_sandbox.configure(rate_limit_per_s=0.001)  # refills in ~17 minutes
    monkeypatch.setattr(clock_module, "sleep", lambda s: None)  # the clock does not move
    with (
        Cannon(
            api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url, max_retries=1
        ) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        client.status()
    assert caught.value.status_code == 429


def test_parse_rate() -> None:
    assert parse_rate("5/s") == 5.0 and parse_rate("0.5/s") == 0.5 and parse_rate("3") == 3.0
    for bad in ("", "x/s", "0/s", "-1/s", "inf/s", "5/min"):
        with pytest.raises(ValueError):
            parse_rate(bad)


# -- refunds -----------------------------------------------------------------------------------


def failing(operation: str = "video.generate") -> dict[str, Any]:
    payload = body(operation)
    payload["input"]["prompt"] = "[fail] refuse this"
    return payload


@pytest.mark.parametrize("refund", [True, False])
async def test_failed_requests_are_refunded_only_when_configured(refund: bool) -> None:
    sb = Sandbox(SandboxConfig.instant(refund_failed=refund))
    async with http(sb, DEFAULT_API_KEY) as c:
        before = (await c.get("/api/v1/status")).json()["creditsRemaining"]
        rid = (await c.post("/api/v1/requests", json=failing())).json()["id"]
        ok = (await c.post("/api/v1/requests", json=body("video.generate"))).json()["id"]
        failed = (await c.get(f"/api/v1/requests/{rid}")).json()
        succeeded = (await c.get(f"/api/v1/requests/{ok}")).json()
        after = (await c.get("/api/v1/status")).json()["creditsRemaining"]
    price = sb.ledger()[0]["credits"]
    assert failed["status"] == "failed" and price > 0
    assert succeeded["billableCredits"] == price  # same input, same price
    if refund:
        assert failed["billableCredits"] == 0
        assert after == before - price  # only the successful one is paid
        assert sb.ledger()[0]["refunded_credits"] == price
        assert sb.credits_charged() == price
    else:
        assert failed["billableCredits"] == price
        assert after == before - 2 * price
        assert sb.ledger()[0]["refunded_credits"] == 0
        assert sb.credits_charged() == 2 * price


async def test_a_refund_is_paid_when_the_request_fails_not_before() -> None:
    now = [1_800_000_000_000]
    sb = Sandbox(
        SandboxConfig(job_duration_s=(4.0, 4.0), queue_delay_s=0.0, refund_failed=True),
        clock_ms=lambda: now[0],
    )
    start = sb.credits_remaining(sb.account)
    async with http(sb, DEFAULT_API_KEY) as c:
        rid = (await c.post("/api/v1/requests", json=failing())).json()["id"]
        price = sb.ledger()[0]["credits"]
        processing = (await c.get(f"/api/v1/requests/{rid}")).json()
        assert processing["status"] == "processing" and processing["billableCredits"] == price
        assert sb.credits_remaining(sb.account) == start - price
        sb.advance_clock(4.0)
        assert (await c.get(f"/api/v1/requests/{rid}")).json()["billableCredits"] == 0
    assert sb.credits_remaining(sb.account) == start


@pytest.mark.cannon_sandbox(refund_failed=True)
def test_the_fixture_marker_turns_refunds_on(cannon_sandbox: Any) -> None:
    assert cannon_sandbox.sandbox.config.refund_failed is True
    with Cannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as client:
        before = client.status().credits_remaining
        handle = client.requests.create("image.generate", {"prompt": "[fail] marker"})
        with pytest.raises(RequestFailedError):
            handle.wait()
        assert handle.status == "failed" and handle.credits == 0
        assert client.status().credits_remaining == before


def test_the_fixture_is_back_to_no_refunds_after_a_marked_test(cannon_sandbox: Any) -> None:
    assert cannon_sandbox.sandbox.config.refund_failed is False


# -- command line ------------------------------------------------------------------------------


def test_command_line_switches_make_the_config() -> None:
    args = build_parser().parse_args(
        ["--read-only-key", READ_KEY, "--rate-limit", "5/s", "--refund-failed", "--instant"]
    )
    config = config_from_args(args)
    assert config.api_keys == {DEFAULT_API_KEY: DEFAULT_ACCOUNT, READ_KEY: DEFAULT_ACCOUNT}
    assert config.key_scopes == {READ_KEY: READ_ONLY}
    assert config.rate_limit_per_s == 5.0 and config.refund_failed is True
    default = config_from_args(build_parser().parse_args([]))
    assert default.refund_failed is False and default.rate_limit_per_s is None
    assert (
        config_from_args(build_parser().parse_args(["--no-refund-failed"])).refund_failed is False
    )
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--rate-limit", "fast"])
    with pytest.raises(ValueError, match="differ"):
        config_from_args(build_parser().parse_args(["--read-only-key", DEFAULT_API_KEY]))
