"""The default I/O transports: proxies and certificates from the environment, like httpx2.

``httpx2.Client(trust_env=True)`` reads ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` /
``NO_PROXY`` (either case) and ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``. The clients here send
through their own retrying transport, so they do the same routing themselves: one direct
``httpx2.HTTPTransport`` (certificate variables are honoured by httpx2's SSL context when
``trust_env`` is true) and one transport per proxy URL, picked per request by the URL's scheme
and host (``route``). The retrying transport asks ``route`` itself on each attempt, so an API
call passes one transport of ours, not a retrying one around a routing one. The variables are read once, when the client is built (as httpx2 does).

Proxy variables are read with the standard library (``urllib.request.getproxies_environment``:
lowercase wins over uppercase); ``NO_PROXY`` is matched like httpx2 does (see ``bypasses_proxy``).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Mapping

import httpx2

__all__ = [
    "AsyncEnvironmentTransport",
    "EnvironmentTransport",
    "bypasses_proxy",
    "environment_proxies",
    "proxy_for",
]


def environment_proxies() -> dict[str, str]:
    """``{"http": url, "https": url, "all": url, "no": hosts}`` from the environment.

    Only the keys whose variable is set and not empty are present.
    """
    found = urllib.request.getproxies_environment()
    return {
        key: value
        for key, value in found.items()
        if key in ("http", "https", "all", "no") and value
    }


def bypasses_proxy(host: str, port: int | None, no_proxy: str) -> bool:
    """True when ``NO_PROXY``-style ``no_proxy`` exempts ``host`` (pure).

    Entries are comma-separated: ``*`` (everything), a host or IP (``127.0.0.1``, ``[::1]``),
    a domain that also covers its subdomains (``example.com``, ``.example.com``,
    ``*.example.com``), each optionally with ``:port``, or with a scheme (``http://host``).
    """
    host = host.lower().strip("[]")
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        entry = entry.split("://", 1)[-1].rstrip("/")
        entry_port: str | None = None
        if entry.startswith("["):
            end = entry.find("]")
            rest = entry[end + 1 :]
            entry, entry_port = entry[1:end], (rest[1:] if rest.startswith(":") else None)
        elif entry.count(":") == 1:
            entry, entry_port = entry.split(":")
        if entry_port and port is not None and entry_port != str(port):
            continue
        name = entry.lstrip("*").lstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False


def proxy_for(url: httpx2.URL, proxies: Mapping[str, str]) -> str | None:
    """The proxy URL for a request to ``url``, or ``None`` to connect directly (pure)."""
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy:
        return None
    if bypasses_proxy(url.host, url.port, proxies.get("no", "")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


class EnvironmentTransport(httpx2.BaseTransport):
    """A sync transport that connects directly or through the environment's proxies.

    Args:
        trust_env: read proxies (and let httpx2 read ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``); with
            ``False`` every request goes directly and certifi's bundle is used.
    """

    def __init__(self, *, trust_env: bool = True) -> None:
        self._trust_env = trust_env
        self._direct = httpx2.HTTPTransport(trust_env=trust_env)
        found = environment_proxies() if trust_env else {}
        self._proxies = found if set(found) - {"no"} else {}
        self._via: dict[str, httpx2.HTTPTransport] = {}

    def route(self, url: httpx2.URL) -> httpx2.BaseTransport:
        """The transport of a request to ``url``: a proxy's, or the direct one."""
        proxy = proxy_for(url, self._proxies) if self._proxies else None
        if proxy is None:
            return self._direct
        transport = self._via.get(proxy)
        if transport is None:
            transport = httpx2.HTTPTransport(trust_env=self._trust_env, proxy=proxy)
            self._via[proxy] = transport
        return transport

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return self.route(request.url).handle_request(request)

    def close(self) -> None:
        self._direct.close()
        for transport in self._via.values():
            transport.close()


class AsyncEnvironmentTransport(httpx2.AsyncBaseTransport):
    """The async twin of ``EnvironmentTransport``; ``limits`` size each connection pool
    (``AsyncCannon`` passes ``transports.pool_limits(max_in_flight)``).

    Args:
        trust_env: as ``EnvironmentTransport``.
        limits: pool limits of the httpx2 transports made here.
        direct: the transport for requests no proxy takes (default: an
            ``httpx2.AsyncHTTPTransport`` with ``limits``); ``transports.default_async_transport``
            passes its aiohttp one when the ``[aiohttp]`` extra is installed. Closed with this one.
    """

    def __init__(
        self,
        *,
        trust_env: bool = True,
        limits: httpx2.Limits | None = None,
        direct: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self._trust_env = trust_env
        self._limits = limits or httpx2.Limits(max_connections=100, max_keepalive_connections=20)
        self._direct = direct or httpx2.AsyncHTTPTransport(trust_env=trust_env, limits=self._limits)
        found = environment_proxies() if trust_env else {}
        self._proxies = found if set(found) - {"no"} else {}
        self._via: dict[str, httpx2.AsyncHTTPTransport] = {}

    @property
    def direct(self) -> httpx2.AsyncBaseTransport:
        """The transport of requests that go to the server directly (no proxy)."""
        return self._direct

    def route(self, url: httpx2.URL) -> httpx2.AsyncBaseTransport:
        """The transport of a request to ``url``: a proxy's, or the direct one."""
        proxy = proxy_for(url, self._proxies) if self._proxies else None
        if proxy is None:
            return self._direct
        transport = self._via.get(proxy)
        if transport is None:
            transport = httpx2.AsyncHTTPTransport(
                trust_env=self._trust_env, proxy=proxy, limits=self._limits
            )
            self._via[proxy] = transport
        return transport

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return await self.route(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        for transport in self._via.values():
            await transport.aclose()
