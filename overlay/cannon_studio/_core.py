"""The HTTP cores of ``Cannon`` and ``AsyncCannon``: transports, the generated calls, downloads.

A core owns the ``httpx2.Client`` / ``httpx2.AsyncClient`` (``_api_http``: the request built
from parts made once per client, sent straight to the transport) whose transport retries,
routes through the environment's proxies and holds the in-flight gate (see ``_retry``), and
which is handed to the generated ``AuthenticatedClient`` (``token=<key>``, ``prefix=""``,
``auth_header_name="x-api-key"``) with ``set_httpx_client``. API calls are
``_generated_calls.GeneratedCall``s: built and parsed there, sent here, where the two cores differ
only in the sending line (and the async one's in-flight gate). HTTP error statuses are turned
into typed errors by the transport before the generated parser runs, and an undocumented status
never comes back as ``parsed=None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    nullcontext,
)
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2
from cannon_studio_api.client import AuthenticatedClient
from cannon_studio_api.types import Response

from ._api_http import ApiClient, AsyncApiClient
from ._asset_policy import AsyncGuardedTransport, GuardedTransport
from ._config import ClientConfig, api_headers, call_headers, resolve_timeout
from ._constants import API_KEY_HEADER, USER_AGENT
from ._errors import ConfigurationError
from ._gate import InFlightGate
from ._generated_calls import GeneratedCall, create_request_call, get_request_call, status_call
from ._polling import PollPolicy
from ._proxies import AsyncEnvironmentTransport, EnvironmentTransport
from ._retry import (
    AsyncClientTransport,
    AsyncRetryTransport,
    ClientTransport,
    RetryTransport,
    call_options,
)
from ._types import NotGiven, TimeoutTypes
from .transports import default_async_transport, pool_limits

if TYPE_CHECKING:
    from cannon_studio_api.models.accepted_request import AcceptedRequest
    from cannon_studio_api.models.request_object import RequestObject
    from cannon_studio_api.models.status_response import StatusResponse

__all__ = ["AsyncCore", "SyncCore", "async_inner_transport", "inner_transport"]

_T = TypeVar("_T")
_CoreT = TypeVar("_CoreT", "SyncCore", "AsyncCore")


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


def inner_transport(
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


def async_inner_transport(
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


class _CoreBase:
    """What both cores hold and compute without I/O: the configuration, the I/O transport
    (``inner``, which holds the connection pool), the poll policy, and the settings of the
    clients they build.

    ``inner`` does the I/O; copies made by ``derive`` (for ``with_options`` and per-call
    overrides) send through the same ``inner``, and only the core that owns it closes it.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        polling: PollPolicy | None,
    ) -> None:
        self._config = config
        self.polling = polling if polling is not None else PollPolicy()

    def _api_client_options(self) -> dict[str, Any]:
        """``httpx2.Client`` / ``AsyncClient`` arguments of the API client (not the transport)."""
        config = self._config
        return {
            "base_url": config.base_url,
            "headers": api_headers(config),
            "auth": config.auth,
            "timeout": config.timeout,
        }

    def _download_client_options(self) -> dict[str, Any]:
        """Arguments of the download client: WITHOUT the API key (asset URLs are signed and may
        be on another host), following redirects (each hop checked by the download policy)."""
        return {
            "headers": {"user-agent": USER_AGENT},
            "timeout": self._config.timeout,
            "follow_redirects": True,
        }

    def _generated_client(self) -> AuthenticatedClient:
        """The generated client; the caller hands it this core's httpx2 client."""
        config = self._config
        return AuthenticatedClient(
            base_url=config.base_url,
            token=config.api_key,
            prefix="",
            auth_header_name=API_KEY_HEADER,
            timeout=config.timeout,
        )


class _CallOptions(Generic[_CoreT]):
    """``with`` / ``async with``: the core itself, its API calls inside sent with one call's
    ``timeout`` and headers (``_retry.call_options``: request options on the shared client)."""

    __slots__ = ("_core", "_options")
    _core: _CoreT
    _options: AbstractContextManager[None]

    def __init__(
        self, core: _CoreT, timeout: TimeoutTypes | NotGiven, headers: Mapping[str, str] | None
    ) -> None:
        resolved = None if isinstance(timeout, NotGiven) else resolve_timeout(timeout)
        self._core = core
        self._options = call_options(resolved, call_headers(headers))

    def __enter__(self) -> _CoreT:
        self._options.__enter__()
        return self._core

    def __exit__(self, *exc_info: Any) -> None:
        self._options.__exit__(*exc_info)

    async def __aenter__(self) -> _CoreT:
        return self.__enter__()

    async def __aexit__(self, *exc_info: Any) -> None:
        self.__exit__(*exc_info)


