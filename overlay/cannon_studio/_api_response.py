"""``APIResponse`` and the recorder under ``with_raw_response``.

As in openai-python (``with_raw_response`` wraps each method), a raw call runs exactly as usual
(same retries, errors and parsing); while it runs, the generated-call helper records each HTTP
response of the API into a context-local list (:func:`record`), and :func:`call_raw` returns the
first one (the call's own exchange; for ``wait=True`` wrappers, the create) together with the
parsed value. The views over the client (``client.with_raw_response``) are in ``_raw``.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2

from ._constants import REQUEST_ID_HEADER
from ._errors import CannonError

if TYPE_CHECKING:
    from cannon_studio_api.types import Response

__all__ = ["APIResponse", "acall_raw", "call_raw", "record"]

T = TypeVar("T")

_sink: contextvars.ContextVar[list[Response[Any]] | None] = contextvars.ContextVar(
    "cannon_studio_raw_responses", default=None
)


def record(response: Response[Any]) -> None:
    """Remember ``response`` when a raw-response call is running in this context (else no-op)."""
    sink = _sink.get()
    if sink is not None:
        sink.append(response)


@contextmanager
def _capturing() -> Iterator[list[Response[Any]]]:
    seen: list[Response[Any]] = []
    token = _sink.set(seen)
    try:
        yield seen
    finally:
        _sink.reset(token)


class APIResponse(Generic[T]):
    """One HTTP response of the API plus the object the call made of it.

    Attributes:
        status_code: the HTTP status (int), e.g. 202 for a create.
        headers: the response headers (``httpx2.Headers``: case-insensitive), e.g.
            ``Retry-After`` or rate-limit headers.
        content: the raw body bytes.
    """

    def __init__(self, response: Response[Any], value: T) -> None:
        self.status_code = int(response.status_code)
        headers = response.headers
        self.headers = headers if isinstance(headers, httpx2.Headers) else httpx2.Headers(headers)
        self.content = response.content
        self._value = value

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced)."""
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body parsed as JSON (``ValueError`` if it is not JSON)."""
        return json.loads(self.content)

    @property
    def x_request_id(self) -> str | None:
        """The ``x-request-id`` header (the server's id of this HTTP exchange), if sent."""
        value = self.headers.get(REQUEST_ID_HEADER)
        return value if isinstance(value, str) else None

    def parse(self) -> T:
        """The typed result of the call: what the same call returns without ``with_raw_response``."""
        return self._value

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {type(self._value).__name__}>"


def call_raw(func: Callable[..., T], /, *args: Any, **kwargs: Any) -> APIResponse[T]:
    """Run ``func(*args, **kwargs)`` and return its first API response with the result.

    Raises:
        Whatever ``func`` raises (typed errors carry their own ``response``).
    """
    with _capturing() as seen:
        value = func(*args, **kwargs)
    if not seen:  # pragma: no cover - every wrapped call makes an API call
        raise CannonError(f"{getattr(func, '__name__', func)!r} made no API call")
    return APIResponse(seen[0], value)


async def acall_raw(
    func: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any
) -> APIResponse[T]:
    """The async twin of ``call_raw``."""
    with _capturing() as seen:
        value = await func(*args, **kwargs)
    if not seen:  # pragma: no cover - every wrapped call makes an API call
        raise CannonError(f"{getattr(func, '__name__', func)!r} made no API call")
    return APIResponse(seen[0], value)
