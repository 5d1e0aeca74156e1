"""When to poll: today's fixed policy, and the adaptive one that learns job durations.

Both are pure functions of their arguments (no clock, no I/O); ``PollPolicy`` holds the
history a client has seen and asks them.

- **No history** (fewer than ``POLL_MIN_SAMPLES`` finished requests of an operation): the first
  poll comes ``poll_after_ms`` after the create, then ``0.5 s x 1.5^n`` (cap 5 s, jitter
  x U[0.8, 1]): ``poll_delay``.
- **With history** (``adaptive_poll_at``): the durations this client has seen for the operation
  (``completedAtMs - createdAtMs`` of finished requests, the server's own clock) form an
  empirical distribution; each poll is placed where another ``POLL_STEP_MASS`` (23.2 %) of it has
  completed since the elapsed time, i.e. at the quantile ``F(elapsed) + 0.232``. For jobs uniform
  over a window that is an even spacing of 0.232 x the window: about 2.7 GETs per request for
  1-3 s jobs with a mean notice latency of 0.116 x the window; with a narrow distribution the
  first poll lands just after the usual duration. The first poll is never later than the server's ``poll_after_ms``
  (the hint caps it); no interval is shorter than ``POLL_MIN_INTERVAL_S`` or longer than
  ``POLL_MAX_INTERVAL_S``; past everything seen, polls back off in proportion to the age.
- **Closely** (``close=True``: a fan-out's last ``POLL_CLOSE_REMAINING`` requests, decided by
  ``as_completed`` / ``wait_all``): the same schedule with the step mass and the tail fraction
  divided by ``POLL_CLOSE_FACTOR``; without history it is the policy above.

With a webhook receiver (``safety_interval``), the deliveries bring the news and polling is a
safety net: one GET every ``factor x`` the longest recent duration of the operation (default 2x,
clamped to ``[1 s, 300 s]``; 10 s while fewer than ``POLL_MIN_SAMPLES`` durations were seen).

The seam for other sources of history (a batch journal): ``PollPolicy.observe(operation,
seconds)``.
"""

from __future__ import annotations

import bisect
import random
from collections import deque
from collections.abc import Callable, Sequence

from ._backoff import capped_exponential, server_ms
from ._constants import (
    DEFAULT_POLL_AFTER_MS,
    MAX_POLL_AFTER_MS,
    POLL_CLOSE_FACTOR,
    POLL_HISTORY_WINDOW,
    POLL_INITIAL_INTERVAL_S,
    POLL_JITTER,
    POLL_MAX_INTERVAL_S,
    POLL_MIN_INTERVAL_S,
    POLL_MIN_SAMPLES,
    POLL_MULTIPLIER,
    POLL_STEP_MASS,
    POLL_TAIL_FRACTION,
    RECEIVER_SAFETY_DEFAULT_S,
    RECEIVER_SAFETY_FACTOR,
    RECEIVER_SAFETY_MAX_S,
    RECEIVER_SAFETY_MIN_S,
)

__all__ = ["PollPolicy", "adaptive_poll_at", "poll_delay", "safety_interval"]


def hint_s(poll_after_ms: object) -> float:
    """The server's ``poll_after_ms`` as SECONDS, made safe (pure): anything but a finite
    number (``None``, ``"2000"``, ``NaN``) gives ``DEFAULT_POLL_AFTER_MS``; the value is clamped
    to ``[0, MAX_POLL_AFTER_MS]`` (``1e11`` is 10 minutes, not three years)."""
    return (
        server_ms(poll_after_ms, default_ms=DEFAULT_POLL_AFTER_MS, max_ms=MAX_POLL_AFTER_MS) / 1000
    )


