"""The controllable clock: the 7-day retention sweep, expiring asset URLs (answered like cloud
storage), idempotency-key expiry, the control API and the fixture; and the drop_after_commit
rule, which only a committed create uses up."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree

import httpx2
import pytest
from cannon_studio import APIStatusError, Cannon
from cannon_studio_sandbox import FaultRule, Sandbox, SandboxConfig
from cannon_studio_sandbox.schema import ApiSchema

from .conftest import body

SCHEMA = ApiSchema.load()
DAY_S = 24 * 3600.0


def http(sb: Sandbox) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://t",
        headers={"x-api-key": sb.api_key, **sb.guard.headers},
    )


def storage_code(response: httpx2.Response) -> str:
    assert response.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Error" and root.findtext("Message")
    return root.findtext("Code") or ""


async def test_the_request_log_is_swept_after_seven_days() -> None:
    sb = Sandbox(SandboxConfig.instant())
    async with http(sb) as c:
        rid = (await c.post("/api/v1/requests", json=body("image.generate"))).json()["id"]
        fresh = (await c.get(f"/api/v1/requests/{rid}")).json()
        log = fresh["requestLog"]
        assert log["available"] is True and log["input"] and log["output"]
        sb.advance_clock(7 * DAY_S - 1)  # one second before the window closes
        assert (await c.get(f"/api/v1/requests/{rid}")).json()["requestLog"]["available"]
        sb.advance_clock(2)
        swept = (await c.get(f"/api/v1/requests/{rid}")).json()
    assert not list(SCHEMA.validator_for("RequestObject").iter_errors(swept))
    assert swept["requestLog"] == {
        "available": False,
        "retentionDays": 7,
        "retainedUntilMs": fresh["completedAtMs"] + 604_800_000,
        "input": None,
        "output": None,
        "errorMessage": None,
    }
    # the request object itself can still be read (Assumed), with its outcome
    assert swept["status"] == "succeeded" and swept["id"] == rid
    assert sb.state.requests[rid].log_swept is True


async def test_control_api_moves_the_clock() -> None:
    sb = Sandbox(SandboxConfig(job_duration_s=(30.0, 30.0), queue_delay_s=0.0))
    async with http(sb) as c:
        before = (await c.get("/_sandbox/clock")).json()
        rid = (await c.post("/api/v1/requests", json=body("image.generate"))).json()["id"]
        assert (await c.get(f"/api/v1/requests/{rid}")).json()["status"] == "processing"
        moved = (await c.post("/_sandbox/clock", json={"advance_s": 31})).json()
        assert moved["offset_ms"] == 31_000 and moved["now_ms"] >= before["now_ms"] + 31_000
        assert (await c.get(f"/api/v1/requests/{rid}")).json()["status"] == "succeeded"
        status = (await c.get("/api/v1/status")).json()
        server_ms = round(datetime.fromisoformat(status["serverTime"]).timestamp() * 1000)
        # the status page follows it (read a moment later: a minute may turn in between)
        assert moved["now_ms"] <= server_ms < moved["now_ms"] + 60_000
        later = moved["now_ms"] + 8 * 86_400_000
        assert (await c.post("/_sandbox/clock", json={"now_ms": later})).json()["now_ms"] == later
        assert (await c.get(f"/api/v1/requests/{rid}")).json()["requestLog"]["available"] is False
        for bad in ({"advance_s": -1}, {"now_ms": 0}, {"advance_s": "soon"}, {}, [1]):
            assert (await c.post("/_sandbox/clock", json=bad)).status_code == 400, bad
        await c.post("/_sandbox/reset")
        assert (await c.get("/_sandbox/clock")).json()["offset_ms"] == 0


async def test_asset_urls_expire_and_answer_like_cloud_storage() -> None:
    sb = Sandbox(SandboxConfig.instant(asset_url_ttl_s=3600))
    async with http(sb) as c:
        rid = (await c.post("/api/v1/requests", json=body("image.generate"))).json()["id"]
        url = (await c.get(f"/api/v1/requests/{rid}")).json()["output"]["image_url"]
        assert (await c.get(url)).status_code == 200
        forged = await c.get(url.replace("signature=", "signature=0"))
        assert forged.status_code == 403 and storage_code(forged) == "SignatureDoesNotMatch"
        unsigned = await c.get(url.split("?")[0])
        assert unsigned.status_code == 403 and storage_code(unsigned) == "MissingSecurityHeader"
        missing = await c.get(url.replace(rid, "req_nope"))
        assert missing.status_code == 403  # the signature covers the path
        sb.advance_clock(3601)
        expired = await c.get(url)
        assert expired.status_code == 400 and storage_code(expired) == "ExpiredToken"
        assert "expired" in expired.text


def test_the_client_gets_a_typed_error_for_an_expired_asset(
    cannon_sandbox: Any, tmp_path: Any
) -> None:
    with Cannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as client:
        handle = client.requests.create("image.generate", {"prompt": "expiring"}).wait()
        assert handle.download(tmp_path / "ok")
        cannon_sandbox.advance_clock(8 * DAY_S)
        with pytest.raises(APIStatusError) as caught:
            handle.download(tmp_path / "late")
    assert caught.value.status_code == 400 and "ExpiredToken" in str(caught.value.body)


async def test_idempotency_keys_expire_on_the_clock() -> None:
    sb = Sandbox(SandboxConfig.instant())
    async with http(sb) as c:
        headers = {"x-idempotency-key": "clock-key-1"}
        first = await c.post("/api/v1/requests", json=body("image.generate"), headers=headers)
        again = await c.post("/api/v1/requests", json=body("image.generate"), headers=headers)
        assert again.json()["id"] == first.json()["id"] and sb.created_count() == 1
        sb.advance_clock(sb.config.idempotency_ttl_s + 1)
        late = await c.post("/api/v1/requests", json=body("image.generate"), headers=headers)
        assert late.json()["id"] != first.json()["id"] and sb.created_count() == 2


def test_fixture_advance_clock_is_undone_after_the_test(cannon_sandbox: Any) -> None:
    sb = cannon_sandbox.sandbox
    assert sb.clock.offset_ms == 0
    cannon_sandbox.advance_clock(3 * DAY_S)
    assert sb.clock.offset_ms == 3 * 86_400_000


def test_fixture_clock_starts_at_zero_offset_again(cannon_sandbox: Any) -> None:
    assert cannon_sandbox.sandbox.clock.offset_ms == 0


# -- drop_after_commit -------------------------------------------------------------------------


async def test_drop_after_commit_is_not_used_up_by_a_rejected_or_replayed_create() -> None:
    sb = Sandbox(SandboxConfig.instant())
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
    async with http(sb) as c:
        invalid = await c.post("/api/v1/requests", json={"operation": "image.generate"})
        assert invalid.status_code == 400
        sb.set_credits(sb.account, 0)
        assert (await c.post("/api/v1/requests", json=body("image.generate"))).status_code == 402
        sb.set_credits(sb.account, 1000)
        assert sb.faults.rules()[0]["fired"] == 0 and sb.fault_log() == []
        headers = {"x-idempotency-key": "commit-1"}
        with pytest.raises(httpx2.RemoteProtocolError):
            await c.post("/api/v1/requests", json=body("image.generate"), headers=headers)
        assert sb.created_count() == 1 and sb.faults.rules()[0]["fired"] == 1
        replay = await c.post("/api/v1/requests", json=body("image.generate"), headers=headers)
        assert replay.status_code == 202 and sb.created_count() == 1


async def test_drop_after_commit_with_a_count_fires_on_that_many_commits() -> None:
    sb = Sandbox(SandboxConfig.instant())
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=2))
    async with http(sb) as c:
        outcomes = []
        for _n in range(4):
            await c.post("/api/v1/requests", json={"operation": "image.generate", "input": {}})
            try:
                r = await c.post("/api/v1/requests", json=body("image.generate"))
                outcomes.append(r.status_code)
            except httpx2.RemoteProtocolError:
                outcomes.append("dropped")
    assert outcomes == ["dropped", "dropped", 202, 202]
    assert sb.created_count() == 4
