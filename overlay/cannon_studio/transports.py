"""The async transports ``AsyncCannon`` can send through, both sized to its in-flight limit.

- ``default_async_transport`` (the default): httpx2's own ``AsyncHTTPTransport`` (httpcore2),
  with a keep-alive pool as large as the client's in-flight limit, so every call that holds a
  slot finds an idle connection (httpx2's default keeps 20 of 100 alive: 64 calls in flight then
  open and close a connection per call).
- ``aiohttp_transport``: httpx-aiohttp's ``AiohttpTransport`` (the option openai-python offers
  for high concurrency), with ``pip install "cannon-studio[aiohttp]"``. HTTP/1.1 only; its pool
  size and keep-alive expiry carry over, the write timeout does not. Note that httpx-aiohttp
  0.2.0 still requires, and imports, legacy httpx next to httpx2.

Which one is faster on this machine is measured by ``make bench`` (section "transport"); the
README quotes the figures.
"""

from __future__ import annotations

from typing import Any

import httpx2

from ._constants import MAX_IN_FLIGHT_REQUESTS
from ._errors import ConfigurationError

__all__ = ["aiohttp_transport", "default_async_transport", "pool_limits"]


def pool_limits(max_in_flight: int = MAX_IN_FLIGHT_REQUESTS) -> httpx2.Limits:
    """``httpx2.Limits`` that keep ``max_in_flight`` connections open and alive.

    The keep-alive expiry stays httpx2's (5 s), below common server idle timeouts.

    Args:
        max_in_flight: the client's in-flight limit (calls), >= 1.
    """
    return httpx2.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)


def default_async_transport(
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
    """httpx-aiohttp's ``AiohttpTransport`` for httpx2, pool sized to ``max_in_flight``.

    Use as ``AsyncCannon(transport=aiohttp_transport())``. Must be created inside a running
    event loop's lifetime (aiohttp binds its session to the loop on first use).

    Args:
        max_in_flight: the client's in-flight limit (calls).
        kwargs: passed to ``AiohttpTransport`` (``verify``, ``proxy``, ``trust_env``...).

    Raises:
        ConfigurationError: the ``aiohttp`` extra is not installed.
    """
    try:
        from httpx_aiohttp.httpx2.transport import AiohttpTransport  # optional extra
    except ImportError as exc:
        raise ConfigurationError(
            'the aiohttp transport needs the extra: pip install "cannon-studio[aiohttp]"'
        ) from exc
    transport: httpx2.AsyncBaseTransport = AiohttpTransport(
        limits=pool_limits(max_in_flight), **kwargs
    )
    return transport
