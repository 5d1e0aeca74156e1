"""Following many requests at once: the schedulers behind ``as_completed`` and ``wait_all``.

One scheduler keeps a priority queue of next-poll times (each handle's ``PollPolicy`` decides)
and runs the polls that are due, at most ``width`` at once, until every request is terminal or
the deadline passes; every request is polled at least once, even past the deadline. A poll in
flight ends at the deadline too (``_deadline``: its retries and waits included). In the async
one, a request created while its client's ``WebhookReceiver`` runs is not queued for polls: a
small task listens for its delivery (``handle.wait``: the delivery resolves it, polls only as
the receiver's safety net), and it is yielded when that task ends. The sync one
polls on a small thread pool (``_InlinePool`` when one poll at a time is enough: no threads);
the async one runs polls as tasks and may also start pending creates, read lazily, as the
client's in-flight slots allow. All sleeping goes through ``_clock``.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import _clock
from ._deadline import deadline_scope, passed
from ._errors import APITimeoutError, RequestFailedError, WaitTimeoutError
from ._handles import (
    AsyncRequestCalls,
    AsyncRequestHandle,
    RequestCalls,
    RequestHandle,
    _HandleBase,
)

__all__ = ["PollQueue", "afollow", "follow"]

if TYPE_CHECKING:
    from cannon_studio_api.models import RequestObject
    from cannon_studio_api.types import Response

_CoreT = TypeVar("_CoreT")
_HandleT = TypeVar("_HandleT", bound=_HandleBase)


class PollQueue(Generic[_HandleT]):
    """The bookkeeping both followers share (no I/O): when each request is next polled (a heap
    of ``(due, index, handle)``, ``monotonic`` SECONDS), which were polled, and the deadline.

    Every request is polled at least once, even past the deadline: until then a request that
    was never polled is made due at once rather than timed out.
    """

    def __init__(self, limit: float, start: float) -> None:
        self.limit = limit  # SECONDS
        self.deadline = start + limit
        self.heap: list[tuple[float, int, _HandleT]] = []
        self.polled: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self.heap)

    def push(self, index: int, handle: _HandleT, now: float | None = None) -> float:
        """Queue ``handle`` for its next poll (its policy's delay from ``now``); return when."""
        due = (_clock.monotonic() if now is None else now) + handle._next_delay()
        heapq.heappush(self.heap, (due, index, handle))
        return due

    def past_deadline(
        self, now: float, in_flight: Iterable[tuple[int, _HandleT]], more: bool = False
    ) -> bool:
        """True when ``now`` is past the deadline (never-polled requests are then made due).

        Raises:
            WaitTimeoutError: past the deadline, every queued request polled once and nothing
                ``more`` to come; it lists the ids in flight (input order), then the queued.
        """
        if now < self.deadline:
            return False
        if not more and all(index in self.polled for _, index, _ in self.heap):
            pending = sorted(in_flight, key=lambda item: item[0])
            pending += [(i, h) for _, i, h in sorted(self.heap)]
            raise WaitTimeoutError([h.id for _, h in pending], self.limit)
        self.heap = [(due if i in self.polled else now, i, h) for due, i, h in self.heap]
        heapq.heapify(self.heap)
        return True

    def take_due(self, now: float, room: int, woke: bool = False) -> list[tuple[int, _HandleT]]:
        """Up to ``room`` requests whose poll is due at ``now`` (the head too when ``woke``:
        the sleep for it ended), marked polled."""
        taken: list[tuple[int, _HandleT]] = []
        while self.heap and len(taken) < room and (self.heap[0][0] <= now or woke):
            woke = False
            _, index, handle = heapq.heappop(self.heap)
            self.polled.add(index)
            taken.append((index, handle))
        return taken

    def wake_at(self) -> float:
        """When the next poll is due, or the deadline if sooner (``monotonic`` SECONDS)."""
        return min(self.heap[0][0], self.deadline)

    def poll_budget(self, now: float) -> float | None:
        """SECONDS a poll started at ``now`` may take: until the deadline, or ``None`` for one
        started past it (the poll every request gets has the call's own timeout only)."""
        left = self.deadline - now
        return left if left > 0 else None


def _poll_until(
    core: RequestCalls, budget: float | None, request_id: str
) -> tuple[RequestObject, Response[Any]] | None:
    """One poll that ends within ``budget`` SECONDS; ``None`` when the deadline cut it off."""
    with deadline_scope(budget) as at:
        try:
            return core.get_request(request_id)
        except APITimeoutError:
            if budget is not None and passed(at):
                return None
            raise


async def _apoll_until(
    handle: AsyncRequestHandle,
    on_update: Callable[[AsyncRequestHandle], object] | None,
    budget: float | None,
) -> None:
    """Async twin of ``_poll_until`` (the handle is left as it was when cut off)."""
    with deadline_scope(budget) as at:
        try:
            await handle._poll(on_update)
        except APITimeoutError:
            if budget is None or not passed(at):
                raise


async def _alisten(
    handle: AsyncRequestHandle,
    limit: float,
    on_update: Callable[[AsyncRequestHandle], object] | None,
) -> AsyncRequestHandle:
    """Wait for a request whose delivery its client's receiver awaits (``handle.wait``: the
    delivery resolves it; polls only as the safety net); ``failed`` is returned, not raised."""
    with contextlib.suppress(RequestFailedError):
        await handle.wait(max_wait=limit, on_update=on_update)
    return handle


class _InlinePool:
    """``max_concurrency=1``: run each poll at once in the calling thread (no threads)."""

    def submit(self, fn: Callable[[str], _CoreT], arg: str) -> Future[_CoreT]:
        future: Future[_CoreT] = Future()
        try:
            future.set_result(fn(arg))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        del wait, cancel_futures


def follow(
    core: RequestCalls,
    handles: list[RequestHandle],
    limit: float,
    width: int,
    on_update: Callable[[RequestHandle], object] | None,
) -> Iterator[RequestHandle]:
    """Yield each of ``handles`` as it becomes terminal, in the order that was seen.

    ``limit`` is the deadline in SECONDS, ``width`` the polls in flight at once (threads).

    Raises:
        WaitTimeoutError: the deadline passed; it lists the pending ids.
        The first error a poll raised (after retries).
    """
    start = _clock.monotonic()
    queue: PollQueue[RequestHandle] = PollQueue(limit, start)
    for index, handle in enumerate(handles):
        if handle.is_terminal:
            yield handle
        else:
            queue.push(index, handle, start)
    if not queue:
        return
    pool: ThreadPoolExecutor | _InlinePool = (
        ThreadPoolExecutor(max_workers=width, thread_name_prefix="cannon-studio-poll")
        if width > 1 and len(queue.heap) > 1
        else _InlinePool()
    )
    in_flight: dict[
        Future[tuple[RequestObject, Response[Any]] | None], tuple[int, RequestHandle]
    ] = {}
    try:
        while queue or in_flight:
            now = _clock.monotonic()
            queue.past_deadline(now, in_flight.values())
            for index, handle in queue.take_due(now, width - len(in_flight)):
                poll = partial(_poll_until, core, queue.poll_budget(now))
                in_flight[pool.submit(poll, handle.id)] = (index, handle)
            if not in_flight:
                _clock.sleep(max(0.0, queue.wake_at() - now))
                continue
            until = queue.wake_at() if queue and len(in_flight) < width else queue.deadline
            done, _ = wait_futures(
                list(in_flight), timeout=max(0.0, until - now), return_when=FIRST_COMPLETED
            )
            for future in sorted(done, key=lambda f: in_flight[f][0]):
                index, handle = in_flight.pop(future)
                answer = future.result()
                if answer is None:  # cut off at the deadline: the next turn raises
                    queue.push(index, handle)
                    continue
                if handle._apply(*answer) and on_update is not None:
                    on_update(handle)
                if handle.is_terminal:
                    yield handle
                else:
                    queue.push(index, handle)
    finally:  # polls still in flight (deadline, error, or the caller stopped) are abandoned
        pool.shutdown(wait=not in_flight, cancel_futures=True)


async def afollow(
    core: AsyncRequestCalls,
    source: Iterator[AsyncRequestHandle | str | Awaitable[AsyncRequestHandle]],
    limit: float,
    width: int,
    on_update: Callable[[AsyncRequestHandle], object] | None,
) -> AsyncIterator[AsyncRequestHandle]:
    """Yield each request of ``source`` as it becomes terminal, in the order that was seen.

    One scheduler keeps a priority queue of next-poll times (as the sync loop does) and runs
    the polls that are due, at most ``width`` at once, so 10,000 requests cost 10,000 heap
    entries, not 10,000 sleeping tasks. Items that are awaitables (pending creates) are started
    as the client's in-flight slots allow. ``limit`` is the deadline in SECONDS.

    Raises:
        WaitTimeoutError: the deadline passed; it lists the pending ids.
        The first error a create or a poll raised (after retries).
    """
    queue: PollQueue[AsyncRequestHandle] = PollQueue(limit, _clock.monotonic())
    create_limit = core.gate.limit
    creating: dict[asyncio.Future[AsyncRequestHandle], int] = {}
    listening: dict[asyncio.Task[AsyncRequestHandle], tuple[int, AsyncRequestHandle]] = {}
    heard: list[asyncio.Task[AsyncRequestHandle]] = []  # listeners that ended, not yet handled
    hearing: asyncio.Future[None] | None = None  # resolved when one ends (one waiter for all)

    def ended(task: asyncio.Task[AsyncRequestHandle]) -> None:
        heard.append(task)
        if hearing is not None and not hearing.done():
            hearing.set_result(None)

    count = 0
    exhausted = False

    def follow_one(index: int, handle: AsyncRequestHandle) -> float | None:
        """Queue ``handle`` for polls, or listen for its delivery; when its poll is due."""
        receiver = handle._receiver
        if receiver is None or not receiver.running:
            return queue.push(index, handle)
        left = max(0.0, queue.deadline - _clock.monotonic())
        task = asyncio.create_task(_alisten(handle, left, on_update))
        listening[task] = (index, handle)
        task.add_done_callback(ended)
        return None

    def pull() -> list[AsyncRequestHandle]:
        """Take items until ``create_limit`` creates run; returns the terminal handles."""
        nonlocal count, exhausted
        ready: list[AsyncRequestHandle] = []
        while not exhausted and len(creating) < create_limit:
            item = next(source, None)
            if item is None:
                exhausted = True
                break
            index, count = count, count + 1
            if isinstance(item, str | AsyncRequestHandle):
                handle = (
                    item
                    if isinstance(item, AsyncRequestHandle)
                    else (AsyncRequestHandle(core, request_id=item))
                )
                if handle.is_terminal:
                    ready.append(handle)
                else:
                    follow_one(index, handle)
            else:
                creating[asyncio.ensure_future(item)] = index
        return ready

    for handle in pull():
        yield handle
    polling: dict[asyncio.Task[None], tuple[int, AsyncRequestHandle]] = {}
    sleeper: asyncio.Future[None] | None = None
    sleeper_at = 0.0  # when the sleeper wakes (``monotonic`` seconds)
    try:
        while queue or polling or creating or listening or not exhausted:
            now = _clock.monotonic()
            past = queue.past_deadline(now, polling.values(), more=bool(creating))
            if not past and not exhausted and len(creating) < create_limit:
                for handle in pull():
                    yield handle
                continue
            woke = sleeper is not None and sleeper.done()
            if woke:
                sleeper = None
            # Start the polls that are due (the head too when the sleep for it ended:
            # sleeps are the module's ``async_sleep``, which tests make instant).
            for index, handle in queue.take_due(now, width - len(polling), woke):
                poll = _apoll_until(handle, on_update, queue.poll_budget(now))
                polling[asyncio.create_task(poll)] = (index, handle)
            waiters: set[asyncio.Future[Any]] = {*polling, *creating}
            if listening:
                if hearing is None:
                    hearing = asyncio.get_running_loop().create_future()
                    if heard:
                        hearing.set_result(None)
                waiters.add(hearing)
            if queue and len(polling) < width:
                if sleeper is None:
                    sleeper_at = queue.wake_at()
                    sleeper = asyncio.ensure_future(_clock.async_sleep(max(0.0, sleeper_at - now)))
                waiters.add(sleeper)
            elif not waiters:  # pragma: no cover - nothing to wait for
                break
            done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finished_all = [f for f in done if f is not sleeper and f is not hearing]
            listened: list[asyncio.Task[AsyncRequestHandle]] = []
            if hearing is not None and hearing.done():
                hearing = None
                listened, heard[:] = list(heard), []
            for finished in [f for f in finished_all if f in creating]:
                index = creating.pop(finished)
                due = follow_one(index, finished.result())  # result() raises the create's error
                if due is not None and sleeper is not None and due < sleeper_at:
                    sleeper.cancel()
                    sleeper = None
            for finished in sorted(
                (f for f in listened if f in listening), key=lambda f: listening[f][0]
            ):
                if isinstance(finished.exception(), WaitTimeoutError):
                    pending = sorted([*polling.values(), *listening.values()], key=lambda p: p[0])
                    pending += [(i, h) for _, i, h in sorted(queue.heap)]
                    raise WaitTimeoutError([h.id for _, h in pending], queue.limit)
                listening.pop(finished)
                yield finished.result()  # raises the error of a poll that failed
            for finished in sorted(
                (f for f in finished_all if f in polling),
                key=lambda f: polling[f][0],
            ):
                index, handle = polling.pop(finished)
                error = finished.exception()
                if error is not None:
                    raise error
                if handle.is_terminal:
                    yield handle
                else:
                    due = queue.push(index, handle)
                    if sleeper is not None and due < sleeper_at:
                        sleeper.cancel()  # this poll is due before the sleeper wakes
                        sleeper = None
    finally:
        if not exhausted:  # stopped early: close the creates that were never started
            for item in source:
                if inspect.iscoroutine(item):
                    item.close()
        leftovers: list[asyncio.Future[Any]] = [*polling, *creating, *listening]
        for waiter in (sleeper, hearing):
            if waiter is not None:
                leftovers.append(waiter)
        for future in leftovers:
            future.cancel()
        if leftovers:
            await asyncio.gather(*leftovers, return_exceptions=True)
