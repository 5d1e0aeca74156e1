"""Namespace bases of the typed wrappers (``client.video``, ``client.images``...).

The wrappers themselves (one ``<Cls>Params`` TypedDict per operation input, one method per
operation, and the ``SyncNamespaces`` / ``AsyncNamespaces`` mixins that put the namespaces on the
clients) are generated into ``resources/`` by scripts/generate_wrappers.py, one module per
namespace. This module is kept light on purpose: creating a client must not import the schema
machinery.

A namespace holds the client's ``Requests`` (``AsyncRequests``), not the client: a wrapper call
is ``requests.create`` (with the options of ``CreateOptions``), or with ``wait=True``
``requests.run`` (create and wait, every argument checked first). The sync and async bases
differ only in the ``await``s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from ._handles import AsyncRequestHandle, RequestHandle

if TYPE_CHECKING:
    from typing import Unpack

    from ._requests import AsyncRequests, Requests
    from ._types import NotGiven, TimeoutTypes

UpdateCallback: TypeAlias = Callable[[RequestHandle], object]
"""``on_update=`` of a sync call: called with the handle after each status change."""
AsyncUpdateCallback: TypeAlias = Callable[[AsyncRequestHandle], object]
"""``on_update=`` of an async call (its result may be awaitable; see ``AsyncRequestHandle``)."""


class CreateOptions(TypedDict, total=False):
    """The options a wrapper hands to ``client.requests.create`` as they are (see there)."""

    webhook_url: str | None
    idempotency_key: str | None
    timeout: TimeoutTypes | NotGiven
    extra_headers: Mapping[str, str] | None
    extra_input: Mapping[str, Any] | None


class _Namespace:
    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace>"


class SyncNamespace(_Namespace):
    """Base of the generated sync namespaces: creates through the client's ``Requests``."""

    def __init__(self, requests: Requests) -> None:
        self._requests = requests

    def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        max_wait: float | None,
        on_update: UpdateCallback | None,
        **options: Unpack[CreateOptions],
    ) -> Any:
        if wait:
            return self._requests.run(
                operation, input, max_wait=max_wait, on_update=on_update, **options
            )
        return self._requests.create(operation, input, **options)


class AsyncNamespace(_Namespace):
    """Base of the generated async namespaces: creates through the client's ``AsyncRequests``."""

    def __init__(self, requests: AsyncRequests) -> None:
        self._requests = requests

    async def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        max_wait: float | None,
        on_update: AsyncUpdateCallback | None,
        **options: Unpack[CreateOptions],
    ) -> Any:
        if wait:
            return await self._requests.run(
                operation, input, max_wait=max_wait, on_update=on_update, **options
            )
        return await self._requests.create(operation, input, **options)
