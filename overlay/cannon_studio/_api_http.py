"""The httpx2 clients the generated API calls are sent with: one request built, one transport.

``httpx2.Client.request`` parses the relative URL and joins it to the base URL (two parses),
merges the default headers, cookies and query parameters, and ``send`` then runs the auth flow,
the redirect loop and the cookie jar, all per call. The generated endpoints call ``request``
with a path, the method and at most a JSON body and a few headers; for those calls
``ApiClient`` / ``AsyncApiClient`` build the ``httpx2.Request`` themselves and hand it straight
to the client's transport: the retrying one of ``_retry`` (retries, deadlines, proxies and the
in-flight gate in one place).

The request is the one ``build_request`` would make (same URL, same headers in the same order
and case, same body bytes; ``tests/overlay/test_api_http.py`` compares them), from parts made
once per client (``_Parts``: the base URL parsed, the ``Host`` header and the default headers
as one ``httpx2.Headers``), remade only when the client's base URL or default headers change:

- the URL: a path made only of characters httpx2 would leave as they are (unreserved, sub-delims,
  ``:``, ``@``, ``/``, ``%XX``; no dot segment, no query) is set on the parsed base URL without
  a second parse; any other path is parsed by httpx2;
- the headers: a copy of the prepared ones, the call's headers merged as httpx2 merges them,
  ``Content-Length`` / ``Content-Type`` added as httpx2 adds them;
- the body: a JSON body encoded as httpx2 encodes it (UTF-8, no spaces, no NaN).

What the shortcut leaves out is what the API calls do not use: a cookie jar (an API key API
keeps no session; ``Set-Cookie`` answers are not replayed), following redirects (off for API
calls: a 3xx is answered as such and refused by the generated parser) and httpx2's own
``HTTP Request:`` INFO line (the ``cannon_studio`` logger has each call at DEBUG, see ``_retry``).
Any other call (an absolute URL, ``params``, ``files``, ``cookies``, ``auth=``,
``follow_redirects``, a client with ``auth`` or cookies) goes the ordinary httpx2 way, so the
clients stay ``httpx2.Client`` / ``httpx2.AsyncClient`` in every respect callers can see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import httpx2

__all__ = ["ApiClient", "AsyncApiClient"]

_SIMPLE = frozenset({"json", "headers", "content"})
"""The keyword arguments a call may carry and still take the shortcut."""


def _plain(client: httpx2.Client | httpx2.AsyncClient, url: object, kwargs: dict[str, Any]) -> bool:
    """True when ``client.request(method, url, **kwargs)`` can be built directly."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and _SIMPLE.issuperset(kwargs)
        and client.auth is None
        and not client.cookies
        and not client.params
        and not client.is_closed
    )


_PLAIN_PATH = re.compile(
    r"(?:/(?:[A-Za-z0-9\-_~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2}|\.(?!\.?(?:/|$)))*)+"
)
"""A path httpx2's parser returns unchanged: characters it does not escape, valid ``%XX``
escapes, and no ``.`` or ``..`` segment (which it would remove)."""

_OWN_HEADERS = frozenset({"host", "content-length", "transfer-encoding"})
"""Call headers that change what httpx2 adds itself: such calls are built by httpx2."""

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "QUERY"})
"""Methods httpx2 sends ``Content-Length: 0`` with when they have no body."""


class _Parts:
    """What every request of one client shares: the base URL (parsed), its path without the
    trailing slash, and ``Host`` followed by the client's default headers.

    Remade when the client's ``base_url`` or default headers change (``matches``).
    """

    __slots__ = ("base_path", "base_url", "defaults", "headers", "reference")

    def __init__(self, client: httpx2.Client | httpx2.AsyncClient) -> None:
        self.base_url = client.base_url
        self.base_path = client.base_url.raw_path.decode("ascii").rstrip("/")
        self.reference = getattr(client.base_url, "_uri_reference", None)  # httpx2's parsed form
        self.defaults = client.headers.raw
        host = httpx2.Request("GET", client.base_url).headers.raw[0]  # httpx2's Host header
        self.headers = httpx2.Headers([host, *self.defaults])

    def matches(self, client: httpx2.Client | httpx2.AsyncClient) -> bool:
        """True when ``client``'s base URL and default headers are still these."""
        return client.base_url is self.base_url and client.headers.raw == self.defaults

    def url(self, path: str) -> httpx2.URL:
        """``base_url`` joined with ``path`` (which starts with ``/``), as httpx2 joins them.

        A plain path (``_PLAIN_PATH``) is set on the parsed base URL: httpx2's parser would
        return it unchanged, and parsing it again costs about 15 us per call, a character at a
        time. This uses httpx2's parsed form (``URL._uri_reference``, a ``NamedTuple``); an
        httpx2 without it gets the URL parsed (``tests/overlay/test_api_http.py`` compares both).
        """
        if self.reference is not None and _PLAIN_PATH.fullmatch(path):
            url = httpx2.URL.__new__(httpx2.URL)
            url._uri_reference = self.reference._replace(path=self.base_path + path, query=None)
            return url
        return httpx2.URL(str(self.base_url).rstrip("/") + path)


