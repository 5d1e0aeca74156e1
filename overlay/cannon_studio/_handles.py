"""Request handles: a request on the server, polled, waited for and downloaded.

Waiting (lifecycle page: "start after poll_after_ms; stop on succeeded or failed"): the first
poll comes ``poll_after_ms`` milliseconds after the create, then polls back off exponentially
(0.5 s x 1.5^n, cap 5 s, jitter x U[0.8, 1]) until the request is terminal or the overall
deadline passes; the client's ``PollPolicy`` (``_polling``) decides each delay. ``wait`` keeps
polling even when a ``webhook_url`` was given, because the docs hint that terminal delivery may
be tied to polling. A handle created while its client's ``WebhookReceiver`` runs (``_receiver``)
waits for the delivery instead and polls only as a safety net (``WebhookReceiver.safety_interval``);
a delivery with the whole terminal record resolves it without a GET, any other one makes it GET
once at once.

``_HandleBase`` holds the state and the bookkeeping (no I/O); ``RequestHandle`` and
``AsyncRequestHandle`` add the polls, the sleeps and the downloads. Tests replace ``sleep`` /
``async_sleep`` (and ``monotonic`` for deadlines) on ``_clock``.
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: wait(timeout=seconds))

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import _clock
from ._constants import DEFAULT_DOWNLOAD_TIMEOUT_S, DEFAULT_MAX_DOWNLOAD_BYTES, REQUEST_ID_HEADER
from ._deadline import deadline_scope, passed
from ._errors import (
    APITimeoutError,
    RequestFailedError,
    RequestNotSucceededError,
    WaitTimeoutError,
)
from ._gate import InFlightGate
from ._logging import logger
from ._polling import PollPolicy, poll_delay
from ._request_args import max_wait_seconds
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

__all__ = [
    "TERMINAL_STATUSES",
    "UNKNOWN_STATUS",
    "AsyncRequestCalls",
    "AsyncRequestHandle",
    "RequestCalls",
    "RequestHandle",
    "x_request_id",
]

if TYPE_CHECKING:
    import httpx2
    from cannon_studio_api.models import AcceptedRequest, RequestObject
    from cannon_studio_api.types import Response

    from ._download_file import ProgressCallback
    from ._outputs import Output
    from ._receiver import WebhookReceiver

TERMINAL_STATUSES = frozenset({"succeeded", "failed"})
UNKNOWN_STATUS = "unknown"


class RequestCalls(Protocol):
    """The API calls a sync handle and ``client.requests`` make (``_core.SyncCore`` has them)."""

    polling: PollPolicy

    def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]: ...
    def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]: ...
    def download_client(self) -> httpx2.Client: ...
    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AbstractContextManager[RequestCalls]: ...


class AsyncRequestCalls(Protocol):
    """The async twin of ``RequestCalls``, with the client's in-flight gate (``_core.AsyncCore``)."""

    gate: InFlightGate
    polling: PollPolicy

    async def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]: ...
    async def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]: ...
    def download_client(self) -> httpx2.AsyncClient: ...
    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AbstractAsyncContextManager[AsyncRequestCalls]: ...


_MAX_EPOCH_MS = 253_402_300_799_999  # the last millisecond of year 9999


