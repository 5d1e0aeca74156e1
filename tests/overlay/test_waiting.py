"""wait / run / as_completed / wait_all over a scripted MockTransport (fake clock), each
scenario written once and run with both clients (``mode``: ``Cannon`` or ``AsyncCannon``)."""

from __future__ import annotations

from typing import Any

import pytest
from cannon_studio import (
    AsyncRequestHandle,
    RequestFailedError,
    WaitTimeoutError,
)
from cannon_studio._constants import DEFAULT_MAX_WAIT_S
from overlay_helpers import API_KEY, MODES, FakeClock, client_for, each, handle_class, resolve
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


def _client(mode: str, api: MockAPI) -> Any:
    return client_for(mode, api_key=API_KEY, base_url=BASE, transport=api.transport())


@pytest.mark.parametrize("mode", MODES)
async def test_wait_first_poll_after_poll_after_ms_then_backoff(
    clock: FakeClock, mode: str
) -> None:
    api = scripted("queued", "processing", "processing", "processing", "succeeded")
    seen: list[str] = []
    async with _client(mode, api) as c:
        handle = await resolve(c.requests.create("video.generate", VIDEO))
        waited = await resolve(handle.wait(max_wait=60, on_update=lambda h: seen.append(h.status)))
        assert waited is handle
    assert clock.sleeps[0] == 2.0  # poll_after_ms 2000 -> 2 seconds
    assert all(b >= a * 0.8 for a, b in zip(clock.sleeps[1:], clock.sleeps[2:], strict=False))
    assert 0.4 <= clock.sleeps[1] <= 0.5
    assert seen == ["processing", "succeeded"]  # only status changes
    assert handle.is_terminal and handle.credits == 20
    assert handle.output is not None and handle.output.to_dict()["asset_type"] == "video"
    assert handle.asset_urls() == ["https://assets.test/req_1/video.mp4"]


async def test_async_wait_awaits_an_awaitable_on_update(clock: FakeClock) -> None:
    api = scripted("processing", "succeeded")
    seen: list[str] = []

    async def on_update(h: AsyncRequestHandle) -> None:
        seen.append(h.status)

    async with _client("async", api) as c:
        handle = await c.requests.create("video.generate", VIDEO)
        assert await handle.wait(on_update=on_update) is handle
    assert seen == ["processing", "succeeded"] and clock.sleeps[0] == 2.0


@pytest.mark.parametrize("mode", MODES)
async def test_wait_failed_raises_with_request_and_message(clock: FakeClock, mode: str) -> None:
    api = scripted("processing", "failed")
    seen: list[str] = []
    async with _client(mode, api) as c:
        handle = await resolve(c.requests.create("video.generate", VIDEO))
        with pytest.raises(RequestFailedError) as info:
            await resolve(handle.wait(on_update=lambda h: seen.append(h.status)))
    assert info.value.error_message == "provider rejected the prompt"
    assert info.value.request.id == "req_1" and "provider rejected" in str(info.value)
    assert handle.status == "failed" and handle.error_message == "provider rejected the prompt"
    assert seen == ["processing", "failed"]  # a plain callable is called up to the failure


@pytest.mark.parametrize("mode", MODES)
async def test_wait_deadline_raises_timeout_with_id(clock: FakeClock, mode: str) -> None:
    api = scripted("processing")
    async with _client(mode, api) as c:
        handle = await resolve(c.requests.create("video.generate", VIDEO))
        start = clock.now
        with pytest.raises(WaitTimeoutError) as info:
            await resolve(handle.wait(max_wait=30))
    assert info.value.request_id == "req_1" and info.value.timeout == 30
    assert clock.now - start == pytest.approx(30)
    assert handle.status == "processing"


@pytest.mark.parametrize("mode", MODES)
async def test_default_deadline_applies(clock: FakeClock, mode: str) -> None:
    api = scripted("processing")
    async with _client(mode, api) as c:
        handle = await resolve(c.requests.create("video.generate", VIDEO))
        with pytest.raises(WaitTimeoutError):
            await resolve(handle.wait())
    assert clock.now - 1000.0 == pytest.approx(DEFAULT_MAX_WAIT_S)


