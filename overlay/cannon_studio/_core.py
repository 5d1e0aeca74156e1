"""The HTTP cores of ``Cannon`` and ``AsyncCannon``: transports, the generated calls, downloads.

A core owns the ``httpx2.Client`` / ``httpx2.AsyncClient`` whose transport retries (see
``_retry``) and which is handed to the generated ``AuthenticatedClient`` (``token=<key>``,
``prefix=""``, ``auth_header_name="x-api-key"``) with ``set_httpx_client``. API calls go through
the generated ``create_request`` / ``get_request`` / ``get_status`` functions and models
(``_generated_calls``); HTTP error statuses are turned into typed errors by the transport before
the generated parser runs, and an undocumented status never comes back as ``parsed=None``.
"""

# ruff: noqa: ASYNC109  (the async core mirrors the sync one: options(timeout=seconds))

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import httpx2

from ._config import ClientConfig, api_headers, call_headers
from ._constants import API_KEY_HEADER, USER_AGENT
from ._errors import CannonError, ConfigurationError
from ._gate import InFlightGate
from ._generated_calls import HOSTILE, expect, get_request_api, parse_failure
from ._polling import PollPolicy
from ._proxies import EnvironmentTransport
from ._raw import record
from ._retry import AsyncClientTransport, AsyncRetryTransport, ClientTransport, RetryTransport
from ._types import NotGiven, TimeoutTypes
from .transports import default_async_transport

if TYPE_CHECKING:
    from cannon_studio_api.client import AuthenticatedClient
    from cannon_studio_api.models import AcceptedRequest, RequestObject, StatusResponse
    from cannon_studio_api.types import Response

__all__ = ["AsyncCore", "SyncCore", "async_inner", "sync_inner"]


def _check_http_client(http_client: object, expected: type[Any], hint: str) -> None:
    """Refuse an ``http_client`` of the wrong kind, naming the httpx -> httpx2 migration."""
    if http_client is None or isinstance(http_client, expected):
        return
    kind = type(http_client)
    if kind.__module__.split(".", 1)[0] == "httpx":
        raise ConfigurationError(
            f"http_client is a legacy httpx.{kind.__name__}; cannon-studio uses httpx2: "
            f"`import httpx2` and pass httpx2.{expected.__name__}(...) (same arguments)"
        )
    raise ConfigurationError(
        f"http_client must be an httpx2.{expected.__name__}, got {kind.__name__}{hint}"
    )


def _check_transport(transport: object, method: str, other: str, hint: str) -> None:
    """Refuse a transport without ``method`` (the wrong kind, or a legacy httpx one)."""
    kind = type(transport)
    if kind.__module__.split(".", 1)[0] == "httpx":
        raise ConfigurationError(
            f"transport is a legacy httpx.{kind.__name__}; cannon-studio uses httpx2: "
            f"`import httpx2` and pass httpx2.{kind.__name__}(...) (same arguments)"
        )
    if not callable(getattr(transport, method, None)):
        wrong = callable(getattr(transport, other, None))
        raise ConfigurationError(
            f"transport must have {method}(), got {kind.__name__}" + (hint if wrong else "")
        )


def sync_inner(
    http_client: httpx2.Client | None, transport: httpx2.BaseTransport | None, trust_env: bool
) -> tuple[httpx2.BaseTransport, bool]:
    """The I/O transport of ``Cannon`` and whether the client owns (closes) it."""
    if http_client is not None and transport is not None:
        raise ConfigurationError("pass http_client= or transport=, not both")
    if http_client is not None:
        _check_http_client(http_client, httpx2.Client, " (use AsyncCannon for async)")
        return ClientTransport(http_client), False
    if transport is not None:
        _check_transport(
            transport,
            "handle_request",
            "handle_async_request",
            " (it is an async transport: use AsyncCannon, or httpx2.HTTPTransport / "
            "httpx2.MockTransport / httpx2.WSGITransport here)",
        )
        return transport, False
    return EnvironmentTransport(trust_env=trust_env), True