def _parts(client: httpx2.Client | httpx2.AsyncClient, cache: list[_Parts]) -> _Parts:
    """The client's ``_Parts`` (``cache`` holds at most one), remade when outdated."""
    if cache and cache[0].matches(client):
        return cache[0]
    parts = _Parts(client)
    cache[:] = [parts]
    return parts


def _build(
    client: httpx2.Client | httpx2.AsyncClient,
    method: str,
    url: str,
    kwargs: dict[str, Any],
    cache: list[_Parts],
) -> httpx2.Request:
    """The request ``client.build_request`` would make (see the module docstring)."""
    extra = kwargs.get("headers")
    content, payload = kwargs.get("content"), kwargs.get("json")
    content_type: str | None = None
    if isinstance(content, bytes) and content:
        pass  # content wins over json, as in httpx2
    elif content is None and payload is not None:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        content, content_type = text.encode("utf-8"), "application/json"
    elif content is not None or method.upper() in _BODY_METHODS:
        return _build_by_httpx2(client, method, url, kwargs)  # a str or stream, or Length: 0
    if extra and not _OWN_HEADERS.isdisjoint(name.lower() for name in extra):
        return _build_by_httpx2(client, method, url, kwargs)
    parts = _parts(client, cache)
    headers = _headers(parts.headers, extra)
    if content is not None:
        _add_default(headers, "Content-Length", str(len(content)))
        if content_type is not None:
            _add_default(headers, "Content-Type", content_type)
    request = httpx2.Request(
        method,
        parts.url(url),
        headers=headers,
        stream=httpx2.ByteStream(content or b""),
        extensions={"timeout": client.timeout.as_dict()},
    )
    request.read()
    return request


def _headers(prepared: httpx2.Headers, extra: Mapping[str, Any] | None) -> httpx2.Headers:
    """``prepared`` updated with ``extra`` as ``Headers.update`` does (each name of ``extra``
    replaces every header of that name and goes last), on a copy.

    ASCII ``str`` pairs, the usual case (the idempotency key), are set one by one on a copy that
    keeps the header encoding already found (``update`` would build a ``Headers`` of them first,
    and a plain copy detects the encoding again); anything else goes through ``update``, which
    encodes and refuses as httpx2 does.
    """
    if not extra:
        return prepared.copy()
    if not all(
        isinstance(name, str) and isinstance(value, str) and name.isascii() and value.isascii()
        for name, value in extra.items()
    ):
        headers = httpx2.Headers(prepared)
        headers.update(extra)
        return headers
    headers = prepared.copy()
    for name, value in extra.items():
        if name in headers:
            del headers[name]
        headers[name] = value
    return headers


def _add_default(headers: httpx2.Headers, name: str, value: str) -> None:
    if name not in headers:
        headers[name] = value


def _build_by_httpx2(
    client: httpx2.Client | httpx2.AsyncClient, method: str, url: str, kwargs: dict[str, Any]
) -> httpx2.Request:
    """The request as httpx2 builds it from the parts (one URL parse)."""
    headers = httpx2.Headers(client.headers)
    extra = kwargs.get("headers")
    if extra:
        headers.update(extra)
    return httpx2.Request(
        method,
        str(client.base_url).rstrip("/") + url,
        headers=headers,
        json=kwargs.get("json"),
        content=kwargs.get("content"),
        extensions={"timeout": client.timeout.as_dict()},
    )


class ApiClient(httpx2.Client):
    """An ``httpx2.Client`` whose plain relative calls skip the per-call merging (see module).

    Built like ``httpx2.Client`` with ``base_url=`` and ``transport=`` (the retrying transport).
    """

    def __init__(self, *, transport: httpx2.BaseTransport, **kwargs: Any) -> None:
        super().__init__(transport=transport, **kwargs)
        self._api_transport = transport
        self._parts: list[_Parts] = []

    def request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Response:
        if not _plain(self, url, kwargs):
            return super().request(method, url, **kwargs)
        request = _build(self, method, str(url), kwargs, self._parts)
        response = self._api_transport.handle_request(request)
        response.request = request
        try:
            response.read()
        finally:
            response.close()
        return response


class AsyncApiClient(httpx2.AsyncClient):
    """The async twin of ``ApiClient``."""

    def __init__(self, *, transport: httpx2.AsyncBaseTransport, **kwargs: Any) -> None:
        super().__init__(transport=transport, **kwargs)
        self._api_transport = transport
        self._parts: list[_Parts] = []

    async def request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Response:
        if not _plain(self, url, kwargs):
            return await super().request(method, url, **kwargs)
        request = _build(self, method, str(url), kwargs, self._parts)
        response = await self._api_transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response
