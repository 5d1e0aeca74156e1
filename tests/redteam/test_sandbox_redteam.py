"""Red team, the sandbox as a server people run: control token, JSON only, Host check, loopback
by default, body and nesting caps, NaN/Infinity, odd control values, bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx2
import psutil
import pytest
from cannon_studio_sandbox import Sandbox, SandboxConfig
from cannon_studio_sandbox.__main__ import main as sandbox_main
from redteam_support import asgi_call, record

AREA = "sandbox"
CONTROL_ROUTES = [
    ("GET", "/_sandbox/ledger"),
    ("POST", "/_sandbox/reset"),
    ("GET", "/_sandbox/faults"),
    ("POST", "/_sandbox/faults"),
    ("DELETE", "/_sandbox/faults"),
    ("GET", "/_sandbox/webhooks"),
    ("GET", "/_sandbox/config"),
    ("POST", "/_sandbox/config"),
    ("POST", "/_sandbox/credits"),
    ("GET", "/_sandbox/clock"),
    ("POST", "/_sandbox/clock"),
    ("GET", "/_sandbox/rate-limits"),
]
VALID = {"operation": "prompt.enhance.image", "input": {"prompt": "a fox in snow"}}


@pytest.mark.parametrize(("method", "path"), CONTROL_ROUTES)
def test_control_api_needs_the_token(cannon_sandbox: Any, method: str, path: str) -> None:
    sb = cannon_sandbox.sandbox
    url = cannon_sandbox.base_url + path
    before = sb.created_count(), sb.config
    answers = [
        httpx2.request(method, url, json={}).status_code,
        httpx2.request(method, url, json={}, headers={"x-sandbox-token": "guess" * 8}).status_code,
    ]
    held = answers == [401, 401] and (sb.created_count(), sb.config) == before
    assert record(AREA, held), answers


def test_control_api_accepts_only_json(cannon_sandbox: Any) -> None:
    token = {"x-sandbox-token": cannon_sandbox.control_token}
    url = f"{cannon_sandbox.base_url}/_sandbox/credits"
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        r = httpx2.post(
            url,
            content=json.dumps({"account": cannon_sandbox.account, "credits": 0}),
            headers={**token, "content-type": content_type},
        )
        assert record(AREA, r.status_code == 415), (content_type, r.status_code)
    ok = httpx2.get(f"{cannon_sandbox.base_url}/_sandbox/ledger", headers=token)
    assert record(
        AREA,
        ok.status_code == 200
        and cannon_sandbox.sandbox.credits_remaining(cannon_sandbox.account) > 0,
    )


@pytest.mark.parametrize(
    "host", ["evil.example", "rebind.attacker.test", "localhost.evil.example", "127.0.0.1:1"]
)
def test_every_route_checks_the_host_header(cannon_sandbox: Any, host: str) -> None:
    port = cannon_sandbox.base_url.rsplit(":", 1)[1]
    value = host if ":" in host else f"{host}:{port}"
    headers = {"host": value, "x-api-key": cannon_sandbox.api_key, **cannon_sandbox.control_headers}
    statuses = [
        httpx2.get(cannon_sandbox.base_url + "/api/v1/status", headers=headers).status_code,
        httpx2.get(cannon_sandbox.base_url + "/_sandbox/ledger", headers=headers).status_code,
        httpx2.post(cannon_sandbox.base_url + "/_sandbox/reset", headers=headers).status_code,
    ]
    assert record(AREA, statuses == [421, 421, 421]), statuses
    good = {**headers, "host": f"localhost:{port}"}
    assert httpx2.get(cannon_sandbox.base_url + "/api/v1/status", headers=good).status_code == 200


def test_non_loopback_host_needs_an_explicit_flag(capsys: pytest.CaptureFixture[str]) -> None:
    # Refused before anything is bound (the suite binds loopback only).
    code = sandbox_main(["--host", "0.0.0.0", "--port", "0"])
    err = capsys.readouterr().err
    assert record(AREA, code == 2 and "--allow-non-loopback" in err), err


def test_control_token_printed_and_settable() -> None:
    token = "redteam-control-token-0123456789"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cannon_studio_sandbox", "--port", "0", "--control-token", token],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        base = lines[0].split(" on ", 1)[1].split()[0]
        printed = any(f"control token: {token}" in line for line in lines)
        ok = httpx2.get(f"{base}/_sandbox/ledger", headers={"x-sandbox-token": token})
        refused = httpx2.get(f"{base}/_sandbox/ledger")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert record(AREA, printed and ok.status_code == 200 and refused.status_code == 401), lines


def _deep(n: int) -> bytes:
    return (
        b'{"operation": "prompt.enhance.image", "input": {"prompt": ' + b"[" * n + b"]" * n + b"}}"
    )


HOSTILE_BODIES: dict[str, bytes] = {
    "deep JSON (100k)": _deep(100_000),
    "deep JSON (40)": _deep(40),
    "NaN": b'{"operation": "video.generate", "input": {"prompt": "x", "duration": NaN}}',
    "Infinity": b'{"operation": "video.generate", "input": {"prompt": "x", "duration": Infinity}}',
    "-Infinity": b'{"operation": "video.generate", "input": {"prompt": "x", "duration": -Infinity}}',
    "1e400": b'{"operation": "video.generate", "input": {"prompt": "x", "duration": 1e400}}',
    "lone surrogate": b'{"operation": "prompt.enhance.image", "input": {"prompt": "\\ud800"}}',
    "huge integer": b'{"operation": "video.generate", "input": {"prompt": "x", "duration": '
    + b"9" * 5000
    + b"}}",
    "not UTF-8": b'{"operation": "prompt.enhance.image", "input": {"prompt": "\xff\xfe"}}',
    "2 MiB body": b'{"operation": "prompt.enhance.image", "input": {"prompt": "'
    + b"a" * (2 << 20)
    + b'"}}',
}


@pytest.mark.parametrize("case", sorted(HOSTILE_BODIES))
async def test_hostile_create_bodies_are_4xx_and_charge_nothing(case: str) -> None:
    sb = Sandbox(SandboxConfig.instant())
    headers = {"x-api-key": sb.api_key, "content-type": "application/json"}
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app), base_url="http://sandbox.test", headers=headers
    ) as c:
        r = await c.post("/api/v1/requests", content=HOSTILE_BODIES[case])
        after = [(await c.get("/api/v1/status")).status_code]
    held = r.status_code in (400, 413, 422) and sb.created_count() == 0 and after == [200]
    assert record(AREA, held), (r.status_code, r.text[:200])


ODD_CONTROL_CALLS: list[tuple[str, Any]] = [
    ("/_sandbox/credits", {"account": "acct_default", "credits": 1e300}),
    ("/_sandbox/credits", {"account": "acct_default", "credits": "many"}),
    ("/_sandbox/credits", {"account": ["acct_default"], "credits": 1}),
    ("/_sandbox/credits", {"account": "nobody", "credits": 5}),
    ("/_sandbox/credits", [1, 2]),
    ("/_sandbox/config", {"failure_rate": "x"}),
    ("/_sandbox/config", {"job_duration_s": [1]}),
    ("/_sandbox/config", {"poll_after_ms": {"a": 1}}),
    ("/_sandbox/config", {"max_retained_requests": 0}),
    ("/_sandbox/config", [None]),
    ("/_sandbox/clock", {"advance_s": 1e308}),
    ("/_sandbox/clock", {"advance_s": "nan"}),
    ("/_sandbox/clock", {"now_ms": 1e300}),
    ("/_sandbox/faults", {"kind": "500", "rate": "often"}),
    ("/_sandbox/faults", {"rules": [None]}),
    ("/_sandbox/faults", {"rules": "x"}),
]


@pytest.mark.parametrize(("path", "payload"), ODD_CONTROL_CALLS)
async def test_odd_control_values_are_400_and_change_nothing(path: str, payload: Any) -> None:
    sb = Sandbox(SandboxConfig.instant())
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://sandbox.test",
        headers={"x-api-key": sb.api_key, **sb.control_headers},
    ) as c:
        r = await c.post(path, json=payload)
        later = [
            (await c.get("/api/v1/status")).status_code,
            (await c.post("/api/v1/requests", json=VALID)).status_code,
            (await c.get("/_sandbox/clock")).status_code,
        ]
    assert record(AREA, r.status_code == 400 and later == [200, 202, 200]), (r.status_code, later)


async def test_non_ascii_asset_signature_is_refused_not_a_crash() -> None:
    sb = Sandbox(SandboxConfig.instant())
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://sandbox.test",
        headers={"x-api-key": sb.api_key},
    ) as c:
        rid = (await c.post("/api/v1/requests", json=VALID)).json()["id"]
        r = await c.get(
            f"/assets/{rid}/x.png", params={"expires": "99999999999", "signature": "é" * 32}
        )
    assert record(AREA, 400 <= r.status_code < 500), r.status_code


async def test_expired_keys_and_old_requests_are_evicted() -> None:
    sb = Sandbox(SandboxConfig.instant(max_retained_requests=50, idempotency_ttl_s=60))
    headers = {"x-api-key": sb.api_key, "content-type": "application/json"}
    body = json.dumps(VALID).encode()
    for i in range(200):
        status = await asgi_call(
            sb.app, "POST", "/api/v1/requests", {**headers, "x-idempotency-key": f"k{i}"}, body
        )
        assert status == 202
    bounded = len(sb.state.requests) <= 50 and len(sb.state.idempotency) <= 50
    counted = sb.created_count() == 200 and sb.credits_charged() == 200 * sb.ledger()[0]["credits"]
    sb.advance_clock(61)
    await asgi_call(
        sb.app, "POST", "/api/v1/requests", {**headers, "x-idempotency-key": "new"}, body
    )
    expired = list(sb.state.idempotency) == [(sb.account, "new")]
    assert record(AREA, bounded and counted and expired), (
        len(sb.state.requests),
        sb.created_count(),
    )


SOAK_CREATES = 20_000
SOAK_BOUND_MIB_PER_10K = 8.0
"""Before eviction the sandbox grew ~6 KiB per request (~60 MiB per 10,000)."""


@pytest.mark.slow
async def test_soak_memory_stays_bounded(capsys: pytest.CaptureFixture[str]) -> None:
    sb = Sandbox(SandboxConfig.instant(initial_credits=10**12))
    headers = {"x-api-key": sb.api_key, "content-type": "application/json"}
    body = json.dumps(VALID).encode()
    proc = psutil.Process()
    rss: dict[int, float] = {}
    for i in range(1, SOAK_CREATES + 1):
        status = await asgi_call(
            sb.app, "POST", "/api/v1/requests", {**headers, "x-idempotency-key": f"soak-{i}"}, body
        )
        assert status == 202
        if i % 10_000 == 0:
            rss[i] = proc.memory_info().rss / 2**20
    growth = rss[SOAK_CREATES] - rss[10_000]
    per_10k = growth / ((SOAK_CREATES - 10_000) / 10_000)
    with capsys.disabled():
        print(
            f"\nsandbox soak: {SOAK_CREATES} creates, RSS {rss[10_000]:.1f} MiB after 10,000 -> "
            f"{rss[SOAK_CREATES]:.1f} MiB; growth {per_10k:+.1f} MiB per 10,000 after the first "
            f"10,000 (bound {SOAK_BOUND_MIB_PER_10K} MiB); retained {len(sb.state.requests)}"
        )
    held = per_10k < SOAK_BOUND_MIB_PER_10K and sb.created_count() == SOAK_CREATES
    assert record(AREA, held), rss
