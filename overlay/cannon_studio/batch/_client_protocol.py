"""What a batch run needs of a client: ``BatchClient`` / ``AsyncBatchClient``.

A run drives the client only through these public members (``requests``,
``download_client``, ``status``), so ``batch`` never imports the
client (not even for types): ``Cannon`` and ``AsyncCannon`` satisfy the protocols, and so does
any object with the same members (a test double, a client wrapper).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import httpx2
    from cannon_studio_api.models import StatusResponse

    from .._requests import AsyncRequests, Requests

__all__ = ["AsyncBatchClient", "BatchClient"]


class BatchClient(Protocol):
    """A sync client a batch runs with (``Cannon``).

    Attributes:
        requests: creates and retrieves requests (``Requests``).
        download_client: the ``httpx2.Client`` asset files are fetched with (no API key).
    """

    @property
    def requests(self) -> Requests: ...

    @property
    def download_client(self) -> httpx2.Client: ...

    def status(self) -> StatusResponse:
        """``GET /api/v1/status`` (the run reads the server's clock from it)."""
        ...


class AsyncBatchClient(Protocol):
    """An async client a batch runs with (``AsyncCannon``); see ``BatchClient``."""

    @property
    def requests(self) -> AsyncRequests: ...

    @property
    def download_client(self) -> httpx2.AsyncClient: ...

    async def status(self) -> StatusResponse:
        """``GET /api/v1/status`` (the run reads the server's clock from it)."""
        ...
