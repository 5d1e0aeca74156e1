"""``as_completed`` / ``wait_all`` poll up to ``max_concurrency`` requests at once, sync and async.

The loopback server holds each poll until ``hold_until_in_flight`` polls are in flight (or 5 s
pass) and records the peak, so the assertion is on concurrency observed by the server, never
on timings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cannon_studio import Cannon, InputValidationError
from loopback_servers import SlowAPI
from overlay_helpers import API_KEY, MODES, client_for, each

IDS = [f"req_{n}" for n in range(8)]


@pytest.fixture
def api() -> Iterator[SlowAPI]:
    with SlowAPI() as server:
        yield server


@pytest.mark.parametrize("mode", MODES)
async def test_as_completed_polls_max_concurrency_at_once(api: SlowAPI, mode: str) -> None:
    api.hold_until_in_flight = 4
    updates: list[str] = []
    async with client_for(mode, api_key=API_KEY, base_url=api.base_url) as client:
        followed = client.requests.as_completed(
            IDS, max_concurrency=4, on_update=lambda h: updates.append(h.id)
        )
        done = [h.id async for h in each(followed)]
    assert api.peak_polls_in_flight == 4
    assert sorted(done) == sorted(IDS) and sorted(updates) == sorted(IDS)
    assert len(api.connections) <= 4  # one shared client pool, at most one socket per poll


def test_sync_wait_all_default_concurrency_and_input_order(api: SlowAPI) -> None:
    api.hold_until_in_flight = 8
    with Cannon(api_key=API_KEY, base_url=api.base_url) as client:
        handles = client.requests.wait_all(IDS)
    assert api.peak_polls_in_flight == 8  # DEFAULT_SYNC_MAX_CONCURRENCY
    assert [h.id for h in handles] == IDS and all(h.status == "succeeded" for h in handles)


def test_sync_max_concurrency_one_polls_in_turn(api: SlowAPI) -> None:
    with Cannon(api_key=API_KEY, base_url=api.base_url) as client:
        assert len(client.requests.wait_all(IDS[:3], max_concurrency=1)) == 3
    assert api.peak_polls_in_flight == 1
    with (
        Cannon(api_key=API_KEY, base_url=api.base_url) as client,
        pytest.raises(InputValidationError, match="max_concurrency"),
    ):
        client.requests.wait_all(IDS, max_concurrency=0)
