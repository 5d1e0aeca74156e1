"""``InFlightGate``: how many HTTP calls one ``AsyncCannon`` has in flight, counted per call.

The gate is taken BEFORE a call's request is validated, built and sent, and given back after its
response is parsed, so 10,000 creates started at once hold 10,000 small coroutines waiting
here, not 10,000 built envelopes, request objects and header sets (memory bounded by the limit,
not by the number of handles). The keep-alive pool of the client's transport is sized to the same
limit, so every call that holds a slot finds an idle connection and the pool never queues.

A call holds at most one slot: the retrying transport sees that the running task already holds
one (a ``ContextVar``) and does not take a second, and it gives the slot back while it sleeps
between retries (a backoff sleep must not keep other calls out). Calls that do not go through
the overlay's API methods (downloads, a caller using the generated client on our
``httpx2.AsyncClient``) take their slot per attempt in the transport.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar, Token
from types import TracebackType

__all__ = ["InFlightGate"]

_HELD: ContextVar[frozenset[int]] = ContextVar("cannon_studio_gates_held", default=frozenset())


class _Slot:
    """One use of the gate (``async with gate.slot():``); a no-op when the task holds one."""

    __slots__ = ("_gate", "_token")

    def __init__(self, gate: InFlightGate) -> None:
        self._gate = gate
        self._token: Token[frozenset[int]] | None = None

    async def __aenter__(self) -> None:
        gate = self._gate
        held = _HELD.get()
        if id(gate) in held:
            return
        await gate._semaphore.acquire()
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
            await self._gate._semaphore.acquire()
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
        # Binds to the running loop on first use (Python >= 3.10), so it can be made here.
        self._semaphore = asyncio.Semaphore(limit)

    def slot(self) -> _Slot:
        """``async with gate.slot():`` holds one slot for the block (or none if already held)."""
        return _Slot(self)

    def held(self) -> bool:
        """True when the running task holds a slot of this gate."""
        return id(self) in _HELD.get()

    @property
    def in_flight(self) -> int:
        """Slots taken right now (0..limit)."""
        return self.limit - self._semaphore._value

    def released(self) -> _Released:
        """``async with gate.released():`` gives the task's slot back for the block (e.g. a
        backoff sleep), then takes it again; a no-op when the task holds none."""
        return _Released(self)

    def __repr__(self) -> str:
        return f"InFlightGate(limit={self.limit}, in_flight={self.in_flight})"
