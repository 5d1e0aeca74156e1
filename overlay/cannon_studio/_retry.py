"""Retry policy (small pure functions) and the retrying httpx2 transports.

The policy follows openai-python ``_base_client.py``: connection errors, timeouts, 408, 429 and
5xx are retried up to ``max_retries`` times with ``0.5 s x 2^n`` backoff (cap 8 s, jitter
x U[0.75, 1]); a server ``Retry-After`` (seconds or HTTP date) or ``retry-after-ms`` wins, capped
at ``RETRY_AFTER_MAX_S``. A POST is only retried when it carries an ``x-idempotency-key`` (every
create of this client does: one key per logical create, reused on each retry), so a retry never
creates or charges twice. All sleeping goes through ``cannon_studio._requests.sleep`` /
``async_sleep``.

The transports also turn an HTTP error status into the typed exception of ``_errors`` before any
generated parser sees the response, and transport failures into ``APIConnectionError`` /
``APITimeoutError``.
"""

from __future__ import annotations

import email.utils
import random
import time
import uuid
from collections.abc import Callable, Mapping

import httpx2

from . import _requests
from ._backoff import capped_exponential
from ._constants import (
    API_KEY_HEADER,
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_KEY_PREFIX,
    MAX_IN_FLIGHT_REQUESTS,
    RETRY_AFTER_MAX_S,
    RETRY_INITIAL_DELAY_S,
    RETRY_JITTER,
    RETRY_MAX_DELAY_S,
    RETRYABLE_STATUS_CODES,
)
from ._errors import APIConnectionError, APITimeoutError, make_status_error
from ._gate import InFlightGate
from ._logging import REDACTED, logger, redact, redact_chain, safe_url

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def new_idempotency_key() -> str:
    """A fresh idempotency key: ``cs-idem-`` + 32 hex characters (fits the schema's 1-255 ASCII)."""
    return IDEMPOTENCY_KEY_PREFIX + uuid.uuid4().hex


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
    if method.upper() not in _SAFE_METHODS and not idempotent:
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


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` (seconds or HTTP date) (pure).

    Args:
        headers: response headers (case-insensitive mapping such as ``httpx2.Headers``).
        now: current Unix time in seconds for HTTP dates (default ``time.time()``).

    Returns:
        A non-negative number of seconds, or ``None`` when absent or unparseable.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000.0
        except ValueError:
            value = -1.0
        if value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:  # pragma: no cover - older Pythons
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
        return max(0.0, seconds)
    if seconds != seconds or seconds < 0:  # NaN or negative
        return None
    return seconds


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


class RetryTransport(httpx2.BaseTransport):
    """An httpx2 transport that retries (see module docstring) around an inner transport.

    Args:
        inner: the transport that does the I/O (``httpx2.HTTPTransport``, a mock, ...).
        max_retries: retries after the first attempt.
        raise_for_status: raise the typed ``APIStatusError`` for statuses >= 400 (after retries).
        close_inner: close ``inner`` when this transport is closed (False for shared ones).
        buffer: read the whole body inside the retry loop, so a connection lost while the body
            is read (e.g. after the server committed a create) is retried too. Off for streamed
            downloads.
    """

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        *,
        max_retries: int,
        raise_for_status: bool = True,
        close_inner: bool = True,
        buffer: bool = True,
    ) -> None:
        self._inner = inner
        self.max_retries = max_retries
        self._raise_for_status = raise_for_status
        self._close_inner = close_inner
        self._buffer = buffer

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        attempt = 0
        while True:
            try:
                response = self._inner.handle_request(request)
                if self._buffer:
                    try:
                        response.read()
                    except BaseException:
                        response.close()
                        raise
            except httpx2.HTTPError as exc:  # transport errors, and DecodingError of the body
                if should_retry(
                    attempt=attempt,
                    max_retries=self.max_retries,
                    method=request.method,
                    idempotent=IDEMPOTENCY_HEADER in request.headers,
                    exception=exc,
                ):
                    delay = retry_delay(attempt)
                    _log_retry(request, attempt, self.max_retries, type(exc).__name__, delay)
                    _requests.sleep(delay)
                    attempt += 1
                    continue
                raise _map_transport_error(exc, request) from exc
            status = response.status_code
            if logger.isEnabledFor(10):
                logger.debug("%s -> %d", _describe(request), status)
            if status < 400:
                return response
            if should_retry(
                attempt=attempt,
                max_retries=self.max_retries,
                method=request.method,
                idempotent=IDEMPOTENCY_HEADER in request.headers,
                status_code=status,
                headers=response.headers,
            ):
                delay = retry_delay(attempt, retry_after=parse_retry_after(response.headers))
                response.close()
                _log_retry(request, attempt, self.max_retries, f"HTTP {status}", delay)
                _requests.sleep(delay)
                attempt += 1
                continue
            if not self._raise_for_status:
                return response
            try:
                response.read()
            finally:
                response.close()
            response.request = _without_key(request)
            raise make_status_error(response)

    def close(self) -> None:
        if self._close_inner:
            self._inner.close()


class AsyncRetryTransport(httpx2.AsyncBaseTransport):
    """The async twin of ``RetryTransport`` (sleeps through ``_requests.async_sleep``).

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
    ) -> None:
        self._inner = inner
        self.max_retries = max_retries
        self._raise_for_status = raise_for_status
        self._close_inner = close_inner
        self._buffer = buffer
        self._gate = gate if gate is not None else InFlightGate(max_in_flight)

    async def _send(self, request: httpx2.Request) -> httpx2.Response:
        """One attempt, holding a slot of the gate (the caller's, or its own) until the body is read."""
        async with self._gate.slot():
            response = await self._inner.handle_async_request(request)
            if self._buffer:
                try:
                    await response.aread()
                except BaseException:
                    await response.aclose()
                    raise
            return response

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        attempt = 0
        while True:
            try:
                response = await self._send(request)
            except httpx2.HTTPError as exc:  # transport errors, and DecodingError of the body
                if should_retry(
                    attempt=attempt,
                    max_retries=self.max_retries,
                    method=request.method,
                    idempotent=IDEMPOTENCY_HEADER in request.headers,
                    exception=exc,
                ):
                    delay = retry_delay(attempt)
                    _log_retry(request, attempt, self.max_retries, type(exc).__name__, delay)
                    async with self._gate.released():
                        await _requests.async_sleep(delay)
                    attempt += 1
                    continue
                raise _map_transport_error(exc, request) from exc
            status = response.status_code
            if logger.isEnabledFor(10):
                logger.debug("%s -> %d", _describe(request), status)
            if status < 400:
                return response
            if should_retry(
                attempt=attempt,
                max_retries=self.max_retries,
                method=request.method,
                idempotent=IDEMPOTENCY_HEADER in request.headers,
                status_code=status,
                headers=response.headers,
            ):
                delay = retry_delay(attempt, retry_after=parse_retry_after(response.headers))
                await response.aclose()
                _log_retry(request, attempt, self.max_retries, f"HTTP {status}", delay)
                async with self._gate.released():
                    await _requests.async_sleep(delay)
                attempt += 1
                continue
            if not self._raise_for_status:
                return response
            try:
                await response.aread()
            finally:
                await response.aclose()
            response.request = _without_key(request)
            raise make_status_error(response)

    async def aclose(self) -> None:
        if self._close_inner:
            await self._inner.aclose()


class ClientTransport(httpx2.BaseTransport):
    """Sends through a caller's ``httpx2.Client`` (its proxies, mounts, transport and auth).

    The caller's client is not closed by us and none of its settings are changed. The timeout
    travels in the request's ``timeout`` extension, set by our client (``send`` keeps it).
    """

    def __init__(self, client: httpx2.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
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
        response = await self._client.send(request, stream=True)
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=response.stream,
            extensions=response.extensions,
        )


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
