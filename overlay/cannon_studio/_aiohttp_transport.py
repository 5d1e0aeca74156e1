"""``AiohttpTransport``: an ``httpx2.AsyncBaseTransport`` that sends through one aiohttp session.

Callers keep httpx2: they build ``httpx2.Request`` objects and get ``httpx2.Response`` objects
and httpx2's exceptions; only the bytes travel over aiohttp's connection pool, which costs a
fraction of httpcore2's CPU per call when hundreds of calls are in flight (``make bench``,
round "transport"). The conversion does as little as it can per call:

- the request's headers are handed over as they are (``Headers.raw``, decoded as Latin-1), and
  aiohttp adds none of its own (no ``Accept``, ``User-Agent``, ``Content-Type``), so the server
  sees exactly what an httpx2 transport would send; there is no cookie jar (a transport keeps
  no cookies, as httpx2's does not);
- a response body announced (``Content-Length``) at most ``EAGER_BODY_MAX`` bytes is read before
  the response is returned, as one chunk; any other body streams as it arrives. Either way the
  body is read under the request's read timeout and its ``Content-Encoding`` is decoded by
  httpx2, as with httpx2's own transport;
- the ``timeout`` extension becomes aiohttp's per-request timeout (``connect`` ->
  ``sock_connect``, ``read`` -> ``sock_read``, ``pool`` -> ``connect``; aiohttp has no write
  timeout). ``handle_within`` adds a total bound (the retrying transport's deadline of an API
  call) and reads the whole body under it; a phase bound no shorter than the total gets no
  timer of its own, so such a call runs on one timer.

aiohttp's errors become httpx2's (``ERRORS``: ``ConnectError``, ``ConnectTimeout``,
``ReadTimeout``, ``ReadError``, ``RemoteProtocolError``, ``ProxyError``,
``UnsupportedProtocol``), so retrying code written for httpx2 works unchanged. aiohttp itself is
imported when the session is opened, on the first request, inside the running event loop.
HTTP/1.1 only.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import httpx2

if TYPE_CHECKING:
    import aiohttp

__all__ = ["EAGER_BODY_MAX", "ERRORS", "AiohttpTransport", "aiohttp_errors", "map_error"]

EAGER_BODY_MAX = 1 << 20
"""Bytes: a response body announced at most this large is read before the response returns."""

_AUTO_HEADERS = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
"""Headers aiohttp would add on its own; the request's are sent instead (or none)."""

ERRORS: tuple[tuple[str, type[httpx2.TransportError]], ...] = (
    ("ClientProxyConnectionError", httpx2.ProxyError),
    ("ClientHttpProxyError", httpx2.ProxyError),
    ("ConnectionTimeoutError", httpx2.ConnectTimeout),
    ("ServerTimeoutError", httpx2.ReadTimeout),
    ("ClientConnectorError", httpx2.ConnectError),
    ("ServerDisconnectedError", httpx2.RemoteProtocolError),
    ("ClientPayloadError", httpx2.ReadError),
    ("InvalidURL", httpx2.UnsupportedProtocol),
    ("ClientResponseError", httpx2.RemoteProtocolError),
    ("ClientConnectionError", httpx2.ReadError),
    ("ClientError", httpx2.TransportError),
)
"""aiohttp's exception classes (by name, most specific first) and the httpx2 error each becomes."""


def aiohttp_errors() -> type[Exception]:
    """aiohttp's base exception class (``aiohttp.ClientError``); imports aiohttp."""
    import aiohttp  # optional extra: already loaded once a session exists

    return aiohttp.ClientError


def map_error(exc: Exception) -> httpx2.TransportError:
    """The httpx2 error for an exception aiohttp raised (an ``aiohttp.ClientError``); the
    message is aiohttp's."""
    import aiohttp  # optional extra: already loaded once a session exists

    for name, kind in ERRORS:
        if isinstance(exc, getattr(aiohttp, name)):
            return kind(str(exc) or type(exc).__name__)
    return httpx2.TransportError(str(exc) or type(exc).__name__)  # pragma: no cover


def _known_content(response: httpx2.Response, body: bytes) -> None:
    """Give ``response`` its content, already read and not encoded, as ``aread`` would keep it.

    ``aread`` would otherwise pass the one chunk through httpx2's decoder and chunker (about
    10 us per call). The body stays readable as a stream too. Uses httpx2's cache attribute
    (``Response._content``); an httpx2 without it reads the stream as usual
    (``tests/overlay/test_aiohttp_transport.py`` checks both give the same response).
    """
    with contextlib.suppress(AttributeError):
        response._content = body


