"""Namespace bases of the typed wrappers (``client.video``, ``client.images``...).

The wrappers themselves (one ``<Cls>Params`` TypedDict per operation input, one method per
operation, and the ``SyncNamespaces`` / ``AsyncNamespaces`` mixins that put the namespaces on the
clients) are generated into ``_wrappers.py`` by scripts/generate_wrappers.py. This module is kept
light on purpose: creating a client must not import the schema machinery.
"""

# ruff: noqa: ASYNC109  (timeout= is the HTTP timeout of the create, as on every call)

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from ._client import AsyncCannon, Cannon
    from ._handles import AsyncRequestHandle, RequestHandle
    from ._types import NotGiven, TimeoutTypes

    UpdateCallback: TypeAlias = Callable[[RequestHandle], object]
    AsyncUpdateCallback: TypeAlias = Callable[[AsyncRequestHandle], object]


class _SyncNamespace:
    def __init__(self, client: Cannon) -> None:
        self._client = client

    def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        webhook_url: str | None,
        idempotency_key: str | None,
        max_wait: float | None,
        on_update: UpdateCallback | None,
        timeout: TimeoutTypes | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_input: Mapping[str, Any] | None = None,
    ) -> Any:
        handle = self._client.requests.create(
            operation,
            input,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            extra_input=extra_input,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        if not wait:
            return handle
        return handle.wait(max_wait, on_update).output

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace>"


class _AsyncNamespace:
    def __init__(self, client: AsyncCannon) -> None:
        self._client = client

    async def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        webhook_url: str | None,
        idempotency_key: str | None,
        max_wait: float | None,
        on_update: AsyncUpdateCallback | None,
        timeout: TimeoutTypes | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_input: Mapping[str, Any] | None = None,
    ) -> Any:
        handle = await self._client.requests.create(
            operation,
            input,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            extra_input=extra_input,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        if not wait:
            return handle
        return (await handle.wait(max_wait, on_update)).output

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace>"
