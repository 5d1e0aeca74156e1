"""The documented webhook receivers (Starlette, and the FastAPI and Flask files of ``examples/``
that the webhooks page shows) stay correct against a sender that duplicates and reorders: the sandbox delivers a batch of events to each with the ``duplicate``
and ``reorder`` fault kinds on, and every request is handled exactly once, every delivery
(repeats included) acknowledged with 2xx, so the sender never retries."""

from __future__ import annotations

import asyncio
import runpy
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cannon_studio_sandbox import FaultRule, Sandbox, SandboxConfig

from tests.readme.pages import ROOT, blocks

RECEIVER_BLOCKS = [block for _, block in blocks("py") if "/hooks/cannon" in block]  # not Dask's
EXAMPLES = sorted((ROOT / "examples").glob("*_receiver.py"))
STARLETTE_BLOCK = next(b for _, b in blocks("python") if 'Route("/hooks/cannon"' in b)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
HOOK = "https://receiver.test/hooks/cannon"
EVENTS = 10


class AsyncWSGITransport(httpx2.AsyncBaseTransport):
    """Runs a WSGI app (Flask) behind an async transport, one request at a time in a thread."""

    def __init__(self, app: Any) -> None:
        self._sync = httpx2.WSGITransport(app=app)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        content = await request.aread()
        sync_request = httpx2.Request(
            request.method, request.url, headers=request.headers, content=content
        )
        response = await asyncio.to_thread(self._sync.handle_request, sync_request)
        body = await asyncio.to_thread(response.read)
        return httpx2.Response(response.status_code, headers=response.headers, content=body)


async def deliver_batch(transport: httpx2.AsyncBaseTransport) -> tuple[list[str], Sandbox]:
    """Create EVENTS requests whose webhooks go through ``transport`` with faults on."""
    sb = Sandbox(SandboxConfig.instant(webhook_secret=SECRET, seed=5), webhook_transport=transport)
    sb.add_fault(FaultRule("duplicate", endpoint="webhooks", rate=0.5, delay_s=0.01))
    sb.add_fault(FaultRule("reorder", endpoint="webhooks", rate=0.5, delay_s=0.05))
    ids = []
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://sandbox.test",
        headers={"x-api-key": sb.api_key},
    ) as api:
        for n in range(EVENTS):
            r = await api.post(
                "/api/v1/requests",
                json={
                    "operation": "prompt.enhance.image",
                    "input": {"prompt": f"event {n}"},
                    "webhook_url": HOOK,
                },
            )
            ids.append(r.json()["id"])
    await sb.drain_webhooks(timeout_s=20)
    return ids, sb


def assert_at_least_once_handled(ids: list[str], handled: list[str], sb: Sandbox) -> None:
    log = sb.webhook_deliveries()
    assert sorted(handled) == sorted(ids)  # every request exactly once
    assert any(d["duplicate"] for d in log), "the sender sent no duplicate"
    assert any(d["held_s"] for d in log), "the sender reordered nothing"
    assert all(d["ok"] and d["attempt"] == 1 for d in log), log  # repeats acknowledged: no retry


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
async def test_receiver_example_under_duplicates_and_reordering(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANNON_WEBHOOK_SECRET", SECRET)
    monkeypatch.delenv("CANNON_API_KEY", raising=False)  # a receiver needs only the secret
    module = runpy.run_path(str(path), run_name="readme_receiver")  # not __main__: no server
    handled: list[str] = []
    module["handle_event"].__globals__["handle_event"] = lambda event: handled.append(event.data.id)
    app = module["app"]
    transport: httpx2.AsyncBaseTransport = (
        AsyncWSGITransport(app) if hasattr(app, "test_client") else httpx2.ASGITransport(app)
    )
    ids, sb = await deliver_batch(transport)
    assert_at_least_once_handled(ids, handled, sb)


def test_docs_show_the_receiver_examples() -> None:
    assert sorted(RECEIVER_BLOCKS) == sorted(path.read_text(encoding="utf-8") for path in EXAMPLES)


async def test_starlette_receiver_under_duplicates_and_reordering(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CANNON_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("CANNON_API_KEY", "cs_test_readme")
    scope: dict[str, Any] = {"__name__": "readme_receiver"}
    await asyncio.to_thread(exec, STARLETTE_BLOCK, scope)  # also runs its own self-test
    capsys.readouterr()
    ids, sb = await deliver_batch(httpx2.ASGITransport(scope["app"]))
    printed = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert_at_least_once_handled(ids, printed, sb)