def async_inner(
    http_client: httpx2.AsyncClient | None,
    transport: httpx2.AsyncBaseTransport | None,
    trust_env: bool,
    max_in_flight: int,
) -> tuple[httpx2.AsyncBaseTransport, bool]:
    """The I/O transport of ``AsyncCannon`` and whether the client owns (closes) it."""
    if http_client is not None and transport is not None:
        raise ConfigurationError("pass http_client= or transport=, not both")
    if http_client is not None:
        _check_http_client(
            http_client, httpx2.AsyncClient, " for AsyncCannon (use Cannon for sync)"
        )
        return AsyncClientTransport(http_client), False
    if transport is not None:
        _check_transport(
            transport,
            "handle_async_request",
            "handle_request",
            " (it is a sync transport: use Cannon, or httpx2.AsyncHTTPTransport / "
            "httpx2.MockTransport / httpx2.ASGITransport here)",
        )
        return transport, False
    # environment proxies; aiohttp's transport with the extra; pools as large as the limit
    return default_async_transport(max_in_flight, trust_env=trust_env), True


class SyncCore:
    """HTTP plumbing of ``Cannon``: the generated calls and the download client.

    ``inner`` does the I/O and holds the connection pool; copies made by ``derive`` (for
    ``with_options`` and per-call overrides) send through the same ``inner``, and only the core
    that owns it closes it.
    """

    def __init__(
        self,
        config: ClientConfig,
        inner: httpx2.BaseTransport,
        *,
        owns_inner: bool,
        polling: PollPolicy | None = None,
    ) -> None:
        from cannon_studio_api.client import AuthenticatedClient

        self._config = config
        self._inner = inner
        self._owns_inner = owns_inner
        self.polling = polling if polling is not None else PollPolicy()
        self.http = httpx2.Client(
            base_url=config.base_url,
            headers=api_headers(config),
            auth=config.auth,
            timeout=config.timeout,
            transport=RetryTransport(inner, max_retries=config.max_retries, close_inner=owns_inner),
        )
        self.api: AuthenticatedClient = AuthenticatedClient(
            base_url=config.base_url,
            token=config.api_key,
            prefix="",
            auth_header_name=API_KEY_HEADER,
            timeout=config.timeout,
        ).set_httpx_client(self.http)
        self._download: httpx2.Client | None = None

    def derive(self, config: ClientConfig) -> SyncCore:
        """A core with other settings over the same connection pool (never closes it)."""
        return SyncCore(config, self._inner, owns_inner=False, polling=self.polling)

    @contextmanager
    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> Iterator[SyncCore]:
        """This core, or a short-lived derived one for one call's ``timeout`` / headers."""
        if isinstance(timeout, NotGiven) and not extra_headers:
            yield self
            return
        core = self.derive(
            self._config.replace(timeout=timeout, headers=call_headers(extra_headers))
        )
        try:
            yield core
        finally:
            core.close()

    def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]:
        get_request, RequestObject = get_request_api()
        try:
            response = get_request.sync_detailed(request_id, client=self.api)
        except CannonError:
            raise
        except HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise parse_failure(exc, f"GET request {request_id}") from exc
        record(response)
        return expect(response, RequestObject), response

    def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]:
        from cannon_studio_api.api.requests import create_request
        from cannon_studio_api.models.accepted_request import AcceptedRequest

        try:
            response = create_request.sync_detailed(
                client=self.api, body=envelope, x_idempotency_key=idempotency_key
            )
        except CannonError:
            raise
        except HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise parse_failure(exc, "POST /api/v1/requests") from exc
        record(response)
        return expect(response, AcceptedRequest), response

    def status(self) -> StatusResponse:
        from cannon_studio_api.api.status import get_status
        from cannon_studio_api.models.status_response import StatusResponse

        try:
            response = get_status.sync_detailed(client=self.api)
        except CannonError:
            raise
        except HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise parse_failure(exc, "GET /api/v1/status") from exc
        record(response)
        return expect(response, StatusResponse)

    def download_client(self) -> httpx2.Client:
        """A client WITHOUT the API key (asset URLs are signed and may be on another host)."""
        if self._download is None:
            self._download = httpx2.Client(
                headers={"user-agent": USER_AGENT},
                timeout=self._config.timeout,
                follow_redirects=True,
                transport=RetryTransport(
                    self._inner,
                    max_retries=self._config.max_retries,
                    close_inner=False,
                    buffer=False,
                ),
            )
        return self._download

    def close(self) -> None:
        if self._download is not None:
            self._download.close()
        self.http.close()


