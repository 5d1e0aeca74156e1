"""The storage-retention sweep of request logs (documented: detailed logs are kept 7 days).

Documented: for API calls the request log (submitted input and terminal output) is kept for 7
days, then "the storage-retention sweep" removes it; in the docs' example ``retainedUntilMs`` is
``completedAtMs`` + 604800000. Assumed (the docs do not show the swept shape): the request
object can still be read afterwards, and its ``requestLog`` becomes ``{available: false,
retentionDays: 7, retainedUntilMs, input: null, output: null, errorMessage: null}``.

The sweep is driven by the sandbox clock: every API call and every ticker round calls
:meth:`RetentionSweeper.sweep` with the current time, which hands back the ids whose window has
passed (earliest first) using a :class:`~.clock.DueQueue`, so a call that finds nothing due
costs one comparison.
"""

from __future__ import annotations

from collections.abc import Callable

from .clock import DueQueue

RETENTION_DAYS = 7
RETENTION_MS = RETENTION_DAYS * 24 * 3600 * 1000


def retained_until_ms(completed_at_ms: int) -> int:
    """End of the retention window of a request that completed at ``completed_at_ms`` (epoch ms)."""
    return completed_at_ms + RETENTION_MS


def swept_log(retained_until: int) -> dict[str, object]:
    """The ``requestLog`` of a request whose log was swept (Assumed shape, see the module)."""
    return {
        "available": False,
        "retentionDays": RETENTION_DAYS,
        "retainedUntilMs": retained_until,
        "input": None,
        "output": None,
        "errorMessage": None,
    }


class RetentionSweeper:
    """Knows when each request's log falls due for the sweep."""

    def __init__(self) -> None:
        self._due = DueQueue()

    def schedule(self, request_id: str, completed_at_ms: int) -> None:
        """Sweep ``request_id`` once its 7-day window after ``completed_at_ms`` has passed."""
        self._due.push(retained_until_ms(completed_at_ms) + 1, request_id)

    def sweep(self, now_ms: int) -> list[str]:
        """Ids whose window ended before ``now_ms`` (each handed out once)."""
        return self._due.pop_due(now_ms)

    def reset(self) -> None:
        """Forget every scheduled sweep."""
        self._due.clear()

    def retain(self, keep: Callable[[str], bool]) -> None:
        """Forget the sweeps of requests for which ``keep(request_id)`` is false (evicted)."""
        self._due.retain(keep)

    def __len__(self) -> int:
        return len(self._due)
