"""The httpx2 clients the generated API calls are sent with: one request built, one transport.

``httpx2.Client.request`` parses the relative URL and joins it to the base URL (two parses),
merges the default headers, cookies and query parameters, and ``send`` then runs the auth flow,
the redirect loop and the cookie jar, all per call. The generated endpoints call ``request``
with a path, the method and at most a JSON body and a few headers; for those calls
``ApiClient`` / ``AsyncApiClient`` build the ``httpx2.Request`` from the parts fixed when the
client was made (the base URL as text, the default headers as an ``httpx2.Headers`` copied per
call) with one URL parse, and hand it straight to the client's transport: the retrying one of
``_retry`` (retries, deadlines, proxies and the in-flight gate in one place).

What the shortcut leaves out is what the API calls do not use: a cookie jar (an API key API
keeps no session; ``Set-Cookie`` answers are not replayed), following redirects (off for API
calls: a 3xx is answered as such and refused by the generated parser) and httpx2's own
``HTTP Request:`` INFO line (the ``cannon_studio`` logger has each call at DEBUG, see ``_retry``). Any other call (an
absolute URL, ``params``, ``files``, ``cookies``, ``auth=``, ``follow_redirects``, a client with
``auth`` or cookies) goes the ordinary httpx2 way, so the clients stay ``httpx2.Client`` /
``httpx2.AsyncClient`` in every respect callers can see.
"""

from __future__ import annotations

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


def _build(
    client: httpx2.Client | httpx2.AsyncClient, method: str, url: str, kwargs: dict[str, Any]
) -> httpx2.Request:
    """The request ``client.build_request`` would make, with one URL parse."""
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

    def request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Response:
        if not _plain(self, url, kwargs):
            return super().request(method, url, **kwargs)
        request = _build(self, method, str(url), kwargs)
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

    async def request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Response:
        if not _plain(self, url, kwargs):
            return await super().request(method, url, **kwargs)
        request = _build(self, method, str(url), kwargs)
        response = await self._api_transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response
