"""The async transports ``AsyncCannon`` can send through, both sized to its in-flight limit.

- ``aiohttp_transport``: ``AiohttpTransport`` (``_aiohttp_transport``), an httpx2 transport
  over one aiohttp session (aiohttp for high concurrency is the option openai-python offers
  too), with ``pip install "cannon-studio[aiohttp]"``. Measured by ``make bench`` (section
  "transport"): about half of httpx2's client CPU per call at 1,000 concurrent requests,
  because httpcore2's pool checks every idle connection's socket (``getpeername``) each time
  it assigns a request. It is therefore the DEFAULT of ``AsyncCannon`` when the extra is
  installed. HTTP/1.1 only; its pool size and keep-alive expiry carry over, the write timeout
  does not.
- ``httpx2_transport``: httpx2's own ``AsyncHTTPTransport`` (httpcore2) with a keep-alive pool as
  large as the in-flight limit, so every call that holds a slot finds an idle connection
  (httpx2's default keeps 20 of 100 alive: 64 calls in flight then open and close a connection
  per call). The default without the extra; pass it as ``transport=`` to choose it anyway.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import httpx2

from ._aiohttp_transport import AiohttpTransport
from ._constants import MAX_IN_FLIGHT_REQUESTS
from ._errors import ConfigurationError
from ._proxies import AsyncEnvironmentTransport

__all__ = [
    "aiohttp_available",
    "aiohttp_transport",
    "default_async_transport",
    "httpx2_transport",
    "pool_limits",
]


def pool_limits(max_in_flight: int = MAX_IN_FLIGHT_REQUESTS) -> httpx2.Limits:
    """``httpx2.Limits`` that keep ``max_in_flight`` connections open and alive.

    The keep-alive expiry stays httpx2's (5 s), below common server idle timeouts.

    Args:
        max_in_flight: the client's in-flight limit (calls), >= 1.
    """
    return httpx2.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)


def aiohttp_available() -> bool:
    """True when aiohttp (the ``aiohttp`` extra) is installed (nothing is imported)."""
    return importlib.util.find_spec("aiohttp") is not None


def default_async_transport(
    max_in_flight: int = MAX_IN_FLIGHT_REQUESTS, *, trust_env: bool = True
) -> AsyncEnvironmentTransport:
    """The transport ``AsyncCannon`` uses when given none: proxies from the environment (see
    ``_proxies``), and for direct requests aiohttp's transport if the extra is installed (it
    measured cheaper per call, see the module docstring), else httpx2's.

    Args:
        max_in_flight: the client's in-flight limit (calls); every pool is sized to it.
        trust_env: read proxy and certificate variables (``HTTPS_PROXY``, ``SSL_CERT_FILE``...).
    """
    direct = aiohttp_transport(max_in_flight, trust_env=trust_env) if aiohttp_available() else None
    return AsyncEnvironmentTransport(
        trust_env=trust_env, limits=pool_limits(max_in_flight), direct=direct
    )


def httpx2_transport(
    max_in_flight: int = MAX_IN_FLIGHT_REQUESTS, **kwargs: Any
) -> httpx2.AsyncHTTPTransport:
    """httpx2's ``AsyncHTTPTransport`` with a keep-alive pool of ``max_in_flight`` connections.

    Args:
        max_in_flight: the client's in-flight limit (calls).
        kwargs: passed to ``httpx2.AsyncHTTPTransport`` (``verify``, ``proxy``, ``retries``...).
    """
    return httpx2.AsyncHTTPTransport(limits=pool_limits(max_in_flight), **kwargs)


def aiohttp_transport(
    max_in_flight: int = MAX_IN_FLIGHT_REQUESTS, **kwargs: Any
) -> httpx2.AsyncBaseTransport:
    """An httpx2 transport over aiohttp (``AiohttpTransport``), pool sized to ``max_in_flight``.

    ``AsyncCannon`` uses it by default when the extra is installed; its session is created on
    the first request, inside the running event loop, and closed with the client.

    Args:
        max_in_flight: the client's in-flight limit (calls).
        kwargs: passed to ``AiohttpTransport`` (``verify``, ``cert``, ``trust_env``, ``proxy``,
            ``local_address``).

    Raises:
        ConfigurationError: the ``aiohttp`` extra is not installed.
    """
    if not aiohttp_available():
        raise ConfigurationError(
            'the aiohttp transport needs the extra: pip install "cannon-studio[aiohttp]"'
        )
    return AiohttpTransport(limits=pool_limits(max_in_flight), **kwargs)
