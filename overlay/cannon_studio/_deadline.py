"""Total deadlines of HTTP calls: connect, send and the whole body, retries and their waits.

httpx2's timeouts bound each phase (connect, one read, one write), not a call: a server that
sends one body byte per second never trips a 60 s read timeout. A ``Deadline`` is the absolute
time (``time.monotonic`` SECONDS) by which one call must be over, whatever it is doing:

- the retrying transports make one per call, from the call's ``timeout`` (its largest phase
  value: ``Cannon(timeout=2)`` gives a call 2 s in all) and from the enclosing scope;
- ``deadline_scope(seconds)`` bounds every call made inside it (``wait(max_wait=...)`` wraps
  each poll in one, downloads their whole transfer); an outer scope's earlier deadline wins;
- each attempt's phase timeouts are cut to the time left (``capped_timeouts``), backoff and
  ``Retry-After`` waits that would end past it are not waited for;
- the body is watched while it is read: ``sync_deadline_stream`` / ``async_deadline_stream`` wrap a response stream so that the
  read in progress is interrupted at the deadline (sync: a shared watchdog thread shuts the
  socket down; async: each read is bounded with ``asyncio.timeout``), and the typed
  ``APITimeoutError`` is raised.

The scope lives in a ``ContextVar`` (a poll run on a pool thread or as a task opens its own).
Real time, not ``_clock``: these bound real I/O.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpx2

from ._errors import APITimeoutError

__all__ = [
    "Deadline",
    "async_deadline_stream",
    "capped_timeouts",
    "deadline_scope",
    "passed",
    "sync_deadline_stream",
    "timeout_total",
]

_SCOPE: ContextVar[float | None] = ContextVar("cannon_studio_deadline", default=None)
"""The deadline (``time.monotonic`` seconds) of the enclosing ``deadline_scope``, if any."""


def timeout_total(timeout: Mapping[str, float | None] | httpx2.Timeout | None) -> float | None:
    """The total budget in SECONDS of a call with these phase timeouts: the largest phase value
    (``Timeout(2, connect=2)`` -> 2.0), ``None`` when no phase is bounded (pure)."""
    if timeout is None:
        return None
    if isinstance(timeout, httpx2.Timeout):
        timeout = timeout.as_dict()
    values = [float(v) for v in timeout.values() if v is not None and math.isfinite(float(v))]
    return max(values) if values else None


class Deadline:
    """When one HTTP call must be over (``at``, ``time.monotonic`` SECONDS; ``None``: never).

    Args:
        total: the call's own budget in SECONDS from now, or ``None``.
        what: how a timeout names the call (``GET /api/v1/requests/req_1``; no query), or a
            function that says it (called only for an error).
    """

    __slots__ = ("at", "budget", "what")

    def __init__(self, total: float | None, what: str | Callable[[], str]) -> None:
        scope = _SCOPE.get()
        own = None if total is None else time.monotonic() + total
        candidates = [t for t in (own, scope) if t is not None]
        self.at: float | None = min(candidates) if candidates else None
        self.budget = None if self.at is None else max(0.0, self.at - time.monotonic())
        self.what = what

    def remaining(self) -> float | None:
        """SECONDS left (may be <= 0), or ``None`` without a deadline."""
        return None if self.at is None else self.at - time.monotonic()

    def expired(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def fits(self, delay: float) -> bool:
        """True when a wait of ``delay`` SECONDS still ends before the deadline."""
        left = self.remaining()
        return left is None or delay < left

    def error(self) -> APITimeoutError:
        """The typed error of a call that ran out of time."""
        budget = "" if self.budget is None else f" after {self.budget:.3g} s"
        what = self.what if isinstance(self.what, str) else self.what()
        return APITimeoutError(f"{what} timed out{budget} (total deadline)")


@contextmanager
def deadline_scope(seconds: float | None) -> Iterator[float | None]:
    """Every HTTP call made inside ends within ``seconds`` SECONDS from now (``None``: no
    new bound); an enclosing scope's earlier deadline still holds.

    Yields:
        The scope's deadline (``time.monotonic`` SECONDS), or ``None``.
    """
    if seconds is None:
        yield _SCOPE.get()
        return
    at = time.monotonic() + max(0.0, seconds)
    outer = _SCOPE.get()
    at = at if outer is None else min(at, outer)
    token = _SCOPE.set(at)
    try:
        yield at
    finally:
        _SCOPE.reset(token)


def passed(at: float | None) -> bool:
    """True when the deadline ``at`` (``time.monotonic`` SECONDS) has passed."""
    return at is not None and time.monotonic() >= at


def capped_timeouts(request: httpx2.Request, deadline: Deadline) -> None:
    """Cut ``request``'s phase timeouts (its ``timeout`` extension) to the time left, so a
    connect, a write or the wait for the answer cannot run past the deadline."""
    left = deadline.remaining()
    if left is None:
        return
    left = max(left, 0.001)
    current: Mapping[str, float | None] = request.extensions.get("timeout") or {}
    phases = ("connect", "read", "write", "pool")
    request.extensions["timeout"] = {
        phase: left if current.get(phase) is None else min(float(current[phase]), left)  # type: ignore[arg-type]
        for phase in phases
    }


class _Watchdog:
    """One daemon thread that shuts down the sockets of sync transfers past their deadline.

    A blocked ``recv`` cannot be given a new timeout from outside; ``shutdown`` from another
    thread wakes it at once (the read sees the end of the stream), so a body that drips one
    byte a second still ends at its deadline. Entries are ``[at, seq, socket or None]``; a
    finished transfer clears its socket, so a reused connection is never touched.
    """

    def __init__(self) -> None:
        self._heap: list[list[Any]] = []
        self._seq = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, at: float, sock: socket.socket) -> list[Any]:
        entry: list[Any] = [at, next(self._seq), sock]
        with self._wake:
            heapq.heappush(self._heap, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="cannon-studio-deadlines", daemon=True
                )
                self._thread.start()
            if self._heap[0] is entry:  # sooner than all: the thread must wake earlier
                self._wake.notify()
        return entry

    def release(self, entry: list[Any]) -> None:
        with self._wake:
            entry[2] = None
            heap = self._heap  # finished transfers leave from the front here, not in the thread
            while heap and heap[0][2] is None:
                heapq.heappop(heap)

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._heap and self._heap[0][2] is None:
                    heapq.heappop(self._heap)
                if not self._heap:
                    if not self._wake.wait(timeout=30.0) and not self._heap:
                        self._thread = None
                        return
                    continue
                left = self._heap[0][0] - time.monotonic()
                if left > 0:
                    self._wake.wait(timeout=left)
                    continue
                entry = heapq.heappop(self._heap)
                sock, entry[2] = entry[2], None
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)


_WATCHDOG = _Watchdog()


def _socket_of(response: httpx2.Response) -> socket.socket | None:
    stream = response.extensions.get("network_stream")
    get = getattr(stream, "get_extra_info", None)
    sock = get("socket") if callable(get) else None
    return sock if isinstance(sock, socket.socket) else None


class _SyncDeadlineStream(httpx2.SyncByteStream):
    def __init__(self, inner: Any, deadline: Deadline, sock: socket.socket | None) -> None:
        self._inner = inner
        self._deadline = deadline
        self._entry = (
            _WATCHDOG.watch(deadline.at, sock) if sock is not None and deadline.at else None
        )

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._inner:
                if self._deadline.expired():
                    raise self._deadline.error()
                yield chunk
        except httpx2.HTTPError as exc:  # the watchdog shut the socket: a short body
            if self._deadline.expired():
                raise self._deadline.error() from exc
            raise

    def close(self) -> None:
        if self._entry is not None:
            _WATCHDOG.release(self._entry)
            self._entry = None
        close = getattr(self._inner, "close", None)
        if callable(close):
            close()


class _AsyncDeadlineStream(httpx2.AsyncByteStream):
    def __init__(self, inner: Any, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import asyncio  # deferred: a sync program never loads asyncio

        chunks = self._inner.__aiter__()
        while True:
            left = self._deadline.remaining()
            try:
                if left is None:
                    chunk = await chunks.__anext__()
                else:
                    async with asyncio.timeout(max(left, 0.0)):
                        chunk = await chunks.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError as exc:
                raise self._deadline.error() from exc
            yield chunk

    async def aclose(self) -> None:
        aclose = getattr(self._inner, "aclose", None)
        if callable(aclose):
            await aclose()


def sync_deadline_stream(response: httpx2.Response, deadline: Deadline) -> httpx2.Response:
    """``response`` (of a sync transport) with its body read under ``deadline``."""
    if deadline.at is not None:
        response.stream = _SyncDeadlineStream(response.stream, deadline, _socket_of(response))
    return response


def async_deadline_stream(response: httpx2.Response, deadline: Deadline) -> httpx2.Response:
    """``response`` (of an async transport) with its body read under ``deadline``."""
    if deadline.at is not None:
        response.stream = _AsyncDeadlineStream(response.stream, deadline)
    return response
