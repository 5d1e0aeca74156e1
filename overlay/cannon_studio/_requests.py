"""``client.requests``: the ``Requests`` / ``AsyncRequests`` namespaces.

Create (validated, one idempotency key per create), retrieve, and follow many requests with
``as_completed`` / ``wait_all`` (the schedulers are ``_as_completed``'s; the handles
``_handles``'; the arguments are checked in ``_request_args``).
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: wait_all(timeout=seconds))

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any

from ._as_completed import follow, follow_async
from ._constants import DEFAULT_SYNC_MAX_CONCURRENCY
from ._errors import CannonError
from ._handles import AsyncCore, AsyncRequestHandle, RequestHandle, SyncCore
from ._logging import logger
from ._polling import PollPolicy
from ._request_args import (
    check_concurrency,
    max_wait_seconds,
    prepare_create,
    tag_create_error,
)
from ._types import NOT_GIVEN, InputData, NotGiven, TimeoutTypes

# RequestHandle / AsyncRequestHandle: re-exported (``cannon_studio`` imports them from here).
__all__ = ["AsyncRequestHandle", "AsyncRequests", "RequestHandle", "Requests"]


class Requests:
    """``client.requests``: create, retrieve and follow requests (sync)."""

    def __init__(self, core: SyncCore) -> None:
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
        op_id, envelope, key = prepare_create(
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
        limit = max_wait_seconds(max_wait, timeout, "as_completed")
        width = check_concurrency(max_concurrency, DEFAULT_SYNC_MAX_CONCURRENCY)
        return follow(self._core, handles, limit, width, on_update)

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
        limit = max_wait_seconds(max_wait, timeout, "wait_all")
        width = check_concurrency(max_concurrency, DEFAULT_SYNC_MAX_CONCURRENCY)
        for _ in follow(self._core, handles, limit, width, on_update):
            pass
        return handles


class AsyncRequests:
    """``client.requests`` of ``AsyncCannon``: the async twin of ``Requests``."""

    def __init__(self, core: AsyncCore) -> None:
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
            op_id, envelope, key = prepare_create(
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
        limit = max_wait_seconds(max_wait, timeout, "as_completed")
        # Polls in flight: up to every slot of the client (polls go first at the gate).
        width = check_concurrency(max_concurrency, self._core.gate.limit)
        return follow_async(self._core, iter(handles_or_ids), limit, width, on_update)

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
        limit = max_wait_seconds(max_wait, timeout, "wait_all")
        width = check_concurrency(max_concurrency, self._core.gate.limit)
        async for _ in follow_async(self._core, iter(handles), limit, width, on_update):
            pass
        return handles
