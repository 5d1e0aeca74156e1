"""Following many requests at once: the schedulers behind ``as_completed`` and ``wait_all``.

One scheduler keeps a priority queue of next-poll times (each handle's ``PollPolicy`` decides)
and runs the polls that are due, at most ``width`` at once, until every request is terminal or
the deadline passes; every request is polled at least once, even past the deadline. A poll in
flight ends at the deadline too (``_deadline``: its retries and waits included). In the async
one, a request created while its client's ``WebhookReceiver`` runs is subscribed to it: the
receiver's request handler hands the delivery to the scheduler, which yields the request on
its next wake-up; its queued poll is only the receiver's safety net. The sync one polls on a
small thread pool (``_InlinePool`` when one poll at a time is enough: no threads); the async
one runs polls as tasks and may also start pending creates, read lazily, as the client's
in-flight slots allow. Once every create is answered and at most ``POLL_CLOSE_REMAINING`` of
more requests are left, those are polled on the close schedule (``PollPolicy.poll_at``): a
fan-out ends when its last request is noticed. All sleeping goes through ``_clock``.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import _clock
from ._constants import POLL_CLOSE_REMAINING
from ._deadline import deadline_scope, passed
from ._errors import APITimeoutError, WaitTimeoutError
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

    from ._receiver import Notice, WebhookReceiver

_CoreT = TypeVar("_CoreT")
_HandleT = TypeVar("_HandleT", bound=_HandleBase)


class PollQueue(Generic[_HandleT]):
    """The bookkeeping both followers share (no I/O): when each request is next polled (a heap
    of ``(due, index, handle)``, ``monotonic`` SECONDS), which were polled, and the deadline.

    Every request is polled at least once, even past the deadline: until then a request that
    was never polled is made due at once rather than timed out. A request settled some other
    way (a webhook delivery) is ``discard``-ed: its entry stays in the heap, stale, and is
    skipped when it comes to the top (``live`` holds the due time of each live entry).

    A fan-out's last requests are polled closely (``tighten``; ``POLL_CLOSE_REMAINING``).
    """

    def __init__(self, limit: float, start: float) -> None:
        self.limit = limit  # SECONDS
        self.deadline = start + limit
        self.heap: list[tuple[float, int, _HandleT]] = []
        self.live: dict[int, float] = {}  # index -> due of its live entry
        self.polled: set[int] = set()
        self.close = False  # polls follow the close schedule (the fan-out's last requests)

    def __bool__(self) -> bool:
        return self.head() is not None

    def head(self) -> tuple[float, int, _HandleT] | None:
        """The live entry polled next, or ``None`` (stale entries on top are dropped)."""
        heap, live = self.heap, self.live
        while heap:
            due, index, _ = top = heap[0]
            if live.get(index) == due:
                return top
            heapq.heappop(heap)
        return None

    def push(self, index: int, handle: _HandleT, now: float | None = None) -> float:
        """Queue ``handle`` for its next poll (its policy's delay from ``now``); return when."""
        due = (_clock.monotonic() if now is None else now) + handle._next_delay(self.close)
        return self.push_at(index, handle, due)

    def push_at(self, index: int, handle: _HandleT, due: float) -> float:
        """Queue ``handle`` for a poll at ``due`` (``monotonic`` SECONDS), replacing its entry."""
        self.live[index] = due
        heapq.heappush(self.heap, (due, index, handle))
        return due

    def tighten(self, now: float, total: int, left: int) -> bool:
        """Switch to the close schedule when a fan-out nears its end (no I/O).

        Args:
            now: ``monotonic`` SECONDS.
            total: requests the wait was given (more than ``POLL_CLOSE_REMAINING`` makes it a
                fan-out); the caller asks only once every create was answered.
            left: requests still waited for (queued and polled now).

        Returns:
            True when it switched just now: every queued poll due later than the close
            schedule says was brought forward (a sleep for the old head should end).
        """
        if self.close or total <= POLL_CLOSE_REMAINING or left > POLL_CLOSE_REMAINING:
            return False
        self.close = True
        for due, index, handle in self.entries():
            at = now + handle._next_delay(True)
            if at < due:
                self.push_at(index, handle, at)
        return True

    def discard(self, index: int) -> None:
        """Forget the queued poll of ``index`` (settled without it); no-op when none."""
        self.live.pop(index, None)

    def entries(self) -> list[tuple[float, int, _HandleT]]:
        """The live entries, in no particular order."""
        live = self.live
        return [entry for entry in self.heap if live.get(entry[1]) == entry[0]]

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
        entries = self.entries()
        if not more and all(index in self.polled for _, index, _ in entries):
            pending = sorted(in_flight, key=lambda item: item[0])
            pending += [(i, h) for _, i, h in sorted(entries)]
            raise WaitTimeoutError([h.id for _, h in pending], self.limit)
        self.heap = [(due if i in self.polled else now, i, h) for due, i, h in entries]
        heapq.heapify(self.heap)
        self.live = {i: due for due, i, _ in self.heap}
        return True

    def take_due(self, now: float, room: int, woke: bool = False) -> list[tuple[int, _HandleT]]:
        """Up to ``room`` requests whose poll is due at ``now`` (the head too when ``woke``:
        the sleep for it ended), marked polled."""
        taken: list[tuple[int, _HandleT]] = []
        while len(taken) < room:
            top = self.head()
            if top is None or not (top[0] <= now or woke):
                break
            woke = False
            heapq.heappop(self.heap)
            _, index, handle = top
            del self.live[index]
            self.polled.add(index)
            taken.append((index, handle))
        return taken

    def wake_at(self) -> float:
        """When the next poll is due, or the deadline if sooner (``monotonic`` SECONDS)."""
        top = self.head()
        return self.deadline if top is None else min(top[0], self.deadline)

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
            queue.tighten(now, len(handles), len(queue.live) + len(in_flight))
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

    A request created while its client's ``WebhookReceiver`` runs is also subscribed to that
    receiver: its delivery, taken in the receiver's request handler, is handed to this loop
    directly (one wake-up of this task), and its queued poll is only the safety net
    (``WebhookReceiver.safety_interval``). A delivery without the whole record makes it due at
    once (one GET). Whichever comes first, delivery or poll, yields it; the other is ignored.
    The loop sleeps on one future that every create, poll, sleep and delivery wakes.

    Raises:
        WaitTimeoutError: the deadline passed; it lists the pending ids.
        The first error a create or a poll raised (after retries).
    """
    loop = asyncio.get_running_loop()
    queue: PollQueue[AsyncRequestHandle] = PollQueue(limit, _clock.monotonic())
    create_limit = core.gate.limit
    creating: dict[asyncio.Future[AsyncRequestHandle], int] = {}
    polling: dict[asyncio.Task[None], tuple[int, AsyncRequestHandle]] = {}
    # Requests listening to a receiver: index -> (handle, receiver, its subscription).
    listening: dict[
        int, tuple[AsyncRequestHandle, WebhookReceiver, Callable[[Notice | None], None]]
    ]
    listening = {}
    delivered: set[int] = set()  # yielded on a delivery (a poll still in flight is ignored)
    ended: list[asyncio.Future[Any]] = []  # creates, polls and sleeps that ended, not yet seen
    heard: list[tuple[int, Notice | None]] = []  # what receivers said, not yet seen
    wake: asyncio.Future[None] | None = None  # what the loop sleeps on while nothing is new

    def nudge() -> None:
        if wake is not None and not wake.done():
            wake.set_result(None)

    def on_end(future: asyncio.Future[Any]) -> None:
        ended.append(future)
        nudge()

    def listen(index: int, handle: AsyncRequestHandle, receiver: WebhookReceiver) -> None:
        def on_notice(notice: Notice | None) -> None:  # runs in the receiver's handler
            heard.append((index, notice))
            nudge()

        listening[index] = (handle, receiver, on_notice)
        early = receiver.subscribe(handle.id, on_notice, after=handle._notice_seq)
        if early is not None:  # delivered before the create's answer was seen
            heard.append((index, early))

    def unlisten(index: int) -> None:
        entry = listening.pop(index, None)
        if entry is not None:
            handle, receiver, on_notice = entry
            receiver.unsubscribe(handle.id, on_notice)

    count = 0
    exhausted = False

    def follow_one(index: int, handle: AsyncRequestHandle) -> float:
        """Queue ``handle`` for polls (only the safety net when it listens for its delivery);
        when its poll is due."""
        receiver = handle._receiver
        if receiver is not None and receiver.running:
            listen(index, handle, receiver)
        return queue.push(index, handle)

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
                future = asyncio.ensure_future(item)
                creating[future] = index
                future.add_done_callback(on_end)
        return ready

    for handle in pull():
        yield handle
    sleeper: asyncio.Future[None] | None = None
    sleeper_at = 0.0  # when the sleeper wakes (``monotonic`` seconds)
    sleeper_for: tuple[float, int, AsyncRequestHandle] | None = None  # the entry it sleeps for
    try:
        while queue or polling or creating or not exhausted:
            now = _clock.monotonic()
            past = queue.past_deadline(now, polling.values(), more=bool(creating))
            if not past and not exhausted and len(creating) < create_limit:
                for handle in pull():
                    yield handle
                continue
            if (
                exhausted
                and not creating
                and queue.tighten(now, count, len(queue.live) + len(polling))
                and sleeper is not None
            ):
                sleeper.cancel()  # it sleeps for a poll the close schedule brought forward
                sleeper = None
            woke = False
            if sleeper is not None and sleeper.done():
                sleeper = None
                woke = queue.head() is sleeper_for  # not when its entry was settled meanwhile
            # Start the polls that are due (the head too when the sleep for it ended:
            # sleeps are the module's ``async_sleep``, which tests make instant).
            for index, handle in queue.take_due(now, width - len(polling), woke):
                task = asyncio.create_task(_apoll_until(handle, on_update, queue.poll_budget(now)))
                task.add_done_callback(on_end)
                polling[task] = (index, handle)
            if queue and len(polling) < width and sleeper is None:
                sleeper_at, sleeper_for = queue.wake_at(), queue.head()
                sleeper = asyncio.ensure_future(_clock.async_sleep(max(0.0, sleeper_at - now)))
                sleeper.add_done_callback(on_end)
            if not ended and not heard:
                if not polling and not creating and sleeper is None:  # pragma: no cover
                    break  # nothing to wait for
                wake = loop.create_future()
                try:
                    await wake
                finally:
                    wake = None
            done = set(ended)
            ended.clear()
            news = heard[:]
            heard.clear()
            for finished in [f for f in done if f in creating]:
                index = creating.pop(finished)
                due = follow_one(index, finished.result())  # result() raises the create's error
                if sleeper is not None and due < sleeper_at:
                    sleeper.cancel()
                    sleeper = None
            for index, notice in news:
                entry = listening.get(index)
                if entry is None:
                    continue  # settled already: a poll found it, or a copy came first
                handle = entry[0]
                in_flight = any(i == index for i, _ in polling.values())
                if notice is None:  # the receiver stopped: poll now, then by the policy
                    unlisten(index)
                    if not in_flight:
                        queue.push_at(index, handle, now)
                    continue
                if notice.seq <= handle._notice_seq:
                    continue
                handle._notice_seq = notice.seq
                record = notice.record
                if record is None or (handle.operation and record.operation != handle.operation):
                    if not in_flight:  # a hint, or a record that does not fit: GET once now
                        queue.push_at(index, handle, now)
                    continue
                if handle._apply(record) and on_update is not None:
                    result = on_update(handle)
                    if hasattr(result, "__await__"):
                        await result
                unlisten(index)
                queue.discard(index)
                if in_flight:
                    delivered.add(index)
                yield handle
            for finished in sorted(
                (f for f in done if f in polling),
                key=lambda f: polling[f][0],
            ):
                index, handle = polling.pop(finished)
                error = finished.exception()
                if error is not None:
                    raise error
                if index in delivered:  # its delivery came while this poll was in flight
                    delivered.discard(index)
                    continue
                if handle.is_terminal:
                    unlisten(index)
                    yield handle
                else:
                    due = queue.push(index, handle)
                    if sleeper is not None and due < sleeper_at:
                        sleeper.cancel()  # this poll is due before the sleeper wakes
                        sleeper = None
    finally:
        for index in list(listening):
            unlisten(index)
        if not exhausted:  # stopped early: close the creates that were never started
            for item in source:
                if inspect.iscoroutine(item):
                    item.close()
        leftovers: list[asyncio.Future[Any]] = [*polling, *creating]
        if sleeper is not None:
            leftovers.append(sleeper)
        for future in leftovers:
            future.cancel()
        if leftovers:
            await asyncio.gather(*leftovers, return_exceptions=True)