class AsyncCore:
    """HTTP plumbing of ``AsyncCannon`` (async twin of ``SyncCore``).

    ``gate`` caps the calls in flight (``max_in_flight``); it is taken by creates and polls
    before their request is built and held until the parsed model, shared by the API and
    download transports. Derived cores share the pool and the gate.
    """

    def __init__(
        self,
        config: ClientConfig,
        inner: httpx2.AsyncBaseTransport,
        *,
        owns_inner: bool,
        gate: InFlightGate,
        polling: PollPolicy | None = None,
    ) -> None:
        from cannon_studio_api.client import AuthenticatedClient

        self._config = config
        self._inner = inner
        self._owns_inner = owns_inner
        self.gate = gate
        self.polling = polling if polling is not None else PollPolicy()
        transport = AsyncRetryTransport(
            inner, max_retries=config.max_retries, close_inner=owns_inner, gate=gate
        )
        self.http = httpx2.AsyncClient(
            base_url=config.base_url,
            headers=api_headers(config),
            auth=config.auth,
            timeout=config.timeout,
            transport=transport,
        )
        self.api: AuthenticatedClient = AuthenticatedClient(
            base_url=config.base_url,
            token=config.api_key,
            prefix="",
            auth_header_name=API_KEY_HEADER,
            timeout=config.timeout,
        ).set_async_httpx_client(self.http)
        self._download: httpx2.AsyncClient | None = None

    def derive(self, config: ClientConfig) -> AsyncCore:
        """A core with other settings over the same connection pool (never closes it)."""
        return AsyncCore(
            config, self._inner, owns_inner=False, gate=self.gate, polling=self.polling
        )

    @asynccontextmanager
    async def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AsyncIterator[AsyncCore]:
        """This core, or a short-lived derived one for one call's ``timeout`` / headers."""
        if isinstance(timeout, NotGiven) and not extra_headers:
            yield self
            return
        core = self.derive(
            self._config.replace(timeout=timeout, headers=call_headers(extra_headers))
        )
        try:
            yield core
        finally:
            await core.close()

    async def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]:
        get_request, RequestObject = get_request_api()
        # Urgent: a poll goes before queued creates. Held from building to the parsed model.
        async with self.gate.slot(urgent=True):
            try:
                response = await get_request.asyncio_detailed(request_id, client=self.api)
            except CannonError:
                raise
            except HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
                raise parse_failure(exc, f"GET request {request_id}") from exc
            record(response)
            return expect(response, RequestObject), response

    async def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]:
        from cannon_studio_api.api.requests import create_request
        from cannon_studio_api.models.accepted_request import AcceptedRequest

        async with self.gate.slot():  # a no-op when the create already holds one
            try:
                response = await create_request.asyncio_detailed(
                    client=self.api, body=envelope, x_idempotency_key=idempotency_key
                )
            except CannonError:
                raise
            except HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
                raise parse_failure(exc, "POST /api/v1/requests") from exc
            record(response)
            return expect(response, AcceptedRequest), response

    async def status(self) -> StatusResponse:
        from cannon_studio_api.api.status import get_status
        from cannon_studio_api.models.status_response import StatusResponse

        async with self.gate.slot():
            try:
                response = await get_status.asyncio_detailed(client=self.api)
            except CannonError:
                raise
            except HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
                raise parse_failure(exc, "GET /api/v1/status") from exc
            record(response)
            return expect(response, StatusResponse)

    def download_client(self) -> httpx2.AsyncClient:
        """A client WITHOUT the API key (asset URLs are signed and may be on another host)."""
        if self._download is None:
            self._download = httpx2.AsyncClient(
                headers={"user-agent": USER_AGENT},
                timeout=self._config.timeout,
                follow_redirects=True,
                transport=AsyncRetryTransport(
                    self._inner,
                    max_retries=self._config.max_retries,
                    close_inner=False,
                    buffer=False,
                    gate=self.gate,
                ),
            )
        return self._download

    async def close(self) -> None:
        if self._download is not None:
            await self._download.aclose()
        await self.http.aclose()
