"""AsyncCannon against an in-process sandbox (httpx2.ASGITransport, instant mode)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cannon_studio import (
    APIConnectionError,
    AsyncCannon,
    AsyncRequestHandle,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    RateLimitError,
    RequestFailedError,
    ServerError,
    WaitTimeoutError,
)
from cannon_studio_sandbox import FaultRule


async def test_quickstart_flow(aclient: AsyncCannon, tmp_path: Path) -> None:
    status = await aclient.status()
    assert status.ok
    handle = await aclient.audio.narration(text="hello there", voice_id="voice_123")
    assert isinstance(handle, AsyncRequestHandle)
    seen: list[str] = []

    async def on_update(h: AsyncRequestHandle) -> None:
        seen.append(h.status)

    await handle.wait(max_wait=30, on_update=on_update)
    assert handle.status == "succeeded" and seen[-1] == "succeeded"
    assert type(handle.output).__name__ == "AudioOutput"
    paths = await handle.download(tmp_path)
    assert paths and paths[0].suffix == ".mp3" and paths[0].read_bytes()[:3] == b"ID3"  # MP3
    out = await aclient.video.generate(prompt="sunrise", wait=True)
    assert type(out).__name__ == "VideoOutput"
    assert (await aclient.requests.retrieve(handle.id)).status == "succeeded"
    assert await aclient.run("prompt.enhance.variant", {"prompt": "red coat"}) is not None


async def test_retry_after_and_lost_create(
    aclient: AsyncCannon, cannon_sandbox_app: Any, no_sleep: list[float]
) -> None:
    sb = cannon_sandbox_app
    sb.add_fault(FaultRule("429", endpoint="create", count=1, retry_after_s=3))
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
    handle = await aclient.images.generate(prompt="once")
    assert 3.0 in no_sleep
    ledger = sb.ledger()
    assert len(ledger) == 1 and ledger[0]["idempotency_key"] == handle.idempotency_key
    assert ledger[0]["id"] == handle.id


async def test_failed_and_deadline(aclient: AsyncCannon, cannon_sandbox_app: Any) -> None:
    handle = await aclient.images.generate(prompt="[fail] please")
    with pytest.raises(RequestFailedError) as info:
        await handle.wait(max_wait=30)
    assert info.value.error_message and info.value.request_id == handle.id
    cannon_sandbox_app.update_config(
        job_duration_s=(30.0, 30.0), queue_delay_s=0.0, poll_after_ms=0
    )
    slow = await aclient.video.generate(prompt="slow")
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as timeout:
        await slow.wait(max_wait=0.3)
    assert timeout.value.request_id == slow.id and time.monotonic() - started < 5


async def test_as_completed_mixed_durations(aclient: AsyncCannon, cannon_sandbox_app: Any) -> None:
    sb = cannon_sandbox_app
    sb.update_config(job_duration_s=(1.5, 1.5), queue_delay_s=0.0, poll_after_ms=50)
    slow = [await aclient.prompts.enhance_image(prompt=f"slow {i}") for i in range(3)]
    sb.update_config(job_duration_s=(0.05, 0.3))
    fast = [await aclient.prompts.enhance_image(prompt=f"fast {i}") for i in range(4)]
    fast.append(await aclient.images.generate(prompt="[fail]"))
    order = [
        h async for h in aclient.requests.as_completed(slow + fast, max_wait=30, max_concurrency=2)
    ]
    assert {h.id for h in order[:5]} == {h.id for h in fast}
    assert {h.id for h in order[5:]} == {h.id for h in slow}
    assert [h.status for h in order].count("failed") == 1
    again = await aclient.requests.wait_all([h.id for h in slow])
    assert [h.id for h in again] == [h.id for h in slow]


async def test_error_classes(aclient: AsyncCannon, cannon_sandbox_app: Any) -> None:
    sb = cannon_sandbox_app
    transport = httpx2.ASGITransport(app=sb.app)
    async with AsyncCannon(
        api_key="cs_test_wrong", base_url="http://sandbox.test", transport=transport
    ) as bad:
        with pytest.raises(AuthenticationError):
            await bad.status()
    with pytest.raises(NotFoundError):
        await aclient.requests.retrieve("req_unknown")
    await aclient.video.generate(prompt="a", idempotency_key="k-1")
    with pytest.raises(ConflictError):
        await aclient.video.generate(prompt="b", idempotency_key="k-1")
    with pytest.raises(BadRequestError) as info:
        await aclient._core.http.post(
            "/api/v1/requests", json={"operation": "image.generate", "input": {"prompt": ""}}
        )
    assert info.value.field == "input.prompt"
    sb.set_credits(sb.account, 0)
    with pytest.raises(InsufficientCreditsError):
        await aclient.video.generate(prompt="broke")
    async with AsyncCannon(
        api_key=sb.api_key, base_url="http://sandbox.test", transport=transport, max_retries=0
    ) as c0:
        for kind, cls in (
            ("429", RateLimitError),
            ("502", ServerError),
            ("503", ServerError),
            ("drop_before", APIConnectionError),
        ):
            sb.add_fault(FaultRule(kind, endpoint="get", count=1))
            with pytest.raises(cls):
                await c0.requests.retrieve("req_any")


async def test_client_side_validation_sends_nothing(cannon_sandbox_app: Any) -> None:
    from cannon_studio import InputValidationError
    from overlay_schema_inputs import input_component, operations, valid_input

    sent: list[str] = []

    async def count(request: httpx2.Request) -> None:
        sent.append(request.url.path)

    user = httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=cannon_sandbox_app.app), event_hooks={"request": [count]}
    )
    async with AsyncCannon(
        api_key=cannon_sandbox_app.api_key, base_url="http://sandbox.test", http_client=user
    ) as c:
        for op in operations():
            required = input_component(op)["required"][0]
            bad = {k: v for k, v in valid_input(op).items() if k != required}
            with pytest.raises(InputValidationError) as info:
                await c.requests.create(op, bad)
            assert info.value.field == f"input.{required}"
        assert sent == []
        assert (await c.status()).ok and sent == ["/api/v1/status"]
    await user.aclose()
    assert cannon_sandbox_app.created_count() == 0
