"""Deadlines that hold against a server that drips its body or asks to come back in 30 s.

Each bound is the deadline under test plus the 0.5 s margin it is documented with; what is
asserted is that the call ENDS by then with the typed error, whatever the server does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cannon_studio import (
    APITimeoutError,
    CannonError,
    DownloadPolicy,
    RateLimitError,
    WaitTimeoutError,
)
from cannon_studio.assets import adownload, aiter_bytes, download, iter_bytes
from loopback_servers import DripAPI

from tests.client_modes import MODES, client_for, each, resolve

KEY = "cs_test_deadlines"
MARGIN_S = 0.5


@pytest.fixture
def drip() -> Iterator[DripAPI]:
    with DripAPI() as api:
        yield api


def _is_empty(directory: Path) -> bool:
    return list(directory.iterdir()) == []


async def _elapsed(call: Callable[[], object]) -> tuple[float, BaseException | None]:
    """How long ``call()`` (a sync call, or one returning an awaitable) took, and what it raised."""
    start = time.monotonic()
    try:
        await resolve(call())
    except BaseException as exc:  # the outcome is asserted by the caller
        return time.monotonic() - start, exc
    return time.monotonic() - start, None


@pytest.mark.parametrize("mode", MODES)
async def test_retrieve_ends_at_its_timeout_while_the_body_drips(mode: str, drip: DripAPI) -> None:
    async with client_for(mode, api_key=KEY, base_url=drip.base_url) as client:
        took, error = await _elapsed(lambda: client.requests.retrieve("req_drip", timeout=2))
    assert isinstance(error, APITimeoutError), repr(error)
    assert took < 2 + MARGIN_S, took
    assert "GET" in str(error) and KEY not in str(error)


@pytest.mark.parametrize("mode", MODES)
async def test_client_timeout_is_a_total_deadline_retries_included(
    mode: str, drip: DripAPI
) -> None:
    async with client_for(mode, api_key=KEY, base_url=drip.base_url, timeout=1.5) as client:
        took, error = await _elapsed(lambda: client.requests.retrieve("req_drip"))
    assert isinstance(error, APITimeoutError), repr(error)
    assert took < 1.5 + MARGIN_S, took


@pytest.mark.parametrize("mode", MODES)
async def test_wait_ends_at_max_wait_with_a_poll_in_flight(mode: str, drip: DripAPI) -> None:
    async with client_for(mode, api_key=KEY, base_url=drip.base_url) as client:
        handle = await resolve(client.requests.create("image.generate", {"prompt": "a kite"}))
        took, error = await _elapsed(lambda: handle.wait(max_wait=3))
    assert isinstance(error, WaitTimeoutError), repr(error)
    assert error.request_ids == ["req_drip"]
    assert took < 3 + MARGIN_S, took


@pytest.mark.parametrize("mode", MODES)
async def test_as_completed_ends_at_max_wait_with_polls_in_flight(mode: str, drip: DripAPI) -> None:
    async with client_for(mode, api_key=KEY, base_url=drip.base_url) as client:

        async def follow() -> None:
            async for _ in each(client.requests.as_completed(["req_a", "req_b"], max_wait=3)):
                pass

        took, error = await _elapsed(follow)
    assert isinstance(error, WaitTimeoutError), repr(error)
    assert sorted(error.request_ids) == ["req_a", "req_b"]
    assert took < 3 + MARGIN_S, took


@pytest.mark.parametrize("mode", MODES)
async def test_retry_after_longer_than_the_wait_is_not_waited_for(mode: str) -> None:
    with DripAPI(poll="429") as api:
        async with client_for(mode, api_key=KEY, base_url=api.base_url) as client:
            handle = await resolve(client.requests.create("image.generate", {"prompt": "a kite"}))
            took, error = await _elapsed(lambda: handle.wait(max_wait=3))
    assert isinstance(error, RateLimitError | WaitTimeoutError), repr(error)
    assert took < 3 + MARGIN_S, took


@pytest.mark.parametrize("mode", MODES)
async def test_handle_download_ends_at_its_timeout_while_the_asset_drips(
    mode: str, tmp_path: Path
) -> None:
    with DripAPI(poll="done") as api:
        async with client_for(mode, api_key=KEY, base_url=api.base_url) as client:
            handle = await resolve(client.requests.retrieve("req_drip"))
            took, error = await _elapsed(lambda: handle.download(tmp_path, timeout=2))
    assert isinstance(error, APITimeoutError), repr(error)
    assert took < 2 + MARGIN_S, took
    assert _is_empty(tmp_path)


@pytest.mark.parametrize("kind", ["download", "adownload", "iter_bytes", "aiter_bytes"])
async def test_asset_functions_end_at_their_timeout_with_their_own_client(
    kind: str, drip: DripAPI, tmp_path: Path
) -> None:
    url = f"{drip.base_url}/assets/video.mp4"
    local = DownloadPolicy(allow_local=True)  # the dripping host is on loopback

    async def run() -> None:
        if kind == "download":
            download(url, tmp_path, timeout=2, policy=local)
        elif kind == "adownload":
            await adownload(url, tmp_path, timeout=2, policy=local)
        elif kind == "iter_bytes":
            b"".join(iter_bytes(url, timeout=2, policy=local))
        else:
            async for _ in aiter_bytes(url, timeout=2, policy=local):
                pass

    took, error = await _elapsed(run)
    assert isinstance(error, APITimeoutError), repr(error)
    assert isinstance(error, CannonError)
    assert took < 2 + MARGIN_S, took
    assert _is_empty(tmp_path)
