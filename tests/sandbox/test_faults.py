"""Injected faults over real loopback (the cannon_sandbox fixture), plus admin routes."""

from __future__ import annotations

import httpx2
import pytest
from cannon_studio_sandbox import FaultRule, Sandbox, SandboxConfig
from cannon_studio_sandbox.pytest_plugin import SandboxFixture

from .conftest import body


@pytest.fixture
def http(cannon_sandbox: SandboxFixture) -> httpx2.Client:
    return httpx2.Client(
        base_url=cannon_sandbox.base_url, headers={"x-api-key": cannon_sandbox.api_key}, timeout=10
    )


@pytest.mark.parametrize("kind", ["429", "500", "502", "503"])
def test_status_faults(cannon_sandbox: SandboxFixture, http: httpx2.Client, kind: str) -> None:
    cannon_sandbox.sandbox.add_fault(FaultRule(kind, endpoint="create", count=1, retry_after_s=7))
    r = http.post("/api/v1/requests", json=body("image.generate"))
    assert r.status_code == int(kind)
    assert r.json()["code"] == ("rate_limited" if kind == "429" else "server_error")
    assert r.headers.get("retry-after") == ("7" if kind in ("429", "503") else None)
    assert cannon_sandbox.sandbox.created_count() == 0
    # count=1: the next call goes through; other endpoints were never affected
    assert http.post("/api/v1/requests", json=body("image.generate")).status_code == 202
    assert [e["kind"] for e in cannon_sandbox.sandbox.fault_log()] == [kind]


def test_drop_before_commits_nothing(cannon_sandbox: SandboxFixture, http: httpx2.Client) -> None:
    cannon_sandbox.sandbox.add_fault(FaultRule("drop_before", endpoint="create", count=1))
    with pytest.raises(httpx2.TransportError) as info:
        http.post(
            "/api/v1/requests", json=body("image.generate"), headers={"x-idempotency-key": "k"}
        )
    # RemoteProtocolError (peer closed mid-response) or ReadError (connection reset)
    assert isinstance(info.value, httpx2.RemoteProtocolError | httpx2.ReadError)
    assert (
        cannon_sandbox.sandbox.created_count() == 0
        and cannon_sandbox.sandbox.credits_charged() == 0
    )
    r = http.post(
        "/api/v1/requests", json=body("image.generate"), headers={"x-idempotency-key": "k"}
    )
    assert r.status_code == 202 and cannon_sandbox.sandbox.created_count() == 1


def test_drop_after_commit_is_saved_by_idempotency(
    cannon_sandbox: SandboxFixture, http: httpx2.Client
) -> None:
    sb = cannon_sandbox.sandbox
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
    with pytest.raises(httpx2.TransportError):
        http.post(
            "/api/v1/requests",
            json=body("video.generate"),
            headers={"x-idempotency-key": "retry-me"},
        )
    assert sb.created_count() == 1  # committed although the client saw a dropped connection
    charged = sb.credits_charged()
    r = http.post(
        "/api/v1/requests", json=body("video.generate"), headers={"x-idempotency-key": "retry-me"}
    )
    assert r.status_code == 202 and r.json()["id"] == sb.ledger()[0]["id"]
    assert sb.created_count() == 1 and sb.credits_charged() == charged
    # without a key, a retry after the drop would create a duplicate
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
    with pytest.raises(httpx2.TransportError):
        http.post("/api/v1/requests", json=body("video.generate"))
    http.post("/api/v1/requests", json=body("video.generate"))
    assert sb.created_count() == 3


def test_drop_on_get_and_status(cannon_sandbox: SandboxFixture, http: httpx2.Client) -> None:
    cannon_sandbox.sandbox.add_fault(FaultRule("drop_before", endpoint="status", count=1))
    with pytest.raises(httpx2.TransportError):
        http.get("/api/v1/status")
    assert http.get("/api/v1/status").status_code == 200


