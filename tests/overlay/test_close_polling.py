"""A fan-out's last requests are polled closely: the close schedule (pure), ``PollQueue.tighten``,
and ``as_completed`` of both clients on a fake clock against jobs with known completion times."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from cannon_studio import _as_completed
from cannon_studio import _constants as C
from cannon_studio._as_completed import PollQueue
from cannon_studio._polling import PollPolicy, adaptive_poll_at
from overlay_helpers import API_KEY, MODES, FakeClock, client_for, each, resolve
from overlay_mock_api import accepted, request_object

OPERATION = "video.generate"
LOW, HIGH = 1.0, 3.0  # the job durations, SECONDS


def _mix(n: int) -> list[float]:
    return [LOW + (HIGH - LOW) * (i + 0.5) / n for i in range(n)]


def _learned(window: int = 200) -> PollPolicy:
    policy = PollPolicy(window=window)
    for seconds in _mix(window):
        policy.observe(OPERATION, seconds)
    return policy


def test_close_schedule_is_denser_by_the_factor_inside_the_learned_range() -> None:
    policy = _learned()
    width = HIGH - LOW
    for elapsed in (1.2, 1.5, 2.0, 2.4):
        normal = policy.poll_at(OPERATION, elapsed, 1, 2000) - elapsed
        close = policy.poll_at(OPERATION, elapsed, 1, 2000, close=True) - elapsed
        assert normal == pytest.approx(C.POLL_STEP_MASS * width, rel=0.02)
        expected = max(C.POLL_MIN_INTERVAL_S, C.POLL_STEP_MASS * width / C.POLL_CLOSE_FACTOR)
        assert close == pytest.approx(expected, rel=0.02)


def test_close_schedule_backs_off_past_the_range_by_a_smaller_fraction_of_the_age() -> None:
    samples = _learned().samples(OPERATION)
    at = adaptive_poll_at(
        samples,
        8.0,
        first=False,
        poll_after_ms=None,
        tail_fraction=C.POLL_TAIL_FRACTION / C.POLL_CLOSE_FACTOR,
    )
    assert at == pytest.approx(8.0 * (1 + C.POLL_TAIL_FRACTION / C.POLL_CLOSE_FACTOR))
    assert _learned().poll_at(OPERATION, 8.0, 3, None, close=True) == pytest.approx(at)


def test_close_schedule_without_history_is_the_usual_policy() -> None:
    policy = PollPolicy()
    top = lambda lo, hi: hi  # noqa: E731
    for polls in range(4):
        normal = policy.poll_at(OPERATION, 5.0, polls, 2000, uniform=top)
        assert policy.poll_at(OPERATION, 5.0, polls, 2000, close=True, uniform=top) == normal


class _Handle:
    """Stands in for a request handle: its next poll is ``far`` SECONDS away, ``near`` closely."""

    def __init__(self, far: float, near: float) -> None:
        self.far, self.near = far, near

    def _next_delay(self, close: bool = False) -> float:
        return self.near if close else self.far


def _queue(count: int) -> PollQueue[Any]:
    queue: PollQueue[Any] = PollQueue(600.0, 0.0)
    for index in range(count):
        queue.push(index, _Handle(far=10.0, near=1.0), 0.0)
    return queue


def test_tighten_switches_once_when_a_fan_out_is_down_to_its_last_requests() -> None:
    left = C.POLL_CLOSE_REMAINING
    queue = _queue(left)
    assert not queue.tighten(5.0, total=left + 1, left=left + 1)  # more than the last few left
    assert not queue.tighten(5.0, total=left, left=left)  # not a fan-out: never closely
    assert sorted(queue.live.values()) == [10.0] * left
    assert queue.tighten(5.0, total=left + 1, left=left)
    assert sorted(queue.live.values()) == [6.0] * left  # brought forward: 5 + 1
    assert [due for due, _, _ in sorted(queue.entries())] == [6.0] * left
    assert not queue.tighten(5.5, total=left + 1, left=left)  # once
    queue.push(0, _Handle(far=10.0, near=1.0), 7.0)  # later polls follow the close schedule
    assert queue.live[0] == 8.0


def test_tighten_never_postpones_a_poll() -> None:
    queue: PollQueue[Any] = PollQueue(600.0, 0.0)
    queue.push(0, _Handle(far=0.5, near=1.0), 0.0)
    assert queue.tighten(0.0, total=C.POLL_CLOSE_REMAINING + 1, left=1)
    assert queue.live[0] == 0.5


CREATE_GAP_S = 0.05  # each create is answered this long after the one before


def _api(clock: FakeClock, gets: dict[str, int], done_at: dict[str, float]) -> httpx2.MockTransport:
    """Creates answered ``CREATE_GAP_S`` apart (on ``clock``), each job done ``LOW``-``HIGH`` s
    after its create (``done_at``, SECONDS on ``clock``), GETs counted in ``gets``."""
    spread = _mix(40)
    created_at: dict[str, float] = {}

    def answer(request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            clock.now += CREATE_GAP_S
            request_id = f"req_{len(done_at):03d}"
            created_at[request_id] = clock.now
            done_at[request_id] = clock.now + spread[(len(done_at) * 7) % len(spread)]
            return httpx2.Response(202, json=accepted(request_id, 2000) | {"operation": OPERATION})
        request_id = request.url.path.rsplit("/", 1)[1]
        gets[request_id] = gets.get(request_id, 0) + 1
        finished = clock.now >= done_at[request_id]
        extra: dict[str, Any] = {"createdAtMs": round(created_at[request_id] * 1000)}
        if finished:
            extra["completedAtMs"] = round(done_at[request_id] * 1000)
        status = "succeeded" if finished else "processing"
        return httpx2.Response(200, json=request_object(request_id, status, OPERATION, **extra))

    return httpx2.MockTransport(answer)


async def _fan_out(
    clock: FakeClock, mode: str, count: int
) -> tuple[dict[str, int], dict[str, float], float]:
    """Create ``count`` requests, then follow them with ``as_completed`` (after the client has
    learned the job durations): GETs per request, each request's lateness (SECONDS after its job
    finished; in the order noticed), and how long the fan-out took (SECONDS)."""
    start = clock.now
    gets: dict[str, int] = {}
    done_at: dict[str, float] = {}
    late: dict[str, float] = {}
    transport = _api(clock, gets, done_at)
    options = {"api_key": API_KEY, "base_url": "https://api.test", "transport": transport}
    async with client_for(mode, **options) as c:
        for seconds in _mix(200):
            c.requests.polling.observe(OPERATION, seconds)
        handles = [
            await resolve(c.requests.create(OPERATION, {"prompt": str(i)})) for i in range(count)
        ]
        async for handle in each(c.requests.as_completed(handles, max_concurrency=1)):
            late[handle.id] = clock.now - done_at[handle.id]
    return gets, late, clock.now - start


@pytest.mark.parametrize("mode", MODES)
async def test_the_last_requests_of_a_fan_out_are_noticed_sooner_for_a_few_more_gets(
    clock: FakeClock, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 40
    gets, late, took = await _fan_out(clock, mode, count)
    monkeypatch.setattr(_as_completed, "POLL_CLOSE_REMAINING", 0)  # the close schedule off
    clock.now += 100.0
    usual_gets, usual_late, usual_took = await _fan_out(clock, mode, count)
    last = C.POLL_CLOSE_REMAINING
    # Every request but the last few is polled as before, and noticed as late.
    assert list(late.values())[:-last] == pytest.approx(list(usual_late.values())[:-last])
    assert list(late)[:-last] == list(usual_late)[:-last]  # same requests, same order
    assert all(gets[i] == usual_gets[i] for i in list(late)[:-last])
    # The last ones are noticed sooner, so the fan-out ends sooner.
    assert max(list(late.values())[-last:]) < max(list(usual_late.values())[-last:])
    assert took < usual_took
    # Each of the last few costs at most a few more GETs (the schedule is FACTOR x as dense).
    extra = sum(gets.values()) - sum(usual_gets.values())
    assert 0 < extra <= last * C.POLL_CLOSE_FACTOR
