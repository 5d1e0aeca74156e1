"""The sandbox's clock, which tests can move, and a queue of things that fall due on it.

Every time-dependent behaviour of the sandbox reads :class:`SandboxClock`: the request
lifecycle, refunds, the 7-day retention sweep, idempotency-key expiry, asset-URL expiry, rate
limits and when webhooks fall due. Moving the clock (``Sandbox.advance_clock``, ``POST
/_sandbox/clock``, the pytest fixture's ``advance_clock``) therefore moves all of them at once,
without sleeping. Webhook *signatures* keep real wall time, as a real sender's do, so a receiver
checking the timestamp tolerance still accepts them after the clock was moved.

:class:`DueQueue` is the seam for anything that must happen "at time T": the retention sweep and
refunds use it, and so can memory eviction of expired requests.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime


def wall_ms() -> int:
    """Wall-clock time in epoch milliseconds."""
    return int(time.time() * 1000)


def iso_ms(epoch_ms: int) -> str:
    """``2026-05-01T00:00:00.000Z`` (the status page's ``serverTime`` format) for epoch MILLISECONDS."""
    return (
        datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


class SandboxClock:
    """A time source in epoch milliseconds plus an offset that tests move.

    Args:
        source: the underlying time source in epoch MILLISECONDS (default: the wall clock;
            tests may inject a fake one).

    The offset only ever changes through :meth:`advance`, :meth:`set` and :meth:`reset`.
    Thread-safe: the server thread reads it while a test thread moves it.
    """

    def __init__(self, source: Callable[[], int] = wall_ms) -> None:
        self._source = source
        self._offset_ms = 0
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        """Current sandbox time in epoch milliseconds (source + offset)."""
        with self._lock:
            return self._source() + self._offset_ms

    __call__ = now_ms

    @property
    def offset_ms(self) -> int:
        """How far the clock was moved from its source, in milliseconds."""
        with self._lock:
            return self._offset_ms

    def advance(self, seconds: float) -> int:
        """Move the clock forward by ``seconds`` (>= 0) and return the new time (epoch ms).

        Raises:
            ValueError: ``seconds`` is negative or not finite (time never runs backwards).
        """
        if not seconds >= 0 or seconds == float("inf"):
            raise ValueError(
                f"the clock only moves forward by a finite number of seconds, got {seconds!r}"
            )
        with self._lock:
            self._offset_ms += round(seconds * 1000)
            return self._source() + self._offset_ms

    def set(self, epoch_ms: int) -> int:
        """Move the clock to ``epoch_ms`` (must not be earlier than now); return it.

        Raises:
            ValueError: ``epoch_ms`` is earlier than the current sandbox time.
        """
        with self._lock:
            now = self._source() + self._offset_ms
            if epoch_ms < now:
                raise ValueError(f"the clock only moves forward: {epoch_ms} < now {now}")
            self._offset_ms += epoch_ms - now
            return epoch_ms

    def reset(self) -> None:
        """Drop the offset: the clock follows its source again."""
        with self._lock:
            self._offset_ms = 0

    def to_dict(self) -> dict[str, object]:
        """JSON view for ``GET /_sandbox/clock``: ``now_ms``, ``now`` (ISO-8601), ``offset_ms``."""
        now = self.now_ms()
        return {"now_ms": now, "now": iso_ms(now), "offset_ms": self.offset_ms}


class DueQueue:
    """Keys that fall due at a time (epoch ms); :meth:`pop_due` hands out those whose time passed.

    A heap, so a check when nothing is due costs one comparison. Thread-safe.
    """

    def __init__(self) -> None:
        self._heap: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def push(self, due_ms: int, key: str) -> None:
        """Schedule ``key`` for ``due_ms`` (epoch milliseconds)."""
        with self._lock:
            heapq.heappush(self._heap, (due_ms, key))

    def pop_due(self, now_ms: int) -> list[str]:
        """Remove and return every key due at or before ``now_ms``, earliest first."""
        due: list[str] = []
        with self._lock:
            while self._heap and self._heap[0][0] <= now_ms:
                due.append(heapq.heappop(self._heap)[1])
        return due

    def retain(self, keep: Callable[[str], bool]) -> None:
        """Drop every scheduled key for which ``keep(key)`` is false (linear; for compaction)."""
        with self._lock:
            self._heap = [entry for entry in self._heap if keep(entry[1])]
            heapq.heapify(self._heap)

    def clear(self) -> None:
        """Forget everything scheduled."""
        with self._lock:
            self._heap.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._heap)