@pytest.mark.parametrize("mode", MODES)
async def test_wait_keeps_polling_with_webhook_url(clock: FakeClock, mode: str) -> None:
    api = scripted("processing", "succeeded")
    async with _client(mode, api) as c:
        handle = await resolve(
            c.requests.create("video.generate", VIDEO, webhook_url="https://hooks.test/cannon")
        )
        await resolve(handle.wait())
    assert api.bodies()[0]["webhook_url"] == "https://hooks.test/cannon"
    assert sum(1 for call in api.calls if call.method == "GET") == 2


@pytest.mark.parametrize("mode", MODES)
async def test_run_and_wrapper_wait_return_output(clock: FakeClock, mode: str) -> None:
    api = scripted("succeeded")
    async with _client(mode, api) as c:
        out = await resolve(c.run("video.generate", VIDEO))
        assert out is not None and out.to_dict()["video_url"].endswith("video.mp4")
        out2 = await resolve(c.video.generate(prompt="x", wait=True))
        assert type(out2).__name__ == "VideoOutput"
        handle = await resolve(c.video.generate(prompt="x"))
        assert isinstance(handle, handle_class(mode)) and handle.status == "queued"


def _multi(clock: FakeClock, plan: dict[str, list[str]]) -> MockAPI:
    api = MockAPI()
    for rid, statuses in plan.items():
        api.add("GET", f"/api/v1/requests/{rid}", *[ok(request_object(rid, s)) for s in statuses])
    return api


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("max_concurrency", [None, 2])
async def test_as_completed_yields_in_completion_order(
    clock: FakeClock, mode: str, max_concurrency: int | None
) -> None:
    plan = {
        "slow": ["processing"] * 6 + ["succeeded"],
        "fast": ["succeeded"],
        "mid": ["processing", "processing", "failed"],
    }
    api = _multi(clock, plan)
    updates: list[tuple[str, str]] = []
    async with _client(mode, api) as c:
        followed = c.requests.as_completed(
            ["slow", "fast", "mid"],
            max_concurrency=max_concurrency,
            on_update=lambda h: updates.append((h.id, h.status)),
        )
        order = [(h.id, h.status) async for h in each(followed)]
    assert order == [("fast", "succeeded"), ("mid", "failed"), ("slow", "succeeded")]
    assert ("mid", "processing") in updates and ("slow", "succeeded") in updates
    gets = [call.url.path.rsplit("/", 1)[1] for call in api.calls]
    assert gets.count("slow") == 7 and gets.count("fast") == 1


@pytest.mark.parametrize("mode", MODES)
async def test_wait_all_returns_input_order_and_times_out(clock: FakeClock, mode: str) -> None:
    api = _multi(
        clock,
        {"a": ["processing", "succeeded"], "b": ["succeeded"], "m": ["failed"], "z": ["queued"]},
    )
    async with _client(mode, api) as c:
        handles = await resolve(c.requests.wait_all(["a", "b"]))
        assert [h.id for h in handles] == ["a", "b"]
        assert all(h.status == "succeeded" for h in handles)
        mixed = await resolve(c.requests.wait_all(["m", "b"]))
        assert [h.status for h in mixed] == ["failed", "succeeded"]
        with pytest.raises(WaitTimeoutError) as info:
            await resolve(c.requests.wait_all(["z", "b"], max_wait=10))
    assert info.value.request_ids == ["z"]


@pytest.mark.parametrize("mode", MODES)
async def test_as_completed_timeout_lists_pending(clock: FakeClock, mode: str) -> None:
    api = _multi(clock, {"p": ["processing"], "q": ["succeeded"]})
    got: list[str] = []
    async with _client(mode, api) as c:
        with pytest.raises(WaitTimeoutError) as info:
            async for h in each(c.requests.as_completed(["p", "q"], max_wait=3)):
                got.append(h.id)
    assert set(got) <= {"q"} and info.value.request_ids[0] == "p"
