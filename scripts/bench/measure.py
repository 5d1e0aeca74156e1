"""What a benchmark child measures, shared by the client's children (``child``) and the
baselines' (``baselines``). Imports nothing from the client, so a baseline stays independent.

Per run: wall time, the create phase, HTTP calls counted on the wire, process CPU time
(``time.process_time``, after imports and a warm-up call), RSS before the run and peak RSS
(``getrusage``), the server's timestamps (first ``createdAtMs``, last ``completedAtMs``: the wall
lower bound) and per request the notice latency: when the client saw it terminal
(``time.time()``) minus its ``completedAtMs`` (client and sandbox share the machine's clock),
and where it goes: when the request's last GET (the one that saw it terminal) was sent after the
completion, and that GET's round trip (medians).
"""

from __future__ import annotations

import collections
import os
import resource
import statistics
import time
from array import array
from pathlib import Path
from typing import Any

__all__ = ["DUE_HEADER", "INPUT", "IN_FLIGHT", "OPERATION", "TERMINAL", "Run", "Tally"]

OPERATION = "image.generate"
INPUT = {"prompt": "A lone detective in a rain-soaked alley under neon signage."}
IN_FLIGHT = 64
"""Calls in flight, the client's default limit; every baseline uses the same."""
TERMINAL = ("succeeded", "failed")
DUE_HEADER = "x-sandbox-completes-at-ms"
"""Sandbox only: when a created request's seeded job completes (epoch ms), for the oracle."""


class Tally:
    """HTTP calls on the wire (by method) and each followed request's latest GET."""

    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self.last_get: dict[str, tuple[float, float]] = {}
        """Request id -> (sent, answered) of its latest GET (``time.time()``); taken out when
        the request is noticed, so it holds only the requests being followed."""

    def record(self, method: str, request_id: str | None, sent: float) -> None:
        """Count one exchange (``request_id`` for a GET of a request, else None)."""
        self.calls[method] += 1
        if request_id is not None:
            self.last_get[request_id] = (sent, time.time())


def _median(values: array[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Run:
    """Measurements of one run (filled by the scenario)."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.started = 0.0
        self.created = 0.0
        self.cpu0 = 0.0
        self.rss0 = 0.0
        self.calls0: collections.Counter[str] = collections.Counter()
        self.latencies: list[float] = []
        self.sent_after: array[float] = array("d")  # last GET sent - completedAtMs (seconds)
        self.round_trips: array[float] = array("d")  # last GET answered - sent (seconds)
        self.durations: list[float] = []
        self.first_created_ms = float("inf")
        self.last_completed_ms = 0.0
        self.statuses: collections.Counter[str] = collections.Counter()

    def begin(self) -> None:
        self.rss0 = _rss_mb()
        self.calls0 = collections.Counter(self.tally.calls)
        self.cpu0 = time.process_time()
        self.started = time.time()

    def notice(self, body: dict[str, Any] | Any, status: str) -> None:
        """Record a request seen terminal now (``body``: JSON dict or the client's model)."""
        now = time.time()
        if isinstance(body, dict):
            completed, created, request_id = body["completedAtMs"], body["createdAtMs"], body["id"]
        else:
            completed, created, request_id = body.completed_at_ms, body.created_at_ms, body.id
        self.latencies.append(now - completed / 1000.0)
        last = self.tally.last_get.pop(request_id, None)
        if last is not None:
            self.sent_after.append(last[0] - completed / 1000.0)
            self.round_trips.append(last[1] - last[0])
        self.durations.append((completed - created) / 1000.0)
        self.first_created_ms = min(self.first_created_ms, created)
        self.last_completed_ms = max(self.last_completed_ms, completed)
        self.statuses[status] += 1

    def result(self, **extra: Any) -> dict[str, Any]:
        finished = time.time()
        calls = self.tally.calls - self.calls0
        return {
            "wall_s": finished - self.started,
            "create_s": self.created - self.started,
            "cpu_s": time.process_time() - self.cpu0,
            "posts": calls["POST"],
            "gets": calls["GET"],
            "rss_before_mb": self.rss0,
            "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "latencies": self.latencies,
            "last_get_sent_after_p50_s": _median(self.sent_after),
            "last_get_round_trip_p50_s": _median(self.round_trips),
            "longest_job_s": max(self.durations, default=float("nan")),
            # the server's span: last completion - first create (the wall lower bound's core)
            "server_span_s": (self.last_completed_ms - self.first_created_ms) / 1000.0,
            "statuses": dict(self.statuses),
            **extra,
        }
