"""wait / run / as_completed / wait_all over a scripted MockTransport (fake clock)."""

from __future__ import annotations

import pytest
from cannon_studio import (
    AsyncCannon,
    AsyncRequestHandle,
    Cannon,
    RequestFailedError,
    RequestHandle,
    WaitTimeoutError,
)
from cannon_studio._constants import DEFAULT_MAX_WAIT_S
from overlay_helpers import API_KEY, FakeClock
from overlay_mock_api import MockAPI, accepted, ok, request_object

BASE = "https://api.test"
VIDEO = {"prompt": "a lighthouse at dusk"}


def scripted(*statuses: str, request_id: str = "req_1", poll_after_ms: int = 2000) -> MockAPI:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(request_id, poll_after_ms), 202))
    api.add(
        "GET",
        f"/api/v1/requests/{request_id}",
        *[ok(request_object(request_id, s)) for s in statuses],
    )
    return api


def test_wait_first_poll_after_poll_after_ms_then_backoff(clock: FakeClock) -> None:
    api = scripted("queued", "processing", "processing", "processing", "succeeded")
    seen: list[str] = []
    with Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        handle = c.requests.create("video.generate", VIDEO)
        assert handle.wait(max_wait=60, on_update=lambda h: seen.append(h.status)) is handle
    assert clock.sleeps[0] == 2.0  # poll_after_ms 2000 -> 2 seconds
    assert all(b >= a * 0.8 for a, b in zip(clock.sleeps[1:], clock.sleeps[2:], strict=False))
    assert 0.4 <= clock.sleeps[1] <= 0.5
    assert seen == ["processing", "succeeded"]  # only status changes
    assert handle.is_terminal and handle.credits == 20
    assert handle.output is not None and handle.output.to_dict()["asset_type"] == "video"
    assert handle.asset_urls() == ["https://assets.test/req_1/video.mp4"]


def test_wait_failed_raises_with_request_and_message(clock: FakeClock) -> None:
    api = scripted("processing", "failed")
    with Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        handle = c.requests.create("video.generate", VIDEO)
        with pytest.raises(RequestFailedError) as info:
            handle.wait()
    assert info.value.error_message == "provider rejected the prompt"
    assert info.value.request.id == "req_1" and "provider rejected" in str(info.value)
    assert handle.status == "failed" and handle.error_message == "provider rejected the prompt"


def test_wait_deadline_raises_timeout_with_id(clock: FakeClock) -> None:
    api = scripted("processing")
    with Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        handle = c.requests.create("video.generate", VIDEO)
        start = clock.now
        with pytest.raises(WaitTimeoutError) as info:
            handle.wait(max_wait=30)
    assert info.value.request_id == "req_1" and info.value.timeout == 30
    assert clock.now - start == pytest.approx(30)
    assert handle.status == "processing"


def test_default_deadline_applies(clock: FakeClock) -> None:
    api = scripted("processing")
    with (
        Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c,
        pytest.raises(WaitTimeoutError),
    ):
        c.requests.create("video.generate", VIDEO).wait()
    assert clock.now - 1000.0 == pytest.approx(DEFAULT_MAX_WAIT_S)


def test_wait_keeps_polling_with_webhook_url(clock: FakeClock) -> None:
    api = scripted("processing", "succeeded")
    with Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        handle = c.requests.create("video.generate", VIDEO, webhook_url="https://hooks.test/cannon")
        handle.wait()
    assert api.bodies()[0]["webhook_url"] == "https://hooks.test/cannon"
    assert sum(1 for call in api.calls if call.method == "GET") == 2


def test_run_and_wrapper_wait_return_output(clock: FakeClock) -> None:
    api = scripted("succeeded")
    with Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        out = c.run("video.generate", VIDEO)
        assert out is not None and out.to_dict()["video_url"].endswith("video.mp4")
        out2 = c.video.generate(prompt="x", wait=True)
        assert type(out2).__name__ == "VideoOutput"
        handle = c.video.generate(prompt="x")
        assert isinstance(handle, RequestHandle) and handle.status == "queued"


