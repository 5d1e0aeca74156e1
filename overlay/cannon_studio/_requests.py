"""``client.requests``: the ``Requests`` / ``AsyncRequests`` namespaces.

Create (validated, one idempotency key per create, made here with the create), run (create and
wait, every argument checked before anything is sent), retrieve, and follow many requests with
``as_completed`` / ``wait_all`` (the schedulers are ``_as_completed``'s; the handles
``_handles``'; the arguments are checked in ``_request_args``).
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: wait_all(timeout=seconds))

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._constants import DEFAULT_SYNC_MAX_CONCURRENCY, IDEMPOTENCY_KEY_PREFIX
from ._handles import (
    AsyncRequestCalls,
    AsyncRequestHandle,
    RequestCalls,
    RequestHandle,
    _HandleBase,
)
from ._logging import logger
from ._polling import PollPolicy
from ._request_args import (
    check_concurrency,
    create_errors_tagged,
    errors_named,
    max_wait_seconds,
    prepare_create,
    wait_limit,
)
from ._types import NOT_GIVEN, InputData, NotGiven, TimeoutTypes

__all__ = ["AsyncRequests", "Requests", "new_idempotency_key"]

if TYPE_CHECKING:
    from cannon_studio_api.models import AcceptedRequest, RequestObject
    from cannon_studio_api.types import Response

    from ._outputs import Output
    from ._receiver import WebhookReceiver


def new_idempotency_key() -> str:
    """A fresh idempotency key: ``cs-idem-`` + 16 random bytes in hex (fits the schema's 1-255 ASCII).

    Made once per create, where the create is made; the transport re-sends it on every retry.
    """
    return IDEMPOTENCY_KEY_PREFIX + os.urandom(16).hex()


_CoreT = TypeVar("_CoreT", RequestCalls, AsyncRequestCalls)
_HandleT = TypeVar("_HandleT", bound=_HandleBase)


class _RequestsBase(Generic[_CoreT, _HandleT]):
    """What ``Requests`` and ``AsyncRequests`` share (no I/O): the poll policy and the
    handles they make from API answers."""

    _handle_type: type[_HandleT]  # RequestHandle or AsyncRequestHandle (set by each subclass)

    def __init__(self, core: _CoreT) -> None:
        self._core: _CoreT = core

    @property
    def polling(self) -> PollPolicy:
        """This client's poll schedule and the job durations it has seen (see ``_polling``).

        ``polling.observe(operation, seconds)`` feeds it durations from elsewhere (a journal).
        """
        return self._core.polling

    def _handle(self, **fields: Any) -> _HandleT:
        new: Callable[..., _HandleT] = self._handle_type  # its __init__ takes the core first
        return new(self._core, **fields)

    def _answered(
        self, answer: AcceptedRequest | RequestObject, response: Response[Any], **fields: Any
    ) -> _HandleT:
        """The handle of a request the API just answered for (accepted or retrieved)."""
        return self._handle(
            request_id=answer.id,
            operation=answer.operation,
            status=str(answer.status),
            response=response,
            **fields,
        )

    def _created(
        self, op_id: str, key: str, accepted: AcceptedRequest, response: Response[Any]
    ) -> _HandleT:
        """The handle of a request the API just accepted (``202``) under ``key``."""
        logger.info("created request %s (%s)", accepted.id, op_id)
        return self._answered(accepted, response, accepted=accepted, idempotency_key=key)

    def _handles(self, items: Iterable[_HandleT | str]) -> list[_HandleT]:
        """Handles as given, and a fresh handle (never polled) for each request id."""
        return [
            item if isinstance(item, self._handle_type) else self._handle(request_id=item)
            for item in items
        ]


class Requests(_RequestsBase[RequestCalls, RequestHandle]):
    """``client.requests``: create, retrieve and follow requests (sync)."""

    _handle_type = RequestHandle

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
        op_id, envelope = prepare_create(
            operation, input, webhook_url, idempotency_key, extra_input, validate
        )
        key = idempotency_key or new_idempotency_key()
        with create_errors_tagged(key), self._core.options(timeout, extra_headers) as core:
            accepted, response = core.create_request(envelope, key)
        return self._created(op_id, key, accepted, response)

    def run(
        self,
        operation: str,
        input: InputData,
        *,
        max_wait: float | None = None,
        on_update: Callable[[RequestHandle], object] | None = None,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        extra_input: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Output | None:
        """Create a request, wait for it and return its typed output (``Cannon.run`` and every
        ``wait=True`` wrapper).

        Every argument, the wait deadline ``max_wait`` (SECONDS, default 1800) included, is
        checked before anything is sent; the other arguments are ``create``'s. An error while
        waiting names the request and its idempotency key.

        Raises:
            InputValidationError, ConfigurationError (bad ``max_wait``): nothing sent.
            APIStatusError, RequestFailedError, WaitTimeoutError.
        """
        deadline = wait_limit(max_wait)
        handle = self.create(
            operation,
            input,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            extra_input=extra_input,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        with errors_named(handle.id, handle.idempotency_key):
            return handle.wait(deadline, on_update).output

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
        return self._answered(request, response, request=request)

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
        from ._as_completed import follow  # deferred: its thread pool and asyncio load on first use

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
        from ._as_completed import follow  # deferred: its thread pool and asyncio load on first use

        for _ in follow(self._core, handles, limit, width, on_update):
            pass
        return handles


class AsyncRequests(_RequestsBase[AsyncRequestCalls, AsyncRequestHandle]):
    """``client.requests`` of ``AsyncCannon``: the async twin of ``Requests``."""

    _handle_type = AsyncRequestHandle
    _receiver: WebhookReceiver | None = None

    def _use_receiver(self, receiver: WebhookReceiver | None) -> None:
        """The running ``WebhookReceiver`` whose URL creates carry (``None``: none); its hook."""
        self._receiver = receiver

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

        While the client's ``WebhookReceiver`` runs, a create without its own ``webhook_url``
        carries the receiver's ``public_url``, and the handle's waits listen for the delivery.
        """
        receiver = self._receiver
        listen = webhook_url is None and receiver is not None and receiver.running
        if listen and receiver is not None:
            webhook_url = receiver.public_url
        async with self._core.gate.slot():
            op_id, envelope = prepare_create(
                operation, input, webhook_url, idempotency_key, extra_input, validate
            )
            key = idempotency_key or new_idempotency_key()
            with create_errors_tagged(key):
                async with self._core.options(timeout, extra_headers) as core:
                    accepted, response = await core.create_request(envelope, key)
        handle = self._created(op_id, key, accepted, response)
        if listen:
            handle._receiver = receiver
        return handle

    async def run(
        self,
        operation: str,
        input: InputData,
        *,
        max_wait: float | None = None,
        on_update: Callable[[AsyncRequestHandle], object] | None = None,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        extra_input: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Output | None:
        """Create, wait and return the typed output; every argument checked before anything
        is sent. See ``Requests.run`` (``on_update`` may be plain or awaitable)."""
        deadline = wait_limit(max_wait)
        handle = await self.create(
            operation,
            input,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            extra_input=extra_input,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        with errors_named(handle.id, handle.idempotency_key):
            return (await handle.wait(deadline, on_update)).output

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
        return self._answered(request, response, request=request)

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
        are due, at most ``max_concurrency`` at once (default: twice the client's
        ``max_in_flight``, 128; calls in flight stay within ``max_in_flight``, and started polls
        go before queued creates at its gate), so 10,000 requests cost heap entries,
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
        # Polls started: enough to wait at the gate for every slot (see InFlightGate.poll_width).
        width = check_concurrency(max_concurrency, self._core.gate.poll_width)
        # deferred: its thread pool and asyncio load on first use
        from ._as_completed import afollow

        return afollow(self._core, iter(handles_or_ids), limit, width, on_update)

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
        width = check_concurrency(max_concurrency, self._core.gate.poll_width)
        # deferred: its thread pool and asyncio load on first use
        from ._as_completed import afollow

        async for _ in afollow(self._core, iter(handles), limit, width, on_update):
            pass
        return handles
