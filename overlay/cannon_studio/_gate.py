"""``InFlightGate``: how many HTTP calls one ``AsyncCannon`` has in flight, counted per call.

The gate is taken BEFORE a call's request is validated, built and sent, and given back after its
response is parsed, so 10,000 creates started at once hold 10,000 small coroutines waiting
here, not 10,000 built envelopes, request objects and header sets (memory bounded by the limit,
not by the number of handles). The keep-alive pool of the client's transport is sized to the same
limit, so every call that holds a slot finds an idle connection and the pool never queues.

Polls are urgent: a waiting poll gets the next free slot before any waiting create, so while
thousands of creates queue, finished jobs are still noticed when they finish.

A call holds at most one slot: the retrying transport sees that the running task already holds
one (a ``ContextVar``) and does not take a second, and it gives the slot back while it sleeps
between retries (a backoff sleep must not keep other calls out). Calls that do not go through
the overlay's API methods (downloads, a caller using the generated client on our
``httpx2.AsyncClient``) take their slot per attempt in the transport.
"""

from __future__ import annotations

from collections import deque
from contextvars import ContextVar, Token
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

__all__ = ["InFlightGate"]

_HELD: ContextVar[frozenset[int]] = ContextVar("cannon_studio_gates_held", default=frozenset())


class _PrioritySemaphore:
    """A counting semaphore whose urgent waiters are served before the others (FIFO in each).

    Polls are urgent and creates are not: a finished job is noticed while thousands of creates
    still wait for a slot, instead of after all of them.
    """

    __slots__ = ("_free", "_normal", "_urgent")

    def __init__(self, value: int) -> None:
        self._free = value
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._normal: deque[asyncio.Future[None]] = deque()

    async def acquire(self, urgent: bool = False) -> None:
        if self._free > 0:  # a free slot means nobody waits (release hands slots over)
            self._free -= 1
            return
        import asyncio  # deferred: only an async client's waits need it

        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._normal
        queue.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # granted, then cancelled: pass the slot on
            else:
                queue.remove(waiter)
            raise

    def release(self) -> None:
        for queue in (self._urgent, self._normal):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._free += 1

    @property
    def free(self) -> int:
        return self._free


class _Slot:
    """One use of the gate (``async with gate.slot():``); a no-op when the task holds one."""

    __slots__ = ("_gate", "_token", "_urgent")

    def __init__(self, gate: InFlightGate, urgent: bool) -> None:
        self._gate = gate
        self._urgent = urgent
        self._token: Token[frozenset[int]] | None = None

    async def __aenter__(self) -> None:
        gate = self._gate
        held = _HELD.get()
        if id(gate) in held:
            return
        await gate._semaphore.acquire(self._urgent)
        self._token = _HELD.set(held | {id(gate)})

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            still_held = id(self._gate) in _HELD.get()  # False if a re-take was cancelled
            _HELD.reset(self._token)
            self._token = None
            if still_held:
                self._gate._semaphore.release()


class _Released:
    """The block runs without the task's slot; it is taken back on the way out."""

    __slots__ = ("_gate", "_was_held")

    def __init__(self, gate: InFlightGate) -> None:
        self._gate = gate
        self._was_held = False

    async def __aenter__(self) -> None:
        self._was_held = self._gate.held()
        if self._was_held:
            self._gate._semaphore.release()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._was_held:
            return
        try:
            await self._gate._semaphore.acquire(urgent=True)  # it was already in flight
        except BaseException:
            gate_id = id(self._gate)
            _HELD.set(_HELD.get() - {gate_id})  # not held any more: nothing to give back
            raise


class InFlightGate:
    """At most ``limit`` calls in flight; a call holds one slot from build to parsed response.

    Args:
        limit: calls in flight at once (>= 1); the transport's keep-alive pool uses the same
            number (``MAX_IN_FLIGHT_REQUESTS`` = 64 by default).

    Raises:
        ValueError: ``limit`` < 1.
    """

    __slots__ = ("__weakref__", "_semaphore", "limit")

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"the in-flight limit must be >= 1, got {limit!r}")
        self.limit = limit
        self._semaphore = _PrioritySemaphore(limit)

    def slot(self, *, urgent: bool = False) -> _Slot:
        """``async with gate.slot():`` holds one slot for the block (or none if already held).

        Args:
            urgent: served before non-urgent waiters (polls are urgent, creates are not).
        """
        return _Slot(self, urgent)

    @property
    def poll_width(self) -> int:
        """Polls a follower (``as_completed`` / ``wait_all``) keeps started at once by default:
        twice ``limit``. Started polls wait here as urgent, so with every slot busy the due
        ones take each freed slot before a queued create; with only ``limit`` started, a freed
        slot went to a create while due polls waited in the follower's queue (3,000-request
        fan-out: polls started 0.7-1.2 s after they were due, notice latency p50 1.0 s; 0.1 s
        and 0.64 s with twice the limit). Calls in flight stay bounded by ``limit``."""
        return 2 * self.limit

    def held(self) -> bool:
        """True when the running task holds a slot of this gate."""
        return id(self) in _HELD.get()

    @property
    def in_flight(self) -> int:
        """Slots taken right now (0..limit)."""
        return self.limit - self._semaphore.free

    def released(self) -> _Released:
        """``async with gate.released():`` gives the task's slot back for the block (e.g. a
        backoff sleep), then takes it again; a no-op when the task holds none."""
        return _Released(self)

    def __repr__(self) -> str:
        return f"InFlightGate(limit={self.limit}, in_flight={self.in_flight})"