def _epoch_ms(value: object) -> int | None:
    """A server timestamp in epoch MILLISECONDS if it is a plausible integer, else ``None``
    (a bool, a string or ``10**400`` from a hostile server is ignored, never an OverflowError)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_EPOCH_MS:
        return None
    return value


class _HandleBase:
    """State shared by the sync and async handles (no I/O here)."""

    __slots__ = (
        "_created_at",
        "_notice_seq",
        "_polls",
        "_receiver",
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
        self.x_request_id: str | None = x_request_id(response)
        self.operation = operation
        self._status = status
        self.accepted = accepted
        self.request = request
        self.idempotency_key = idempotency_key
        self._polls = 0 if request is None else 1
        self._receiver: WebhookReceiver | None = None  # set by a create that carried its URL
        self._notice_seq = 0  # the last receiver notice this handle took
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
        """The output of the last poll as the operation's own model, or ``None``.

        The model is the one the schema names for the operation (``VideoOutput`` for
        ``video.generate``, ``PromptOutput`` for ``prompt.enhance.video``...), or
        ``TaskOutput`` while the request runs; never whichever union member parsed first. A
        payload that fits neither is ``None`` with a warning; :attr:`raw_output` keeps it.
        """
        if self.request is None:
            return None
        from ._operations import parse_output  # deferred: the registry loads with an output

        parsed, problem = parse_output(self.operation, self.request.output)
        if problem is not None:
            logger.warning("request %s: %s", self.id, problem)
        return parsed  # type: ignore[no-any-return]

    @property
    def raw_output(self) -> dict[str, Any] | None:
        """The output of the last poll as received (a JSON object), or ``None``."""
        out: Any = self.request.output if self.request is not None else None
        raw = out.to_dict() if hasattr(out, "to_dict") else out
        return raw if isinstance(raw, dict) else None

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
        from .assets import asset_urls  # deferred: the download machinery loads with its use

        return asset_urls(self.output)

    def _apply(self, request: RequestObject, response: Response[Any] | None = None) -> bool:
        """Store a fresh request object; True when the status changed."""
        self.request = request
        if response is not None:
            self.x_request_id = x_request_id(response)
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

    def _next_delay(self, close: bool = False) -> float:
        """Seconds from now to this handle's next poll (its client's ``PollPolicy`` decides;
        ``close``: one of a fan-out's last requests, see ``PollPolicy.poll_at``)."""
        if self._polls == 0 and self._status == UNKNOWN_STATUS:
            return 0.0
        poll_after = self.accepted.poll_after_ms if self.accepted is not None else None
        now = _clock.monotonic()
        elapsed = now - self._created_at
        policy = self._policy()
        receiver = self._receiver
        if receiver is not None and receiver.running:  # deliveries first, polls as a safety net
            samples = policy.samples(self.operation) if policy is not None else ()
            interval = receiver.safety_interval(samples)
            return max(0.0, interval - elapsed) if self._polls == 0 else interval
        if policy is None:  # a handle without a client (tests): today's policy
            if self._polls == 0:
                return max(0.0, poll_delay(0, poll_after) - elapsed)
            return poll_delay(self._polls, poll_after)
        at = policy.poll_at(self.operation, elapsed, self._polls, poll_after, close=close)
        return max(0.0, at - elapsed)

    def _policy(self) -> PollPolicy | None:
        policy: PollPolicy | None = getattr(getattr(self, "_core", None), "polling", None)
        return policy

    def _observe_finish(self, request: RequestObject) -> None:
        """Feed the server-side duration of a request that just finished to the policy."""
        policy = self._policy()
        created, completed = _epoch_ms(request.created_at_ms), _epoch_ms(request.completed_at_ms)
        if policy is not None and created is not None and completed is not None:
            policy.observe(request.operation, (completed - created) / 1000.0)

    def _wait_sleeps(
        self, max_wait: float | None, timeout: float | NotGiven | None
    ) -> Iterator[tuple[float, float, float, bool]]:
        """The sleeps of ``wait`` in SECONDS, each followed by one poll by the caller (the I/O
        half, inside ``poll_within``), until the request is terminal; the request is polled at
        least once. Each item is ``(sleep, deadline, limit, first)``: the wait's deadline on
        the ``_clock`` and its length in SECONDS, which the poll after the sleep must keep, and
        whether that poll is the wait's first.

        Raises:
            RequestFailedError: it ended ``failed``.
            WaitTimeoutError: the deadline passed first.
            ConfigurationError: ``max_wait`` is not a finite number >= 0.
        """
        limit = max_wait_seconds(max_wait, timeout, "wait")
        deadline = _clock.monotonic() + limit
        polled = False
        while not self.is_terminal:
            remaining = deadline - _clock.monotonic()
            if remaining <= 0 and polled:
                raise WaitTimeoutError([self.id], limit)
            yield max(0.0, min(self._next_delay(), remaining)), deadline, limit, not polled
            polled = True
        self._raise_if_failed()

    @contextmanager
    def _poll_within(self, deadline: float, limit: float, first: bool) -> Iterator[None]:
        """Around one poll of ``wait``: it ends by the wait's ``deadline`` (``_clock`` SECONDS),
        even with the answer in flight or a retry to wait for; then ``WaitTimeoutError``.
        The ``first`` poll, the one a wait always makes, has the call's own timeout only when
        it starts after the deadline (``max_wait=0``)."""
        left = deadline - _clock.monotonic()
        if left <= 0 and first:
            yield
            return
        with deadline_scope(left) as at:
            try:
                yield
            except APITimeoutError as exc:
                if passed(at):
                    raise WaitTimeoutError([self.id], limit) from exc
                raise

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

    def __init__(self, core: RequestCalls, **kwargs: Any) -> None:
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
            WaitTimeoutError: the deadline passed first (carries the id; the job goes on). It
                holds with a poll in flight: a poll (its retries and ``Retry-After`` waits
                included) never runs past the deadline.
            ConfigurationError: ``max_wait`` is not a finite number >= 0.
        """
        for delay, deadline, limit, first in self._wait_sleeps(max_wait, timeout):
            _clock.sleep(delay)
            with self._poll_within(deadline, limit, first):
                self._poll(on_update)
        return self

    def download(
        self,
        dest_dir: str | Path,
        *,
        progress: ProgressCallback | None = None,
        overwrite: bool = False,
        max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
        timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    ) -> list[Path]:
        """Download every asset of the output into ``dest_dir``; return the file paths.

        Files are written atomically (temporary file, then link/rename); names come from the URL
        and cannot escape ``dest_dir``. ``progress(bytes_done, total_or_None)`` is called per
        chunk. An existing file is never replaced unless ``overwrite=True``: the new one gets a
        free ``name-1.ext`` (the returned paths say which). ``max_bytes`` bounds each asset's
        decoded size in BYTES (default 8 GiB, ``None`` = no limit), ``timeout`` each asset's
        whole transfer in SECONDS (default 3600, ``None`` = none; ``APITimeoutError``).

        Raises:
            RequestNotSucceededError: the handle's status is not ``succeeded`` (it names the
                status: ``queued``/``processing``/``unknown`` -> ``wait()`` first; ``failed``).
            AssetDownloadError: a size mismatch, ``max_bytes``, a short body or a bad redirect
                (see ``assets.download``).
            APIStatusError: the asset host answered with an error status.
            APIConnectionError: the asset host could not be reached.
        """
        self._check_downloadable()
        from .assets import download_many  # deferred, as in asset_urls

        return download_many(
            self.asset_urls(),
            dest_dir,
            http_client=self._core.download_client(),
            progress=progress,
            overwrite=overwrite,
            max_bytes=max_bytes,
            timeout=timeout,
        )


class AsyncRequestHandle(_HandleBase):
    """The async twin of ``RequestHandle`` (``refresh``/``wait``/``download`` are awaited)."""

    __slots__ = ("_core",)

    def __init__(self, core: AsyncRequestCalls, **kwargs: Any) -> None:
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
        awaitable. See ``RequestHandle.wait``.

        When the request was created while the client's ``WebhookReceiver`` ran, the wait
        listens for its delivery instead: a delivery with the whole terminal record resolves
        it without a GET, any other verified one makes it GET once; without a delivery it
        polls once per safety-net interval (``WebhookReceiver.safety_interval``).
        """
        for delay, deadline, limit, first in self._wait_sleeps(max_wait, timeout):
            receiver = self._receiver
            if receiver is not None and receiver.running:
                if await self._listen(receiver, delay, on_update):
                    continue  # resolved by the delivery itself
            else:
                await _clock.async_sleep(delay)
            with self._poll_within(deadline, limit, first):
                await self._poll(on_update)
        return self

    async def _listen(
        self,
        receiver: WebhookReceiver,
        delay: float,
        on_update: Callable[[AsyncRequestHandle], object] | None,
    ) -> bool:
        """Wait up to ``delay`` SECONDS for a delivery about this request; True when it
        carried the whole terminal record and was applied (False: GET now)."""
        notice = await receiver.next_notice(self.id, self._notice_seq, delay)
        if notice is None:
            return False
        self._notice_seq = notice.seq
        record = notice.record
        if record is None or (self.operation and record.operation != self.operation):
            return False  # a hint (or a record that does not fit this handle): GET once
        if self._apply(record) and on_update is not None:
            result = on_update(self)
            if hasattr(result, "__await__"):
                await result
        return True

    async def download(
        self,
        dest_dir: str | Path,
        *,
        progress: ProgressCallback | None = None,
        overwrite: bool = False,
        max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
        timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    ) -> list[Path]:
        """Download every asset of the output into ``dest_dir`` (see ``RequestHandle.download``).

        Raises ``RequestNotSucceededError`` unless the status is ``succeeded``.
        """
        self._check_downloadable()
        from .assets import adownload_many  # deferred, as in asset_urls

        return await adownload_many(
            self.asset_urls(),
            dest_dir,
            http_client=self._core.download_client(),
            progress=progress,
            overwrite=overwrite,
            max_bytes=max_bytes,
            timeout=timeout,
        )


def x_request_id(response: Response[Any] | None) -> str | None:
    """The ``x-request-id`` header of ``response`` (Assumed name), or ``None``."""
    if response is None:
        return None
    value = response.headers.get(REQUEST_ID_HEADER)
    return value if isinstance(value, str) and value else None