def poll_delay(
    polls_done: int,
    poll_after_ms: object,
    *,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds to wait before the next poll with no history (pure apart from ``uniform``;
    never overflows, however many polls were made).

    Args:
        polls_done: GETs already made for this request while waiting (0 = none yet).
        poll_after_ms: the create response's ``poll_after_ms`` in MILLISECONDS as the server
            sent it (see ``hint_s``; ``None``: ``DEFAULT_POLL_AFTER_MS``).

    Returns:
        ``poll_after_ms / 1000`` before the first poll, then
        ``min(0.5 * 1.5**(polls_done - 1), 5) * U[0.8, 1]`` seconds.
    """
    if polls_done <= 0:
        return hint_s(poll_after_ms)
    base = capped_exponential(
        POLL_INITIAL_INTERVAL_S, POLL_MULTIPLIER, polls_done - 1, POLL_MAX_INTERVAL_S
    )
    return base * uniform(*POLL_JITTER)


def _cdf(samples: Sequence[float], t: float) -> float:
    """Empirical CDF of sorted ``samples`` at ``t``, linear between neighbouring samples."""
    n = len(samples)
    if t < samples[0]:
        return 0.0
    if t >= samples[-1]:
        return 1.0
    i = bisect.bisect_right(samples, t)  # samples[i - 1] <= t < samples[i]
    lo, hi = samples[i - 1], samples[i]
    frac = (t - lo) / (hi - lo) if hi > lo else 0.0
    return (i - 1 + frac) / (n - 1)


def _quantile(samples: Sequence[float], q: float) -> float:
    """Inverse of ``_cdf``: the time by which a fraction ``q`` (0..1) of the samples finished."""
    pos = q * (len(samples) - 1)
    i = int(pos)
    if i >= len(samples) - 1:
        return samples[-1]
    return samples[i] + (samples[i + 1] - samples[i]) * (pos - i)


def adaptive_poll_at(
    samples: Sequence[float],
    elapsed_s: float,
    *,
    first: bool,
    poll_after_ms: object,
    step_mass: float = POLL_STEP_MASS,
    tail_fraction: float = POLL_TAIL_FRACTION,
    min_interval_s: float = POLL_MIN_INTERVAL_S,
    max_interval_s: float = POLL_MAX_INTERVAL_S,
) -> float:
    """Seconds since the create at which to poll next, from observed durations (pure).

    Args:
        samples: observed durations of the operation in SECONDS, sorted ascending, >= 2 items.
        elapsed_s: seconds since the create was answered (now).
        first: no poll has been made yet (the server's hint caps this one).
        poll_after_ms: the create's ``poll_after_ms`` in MILLISECONDS, or ``None``.
        step_mass: fraction of the distribution between two polls (0 < mass <= 1).
        tail_fraction: past every observed duration, the wait as a fraction of the age.
        min_interval_s / max_interval_s: bounds of the wait from now, in SECONDS.

    Returns:
        A time in seconds since the create, ``>= elapsed_s``.
    """
    if first:
        hint = hint_s(poll_after_ms)
        at = max(elapsed_s, _quantile(samples, min(step_mass, 1.0)))  # late: poll at once
        return min(at, max(elapsed_s, hint), elapsed_s + max_interval_s)
    done = _cdf(samples, elapsed_s)
    if done + step_mass <= 1.0:
        at = _quantile(samples, done + step_mass)
    elif done < 1.0:
        at = samples[-1]  # the last stretch of the observed range
    else:  # older than every job seen: back off in proportion to the age
        at = elapsed_s + tail_fraction * elapsed_s
    return elapsed_s + min(max(at - elapsed_s, min_interval_s), max_interval_s)


def safety_interval(
    samples: Sequence[float],
    *,
    factor: float = RECEIVER_SAFETY_FACTOR,
    min_s: float = RECEIVER_SAFETY_MIN_S,
    max_s: float = RECEIVER_SAFETY_MAX_S,
    default_s: float = RECEIVER_SAFETY_DEFAULT_S,
    min_samples: int = POLL_MIN_SAMPLES,
) -> float:
    """SECONDS between two safety-net polls of a webhook-driven wait (pure).

    Args:
        samples: observed durations of the operation in SECONDS, sorted ascending.
        factor: multiple of the longest observed duration.
        min_s / max_s: bounds of the result, in SECONDS.
        default_s: the interval while fewer than ``min_samples`` durations were seen.

    Returns:
        ``factor x max(samples)`` (``default_s`` without enough history), clamped to
        ``[min_s, max_s]``: a job whose delivery was lost is found at most about one interval
        after it finished, and a job whose delivery arrives costs no GET.
    """
    base = default_s if len(samples) < max(1, min_samples) else factor * samples[-1]
    return min(max(base, min_s), max_s)


class PollPolicy:
    """Durations seen per operation, and the poll schedule they give (``client.requests.polling``).

    Every handle of a client asks its client's policy; a request that finishes is observed with
    its server-side duration (``completedAtMs - createdAtMs``).

    Args:
        window: durations kept per operation (the most recent ones).
        min_samples: durations needed before the adaptive schedule replaces today's policy.
    """

    def __init__(
        self, *, window: int = POLL_HISTORY_WINDOW, min_samples: int = POLL_MIN_SAMPLES
    ) -> None:
        self._window = window
        self._min_samples = max(2, min_samples)
        self._recent: dict[str, deque[float]] = {}
        self._sorted: dict[str, list[float]] = {}

    def observe(self, operation: str, duration_s: float) -> None:
        """Record that a request of ``operation`` took ``duration_s`` SECONDS (create to done).

        This is the seam for other sources of history (e.g. a batch journal's finished rows).
        Negative or non-finite values are ignored.
        """
        if not (0.0 <= duration_s < float("inf")):
            return
        recent = self._recent.get(operation)
        if recent is None:
            recent = self._recent[operation] = deque(maxlen=self._window)
        recent.append(duration_s)
        self._sorted.pop(operation, None)

    def samples(self, operation: str) -> list[float]:
        """The durations kept for ``operation`` in SECONDS, sorted (do not mutate)."""
        cached = self._sorted.get(operation)
        if cached is None:
            cached = self._sorted[operation] = sorted(self._recent.get(operation, ()))
        return cached

    def poll_at(
        self,
        operation: str,
        elapsed_s: float,
        polls_done: int,
        poll_after_ms: object,
        *,
        close: bool = False,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> float:
        """Seconds since the create at which to poll next (see the module docstring).

        Args:
            operation: the request's operation id.
            elapsed_s: seconds since the create was answered.
            polls_done: GETs already made while waiting.
            poll_after_ms: the create's ``poll_after_ms`` in MILLISECONDS, or ``None``.
            close: one of a fan-out's last requests: the learned schedule, ``POLL_CLOSE_FACTOR``
                times as dense.
        """
        samples = self.samples(operation)
        if len(samples) < self._min_samples:
            if polls_done <= 0:
                return max(elapsed_s, poll_delay(0, poll_after_ms))
            return elapsed_s + poll_delay(polls_done, poll_after_ms, uniform=uniform)
        density = POLL_CLOSE_FACTOR if close else 1.0
        return adaptive_poll_at(
            samples,
            elapsed_s,
            first=polls_done <= 0,
            poll_after_ms=poll_after_ms,
            step_mass=POLL_STEP_MASS / density,
            tail_fraction=POLL_TAIL_FRACTION / density,
        )

    def __repr__(self) -> str:
        counts = {op: len(values) for op, values in self._recent.items()}
        return f"PollPolicy({counts})"
