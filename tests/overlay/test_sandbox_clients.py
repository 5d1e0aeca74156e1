"""Cannon and AsyncCannon against the real sandbox server (session server on 127.0.0.1,
instant mode): each scenario written once and run with both clients (``mode``)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx2
import pytest
from cannon_studio import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InputValidationError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestFailedError,
    ServerError,
    WaitTimeoutError,
    _validation,
)
from cannon_studio.assets import adownload, download
from cannon_studio_sandbox import FaultRule
from overlay_helpers import MODES, client_for, each, handle_class, resolve
from overlay_schema_inputs import enum_fields, input_component, operations, valid_input

pytestmark = pytest.mark.parametrize("mode", MODES)


async def test_quickstart_flow(
    mode: str, sandbox_client: Any, cannon_sandbox: Any, tmp_path: Path
) -> None:
    c = sandbox_client
    status = await resolve(c.status())
    assert status.ok and status.credits_remaining == cannon_sandbox.sandbox.credits_remaining(
        cannon_sandbox.account
    )
    handle = await resolve(c.images.generate(prompt="a lighthouse", aspect_ratio="1:1"))
    assert isinstance(handle, handle_class(mode))
    assert handle.status in ("queued", "processing", "succeeded") and handle.accepted is not None
    await resolve(handle.wait(max_wait=30))
    assert handle.status == "succeeded" and type(handle.output).__name__ == "ImageOutput"
    assert handle.credits is not None and handle.credits > 0
    paths = await resolve(handle.download(tmp_path))
    assert paths and paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = await resolve(c.requests.retrieve(handle.id))
    assert again.status == "succeeded" and again.operation == "image.generate"
    out = await resolve(c.prompts.enhance_image(prompt="a cat", wait=True))
    assert out.enhanced_prompt
    narration = await resolve(c.audio.narration(text="hello there", voice_id="voice_123"))
    seen: list[str] = []
    await resolve(narration.wait(max_wait=30, on_update=lambda h: seen.append(h.status)))
    assert narration.status == "succeeded" and seen[-1] == "succeeded"
    assert type(narration.output).__name__ == "AudioOutput"
    paths = await resolve(narration.download(tmp_path))
    assert paths and paths[0].suffix == ".mp3" and paths[0].read_bytes()[:3] == b"ID3"  # MP3
    video = await resolve(c.video.generate(prompt="sunrise", wait=True))
    assert type(video).__name__ == "VideoOutput"
    assert await resolve(c.run("prompt.enhance.variant", {"prompt": "red coat"})) is not None


async def test_every_operation_runs(sandbox_client: Any) -> None:
    handles = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for op in operations():
            handles.append(await resolve(sandbox_client.requests.create(op, valid_input(op))))
    done = await resolve(sandbox_client.requests.wait_all(handles, max_wait=60))
    assert [h.status for h in done] == ["succeeded"] * len(handles)
    assert all(h.output is not None for h in done)


async def test_retry_after_is_honoured(
    sandbox_client: Any, cannon_sandbox: Any, no_sleep: list[float]
) -> None:
    sb = cannon_sandbox.sandbox
    sb.add_fault(FaultRule("429", endpoint="get", count=1, retry_after_s=2))
    sb.add_fault(FaultRule("503", endpoint="create", count=1, retry_after_s=1))
    handle = await resolve(sandbox_client.video.generate(prompt="storm"))
    await resolve(sandbox_client.requests.retrieve(handle.id))
    assert 1.0 in no_sleep and 2.0 in no_sleep
    assert len(sb.fault_log()) == 2
    assert sb.created_count() == 1


async def test_lost_create_response_is_retried_with_same_key(
    sandbox_client: Any, cannon_sandbox: Any, no_sleep: list[float]
) -> None:
    sb = cannon_sandbox.sandbox
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
    handle = await resolve(sandbox_client.video.generate(prompt="once only"))
    ledger = sb.ledger()
    assert len(ledger) == 1 and sb.created_count() == 1
    assert ledger[0]["id"] == handle.id
    assert ledger[0]["idempotency_key"] == handle.idempotency_key
    assert sb.credits_charged() == ledger[0]["credits"]
    assert len(no_sleep) == 1


async def test_retry_after_then_lost_create_keep_one_key(
    sandbox_client: Any, cannon_sandbox: Any, no_sleep: list[float]
) -> None:
    sb = cannon_sandbox.sandbox
    sb.add_fault(FaultRule("429", endpoint="create", count=1, retry_after_s=3))
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
    handle = await resolve(sandbox_client.images.generate(prompt="once"))
    assert 3.0 in no_sleep
    ledger = sb.ledger()
    assert len(ledger) == 1 and ledger[0]["idempotency_key"] == handle.idempotency_key
    assert ledger[0]["id"] == handle.id


async def test_failed_request(sandbox_client: Any) -> None:
    handle = await resolve(sandbox_client.video.generate(prompt="this will [fail]"))
    with pytest.raises(RequestFailedError) as info:
        await resolve(handle.wait(max_wait=30))
    assert info.value.request_id == handle.id
    assert info.value.error_message and "[fail]" in info.value.error_message
    assert handle.status == "failed"


async def test_deadline(sandbox_client: Any, cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.update_config(
        job_duration_s=(30.0, 30.0), queue_delay_s=0.0, poll_after_ms=0
    )
    handle = await resolve(sandbox_client.video.generate(prompt="long one"))
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as info:
        await resolve(handle.wait(max_wait=0.3))
    assert info.value.request_id == handle.id
    assert time.monotonic() - started < 5
    assert (await resolve(sandbox_client.requests.retrieve(handle.id))).status in (
        "queued",
        "processing",
    )


async def _slow_then_fast(
    c: Any, sandbox: Any, enhance: str, n_fast: int, failing: str
) -> tuple[list[Any], list[Any]]:
    """Three 1.5 s requests, then ``n_fast`` quick ones and one that fails (``failing``)."""
    sandbox.update_config(job_duration_s=(1.5, 1.5), queue_delay_s=0.0, poll_after_ms=50)
    make = getattr(c.prompts, enhance)
    slow = [await resolve(make(prompt=f"slow {i}")) for i in range(3)]
    sandbox.update_config(job_duration_s=(0.05, 0.3))
    fast = [await resolve(make(prompt=f"fast {i}")) for i in range(n_fast)]
    namespace, _, method = failing.partition(".")
    fast.append(await resolve(getattr(getattr(c, namespace), method)(prompt="boom [fail]")))
    return slow, fast


async def test_as_completed_mixed_durations(sandbox_client: Any, cannon_sandbox: Any) -> None:
    c = sandbox_client
    slow, fast = await _slow_then_fast(
        c, cannon_sandbox.sandbox, "enhance_video", 3, "video.generate"
    )
    changes: list[tuple[str, str]] = []
    followed = c.requests.as_completed(
        slow + fast, max_wait=30, on_update=lambda h: changes.append((h.id, h.status))
    )
    seen = [h async for h in each(followed)]
    assert {h.id for h in seen[:4]} == {h.id for h in fast}  # the quick ones come out first
    assert {h.id for h in seen[4:]} == {h.id for h in slow}
    assert [h.status for h in seen].count("failed") == 1
    assert all((h.id, h.status) in changes for h in seen)
    assert sum(h._polls for h in seen) <= 5 * len(seen)


async def test_as_completed_bounded_then_wait_all_by_id(
    sandbox_client: Any, cannon_sandbox: Any
) -> None:
    c = sandbox_client
    slow, fast = await _slow_then_fast(
        c, cannon_sandbox.sandbox, "enhance_image", 4, "images.generate"
    )
    followed = c.requests.as_completed(slow + fast, max_wait=30, max_concurrency=2)
    order = [h async for h in each(followed)]
    assert {h.id for h in order[:5]} == {h.id for h in fast}
    assert {h.id for h in order[5:]} == {h.id for h in slow}
    assert [h.status for h in order].count("failed") == 1
    again = await resolve(c.requests.wait_all([h.id for h in slow]))
    assert [h.id for h in again] == [h.id for h in slow]


async def test_error_classes_from_real_responses(
    mode: str,
    sandbox_client: Any,
    cannon_sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    c = sandbox_client
    sb = cannon_sandbox.sandbox
    base = cannon_sandbox.base_url
    async with client_for(mode, api_key="cs_test_not_a_real_key", base_url=base) as bad:
        with pytest.raises(AuthenticationError):
            await resolve(bad.status())
    with pytest.raises(NotFoundError):
        await resolve(c.requests.retrieve("req_does_not_exist"))
    await resolve(c.video.generate(prompt="a", idempotency_key="same-key-1"))
    with pytest.raises(ConflictError):
        await resolve(c.video.generate(prompt="b", idempotency_key="same-key-1"))
    handle = await resolve(c.images.generate(prompt="x"))
    await resolve(handle.wait(max_wait=30))
    tampered = handle.asset_urls()[0].replace("signature=", "signature=00")
    fetch = adownload if mode == "async" else download
    with pytest.raises(PermissionDeniedError):
        await resolve(fetch(tampered, tmp_path, http_client=c._core.download_client()))
    monkeypatch.setattr(_validation, "validate_envelope", lambda spec, body: None)
    with pytest.raises(BadRequestError) as info:
        await resolve(c.requests.create("video.generate", {"prompt": "x" * 4001}))
    assert info.value.status_code in (400, 422) and info.value.field == "input.prompt"
    assert sb.created_count() == 2
    with pytest.raises(BadRequestError) as info:  # raw bodies past every client-side check
        await resolve(
            c._core.http.post(
                "/api/v1/requests",
                json={
                    "operation": "video.generate",
                    "input": {"prompt": "x", "aspect_ratio": "5:4"},
                },
            )
        )
    assert info.value.field == "input.aspect_ratio"
    assert info.value.allowed and "16:9" in info.value.allowed
    with pytest.raises(BadRequestError) as info:
        await resolve(
            c._core.http.post(
                "/api/v1/requests", json={"operation": "image.generate", "input": {"prompt": ""}}
            )
        )
    assert info.value.field == "input.prompt"
    sb.set_credits(cannon_sandbox.account, 0)
    with pytest.raises(InsufficientCreditsError):
        await resolve(c.video.generate(prompt="no money"))
    async with client_for(mode, api_key=cannon_sandbox.api_key, base_url=base, max_retries=0) as c0:
        for kind, cls in (
            ("429", RateLimitError),
            ("500", ServerError),
            ("502", ServerError),
            ("503", ServerError),
            ("drop_before", APIConnectionError),
        ):
            sb.add_fault(FaultRule(kind, endpoint="status", count=1))
            with pytest.raises(cls) as err:
                await resolve(c0.status())
            if kind == "429":
                assert err.value.retry_after == 1.0  # type: ignore[attr-defined]
            sb.add_fault(FaultRule(kind, endpoint="get", count=1))
            with pytest.raises(cls):
                await resolve(c0.requests.retrieve("req_any"))
    async with client_for(
        mode, api_key=cannon_sandbox.api_key, base_url=base, max_retries=0, timeout=0.2
    ) as c1:
        sb.add_fault(FaultRule("slow", endpoint="status", count=1, delay_s=1.0))
        with pytest.raises(APITimeoutError):
            await resolve(c1.status())


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[bytes, dict[str, str]]]] = []
    arrived: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        type(self).received.append((body, dict(self.headers.items())))
        type(self).arrived.set()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[bytes, dict[str, str]]]]]:
    _Receiver.received = []
    _Receiver.arrived = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/cannon", _Receiver.received
    finally:
        server.shutdown()
        server.server_close()


async def test_webhook_delivery_verifies(sandbox_client: Any, receiver: Any) -> None:
    url, received = receiver
    handle = await resolve(sandbox_client.video.generate(prompt="hooked", webhook_url=url))
    await resolve(handle.wait(max_wait=30))
    await asyncio.to_thread(_Receiver.arrived.wait, 10)  # the receiver runs in its own thread
    assert received, "the sandbox did not deliver the webhook"
    body, headers = received[0]
    event = await resolve(sandbox_client.webhooks.verify(body, headers))
    assert event.data.id == handle.id and event.type_ == "request.succeeded"
    assert json.loads(body)["id"] == headers.get("webhook-id", headers.get("Webhook-Id"))


async def test_client_side_validation_sends_nothing(mode: str, cannon_sandbox: Any) -> None:
    sent: list[str] = []

    def count(request: httpx2.Request) -> None:
        sent.append(request.url.path)

    async def acount(request: httpx2.Request) -> None:
        count(request)

    user: httpx2.Client | httpx2.AsyncClient
    if mode == "async":
        user = httpx2.AsyncClient(event_hooks={"request": [acount]})
    else:
        user = httpx2.Client(event_hooks={"request": [count]})
    sb = cannon_sandbox.sandbox
    before = sb.credits_remaining(cannon_sandbox.account)
    async with client_for(
        mode, api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url, http_client=user
    ) as c:
        for op in operations():
            required = input_component(op)["required"][0]
            bad = {k: v for k, v in valid_input(op).items() if k != required}
            with pytest.raises(InputValidationError) as info:
                await resolve(c.requests.create(op, bad))
            assert info.value.operation == op and info.value.field == f"input.{required}"
            for name, allowed in enum_fields(op)[:1]:
                with pytest.raises(InputValidationError) as info:
                    await resolve(c.requests.create(op, {**valid_input(op), name: "nope"}))
                assert info.value.allowed == allowed
        assert sent == []
        assert (await resolve(c.status())).ok and sent == ["/api/v1/status"]  # it does send
    await resolve(user.aclose() if isinstance(user, httpx2.AsyncClient) else user.close())
    assert sb.created_count() == 0 and sb.credits_remaining(cannon_sandbox.account) == before
