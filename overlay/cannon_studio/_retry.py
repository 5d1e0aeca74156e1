"""Retry policy (small pure functions) and the retrying httpx2 transports.

The policy follows openai-python ``_base_client.py``: connection errors, timeouts, 408, 429 and
5xx are retried up to ``max_retries`` times with ``0.5 s x 2^n`` backoff (cap 8 s, jitter
x U[0.75, 1]); a server ``Retry-After`` (seconds or HTTP date) or ``retry-after-ms`` wins, capped
at ``RETRY_AFTER_MAX_S``. A POST is only retried when it carries an ``x-idempotency-key`` (every
create of this client does: one key per logical create, reused on each retry), so a retry never
creates or charges twice. All sleeping goes through ``cannon_studio._clock.sleep`` /
``async_sleep``; ``Retry-After`` parsing lives in ``_headers``.

Every call has a total deadline (``_deadline``): the largest of its phase timeouts from its start
(``timeout=2``: 2 s for connect, send, the whole body, retries and their waits), or the
enclosing ``deadline_scope``'s if sooner. A backoff or ``Retry-After`` wait that would end past
it is not waited for: the last error is raised at once (an error status, or the transport error).

The transports also turn an HTTP error status into the typed exception of ``_errors`` before any
generated parser sees the response, and transport failures into ``APIConnectionError`` /
``APITimeoutError``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

import httpx2

from . import _clock
from ._aiohttp_transport import AiohttpTransport
from ._backoff import capped_exponential
from ._constants import (
    API_KEY_HEADER,
    IDEMPOTENCY_HEADER,
    MAX_IN_FLIGHT_REQUESTS,
    RETRY_AFTER_MAX_S,
    RETRY_INITIAL_DELAY_S,
    RETRY_JITTER,
    RETRY_MAX_DELAY_S,
    RETRYABLE_STATUS_CODES,
)
from ._deadline import (
    Deadline,
    async_deadline_stream,
    capped_timeouts,
    sync_deadline_stream,
    timeout_total,
)
from ._errors import APIConnectionError, APIStatusError, APITimeoutError, make_status_error
from ._gate import InFlightGate
from ._headers import parse_retry_after
from ._logging import REDACTED, logger, redact, redact_chain, safe_url
from ._proxies import AsyncEnvironmentTransport, EnvironmentTransport

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods that are idempotent by definition (RFC 9110 section 9.2.2), so always safe to retry;
any other method is retried only when it carries an idempotency key."""


def is_retryable_status(status_code: int) -> bool:
    """True for 408, 429 and any 5xx (pure)."""
    return status_code in RETRYABLE_STATUS_CODES or status_code >= 500


def should_retry(
    *,
    attempt: int,
    max_retries: int,
    method: str = "GET",
    idempotent: bool = False,
    status_code: int | None = None,
    exception: BaseException | None = None,
    headers: Mapping[str, str] | None = None,
) -> bool:
    """Decide whether to retry after a failed attempt (pure).

    Args:
        attempt: 0-based index of the attempt that just failed.
        max_retries: retries allowed after the first attempt.
        method: HTTP method; POST/PATCH are retried only when ``idempotent`` is true.
        idempotent: the call carries an idempotency key.
        status_code: the response status, or ``None`` when ``exception`` is set.
        exception: the transport exception, or ``None`` when a response arrived.
        headers: response headers; ``x-should-retry: true|false`` overrides the status rule.
    """
    if attempt >= max_retries:
        return False
    if method.upper() not in _IDEMPOTENT_METHODS and not idempotent:
        return False
    if exception is not None:
        return isinstance(exception, httpx2.TransportError)
    if status_code is None:
        return False
    if headers is not None:
        override = headers.get("x-should-retry")
        if override == "true":
            return True
        if override == "false":
            return False
    return is_retryable_status(status_code)


