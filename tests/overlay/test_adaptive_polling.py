"""Adaptive polling: the pure schedule, its bounds, how a client learns durations, and the async
``as_completed`` scheduler's concurrency bound."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable

import httpx2
import pytest
from cannon_studio import AsyncCannon
from cannon_studio import _constants as C
from cannon_studio._polling import PollPolicy, adaptive_poll_at, poll_delay
from cannon_studio_sandbox import Sandbox, SandboxConfig
from hypothesis import given
from hypothesis import strategies as st

OPERATION = "image.generate"


def _gets_and_latency(
    schedule: Callable[[float, int], float], duration: float
) -> tuple[int, float]:
    """Simulate one request: ``schedule(elapsed, polls_done)`` -> time of the next poll."""
    t, polls = 0.0, 0
    while True:
        t = schedule(t, polls)
        polls += 1
        if t >= duration:
            return polls, t - duration
        assert polls < 1000


def _fixed_loop(interval: float) -> Callable[[float, int], float]:
    return lambda t, polls: t + interval


def _mix(lo: float, hi: float, n: int = 400) -> list[float]:
    return [lo + (hi - lo) * (i + 0.5) / n for i in range(n)]


def test_without_history_it_is_todays_policy() -> None:
    policy = PollPolicy()
    top: Callable[[float, float], float] = lambda lo, hi: hi  # noqa: E731
    assert policy.poll_at(OPERATION, 0.0, 0, 2000) == 2.0
    assert policy.poll_at(OPERATION, 3.5, 0, 2000) == 3.5  # late: at once
    for polls in range(1, 6):
        expected = 10.0 + poll_delay(polls, 2000, uniform=top)
        assert policy.poll_at(OPERATION, 10.0, polls, 2000, uniform=top) == expected
    for _ in range(C.POLL_MIN_SAMPLES - 1):
        policy.observe(OPERATION, 1.0)
    assert policy.poll_at(OPERATION, 0.0, 0, 2000) == 2.0  # still too few samples


def test_learned_schedule_beats_the_peer_policies_on_the_light_mix() -> None:
    # Jobs of the light-load mix: 0.2 s queued + 1-3 s processing (the sandbox's default).
    jobs = _mix(1.2, 3.2)
    policy = PollPolicy(window=len(jobs))
    for seconds in jobs:
        policy.observe(OPERATION, seconds)

    def ours(t: float, polls: int) -> float:
        return policy.poll_at(OPERATION, t, polls, 2000)

    results = {
        "ours": [_gets_and_latency(ours, d) for d in jobs],
        "replicate 0.5 s": [_gets_and_latency(_fixed_loop(0.5), d) for d in jobs],
        "fal 0.1 s": [_gets_and_latency(_fixed_loop(0.1), d) for d in jobs],
        "naive 1 s": [_gets_and_latency(_fixed_loop(1.0), d) for d in jobs],
    }
    gets = {name: sum(g for g, _ in r) / len(r) for name, r in results.items()}
    latency = {name: sum(lat for _, lat in r) / len(r) for name, r in results.items()}
    assert all(gets["ours"] < gets[name] for name in gets if name != "ours"), gets
    assert latency["ours"] < latency["replicate 0.5 s"], latency


def test_first_poll_is_capped_by_the_hint_and_intervals_by_the_maximum() -> None:
    long_jobs = _mix(100.0, 200.0, 50)
    assert adaptive_poll_at(long_jobs, 0.0, first=True, poll_after_ms=2000) == 2.0
    nxt = adaptive_poll_at(long_jobs, 2.0, first=False, poll_after_ms=2000)
    assert nxt == pytest.approx(2.0 + C.POLL_MAX_INTERVAL_S)


def test_narrow_distribution_polls_right_after_it_and_never_faster_than_the_minimum() -> None:
    narrow = [1.0] * 20
    assert adaptive_poll_at(narrow, 0.0, first=True, poll_after_ms=2000) == 1.0
    dense = _mix(1.0, 1.05, 20)  # 23 % of it lies 12 ms ahead: the minimum interval applies
    nxt = adaptive_poll_at(dense, 1.0, first=False, poll_after_ms=2000)
    assert nxt == pytest.approx(1.0 + C.POLL_MIN_INTERVAL_S)


def test_older_than_every_job_seen_backs_off_with_age() -> None:
    jobs = _mix(1.0, 2.0, 20)
    at = adaptive_poll_at(jobs, 8.0, first=False, poll_after_ms=None)
    assert at == pytest.approx(8.0 + C.POLL_TAIL_FRACTION * 8.0)
    far = adaptive_poll_at(jobs, 400.0, first=False, poll_after_ms=None)
    assert far == pytest.approx(400.0 + C.POLL_MAX_INTERVAL_S)


def test_observe_keeps_a_bounded_window_and_ignores_nonsense() -> None:
    policy = PollPolicy(window=5)
    for value in (-1.0, math.inf, math.nan):
        policy.observe(OPERATION, value)
    assert policy.samples(OPERATION) == []
    for value in range(10):
        policy.observe(OPERATION, float(value))
    assert policy.samples(OPERATION) == [5.0, 6.0, 7.0, 8.0, 9.0]


@given(
    samples=st.lists(
        st.floats(min_value=0.0, max_value=1e4, allow_nan=False), min_size=2, max_size=40
    ),
    elapsed=st.floats(min_value=0.0, max_value=1e5, allow_nan=False),
    first=st.booleans(),
    hint_ms=st.one_of(st.none(), st.integers(min_value=0, max_value=600_000)),
)
def test_schedule_bounds_hold_for_any_history(
    samples: list[float], elapsed: float, first: bool, hint_ms: int | None
) -> None:
    at = adaptive_poll_at(sorted(samples), elapsed, first=first, poll_after_ms=hint_ms)
    assert elapsed <= at <= elapsed + C.POLL_MAX_INTERVAL_S + 1e-9
    if first:
        hint_s = (C.DEFAULT_POLL_AFTER_MS if hint_ms is None else hint_ms) / 1000
        assert at <= max(elapsed, hint_s) + 1e-9
    else:
        assert at >= elapsed + C.POLL_MIN_INTERVAL_S - 1e-9


async def test_client_learns_server_durations_and_then_polls_by_them() -> None:
    config = SandboxConfig(job_duration_s=(0.05, 0.1), queue_delay_s=0.0, poll_after_ms=300)
    sandbox = Sandbox(config)
    async with AsyncCannon(
        api_key=sandbox.api_key,
        base_url="http://sandbox.test",
        transport=httpx2.ASGITransport(sandbox.app),
    ) as client:
        first = [
            await client.requests.create(OPERATION, {"prompt": f"p{i}"})
            for i in range(C.POLL_MIN_SAMPLES)
        ]
        finished = [h async for h in client.requests.as_completed(first, max_wait=30)]
        seen = client.requests.polling.samples(OPERATION)
        expected = sorted(
            (h.request.completed_at_ms - h.request.created_at_ms) / 1000  # type: ignore[union-attr,operator]
            for h in finished
        )
        assert seen == pytest.approx(expected)
        assert all(0.05 <= s <= 0.2 for s in seen)
        nxt = await client.requests.create(OPERATION, {"prompt": "learned"})
        # Learned jobs take 0.05-0.1 s: the first poll comes well before the 300 ms hint.
        assert nxt._next_delay() < 0.2
        await nxt.wait(max_wait=30)
        assert nxt.status == "succeeded"


async def test_async_as_completed_bounds_polls_in_flight() -> None:
    in_flight = peak = 0
    polls: dict[str, int] = {}

    class Slow(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            nonlocal in_flight, peak
            request_id = request.url.path.rsplit("/", 1)[-1]
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.001)
            in_flight -= 1
            polls[request_id] = polls.get(request_id, 0) + 1
            status = "succeeded" if polls[request_id] >= 2 else "processing"
            return httpx2.Response(
                200,
                json={
                    "id": request_id,
                    "operation": "prompt.enhance.image",
                    "status": status,
                    "billableCredits": 1,
                    "createdAtMs": 1,
                    "completedAtMs": 2 if status == "succeeded" else None,
                    "output": None,
                },
            )

    async with AsyncCannon(
        api_key="cs_test_poll_000000000000", base_url="https://api.test", transport=Slow()
    ) as client:
        ids = [f"req_{n:04d}" for n in range(60)]
        done = [h.id async for h in client.requests.as_completed(ids, max_concurrency=3)]
    assert sorted(done) == ids and peak <= 3
    assert all(count == 2 for count in polls.values())