def test_slow_responses(cannon_sandbox: SandboxFixture, http: httpx2.Client) -> None:
    cannon_sandbox.sandbox.add_fault(FaultRule("slow", endpoint="status", count=1, delay_s=0.3))
    assert http.get("/api/v1/status").status_code == 200  # slow, then answered
    assert [(e["kind"], e["endpoint"]) for e in cannon_sandbox.sandbox.fault_log()] == [
        ("slow", "status")
    ]
    # The delay is real: a client timeout shorter than it gives up (behaviour, not a timing).
    with pytest.raises(httpx2.ReadTimeout):
        cannon_sandbox.sandbox.add_fault(FaultRule("slow", endpoint="status", count=1, delay_s=1.0))
        http.get("/api/v1/status", timeout=0.2)


def test_rates_are_seeded_and_reproducible() -> None:
    def pattern() -> list[int]:
        sb = Sandbox(SandboxConfig.instant(seed=42))
        sb.add_fault(FaultRule("503", rate=0.3))
        hits = []
        for _ in range(50):
            hits.append(1 if sb.faults.pick("status", "GET", "/api/v1/status") else 0)
        return hits

    first, second = pattern(), pattern()
    assert first == second and 5 < sum(first) < 30


def test_in_process_drop_raises_a_transport_error(cannon_sandbox_app: Sandbox) -> None:
    import asyncio

    cannon_sandbox_app.add_fault(FaultRule("drop_before"))

    async def call() -> None:
        async with httpx2.AsyncClient(
            transport=httpx2.ASGITransport(cannon_sandbox_app.app), base_url="http://t"
        ) as c:
            await c.get("/api/v1/status")

    with pytest.raises(httpx2.TransportError):
        asyncio.run(call())


def test_fault_rule_validation() -> None:
    with pytest.raises(ValueError, match="kind"):
        FaultRule("404")
    with pytest.raises(ValueError, match="endpoint"):
        FaultRule("500", endpoint="admin")
    with pytest.raises(ValueError, match="rate"):
        FaultRule("500", rate=2)


def test_admin_routes(cannon_sandbox: SandboxFixture, http: httpx2.Client) -> None:
    admin = httpx2.Client(
        base_url=cannon_sandbox.base_url, timeout=10, headers=cannon_sandbox.control_headers
    )
    r = admin.post(
        "/_sandbox/faults", json={"rules": [{"kind": "429", "endpoint": "get", "count": 1}]}
    )
    assert r.status_code == 200 and r.json()["rules"][0]["kind"] == "429"
    assert admin.post("/_sandbox/faults", json={"kind": "nope"}).status_code == 400
    rid = http.post("/api/v1/requests", json=body("image.generate")).json()["id"]
    assert http.get(f"/api/v1/requests/{rid}").status_code == 429
    assert admin.get("/_sandbox/faults").json()["log"][0]["endpoint"] == "get"
    assert admin.delete("/_sandbox/faults").json() == {"rules": [], "log": []}
    ledger = admin.get("/_sandbox/ledger").json()
    assert ledger["created_count"] == 1 and ledger["credits_charged"] == 6
    assert ledger["accounts"][cannon_sandbox.account]["credits_remaining"] == 10_000 - 6
    cfg = admin.post("/_sandbox/config", json={"failure_rate": 1.0}).json()
    assert cfg["failure_rate"] == 1.0
    assert admin.post("/_sandbox/config", json={"bogus": 1}).status_code == 400
    rid = http.post("/api/v1/requests", json=body("image.generate")).json()["id"]
    assert http.get(f"/api/v1/requests/{rid}").json()["status"] == "failed"
    assert (
        admin.post(
            "/_sandbox/credits", json={"account": cannon_sandbox.account, "credits": 3}
        ).status_code
        == 200
    )
    assert http.post("/api/v1/requests", json=body("image.generate")).status_code == 402
    assert admin.post("/_sandbox/reset").json() == {"ok": True}
    assert admin.get("/_sandbox/ledger").json()["created_count"] == 0
    assert http.get("/api/v1/status").json()["creditsRemaining"] == 10_000
    assert admin.get("/_sandbox/webhooks").json() == {"deliveries": []}