class SyncCore(_CoreBase):
    """HTTP plumbing of ``Cannon``: the generated calls and the download client."""

    def __init__(
        self,
        config: ClientConfig,
        inner: httpx2.BaseTransport,
        *,
        owns_inner: bool,
        polling: PollPolicy | None = None,
    ) -> None:
        super().__init__(config, polling=polling)
        self._inner = inner
        transport = RetryTransport(inner, max_retries=config.max_retries, close_inner=owns_inner)
        self.http = ApiClient(**self._api_client_options(), transport=transport)
        self.api: AuthenticatedClient = self._generated_client().set_httpx_client(self.http)
        self._download: httpx2.Client | None = None

    def derive(self, config: ClientConfig) -> SyncCore:
        """A core with other settings over the same connection pool (never closes it)."""
        return SyncCore(config, self._inner, owns_inner=False, polling=self.polling)

    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AbstractContextManager[SyncCore]:
        """This core, its calls inside the ``with`` block sent with one call's ``timeout``
        (SECONDS) and headers: options on the shared client, no client built for the call.

        Raises:
            ConfigurationError: an unusable timeout, or an API key header among the headers.
        """
        if isinstance(timeout, NotGiven) and not extra_headers:
            return nullcontext(self)
        return _CallOptions(self, timeout, extra_headers)

    def _send(self, call: GeneratedCall[_T]) -> tuple[_T, Response[Any]]:
        with call.typed_errors():
            response = call.sync_detailed(**call.kwargs)
        return call.parse(response)

    def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]:
        """``GET /api/v1/requests/{request_id}``: the request object and the raw response."""
        return self._send(get_request_call(self.api, request_id))

    def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]:
        """``POST /api/v1/requests``: the accepted request and the raw response."""
        return self._send(create_request_call(self.api, envelope, idempotency_key))

    def status(self) -> StatusResponse:
        """``GET /api/v1/status``."""
        return self._send(status_call(self.api))[0]

    def download_client(self) -> httpx2.Client:
        """A client WITHOUT the API key (asset URLs are signed and may be on another host),
        whose every request (redirect hops included) passes the download policy."""
        if self._download is None:
            config = self._config
            guard = GuardedTransport(
                self._inner, config.download_policy, trust_env=config.trust_env
            )
            transport = RetryTransport(
                guard,
                max_retries=self._config.max_retries,
                close_inner=False,
                buffer=False,
                total_deadline=False,  # a download's total is its own timeout (assets)
            )
            self._download = httpx2.Client(**self._download_client_options(), transport=transport)
        return self._download

    def close(self) -> None:
        """Close the API and download clients (and ``inner`` when this core owns it)."""
        if self._download is not None:
            self._download.close()
        self.http.close()


class AsyncCore(_CoreBase):
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
        super().__init__(config, polling=polling)
        self._inner = inner
        self.gate = gate
        transport = AsyncRetryTransport(
            inner, max_retries=config.max_retries, close_inner=owns_inner, gate=gate
        )
        self.http = AsyncApiClient(**self._api_client_options(), transport=transport)
        self.api: AuthenticatedClient = self._generated_client().set_async_httpx_client(self.http)
        self._download: httpx2.AsyncClient | None = None

    def derive(self, config: ClientConfig) -> AsyncCore:
        """A core with other settings over the same connection pool (never closes it)."""
        return AsyncCore(
            config, self._inner, owns_inner=False, gate=self.gate, polling=self.polling
        )

    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AbstractAsyncContextManager[AsyncCore]:
        """Async twin of ``SyncCore.options`` (the same core, no client built for the call)."""
        if isinstance(timeout, NotGiven) and not extra_headers:
            return nullcontext(self)
        return _CallOptions(self, timeout, extra_headers)

    async def _send(
        self, call: GeneratedCall[_T], *, urgent: bool = False
    ) -> tuple[_T, Response[Any]]:
        # The gate is held from building the request to the parsed model.
        async with self.gate.slot(urgent=urgent):
            with call.typed_errors():
                response = await call.asyncio_detailed(**call.kwargs)
            return call.parse(response)

    async def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]:
        """``GET /api/v1/requests/{request_id}``; urgent: a poll goes before queued creates."""
        return await self._send(get_request_call(self.api, request_id), urgent=True)

    async def create_request(
        self, envelope: Any, idempotency_key: str
    ) -> tuple[AcceptedRequest, Response[Any]]:
        """``POST /api/v1/requests`` (its gate slot is a no-op when the create holds one)."""
        return await self._send(create_request_call(self.api, envelope, idempotency_key))

    async def status(self) -> StatusResponse:
        """``GET /api/v1/status``."""
        return (await self._send(status_call(self.api)))[0]

    def download_client(self) -> httpx2.AsyncClient:
        """A client WITHOUT the API key (asset URLs are signed and may be on another host),
        whose every request (redirect hops included) passes the download policy.

        When the API calls go through the default transport (aiohttp's when installed, which
        does not report the connected address), downloads get an httpx2 one of their own, so
        the policy sees the address each connection reached."""
        if self._download is None:
            config = self._config
            inner, owned = self._inner, False
            if isinstance(inner, AsyncEnvironmentTransport) and not isinstance(
                inner.direct, httpx2.AsyncHTTPTransport
            ):
                inner = AsyncEnvironmentTransport(
                    trust_env=config.trust_env, limits=pool_limits(self.gate.limit)
                )
                owned = True
            guard = AsyncGuardedTransport(
                inner, config.download_policy, trust_env=config.trust_env, close_inner=owned
            )
            transport = AsyncRetryTransport(
                guard,
                max_retries=self._config.max_retries,
                close_inner=owned,
                buffer=False,
                gate=self.gate,
                total_deadline=False,  # a download's total is its own timeout (assets)
            )
            self._download = httpx2.AsyncClient(
                **self._download_client_options(), transport=transport
            )
        return self._download

    async def close(self) -> None:
        """Close the API and download clients (and ``inner`` when this core owns it)."""
        if self._download is not None:
            await self._download.aclose()
        await self.http.aclose()

    aclose = close
