"""Namespace bases of the typed wrappers (``client.video``, ``client.images``...).

The wrappers themselves (one ``<Cls>Params`` TypedDict per operation input, one method per
operation, and the ``SyncNamespaces`` / ``AsyncNamespaces`` mixins that put the namespaces on the
clients) are generated into ``_wrappers.py`` by scripts/generate_wrappers.py. This module is kept
light on purpose: creating a client must not import the schema machinery.

A wrapper call is a create (``client.requests.create``, with the options of ``CreateOptions``)
and, with ``wait=True``, a wait for the output: the sync and async bases differ only in the
``await``s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

if TYPE_CHECKING:
    from typing import Unpack

    from ._client import AsyncCannon, Cannon
    from ._handles import AsyncRequestHandle, RequestHandle
    from ._types import NotGiven, TimeoutTypes

    UpdateCallback: TypeAlias = Callable[[RequestHandle], object]
    AsyncUpdateCallback: TypeAlias = Callable[[AsyncRequestHandle], object]


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


class _SyncNamespace(_Namespace):
    def __init__(self, client: Cannon) -> None:
        self._client = client

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
        handle = self._client.requests.create(operation, input, **options)
        return handle.wait(max_wait, on_update).output if wait else handle


class _AsyncNamespace(_Namespace):
    def __init__(self, client: AsyncCannon) -> None:
        self._client = client

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
        handle = await self._client.requests.create(operation, input, **options)
        return (await handle.wait(max_wait, on_update)).output if wait else handle