def retry_delay(
    attempt: int,
    *,
    retry_after: float | None = None,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds to sleep before retry number ``attempt + 1`` (pure apart from ``uniform``).

    A server ``retry_after`` (seconds) wins, capped at ``RETRY_AFTER_MAX_S``; otherwise
    ``min(0.5 * 2**attempt, 8) * U[0.75, 1]``.
    """
    if retry_after is not None and retry_after >= 0:  # NaN fails the comparison
        return min(retry_after, RETRY_AFTER_MAX_S)
    base = capped_exponential(RETRY_INITIAL_DELAY_S, 2.0, attempt, RETRY_MAX_DELAY_S)
    return base * uniform(*RETRY_JITTER)


def _describe(request: httpx2.Request) -> str:
    """``METHOD scheme://host/path``: no query string (signatures), no userinfo (passwords)."""
    url = request.url
    shown = url.copy_with(query=None, username=None, password=None)
    return redact(f"{request.method} {safe_url(str(shown))}")


def _map_transport_error(exc: httpx2.HTTPError, request: httpx2.Request) -> APIConnectionError:
    """The typed error for a failed attempt; the message and the whole chain are redacted."""
    what = _describe(request)
    redact_chain(exc)
    if isinstance(exc, httpx2.TimeoutException):
        return APITimeoutError(f"{what} timed out ({type(exc).__name__})")
    detail = redact(safe_url(str(exc)))[:300]
    return APIConnectionError(f"{what} failed: {type(exc).__name__}: {detail}")


class RetryState:
    """The retry decisions of ONE HTTP call, without I/O (sans-IO): both retrying transports
    drive it, so the rules live here once and the twins differ only in their I/O lines.

    Each failed attempt is reported with ``after_exception`` or ``after_response``; the answer
    is the delay in SECONDS to sleep before the next attempt, or the end of the loop (the typed
    error raised, or ``None``: the response is final).

    Args:
        request: the request being sent (its method and ``x-idempotency-key`` decide POSTs).
        max_retries: retries allowed after the first attempt.
        deadline: when the call must be over; a wait that would end past it is not made.
    """

    __slots__ = ("attempt", "deadline", "max_retries", "request")

    def __init__(
        self, request: httpx2.Request, max_retries: int, deadline: Deadline | None = None
    ) -> None:
        self.request = request
        self.max_retries = max_retries
        self.deadline = deadline if deadline is not None else Deadline(None, "")
        self.attempt = 0
        """0-based index of the attempt being made."""

    @property
    def idempotent(self) -> bool:
        """The request carries an ``x-idempotency-key`` (asked only after a failed attempt)."""
        return IDEMPOTENCY_HEADER in self.request.headers

    def before_attempt(self) -> None:
        """Cut the request's phase timeouts to the time left.

        Raises:
            APITimeoutError: the deadline has passed.
        """
        if self.deadline.expired():
            raise self.deadline.error()
        capped_timeouts(self.request, self.deadline)

    def after_exception(self, exc: httpx2.HTTPError) -> float:
        """The attempt failed without a usable response (transport error, body not decodable).

        Returns:
            Seconds to sleep before the next attempt.

        Raises:
            APIConnectionError / APITimeoutError: no retry left (or not retryable, or no time
                left for it); the chain is redacted and ``exc`` kept as the cause.
        """
        if self.deadline.expired():
            redact_chain(exc)
            raise self.deadline.error() from exc
        if should_retry(
            attempt=self.attempt,
            max_retries=self.max_retries,
            method=self.request.method,
            idempotent=self.idempotent,
            exception=exc,
        ):
            delay = retry_delay(self.attempt)
            if self.deadline.fits(delay):
                return self._next(delay, type(exc).__name__)
        raise _map_transport_error(exc, self.request) from exc

    def after_response(self, response: httpx2.Response) -> float | None:
        """A response arrived: seconds to sleep before retrying it, or ``None`` when it is final
        (a success, or an error status that is not retried, also when its wait would end past
        the deadline: see ``status_error``)."""
        status = response.status_code
        if logger.isEnabledFor(10):
            logger.debug("%s -> %d", _describe(self.request), status)
        if status < 400:
            return None
        if should_retry(
            attempt=self.attempt,
            max_retries=self.max_retries,
            method=self.request.method,
            idempotent=self.idempotent,
            status_code=status,
            headers=response.headers,
        ):
            delay = retry_delay(self.attempt, retry_after=parse_retry_after(response.headers))
            if self.deadline.fits(delay):
                return self._next(delay, f"HTTP {status}")
        return None

    def status_error(self, response: httpx2.Response) -> APIStatusError:
        """The typed error for a final error ``response`` (already read); the request attached
        to it has its API key redacted."""
        response.request = _without_key(self.request)
        return make_status_error(response)

    def _next(self, delay: float, why: str) -> float:
        _log_retry(self.request, self.attempt, self.max_retries, why, delay)
        self.attempt += 1
        return delay


class RetryTransport(httpx2.BaseTransport):
    """An httpx2 transport that retries (see module docstring) around an inner transport.

    The decisions are ``RetryState``'s; this class only sends, reads, closes and sleeps.

    Args:
        inner: the transport that does the I/O (``httpx2.HTTPTransport``, a mock, ...); of an
            ``EnvironmentTransport`` only its routing is used (``route``: the proxy's transport
            or the direct one, picked per attempt here), so retries, proxies and (async) the
            in-flight gate are one transport.
        max_retries: retries after the first attempt.
        raise_for_status: raise the typed ``APIStatusError`` for statuses >= 400 (after retries).
        close_inner: close ``inner`` when this transport is closed (False for shared ones).
        buffer: read the whole body inside the retry loop, so a connection lost while the body
            is read (e.g. after the server committed a create) is retried too. Off for streamed
            downloads.
        total_deadline: a call's total deadline is its largest phase timeout (API calls). Off
            for downloads, whose total is their ``deadline_scope`` (``download(timeout=...)``).
    """

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        *,
        max_retries: int,
        raise_for_status: bool = True,
        close_inner: bool = True,
        buffer: bool = True,
        total_deadline: bool = True,
    ) -> None:
        self._inner = inner
        self._route = _route_of(inner)
        self.max_retries = max_retries
        self._raise_for_status = raise_for_status
        self._close_inner = close_inner
        self._buffer = buffer
        self._total_deadline = total_deadline

    def _send(self, request: httpx2.Request, deadline: Deadline) -> httpx2.Response:
        """One attempt (the body read too when buffering), its body under ``deadline``."""
        response = sync_deadline_stream(self._route(request.url).handle_request(request), deadline)
        if self._buffer:
            try:
                response.read()
            except BaseException:
                response.close()
                raise
        return response

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        _apply_call_options(request)
        state = RetryState(request, self.max_retries, _deadline(request, self._total_deadline))
        while True:
            state.before_attempt()
            try:
                response = self._send(request, state.deadline)
            except httpx2.HTTPError as exc:  # transport errors, and DecodingError of the body
                _clock.sleep(state.after_exception(exc))
                continue
            delay = state.after_response(response)
            if delay is None:
                break
            response.close()
            _clock.sleep(delay)
        if response.status_code < 400 or not self._raise_for_status:
            return response
        try:
            response.read()
        finally:
            response.close()
        raise state.status_error(response)

    def close(self) -> None:
        if self._close_inner:
            self._inner.close()


