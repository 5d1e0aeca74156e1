"""Request handles, waiting and ``as_completed``; all sleeping goes through ``_clock``.

Waiting (lifecycle page: "start after poll_after_ms; stop on succeeded or failed"): the first
poll comes ``poll_after_ms`` milliseconds after the create, then polls back off exponentially
(0.5 s x 1.5^n, cap 5 s, jitter x U[0.8, 1]) until the request is terminal or the overall
deadline passes. ``wait`` keeps polling even when a ``webhook_url`` was given, because the docs
hint that terminal delivery may be tied to polling.

Tests replace ``sleep`` / ``async_sleep`` (and ``monotonic`` for deadlines) on ``_clock``.
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: wait(timeout=seconds))

from __future__ import annotations

import asyncio
import heapq
import inspect
import sys
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

from . import _clock
from ._backoff import check_seconds
from ._constants import (
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_WAIT_S,
    DEFAULT_SYNC_MAX_CONCURRENCY,
    REQUEST_ID_HEADER,
)
from ._errors import (
    CannonError,
    InputValidationError,
    RequestFailedError,
    RequestNotSucceededError,
    WaitTimeoutError,
)
from ._gate import InFlightGate
from ._logging import logger
from ._polling import PollPolicy, poll_delay
from ._retry import new_idempotency_key
from ._types import NOT_GIVEN, InputData, NotGiven, TimeoutTypes
from ._validation import build_envelope
from .assets import adownload_many, asset_urls, download_many

__all__ = ["AsyncRequestHandle", "AsyncRequests", "RequestHandle", "Requests", "poll_delay"]

if TYPE_CHECKING:
    import httpx2
    from cannon_studio_api.models import (
        AcceptedRequest,
        AudioOutput,
        CharacterOutput,
        ImageOutput,
        Location3DOutput,
        PromptOutput,
        RequestObject,
        TaskOutput,
        VideoOutput,
    )
    from cannon_studio_api.types import Response

    Output: TypeAlias = (
        AudioOutput
        | CharacterOutput
        | ImageOutput
        | Location3DOutput
        | PromptOutput
        | TaskOutput
        | VideoOutput
    )

TERMINAL_STATUSES = frozenset({"succeeded", "failed"})
UNKNOWN_STATUS = "unknown"

ProgressCallback: TypeAlias = Callable[[int, "int | None"], object]


_CoreT = TypeVar("_CoreT")


class _SyncCore(Protocol):
    polling: PollPolicy

    def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]: ...
    def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]: ...
    def download_client(self) -> httpx2.Client: ...
    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AbstractContextManager[_SyncCore]: ...


class _AsyncCore(Protocol):
    gate: InFlightGate
    polling: PollPolicy

    async def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]: ...
    async def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]: ...
    def download_client(self) -> httpx2.AsyncClient: ...
    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AbstractAsyncContextManager[_AsyncCore]: ...


def wait_limit(max_wait: object) -> float:
    """The overall wait deadline in SECONDS: ``max_wait`` checked, or the default (pure).

    Raises:
        ConfigurationError: ``max_wait`` is not a finite number >= 0 (``nan`` would never end).
    """
    checked = check_seconds(max_wait, "max_wait", allow_none=True)
    return DEFAULT_MAX_WAIT_S if checked is None else checked


_MAX_EPOCH_MS = 253_402_300_799_999  # the last millisecond of year 9999


def _epoch_ms(value: object) -> int | None:
    """A server timestamp in epoch MILLISECONDS if it is a plausible integer, else ``None``
    (a bool, a string or ``10**400`` from a hostile server is ignored, never an OverflowError)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_EPOCH_MS:
        return None
    return value


def tag_create_error(exc: CannonError, key: str | None) -> None:
    """Attach the create's idempotency key to ``exc`` (kept when one is already set)."""
    if exc.idempotency_key is None:
        exc.idempotency_key = key