def _multi(clock: FakeClock, plan: dict[str, list[str]]) -> MockAPI:
    api = MockAPI()
    for rid, statuses in plan.items():
        api.add("GET", f"/api/v1/requests/{rid}", *[ok(request_object(rid, s)) for s in statuses])
    return api


def test_as_completed_yields_in_completion_order(clock: FakeClock) -> None:
    plan = {
        "slow": ["processing"] * 6 + ["succeeded"],
        "fast": ["succeeded"],
        "mid": ["processing", "processing", "failed"],
    }
    api = _multi(clock, plan)
    updates: list[tuple[str, str]] = []
    with Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        order = [
            (h.id, h.status)
            for h in c.requests.as_completed(
                ["slow", "fast", "mid"], on_update=lambda h: updates.append((h.id, h.status))
            )
        ]
    assert order == [("fast", "succeeded"), ("mid", "failed"), ("slow", "succeeded")]
    assert ("mid", "processing") in updates and ("slow", "succeeded") in updates
    gets = [call.url.path.rsplit("/", 1)[1] for call in api.calls]
    assert gets.count("slow") == 7 and gets.count("fast") == 1


def test_wait_all_returns_input_order_and_times_out(clock: FakeClock) -> None:
    api = _multi(clock, {"a": ["processing", "succeeded"], "b": ["succeeded"], "z": ["queued"]})
    with Cannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        handles = c.requests.wait_all(["a", "b"])
        assert [h.id for h in handles] == ["a", "b"]
        assert all(h.status == "succeeded" for h in handles)
        with pytest.raises(WaitTimeoutError) as info:
            c.requests.wait_all(["z", "b"], max_wait=10)
    assert info.value.request_ids == ["z"]


async def test_async_wait_on_update_awaitable_and_failed(clock: FakeClock) -> None:
    api = scripted("processing", "succeeded")
    seen: list[str] = []

    async def on_update(h: AsyncRequestHandle) -> None:
        seen.append(h.status)

    async with AsyncCannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        handle = await c.requests.create("video.generate", VIDEO)
        assert await handle.wait(on_update=on_update) is handle
        assert seen == ["processing", "succeeded"] and clock.sleeps[0] == 2.0
        plain: list[str] = []
        api2 = scripted("failed", request_id="req_2")
    async with AsyncCannon(api_key=API_KEY, base_url=BASE, transport=api2.transport()) as c2:
        h2 = await c2.requests.create("video.generate", VIDEO)
        with pytest.raises(RequestFailedError):
            await h2.wait(on_update=lambda h: plain.append(h.status))
    assert plain == ["failed"]


async def test_async_deadline(clock: FakeClock) -> None:
    api = scripted("processing")
    async with AsyncCannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        handle = await c.requests.create("video.generate", VIDEO)
        with pytest.raises(WaitTimeoutError) as info:
            await handle.wait(max_wait=5)
    assert info.value.request_id == "req_1"


async def test_async_as_completed_and_wait_all(clock: FakeClock) -> None:
    plan = {
        "slow": ["processing"] * 5 + ["succeeded"],
        "fast": ["succeeded"],
        "mid": ["processing", "failed"],
    }
    api = _multi(clock, plan)
    async with AsyncCannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        order = [
            h.id async for h in c.requests.as_completed(["slow", "fast", "mid"], max_concurrency=2)
        ]
        # the fake clock does not order tasks; completion order is tested against the sandbox
        assert sorted(order) == ["fast", "mid", "slow"]
        handles = await c.requests.wait_all(["mid", "fast"])
        assert [h.status for h in handles] == ["failed", "succeeded"]


async def test_async_as_completed_timeout_lists_pending(clock: FakeClock) -> None:
    api = _multi(clock, {"p": ["processing"], "q": ["succeeded"]})
    async with AsyncCannon(api_key=API_KEY, base_url=BASE, transport=api.transport()) as c:
        got: list[str] = []
        with pytest.raises(WaitTimeoutError) as info:
            async for h in c.requests.as_completed(["p", "q"], max_wait=3):
                got.append(h.id)
    assert set(got) <= {"q"} and info.value.request_ids[0] == "p"