class AsyncRetryTransport(httpx2.AsyncBaseTransport):
    """The async twin of ``RetryTransport`` (sleeps through ``_clock.async_sleep``).

    Args:
        gate: the client's ``InFlightGate``, shared by its API and download transports; a call
            that already holds a slot (the overlay takes it before building the request) sends
            at once, any other call takes a slot per attempt. Backoff sleeps give the slot back.
            Default: a gate of its own with ``max_in_flight`` slots.
        max_in_flight: slots of the default gate (ignored when ``gate`` is given).
        The other arguments are those of ``RetryTransport``.
    """

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        *,
        max_retries: int,
        raise_for_status: bool = True,
        close_inner: bool = True,
        buffer: bool = True,
        max_in_flight: int = MAX_IN_FLIGHT_REQUESTS,
        gate: InFlightGate | None = None,
        total_deadline: bool = True,
    ) -> None:
        self._inner = inner
        self._route = _async_route_of(inner)
        self.max_retries = max_retries
        self._raise_for_status = raise_for_status
        self._close_inner = close_inner
        self._buffer = buffer
        self._gate = gate if gate is not None else InFlightGate(max_in_flight)
        self._total_deadline = total_deadline

    async def _send(self, request: httpx2.Request, deadline: Deadline) -> httpx2.Response:
        """One attempt, holding a slot of the gate (the caller's, or its own) until the body is
        read; the answer is awaited and the body read under ``deadline`` (by the aiohttp
        transport's own timer when it sends, else by ``asyncio.timeout``)."""
        async with self._gate.slot():
            transport = self._route(request.url)
            left = deadline.remaining()
            if self._buffer and isinstance(transport, AiohttpTransport):
                try:  # aiohttp's own timer bounds the whole call: one timer, not two
                    return await transport.handle_within(request, left)
                except TimeoutError as exc:
                    raise deadline.error() from exc
            import asyncio  # deferred: a sync program never loads asyncio

            timer = asyncio.timeout(None if left is None else max(left, 0.0))
            try:
                async with timer:
                    response = await transport.handle_async_request(request)
                    if self._buffer:  # the body is read under the same timer
                        try:
                            await response.aread()
                        except BaseException:
                            await response.aclose()
                            raise
            except TimeoutError as exc:
                if timer.expired():
                    raise deadline.error() from exc
                raise
            return response if self._buffer else async_deadline_stream(response, deadline)

    async def _sleep(self, delay: float) -> None:
        """A backoff sleep, without the task's slot (other calls may go meanwhile)."""
        async with self._gate.released():
            await _clock.async_sleep(delay)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        _apply_call_options(request)
        state = RetryState(request, self.max_retries, _deadline(request, self._total_deadline))
        while True:
            state.before_attempt()
            try:
                response = await self._send(request, state.deadline)
            except httpx2.HTTPError as exc:  # transport errors, and DecodingError of the body
                await self._sleep(state.after_exception(exc))
                continue
            delay = state.after_response(response)
            if delay is None:
                break
            await response.aclose()
            await self._sleep(delay)
        if response.status_code < 400 or not self._raise_for_status:
            return response
        try:
            await response.aread()
        finally:
            await response.aclose()
        raise state.status_error(response)

    async def aclose(self) -> None:
        if self._close_inner:
            await self._inner.aclose()