def _max_wait_seconds(max_wait: float | None, timeout: float | NotGiven | None, what: str) -> float:
    """The wait deadline in SECONDS; ``timeout=`` is its deprecated old spelling here."""
    if not isinstance(timeout, NotGiven):
        warnings.warn(
            f"{what}(timeout=...) is deprecated: the wait deadline is now max_wait= (seconds); "
            "timeout= means the HTTP timeout of a call everywhere else",
            DeprecationWarning,
            stacklevel=_caller_stacklevel(),
        )
        if max_wait is None:
            max_wait = timeout
    return wait_limit(max_wait)


class _HandleBase:
    """State shared by the sync and async handles (no I/O here)."""

    __slots__ = (
        "_created_at",
        "_polls",
        "_status",
        "accepted",
        "id",
        "idempotency_key",
        "operation",
        "request",
        "x_request_id",
    )

    def __init__(
        self,
        *,
        request_id: str,
        operation: str = "",
        status: str = UNKNOWN_STATUS,
        accepted: AcceptedRequest | None = None,
        request: RequestObject | None = None,
        idempotency_key: str | None = None,
        response: Response[Any] | None = None,
    ) -> None:
        self.id = request_id
        self.x_request_id: str | None = _x_request_id(response)
        self.operation = operation
        self._status = status
        self.accepted = accepted
        self.request = request
        self.idempotency_key = idempotency_key
        self._polls = 0 if request is None else 1
        # When the create was answered (``monotonic`` clock, seconds): the first poll is due
        # ``poll_after_ms`` after it, however late waiting starts (e.g. after 1,000 creates).
        self._created_at = _clock.monotonic()
        created_ms = _epoch_ms(request.created_at_ms) if request is not None else None
        if created_ms is not None:  # retrieved by id
            self._created_at -= max(0.0, time.time() - created_ms / 1000.0)

    @property
    def status(self) -> str:
        """``queued``, ``processing``, ``succeeded`` or ``failed`` (``unknown`` before a poll)."""
        return self._status

    @property
    def is_terminal(self) -> bool:
        """True once the status is ``succeeded`` or ``failed``."""
        return self._status in TERMINAL_STATUSES

    @property
    def output(self) -> Output | None:
        """The typed output model (VideoOutput, ImageOutput, ...) of the last poll, or ``None``."""
        if self.request is None:
            return None
        out = self.request.output
        return out if hasattr(out, "to_dict") else None  # type: ignore[return-value]

    @property
    def credits(self) -> int | None:
        """``billableCredits`` of the last poll (credits), or ``None``."""
        value = self.request.billable_credits if self.request is not None else None
        return value if isinstance(value, int) else None

    @property
    def error_message(self) -> str | None:
        """``errorMessage`` of a failed request, else ``None``."""
        value = self.request.error_message if self.request is not None else None
        return value if isinstance(value, str) else None

    def asset_urls(self) -> list[str]:
        """Absolute URLs of the output's downloadable assets (video, images, audio, GLB...)."""
        return asset_urls(self.output)

    def _apply(self, request: RequestObject, response: Response[Any] | None = None) -> bool:
        """Store a fresh request object; True when the status changed."""
        self.request = request
        if response is not None:
            self.x_request_id = _x_request_id(response)
        self.operation = request.operation
        new = str(request.status)
        changed = new != self._status
        if changed and new in TERMINAL_STATUSES:
            self._observe_finish(request)
        self._status = new
        self._polls += 1
        if changed and logger.isEnabledFor(10):
            logger.debug("request %s (%s): %s", self.id, self.operation, new)
        return changed

    def _next_delay(self) -> float:
        """Seconds from now to this handle's next poll (its client's ``PollPolicy`` decides)."""
        if self._polls == 0 and self._status == UNKNOWN_STATUS:
            return 0.0
        poll_after = self.accepted.poll_after_ms if self.accepted is not None else None
        now = _clock.monotonic()
        elapsed = now - self._created_at
        policy = self._policy()
        if policy is None:  # a handle without a client (tests): today's policy
            if self._polls == 0:
                return max(0.0, poll_delay(0, poll_after) - elapsed)
            return poll_delay(self._polls, poll_after)
        return max(0.0, policy.poll_at(self.operation, elapsed, self._polls, poll_after) - elapsed)

    def _policy(self) -> PollPolicy | None:
        policy: PollPolicy | None = getattr(getattr(self, "_core", None), "polling", None)
        return policy

    def _observe_finish(self, request: RequestObject) -> None:
        """Feed the server-side duration of a request that just finished to the policy."""
        policy = self._policy()
        created, completed = _epoch_ms(request.created_at_ms), _epoch_ms(request.completed_at_ms)
        if policy is not None and created is not None and completed is not None:
            policy.observe(request.operation, (completed - created) / 1000.0)

    def _check_downloadable(self) -> None:
        if self._status != "succeeded":
            raise RequestNotSucceededError(self.id, self._status, self.error_message)

    def _raise_if_failed(self) -> None:
        if self._status == "failed" and self.request is not None:
            raise RequestFailedError(self.request)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(id={self.id!r}, operation={self.operation!r}, "
            f"status={self._status!r})"
        )


