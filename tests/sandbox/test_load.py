"""1,000 concurrent creates and polls against one sandbox process over real loopback.

The sandbox runs as its own process (``python -m cannon_studio_sandbox --port 0``) so the client
and the server do not share one interpreter; timing is set through ``POST /_sandbox/config``.
No timing is asserted (speed is measured by benchmarks, not tests).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from .conftest import VALID_INPUTS

N = 1_000


CONTROL_HEADERS = {"x-sandbox-token": "load-test-control-token-01234"}
CONTROL_TOKEN = CONTROL_HEADERS["x-sandbox-token"]


@pytest.fixture
def sandbox_process() -> Iterator[tuple[str, str]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cannon_studio_sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--credits",
            "10000000",
            "--control-token",
            CONTROL_TOKEN,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        base_url = first.split(" on ", 1)[1].split()[0]
        api_key = first.rsplit("api key: ", 1)[1].strip()
        yield base_url, api_key
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_thousand_concurrent_creates_and_polls(sandbox_process: tuple[str, str]) -> None:
    base_url, api_key = sandbox_process
    config = {"job_duration_s": [0.2, 0.6], "queue_delay_s": 0.05, "poll_after_ms": 800}
    assert (
        httpx2.post(f"{base_url}/_sandbox/config", json=config, headers=CONTROL_HEADERS).status_code
        == 200
    )
    operations = sorted(VALID_INPUTS)
    errors: list[str] = []

    async def one(client: httpx2.AsyncClient, slots: asyncio.Semaphore, i: int) -> str:
        op = operations[i % len(operations)]
        payload: dict[str, Any] = {"operation": op, "input": VALID_INPUTS[op]}
        async with slots:
            r = await client.post(
                "/api/v1/requests", json=payload, headers={"x-idempotency-key": f"load-{i}"}
            )
        if r.status_code != 202:
            errors.append(f"create {r.status_code}")
            return ""
        accepted = r.json()
        await asyncio.sleep(accepted["poll_after_ms"] / 1000)
        while True:
            async with slots:
                g = await client.get(accepted["urls"]["get"])
            if g.status_code != 200:
                errors.append(f"get {g.status_code}")
                return ""
            status: str = g.json()["status"]
            if status in ("succeeded", "failed"):
                return status
            await asyncio.sleep(0.25)

    async def run() -> list[str]:
        # All 1,000 requests are in flight at once; HTTP calls share 100 keep-alive connections.
        # The semaphore keeps waiters out of httpcore2's pool, whose queue handling is O(n^2).
        slots = asyncio.Semaphore(100)
        limits = httpx2.Limits(max_connections=100, max_keepalive_connections=100)
        timeout = httpx2.Timeout(30.0, pool=None)
        async with httpx2.AsyncClient(
            base_url=base_url, headers={"x-api-key": api_key}, limits=limits, timeout=timeout
        ) as client:
            return await asyncio.gather(*(one(client, slots, i) for i in range(N)))

    results = asyncio.run(run())
    assert errors == []
    assert results.count("succeeded") == N
    ledger = httpx2.get(f"{base_url}/_sandbox/ledger", headers=CONTROL_HEADERS).json()
    assert ledger["created_count"] == N == len(ledger["entries"])
    assert len({e["id"] for e in ledger["entries"]}) == N