class ClientTransport(httpx2.BaseTransport):
    """Sends through a caller's ``httpx2.Client`` (its proxies, mounts, transport and auth).

    The caller's client is not closed by us and none of its settings are changed. The timeout
    travels in the request's ``timeout`` extension, set by our client (``send`` keeps it); its
    default headers are added to API calls under ours (``_with_caller_headers``).
    """

    def __init__(self, client: httpx2.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        _with_caller_headers(request, self._client)
        response = self._client.send(request, stream=True)
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=response.stream,
            extensions=response.extensions,
        )


class AsyncClientTransport(httpx2.AsyncBaseTransport):
    """Sends through a caller's ``httpx2.AsyncClient`` (async twin of ``ClientTransport``)."""

    def __init__(self, client: httpx2.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        _with_caller_headers(request, self._client)
        response = await self._client.send(request, stream=True)
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=response.stream,
            extensions=response.extensions,
        )


_CALL_OPTIONS: ContextVar[tuple[dict[str, float | None] | None, Mapping[str, str]] | None] = (
    ContextVar("cannon_studio_call_options", default=None)
)
"""One call's ``timeout`` (phase values) and ``extra_headers``, set by ``call_options``."""


@contextmanager
def call_options(timeout: httpx2.Timeout | None, headers: Mapping[str, str]) -> Iterator[None]:
    """The API calls made inside are sent with ``timeout`` (``None``: the client's) and
    ``headers`` added: request options on the shared client and its connection pool, as
    openai-python's per-request options, not a client built for one call."""
    token = _CALL_OPTIONS.set((None if timeout is None else timeout.as_dict(), dict(headers)))
    try:
        yield
    finally:
        _CALL_OPTIONS.reset(token)


def _apply_call_options(request: httpx2.Request) -> None:
    """Put the enclosing ``call_options`` on an API request (its headers win over ours)."""
    options = _CALL_OPTIONS.get()
    if options is None:
        return
    timeout, headers = options
    if timeout is not None:
        request.extensions["timeout"] = dict(timeout)
    for name, value in headers.items():
        request.headers[name] = value


def _with_caller_headers(
    request: httpx2.Request, client: httpx2.Client | httpx2.AsyncClient
) -> None:
    """An API call through a caller's ``http_client`` carries that client's default headers,
    under ours: a name we set (the API key, the user agent, ``default_headers``, per-call
    ``extra_headers``) keeps our value. Asset downloads (no API key) carry none of them."""
    if API_KEY_HEADER not in request.headers:
        return
    for name, value in client.headers.multi_items():
        if name not in request.headers:
            request.headers[name] = value


def _route_of(inner: httpx2.BaseTransport) -> Callable[[httpx2.URL], httpx2.BaseTransport]:
    """Where each attempt goes: the proxy routes of an ``EnvironmentTransport`` taken over here
    (so a call passes one transport, this one), or ``inner`` itself."""
    if isinstance(inner, EnvironmentTransport):
        return inner.route
    return lambda url: inner


def _async_route_of(
    inner: httpx2.AsyncBaseTransport,
) -> Callable[[httpx2.URL], httpx2.AsyncBaseTransport]:
    """The async twin of ``_route_of``."""
    if isinstance(inner, AsyncEnvironmentTransport):
        return inner.route
    return lambda url: inner


def _deadline(request: httpx2.Request, from_timeout: bool) -> Deadline:
    """The call's deadline: its largest phase timeout (when ``from_timeout``) or the scope's."""
    total = timeout_total(request.extensions.get("timeout")) if from_timeout else None
    return Deadline(total, lambda: _describe(request))


def _without_key(request: httpx2.Request) -> httpx2.Request:
    """A copy of ``request`` (no body) whose API key header is redacted, to attach to errors."""
    headers = [
        (name, REDACTED if name.lower() == API_KEY_HEADER else value)
        for name, value in request.headers.items()
    ]
    return httpx2.Request(request.method, request.url, headers=headers)


def _log_retry(
    request: httpx2.Request, attempt: int, max_retries: int, why: str, delay: float
) -> None:
    if logger.isEnabledFor(10):
        logger.debug(
            "retrying %s in %.2f s (retry %d of %d) after %s%s",
            _describe(request),
            delay,
            attempt + 1,
            max_retries,
            why,
            f"; {IDEMPOTENCY_HEADER} {request.headers[IDEMPOTENCY_HEADER]}"
            if IDEMPOTENCY_HEADER in request.headers
            else "",
        )