class RequestHandle(_HandleBase):
    """A request on the server; returned by create / retrieve and the wrappers.

    Attributes:
        id, operation, status: as the API reports them.
        accepted: the 202 ``AcceptedRequest`` (``None`` for retrieved handles).
        request: the last ``RequestObject`` polled (``None`` until the first poll).
        idempotency_key: the ``x-idempotency-key`` the create was sent with.
        x_request_id: the ``x-request-id`` header of the last API response about this request
            (create or poll), when the API sends one (Assumed header name); else ``None``.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _SyncCore, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._core = core

    def refresh(self) -> RequestHandle:
        """Poll once (GET /api/v1/requests/{id}) and return ``self``. Raises ``APIStatusError``."""
        self._apply(*self._core.get_request(self.id))
        return self

    def _poll(self, on_update: Callable[[RequestHandle], object] | None) -> None:
        if self._apply(*self._core.get_request(self.id)) and on_update is not None:
            on_update(self)

    def wait(
        self,
        max_wait: float | None = None,
        on_update: Callable[[RequestHandle], object] | None = None,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> RequestHandle:
        """Poll until the request is terminal; return ``self``.

        Args:
            max_wait: the wait deadline in SECONDS, a finite number >= 0 (default
                ``DEFAULT_MAX_WAIT_S`` = 1800). The request is polled at least once, so
                ``max_wait=0`` is "poll once, then give up".
            on_update: called with this handle after each status change.
            timeout: deprecated old name of ``max_wait`` (warns ``DeprecationWarning``).

        Raises:
            RequestFailedError: the request ended ``failed`` (carries it and ``errorMessage``).
            WaitTimeoutError: the deadline passed first (carries the id; the job goes on).
            ConfigurationError: ``max_wait`` is not a finite number >= 0.
        """
        limit = _max_wait_seconds(max_wait, timeout, "wait")
        deadline = _clock.monotonic() + limit
        polled = False
        while not self.is_terminal:
            remaining = deadline - _clock.monotonic()
            if remaining <= 0 and polled:
                raise WaitTimeoutError([self.id], limit)
            _clock.sleep(max(0.0, min(self._next_delay(), remaining)))
            self._poll(on_update)
            polled = True
        self._raise_if_failed()
        return self

    def download(
        self,
        dest_dir: str | Path,
        *,
        progress: ProgressCallback | None = None,
        overwrite: bool = False,
        max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    ) -> list[Path]:
        """Download every asset of the output into ``dest_dir``; return the file paths.

        Files are written atomically (temporary file, then link/rename); names come from the URL
        and cannot escape ``dest_dir``. ``progress(bytes_done, total_or_None)`` is called per
        chunk. An existing file is never replaced unless ``overwrite=True``: the new one gets a
        free ``name-1.ext`` (the returned paths say which). ``max_bytes`` bounds each asset's
        decoded size in BYTES (default 8 GiB, ``None`` = no limit).

        Raises:
            RequestNotSucceededError: the handle's status is not ``succeeded`` (it names the
                status: ``queued``/``processing``/``unknown`` -> ``wait()`` first; ``failed``).
            AssetDownloadError, APIStatusError, APIConnectionError (see ``assets.download``).
        """
        self._check_downloadable()
        return download_many(
            self.asset_urls(),
            dest_dir,
            http_client=self._core.download_client(),
            progress=progress,
            overwrite=overwrite,
            max_bytes=max_bytes,
        )


class AsyncRequestHandle(_HandleBase):
    """The async twin of ``RequestHandle`` (``refresh``/``wait``/``download`` are awaited)."""

    __slots__ = ("_core",)

    def __init__(self, core: _AsyncCore, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._core = core

    async def refresh(self) -> AsyncRequestHandle:
        """Poll once and return ``self``. Raises ``APIStatusError``."""
        self._apply(*await self._core.get_request(self.id))
        return self

    async def _poll(self, on_update: Callable[[AsyncRequestHandle], object] | None) -> None:
        if self._apply(*await self._core.get_request(self.id)) and on_update is not None:
            result = on_update(self)
            if hasattr(result, "__await__"):
                await result

    async def wait(
        self,
        max_wait: float | None = None,
        on_update: Callable[[AsyncRequestHandle], object] | None = None,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> AsyncRequestHandle:
        """Poll until terminal (``max_wait`` in SECONDS); ``on_update`` may be plain or
        awaitable. See ``RequestHandle.wait``."""
        limit = _max_wait_seconds(max_wait, timeout, "wait")
        deadline = _clock.monotonic() + limit
        polled = False
        while not self.is_terminal:
            remaining = deadline - _clock.monotonic()
            if remaining <= 0 and polled:
                raise WaitTimeoutError([self.id], limit)
            await _clock.async_sleep(max(0.0, min(self._next_delay(), remaining)))
            await self._poll(on_update)
            polled = True
        self._raise_if_failed()
        return self

    async def download(
        self,
        dest_dir: str | Path,
        *,
        progress: ProgressCallback | None = None,
        overwrite: bool = False,
        max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    ) -> list[Path]:
        """Download every asset of the output into ``dest_dir`` (see ``RequestHandle.download``).

        Raises ``RequestNotSucceededError`` unless the status is ``succeeded``.
        """
        self._check_downloadable()
        return await adownload_many(
            self.asset_urls(),
            dest_dir,
            http_client=self._core.download_client(),
            progress=progress,
            overwrite=overwrite,
            max_bytes=max_bytes,
        )


def _caller_stacklevel() -> int:
    """``stacklevel`` pointing at the first frame outside this package (for warnings)."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("cannon_studio."):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _check_key(operation: str, key: str | None) -> None:
    if key is None:
        return
    if not (1 <= len(key) <= 255) or any(not (0x21 <= ord(ch) <= 0x7E) for ch in key):
        raise InputValidationError(
            f"{operation}: idempotency_key must be 1-255 visible ASCII characters",
            operation=operation,
            field="idempotency_key",
        )