class _StreamedBody(httpx2.AsyncByteStream):
    """A response body read as it arrives (large or of unknown length); errors are httpx2's."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except aiohttp_errors() as exc:
            raise map_error(exc) from exc
        except TimeoutError as exc:
            raise httpx2.ReadTimeout(str(exc) or "timed out") from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """An httpx2 transport over one ``aiohttp.ClientSession`` (see the module docstring).

    Args:
        verify: as httpx2's: ``True`` (certifi, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when
            ``trust_env``), ``False``, a CA bundle path, or an ``ssl.SSLContext``.
        cert: a client certificate, as httpx2's ``cert``.
        trust_env: let the SSL context read the certificate variables. Proxies are not read
            here: the client's environment routing sends proxied requests elsewhere.
        limits: ``max_connections`` is the pool size (``None``: unlimited) and
            ``keepalive_expiry`` (seconds) how long an idle connection is kept.
        proxy: send every request through this HTTP proxy (URL, or ``httpx2.Proxy`` with auth).
        local_address: the local IP address to connect from.

    The session and its SSL context are made on the first request, inside the running event
    loop, and closed by ``aclose``.
    """

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        limits: httpx2.Limits | None = None,
        proxy: str | httpx2.Proxy | None = None,
        local_address: str | None = None,
    ) -> None:
        self._verify = verify
        self._cert = cert
        self._trust_env = trust_env
        self.limits = limits or httpx2.Limits(max_connections=100, max_keepalive_connections=20)
        self._proxy = httpx2.Proxy(proxy) if isinstance(proxy, str) else proxy
        self._local_address = local_address
        self._session: aiohttp.ClientSession | None = None
        self._proxy_options: dict[str, Any] = {}
        self._timeout_type: type[aiohttp.ClientTimeout]

    def _open(self) -> aiohttp.ClientSession:
        import aiohttp  # optional extra: imported with the first request

        context = httpx2.create_ssl_context(
            verify=self._verify, cert=self._cert, trust_env=self._trust_env
        )
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,
            keepalive_timeout=self.limits.keepalive_expiry,
            ssl=context,
            local_addr=(self._local_address, 0) if self._local_address else None,
        )
        if self._proxy is not None:
            auth = self._proxy.auth
            self._proxy_options = {
                "proxy": str(self._proxy.url),
                "proxy_auth": aiohttp.BasicAuth(*auth) if auth else None,
                "proxy_headers": dict(self._proxy.headers) or None,
            }
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=_AUTO_HEADERS,
            auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=None),
        )
        self._timeout_type = aiohttp.ClientTimeout
        return self._session

    def _timeout(
        self, values: dict[str, float | None] | None, total: float | None
    ) -> aiohttp.ClientTimeout:
        """aiohttp's timeout for a request's ``timeout`` extension (SECONDS per phase) within
        ``total`` SECONDS: a phase bound no shorter than the total needs no timer of its own."""
        values = values or {}

        def phase(name: str) -> float | None:
            value = values.get(name)
            return value if value is not None and (total is None or value < total) else None

        return self._timeout_type(
            total=total,
            connect=phase("pool"),
            sock_connect=phase("connect"),
            sock_read=phase("read"),
        )

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            return await self._send(request, None, whole=False)
        except TimeoutError as exc:  # not aiohttp's (those are mapped): a read that timed out
            raise httpx2.ReadTimeout(str(exc) or "timed out") from exc

    async def handle_within(self, request: httpx2.Request, total: float | None) -> httpx2.Response:
        """Send ``request`` and read its whole body, all within ``total`` SECONDS (``None``:
        no bound but the phase timeouts), on one timer.

        The retrying transport sends API calls this way instead of wrapping
        ``handle_async_request`` in a timer of its own (one timer per call, not three).

        Raises:
            TimeoutError: ``total`` ran out (the call's deadline).
            httpx2.TransportError: any other failure, as in ``handle_async_request``.
        """
        return await self._send(request, None if total is None else max(total, 0.001), whole=True)

    async def _send(
        self, request: httpx2.Request, total: float | None, *, whole: bool
    ) -> httpx2.Response:
        session = self._session or self._open()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        data: Any
        try:
            data = request.content or None
        except httpx2.RequestNotRead:  # a streamed body: aiohttp sends it chunked
            data = request.stream
            headers = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
        extensions = request.extensions
        try:
            response = await session.request(
                request.method,
                str(request.url),
                headers=headers,
                data=data,
                allow_redirects=False,
                timeout=self._timeout(extensions.get("timeout"), total),
                server_hostname=extensions.get("sni_hostname"),
                **self._proxy_options,
            )
            stream: httpx2.AsyncByteStream
            body: bytes | None = None
            length = response.content_length
            if whole or (length is not None and length <= EAGER_BODY_MAX):
                try:
                    body = await response.read()
                finally:
                    response.release()
                stream = httpx2.ByteStream(body)
            else:
                stream = _StreamedBody(response)
        except aiohttp_errors() as exc:
            raise map_error(exc) from exc
        reason = response.reason
        answer = httpx2.Response(
            response.status,
            headers=response.raw_headers,
            stream=stream,
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason.encode()}
            if reason
            else {"http_version": b"HTTP/1.1"},
        )
        if body is not None and "Content-Encoding" not in response.headers:
            _known_content(answer, body)
        return answer

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
