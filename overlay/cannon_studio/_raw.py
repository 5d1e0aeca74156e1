"""Raw-response views: ``client.with_raw_response.<call>(...)`` returns an ``APIResponse``.

Each view wraps the same call of the client (``requests.create`` / ``retrieve``, ``status`` and
every wrapper namespace) with ``call_raw`` / ``acall_raw`` (``_api_response``). A view sees the
client only through the small ``RawTarget`` protocols (``requests``, ``status`` and attribute
access for the namespaces), so it sits beside the client, not above or below it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from ._api_response import APIResponse, acall_raw, call_raw

if TYPE_CHECKING:
    from cannon_studio_api.models import StatusResponse

    from ._handles import AsyncRequestHandle, RequestHandle
    from ._requests import AsyncRequests, Requests
    from ._types import InputData

__all__ = [
    "AsyncCannonWithRawResponse",
    "AsyncRawTarget",
    "AsyncRequestsWithRawResponse",
    "CannonWithRawResponse",
    "RawTarget",
    "RequestsWithRawResponse",
]


class RawTarget(Protocol):
    """What ``CannonWithRawResponse`` needs of a client (``Cannon`` has it)."""

    @property
    def requests(self) -> Requests: ...

    @property
    def status(self) -> Callable[..., StatusResponse]: ...


class AsyncRawTarget(Protocol):
    """What ``AsyncCannonWithRawResponse`` needs of a client (``AsyncCannon`` has it)."""

    @property
    def requests(self) -> AsyncRequests: ...

    @property
    def status(self) -> Callable[..., Awaitable[StatusResponse]]: ...


class _RawNamespace:
    """``client.with_raw_response.<namespace>``: each method returns an ``APIResponse``."""

    def __init__(self, namespace: object, *, asynchronous: bool) -> None:
        self._namespace = namespace
        self._async = asynchronous

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._namespace, name)
        if name.startswith("_") or not callable(method):
            raise AttributeError(name)
        if self._async:

            async def araw(*args: Any, **kwargs: Any) -> APIResponse[Any]:
                return await acall_raw(method, *args, **kwargs)

            return araw

        def raw(*args: Any, **kwargs: Any) -> APIResponse[Any]:
            return call_raw(method, *args, **kwargs)

        return raw

    def __repr__(self) -> str:
        return f"<raw-response view of {self._namespace!r}>"


class RequestsWithRawResponse:
    """``client.with_raw_response.requests``: ``create`` / ``retrieve`` returning ``APIResponse``."""

    def __init__(self, requests: Requests) -> None:
        self._requests = requests

    def create(
        self, operation: str, input: InputData, **options: Any
    ) -> APIResponse[RequestHandle]:
        """``requests.create(...)`` (same arguments); ``parse()`` gives the ``RequestHandle``."""
        return call_raw(self._requests.create, operation, input, **options)

    def retrieve(self, request_id: str, **options: Any) -> APIResponse[RequestHandle]:
        """``requests.retrieve(...)``; ``parse()`` gives the ``RequestHandle``."""
        return call_raw(self._requests.retrieve, request_id, **options)


class AsyncRequestsWithRawResponse:
    """The async twin of ``RequestsWithRawResponse``."""

    def __init__(self, requests: AsyncRequests) -> None:
        self._requests = requests

    async def create(
        self, operation: str, input: InputData, **options: Any
    ) -> APIResponse[AsyncRequestHandle]:
        """``requests.create(...)``; ``parse()`` gives the ``AsyncRequestHandle``."""
        return await acall_raw(self._requests.create, operation, input, **options)

    async def retrieve(self, request_id: str, **options: Any) -> APIResponse[AsyncRequestHandle]:
        """``requests.retrieve(...)``; ``parse()`` gives the ``AsyncRequestHandle``."""
        return await acall_raw(self._requests.retrieve, request_id, **options)


class CannonWithRawResponse:
    """``Cannon.with_raw_response``: the same calls, each returning an ``APIResponse``.

    ``status()``, ``requests.create/retrieve`` and every wrapper (``images.generate``...).
    """

    def __init__(self, client: RawTarget) -> None:
        self._client = client

    @cached_property
    def requests(self) -> RequestsWithRawResponse:
        """Raw ``create`` / ``retrieve``."""
        return RequestsWithRawResponse(self._client.requests)

    def status(self, **options: Any) -> APIResponse[StatusResponse]:
        """``client.status()``; ``parse()`` gives the ``StatusResponse``."""
        return call_raw(self._client.status, **options)

    def __getattr__(self, name: str) -> _RawNamespace:
        if name.startswith("_"):
            raise AttributeError(name)
        return _RawNamespace(getattr(self._client, name), asynchronous=False)


class AsyncCannonWithRawResponse:
    """``AsyncCannon.with_raw_response`` (awaitable twin of ``CannonWithRawResponse``)."""

    def __init__(self, client: AsyncRawTarget) -> None:
        self._client = client

    @cached_property
    def requests(self) -> AsyncRequestsWithRawResponse:
        """Raw ``create`` / ``retrieve``."""
        return AsyncRequestsWithRawResponse(self._client.requests)

    async def status(self, **options: Any) -> APIResponse[StatusResponse]:
        """``await client.status()``; ``parse()`` gives the ``StatusResponse``."""
        return await acall_raw(self._client.status, **options)

    def __getattr__(self, name: str) -> _RawNamespace:
        if name.startswith("_"):
            raise AttributeError(name)
        return _RawNamespace(getattr(self._client, name), asynchronous=True)