def _x_request_id(response: Response[Any] | None) -> str | None:
    if response is None:
        return None
    value = response.headers.get(REQUEST_ID_HEADER)
    return value if isinstance(value, str) and value else None


def _concurrency(value: int | None, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputValidationError(
            "max_concurrency must be an integer >= 1",
            operation="as_completed",
            field="max_concurrency",
        )
    return value


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


def _prepare_create(
    operation: str,
    input: InputData,
    webhook_url: str | None,
    idempotency_key: str | None,
    extra_input: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> tuple[str, Any, str]:
    spec, envelope = build_envelope(
        operation, input, webhook_url, extra_input=extra_input, validate=validate
    )
    op_id = spec.id if spec is not None else str(operation)
    _check_key(op_id, idempotency_key)
    if spec is not None and spec.deprecated:
        warnings.warn(
            f"operation {spec.id} is deprecated by the API ({spec.description.split('.')[0]})",
            DeprecationWarning,
            stacklevel=_caller_stacklevel(),
        )
    return op_id, envelope, idempotency_key or new_idempotency_key()


class Requests:
    """``client.requests``: create, retrieve and follow requests (sync)."""

    def __init__(self, core: _SyncCore) -> None:
        self._core = core

    @property
    def polling(self) -> PollPolicy:
        """This client's poll schedule and the job durations it has seen (see ``_polling``).

        ``polling.observe(operation, seconds)`` feeds it durations from elsewhere (a journal).
        """
        return self._core.polling

    def create(
        self,
        operation: str,
        input: InputData,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        extra_input: Mapping[str, Any] | None = None,
        validate: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RequestHandle:
        """Create a request (POST /api/v1/requests) after validating ``input`` client-side.

        Args:
            operation: operation id, e.g. ``"video.generate"`` (see ``client.operations``).
            input: mapping in the API's JSON spelling, or the generated ``<Cls>Input`` model.
                Every key must be a field the schema declares (at every depth): a typo is
                refused with the closest field name, before anything is sent or charged.
            webhook_url: absolute URL for terminal delivery (``wait`` still polls).
            idempotency_key: 1-255 visible ASCII characters; default: a fresh key per call,
                reused on every retry of this create.
            extra_input: fields newer than the schema, merged into ``input`` after validation
                and sent UNCHECKED (the server decides); a key also in ``input`` is refused.
            validate: ``False`` skips client-side validation entirely, so an operation id the
                schema does not know can be sent (explicit opt-in; never done silently).
            timeout: HTTP timeout of this call in SECONDS (or ``httpx2.Timeout``, ``None``);
                default: the client's. Later polls of the handle use the client's.
            extra_headers: headers added to this call only.

        Raises:
            InputValidationError: bad input, unknown field or unknown operation (nothing sent).
            APIStatusError subclasses, APIConnectionError, APIResponseValidationError: after
                retries. Every error raised here carries ``exc.idempotency_key`` (and
                ``exc.request_id`` when the server named one): when the outcome is unknown,
                call ``create`` again with ``idempotency_key=exc.idempotency_key`` to get the
                original request back instead of charging a second one.
        """
        op_id, envelope, key = _prepare_create(
            operation, input, webhook_url, idempotency_key, extra_input, validate
        )
        try:
            with self._core.options(timeout, extra_headers) as core:
                accepted, response = core.create_request(envelope, key)
        except CannonError as exc:
            tag_create_error(exc, key)
            raise
        logger.info("created request %s (%s)", accepted.id, op_id)
        return RequestHandle(
            self._core,
            request_id=accepted.id,
            operation=accepted.operation,
            status=str(accepted.status),
            accepted=accepted,
            idempotency_key=key,
            response=response,
        )

    def retrieve(
        self,
        request_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RequestHandle:
        """GET one request and return a handle for it. Raises ``NotFoundError`` for unknown ids.

        ``timeout`` (SECONDS) and ``extra_headers`` apply to this call only.
        """
        with self._core.options(timeout, extra_headers) as core:
            request, response = core.get_request(request_id)
        return RequestHandle(
            self._core,
            request_id=request.id,
            operation=request.operation,
            status=str(request.status),
            request=request,
            response=response,
        )

    def _handles(self, items: Iterable[RequestHandle | str]) -> list[RequestHandle]:
        return [
            item if isinstance(item, RequestHandle) else RequestHandle(self._core, request_id=item)
            for item in items
        ]

    def as_completed(
        self,
        handles_or_ids: Iterable[RequestHandle | str],
        *,
        max_wait: float | None = None,
        max_concurrency: int | None = None,
        on_update: Callable[[RequestHandle], object] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> Iterator[RequestHandle]:
        """Yield each request as it becomes terminal (``succeeded`` or ``failed``; no raise).

        The calling thread keeps a priority queue of next-poll times; polls that are due run on
        a small thread pool, at most ``max_concurrency`` at once, over this client's one
        connection pool. Handles are yielded in the order their terminal status was seen (the
        async client's guarantee; polls that finish together in input order), and
        ``on_update`` runs in the calling thread.

        Args:
            handles_or_ids: handles from create, or request ids (polled at once).
            max_wait: the wait deadline in SECONDS for all of them (default 1800).
            max_concurrency: polls in flight at once (default 8; 1 = no threads).
            on_update: called with a handle after each of its status changes.
            timeout: deprecated old name of ``max_wait`` (warns ``DeprecationWarning``).

        Raises:
            WaitTimeoutError: deadline passed; ``request_ids`` lists the pending ones.
            APIStatusError, APIConnectionError: a poll failed (after retries).
        """
        handles = self._handles(handles_or_ids)
        limit = _max_wait_seconds(max_wait, timeout, "as_completed")
        width = _concurrency(max_concurrency, DEFAULT_SYNC_MAX_CONCURRENCY)
        return self._follow(handles, limit, width, on_update)

    def _follow(
        self,
        handles: list[RequestHandle],
        limit: float,
        width: int,
        on_update: Callable[[RequestHandle], object] | None,
    ) -> Iterator[RequestHandle]:
        start = _clock.monotonic()
        deadline = start + limit
        heap: list[tuple[float, int, RequestHandle]] = []
        for index, handle in enumerate(handles):
            if handle.is_terminal:
                yield handle
            else:
                heap.append((start + handle._next_delay(), index, handle))
        if not heap:
            return
        heapq.heapify(heap)
        polled: set[int] = set()  # every request is polled at least once, even past the deadline
        pool: ThreadPoolExecutor | _InlinePool = (
            ThreadPoolExecutor(max_workers=width, thread_name_prefix="cannon-studio-poll")
            if width > 1 and len(heap) > 1
            else _InlinePool()
        )
        in_flight: dict[Future[tuple[RequestObject, Response[Any]]], tuple[int, RequestHandle]] = {}
        try:
            while heap or in_flight:
                now = _clock.monotonic()
                if now >= deadline:
                    if all(index in polled for _, index, _ in heap):
                        pending = sorted(in_flight.values()) + [(i, h) for _, i, h in sorted(heap)]
                        raise WaitTimeoutError([h.id for _, h in pending], limit)
                    heap = [(due if i in polled else now, i, h) for due, i, h in heap]
                    heapq.heapify(heap)
                while heap and heap[0][0] <= now and len(in_flight) < width:
                    _, index, handle = heapq.heappop(heap)
                    in_flight[pool.submit(self._core.get_request, handle.id)] = (index, handle)
                    polled.add(index)
                if not in_flight:
                    _clock.sleep(max(0.0, min(heap[0][0], deadline) - now))
                    continue
                room = heap and len(in_flight) < width
                until = min(heap[0][0], deadline) if room else deadline
                done, _ = wait_futures(
                    list(in_flight), timeout=max(0.0, until - now), return_when=FIRST_COMPLETED
                )
                for future in sorted(done, key=lambda f: in_flight[f][0]):
                    index, handle = in_flight.pop(future)
                    if handle._apply(*future.result()) and on_update is not None:
                        on_update(handle)
                    if handle.is_terminal:
                        yield handle
                    else:
                        heapq.heappush(
                            heap, (_clock.monotonic() + handle._next_delay(), index, handle)
                        )
        finally:  # polls still in flight (deadline, error, or the caller stopped) are abandoned
            pool.shutdown(wait=not in_flight, cancel_futures=True)

    def wait_all(
        self,
        handles_or_ids: Iterable[RequestHandle | str],
        *,
        max_wait: float | None = None,
        max_concurrency: int | None = None,
        on_update: Callable[[RequestHandle], object] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> list[RequestHandle]:
        """Wait for every request; return the handles in input order (failed ones included).

        Arguments as ``as_completed`` (``max_wait`` in SECONDS, ``max_concurrency`` polls at
        once). Raises ``WaitTimeoutError`` when the deadline passes first.
        """
        handles = self._handles(handles_or_ids)
        limit = _max_wait_seconds(max_wait, timeout, "wait_all")
        width = _concurrency(max_concurrency, DEFAULT_SYNC_MAX_CONCURRENCY)
        for _ in self._follow(handles, limit, width, on_update):
            pass
        return handles


class AsyncRequests:
    """``client.requests`` of ``AsyncCannon``: the async twin of ``Requests``."""

    def __init__(self, core: _AsyncCore) -> None:
        self._core = core

    @property
    def polling(self) -> PollPolicy:
        """This client's poll schedule and the job durations it has seen (see ``_polling``).

        ``polling.observe(operation, seconds)`` feeds it durations from elsewhere (a journal).
        """
        return self._core.polling

    async def create(
        self,
        operation: str,
        input: InputData,
        *,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        extra_input: Mapping[str, Any] | None = None,
        validate: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncRequestHandle:
        """Create a request after client-side validation (``timeout`` in SECONDS and
        ``extra_headers`` for this call only). See ``Requests.create``.

        The client's in-flight slot is taken before ``input`` is validated and the request
        built, so many creates started at once wait as small coroutines (see ``_gate``).
        """
        async with self._core.gate.slot():
            op_id, envelope, key = _prepare_create(
                operation, input, webhook_url, idempotency_key, extra_input, validate
            )
            try:
                async with self._core.options(timeout, extra_headers) as core:
                    accepted, response = await core.create_request(envelope, key)
            except CannonError as exc:
                tag_create_error(exc, key)
                raise
        logger.info("created request %s (%s)", accepted.id, op_id)
        return AsyncRequestHandle(
            self._core,
            request_id=accepted.id,
            operation=accepted.operation,
            status=str(accepted.status),
            accepted=accepted,
            idempotency_key=key,
            response=response,
        )

    async def retrieve(
        self,
        request_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncRequestHandle:
        """GET one request and return a handle. Raises ``NotFoundError`` for unknown ids.

        ``timeout`` (SECONDS) and ``extra_headers`` apply to this call only.
        """
        async with self._core.options(timeout, extra_headers) as core:
            request, response = await core.get_request(request_id)
        return AsyncRequestHandle(
            self._core,
            request_id=request.id,
            operation=request.operation,
            status=str(request.status),
            request=request,
            response=response,
        )

    def _handles(self, items: Iterable[AsyncRequestHandle | str]) -> list[AsyncRequestHandle]:
        return [
            item
            if isinstance(item, AsyncRequestHandle)
            else AsyncRequestHandle(self._core, request_id=item)
            for item in items
        ]

    def as_completed(
        self,
        handles_or_ids: Iterable[AsyncRequestHandle | str | Awaitable[AsyncRequestHandle]],
        *,
        max_wait: float | None = None,
        max_concurrency: int | None = None,
        on_update: Callable[[AsyncRequestHandle], object] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> AsyncIterator[AsyncRequestHandle]:
        """Yield each request as it becomes terminal (no raise on ``failed``), in the order
        their terminal status was seen.

        One scheduler keeps a priority queue of next-poll times and runs the polls that
        are due, at most ``max_concurrency`` at once (default: the client's ``max_in_flight``,
        64; polls go before queued creates at its gate), so 10,000 requests cost heap entries,
        not sleeping tasks. ``max_wait`` is the wait deadline in SECONDS (default 1800);
        ``timeout`` its deprecated old name.

        Items may also be pending creates (``client.requests.create(...)`` not awaited yet):
        they are started as the client's in-flight slots allow, read lazily from the iterable,
        and each request is followed as soon as its own create is answered, so the first jobs
        are noticed while later creates still run (polls go before queued creates)::

            creates = (client.requests.create(op, item) for item in items)
            async for handle in client.requests.as_completed(creates): ...

        Raises:
            WaitTimeoutError: deadline passed; ``request_ids`` lists the pending ones.
            The first error a create or a poll raises (``InputValidationError``,
            ``APIStatusError``, ``APIConnectionError``, after retries).
        """
        limit = _max_wait_seconds(max_wait, timeout, "as_completed")
        # Polls in flight: up to every slot of the client (polls go first at the gate).
        width = _concurrency(max_concurrency, self._core.gate.limit)
        return self._follow(iter(handles_or_ids), limit, width, on_update)

    async def _follow(
        self,
        source: Iterator[AsyncRequestHandle | str | Awaitable[AsyncRequestHandle]],
        limit: float,
        width: int,
        on_update: Callable[[AsyncRequestHandle], object] | None,
    ) -> AsyncIterator[AsyncRequestHandle]:
        """One scheduler keeps a priority queue of next-poll times (as the sync loop does) and
        runs the polls that are due, at most ``width`` at once, so 10,000 requests cost 10,000
        heap entries, not 10,000 sleeping tasks."""
        start = _clock.monotonic()
        deadline = start + limit
        polled: set[int] = set()  # every request is polled at least once, even past the deadline
        create_limit = self._core.gate.limit
        heap: list[tuple[float, int, AsyncRequestHandle]] = []
        creating: dict[asyncio.Future[AsyncRequestHandle], int] = {}
        count = 0
        exhausted = False

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
                        else (AsyncRequestHandle(self._core, request_id=item))
                    )
                    if handle.is_terminal:
                        ready.append(handle)
                    else:
                        heap.append((_clock.monotonic() + handle._next_delay(), index, handle))
                else:
                    creating[asyncio.ensure_future(item)] = index
            heapq.heapify(heap)
            return ready

        for handle in pull():
            yield handle
        polling: dict[asyncio.Task[None], tuple[int, AsyncRequestHandle]] = {}
        sleeper: asyncio.Future[None] | None = None
        sleeper_at = 0.0  # when the sleeper wakes (``monotonic`` seconds)
        try:
            while heap or polling or creating or not exhausted:
                now = _clock.monotonic()
                if now >= deadline:
                    if not creating and all(index in polled for _, index, _ in heap):
                        pending = [
                            h.id for _, (_, h) in sorted(polling.items(), key=lambda kv: kv[1][0])
                        ]
                        pending += [h.id for _, _, h in sorted(heap)]
                        raise WaitTimeoutError(pending, limit)
                    heap = [(due if i in polled else now, i, h) for due, i, h in heap]
                    heapq.heapify(heap)
                elif not exhausted and len(creating) < create_limit:
                    for handle in pull():
                        yield handle
                    continue
                woke = sleeper is not None and sleeper.done()
                if woke:
                    sleeper = None
                # Start the polls that are due (the head too when the sleep for it ended:
                # sleeps are the module's ``async_sleep``, which tests make instant).
                while heap and len(polling) < width and (heap[0][0] <= now or woke):
                    woke = False
                    _, index, handle = heapq.heappop(heap)
                    task = asyncio.create_task(handle._poll(on_update))
                    polling[task] = (index, handle)
                    polled.add(index)
                waiters: set[asyncio.Future[Any]] = {*polling, *creating}
                if heap and len(polling) < width:
                    if sleeper is None:
                        sleeper_at = min(heap[0][0], deadline)
                        sleeper = asyncio.ensure_future(
                            _clock.async_sleep(max(0.0, sleeper_at - now))
                        )
                    waiters.add(sleeper)
                elif not waiters:  # pragma: no cover - nothing to wait for
                    break
                done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                finished_all = [f for f in done if f is not sleeper]
                for finished in [f for f in finished_all if f in creating]:
                    index = creating.pop(finished)
                    created: AsyncRequestHandle = finished.result()  # raises its error
                    due = _clock.monotonic() + created._next_delay()
                    heapq.heappush(heap, (due, index, created))
                    if sleeper is not None and due < sleeper_at:
                        sleeper.cancel()
                        sleeper = None
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
                        due = _clock.monotonic() + handle._next_delay()
                        heapq.heappush(heap, (due, index, handle))
                        if sleeper is not None and due < sleeper_at:
                            sleeper.cancel()  # this poll is due before the sleeper wakes
                            sleeper = None
        finally:
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

    async def wait_all(
        self,
        handles_or_ids: Iterable[AsyncRequestHandle | str],
        *,
        max_wait: float | None = None,
        max_concurrency: int | None = None,
        on_update: Callable[[AsyncRequestHandle], object] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> list[AsyncRequestHandle]:
        """Wait for every request; return the handles in input order (failed ones included).

        Arguments as ``as_completed`` (``max_wait`` in SECONDS).
        """
        handles = self._handles(handles_or_ids)
        limit = _max_wait_seconds(max_wait, timeout, "wait_all")
        width = _concurrency(max_concurrency, self._core.gate.limit)
        async for _ in self._follow(iter(handles), limit, width, on_update):
            pass
        return handles
