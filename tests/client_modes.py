"""One test body for both clients: the mirror helpers every test folder may use.

A mirror test is parametrised over ``MODES`` and written once as an ``async def``: it builds its
client with ``client_for(mode, ...)``, awaits every call through ``resolve`` (which passes the
sync client's results through and awaits the async client's), and iterates with ``each``.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator
from typing import Any

from cannon_studio import AsyncCannon, AsyncRequestHandle, Cannon, RequestHandle

__all__ = ["MODES", "client_for", "each", "handle_class", "resolve"]

MODES = ("sync", "async")
"""The two clients a mirror test runs with (``@pytest.mark.parametrize("mode", MODES)``)."""


async def resolve(value: Any) -> Any:
    """``value`` itself, or its result when it is awaitable: one test body drives both clients."""
    return await value if inspect.isawaitable(value) else value


@contextlib.asynccontextmanager
async def client_for(mode: str, **kwargs: Any) -> AsyncIterator[Any]:
    """A ``Cannon`` (``mode="sync"``) or ``AsyncCannon`` built with ``kwargs``, closed after."""
    if mode == "sync":
        with Cannon(**kwargs) as client:
            yield client
    else:
        async with AsyncCannon(**kwargs) as client:
            yield client


async def each(items: Any) -> AsyncIterator[Any]:
    """The items of a sync or an async iterable, one at a time (``async for`` over either)."""
    if hasattr(items, "__aiter__"):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


def handle_class(mode: str) -> type[RequestHandle] | type[AsyncRequestHandle]:
    """The request handle class the client of ``mode`` returns."""
    return AsyncRequestHandle if mode == "async" else RequestHandle
