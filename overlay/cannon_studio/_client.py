"""``Cannon`` and ``AsyncCannon``: configuration, the generated client, the namespaces.

Each client owns one ``httpx2.Client`` / ``httpx2.AsyncClient`` whose transport retries (see
``_retry``) and which is handed to the generated ``AuthenticatedClient`` (``token=<key>``,
``prefix=""``, ``auth_header_name="x-api-key"``) with ``set_httpx_client``. API calls go through
the generated ``create_request`` / ``get_request`` / ``get_status`` functions and models; HTTP
error statuses are turned into typed errors by the transport before the generated parser runs,
and an undocumented status never comes back as ``parsed=None``.
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: run(timeout=seconds))

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx2

from ._backoff import check_seconds
from ._constants import (
    API_KEY_HEADER,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT_S,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_S,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_WEBHOOK_SECRET,
    MAX_IN_FLIGHT_REQUESTS,
    USER_AGENT,
    WEBHOOK_TOLERANCE_S,
)
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    CannonError,
    ConfigurationError,
)
from ._gate import InFlightGate
from ._handles import AsyncRequestHandle, RequestHandle
from ._logging import mask, redact, redact_chain, register_secret, safe_url, setup_logging
from ._operations import OperationRegistry, registry
from ._polling import PollPolicy
from ._proxies import EnvironmentTransport
from ._raw import AsyncCannonWithRawResponse, CannonWithRawResponse, record
from ._request_args import tag_create_error
from ._requests import AsyncRequests, Requests
from ._retry import AsyncClientTransport, AsyncRetryTransport, ClientTransport, RetryTransport
from ._types import NOT_GIVEN, InputData, NotGiven, TimeoutTypes
from ._wrappers import AsyncNamespaces, SyncNamespaces
from .batch import DEFAULT_CONCURRENCY, BatchEvent, BatchSummary, Shard, arun_batch, run_batch
from .transports import default_async_transport
from .webhooks import Webhooks, check_tolerance

if TYPE_CHECKING:
    from os import PathLike

    from cannon_studio_api.client import AuthenticatedClient
    from cannon_studio_api.models import AcceptedRequest, RequestObject, StatusResponse
    from cannon_studio_api.types import Response

    from ._handles import Output

__all__ = ["AsyncCannon", "Cannon"]

_T = TypeVar("_T")


def _resolve_timeout(timeout: TimeoutTypes) -> httpx2.Timeout:
    """An ``httpx2.Timeout`` from SECONDS / a Timeout / ``None`` (no timeout)."""
    if isinstance(timeout, httpx2.Timeout):
        return timeout
    if timeout is None:
        return httpx2.Timeout(None)
    seconds = check_seconds(timeout, "timeout", allow_zero=False)
    assert seconds is not None
    return httpx2.Timeout(seconds, connect=min(seconds, DEFAULT_CONNECT_TIMEOUT_S))


def _check_key(key: str) -> None:
    if key != key.strip() or any(ch in key for ch in "\r\n\t ") or not key.isprintable():
        raise ConfigurationError("the API key contains whitespace or control characters")
    if not key.isascii():
        raise ConfigurationError(
            "the API key contains non-ASCII characters, which cannot be sent in an HTTP header "
            "(keys start with cs_live_ or cs_test_; check for a pasted typographic character)"
        )


class _Config:
    """Resolved configuration (arguments first, then the environment)."""

    __slots__ = (
        "api_key",
        "auth",
        "base_url",
        "headers",
        "max_retries",
        "timeout",
        "trust_env",
        "webhook_secret",
    )

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        webhook_secret: str | None,
        *,
        trust_env: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
        if not key:
            raise ConfigurationError(
                f"no API key: pass api_key= or set {ENV_API_KEY} (keys start with cs_live_ or cs_test_)"
            )
        if not isinstance(key, str):
            raise ConfigurationError("the API key must be a string")
        _check_key(key)
        raw_url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
        if not isinstance(raw_url, str):
            raise ConfigurationError(f"base_url must be a str, got {type(raw_url).__name__}")
        url = raw_url.strip().rstrip("/")
        shown = safe_url(url)
        if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
            raise ConfigurationError(f"base_url must be an absolute http(s) URL, got {shown!r}")
        try:
            parsed = httpx2.URL(url)
        except (httpx2.InvalidURL, ValueError, TypeError):
            raise ConfigurationError(f"base_url is not a valid URL: {shown!r}") from None
        # Credentials in the URL are sent as Basic auth (as httpx2 would) but taken out of the
        # URL, so no request, log, error or repr shows them.
        self.auth: httpx2.BasicAuth | None = None
        if parsed.userinfo:
            register_secret(parsed.password or None)
            register_secret(parsed.userinfo.decode("ascii", "replace"))
            self.auth = httpx2.BasicAuth(parsed.username, parsed.password)
            url = str(parsed.copy_with(username=None, password=None)).rstrip("/")
        if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
            raise ConfigurationError(f"max_retries must be an integer >= 0, got {max_retries!r}")
        secret = (
            webhook_secret if webhook_secret is not None else os.environ.get(ENV_WEBHOOK_SECRET)
        )
        extra = dict(headers or {})
        for name, value in extra.items():
            if not (isinstance(name, str) and isinstance(value, str)):
                raise ConfigurationError("default_headers must map header names to strings")
            if not (name.isascii() and value.isascii()):
                raise ConfigurationError(f"header {name!r} must be ASCII")
        register_secret(key)
        register_secret(secret)
        self.api_key = key
        self.base_url = url
        """The base URL without userinfo (credentials are in ``auth``)."""
        self.max_retries = max_retries
        self.webhook_secret = secret or None
        self.trust_env = bool(trust_env)
        self.headers = extra
        self.timeout = _resolve_timeout(timeout)

    def replace(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        webhook_secret: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> _Config:
        """A copy with the given fields changed (``headers`` are merged over the current ones)."""
        copy = _Config(
            self.api_key if api_key is None else api_key,
            self.base_url if base_url is None else base_url,
            self.timeout if isinstance(timeout, NotGiven) else timeout,
            self.max_retries if max_retries is None else max_retries,
            self.webhook_secret if webhook_secret is None else webhook_secret,
            trust_env=self.trust_env,
            headers={**self.headers, **(headers or {})},
        )
        if base_url is None:
            copy.auth = self.auth  # the same host: keep the credentials its URL carried
        return copy


def _expect(response: Response[Any], model: type[_T]) -> _T:
    """The parsed model of a success response; a typed error for anything else.

    Models with an ``id`` (``AcceptedRequest``, ``RequestObject``) must carry a non-empty string
    ``id``, ``operation`` and ``status``: a handle is never built on ``id: null``.
    """
    parsed = response.parsed
    if isinstance(parsed, model) and _has_handle_fields(parsed):
        return parsed
    body = redact(response.content[:500].decode("utf-8", "replace"))
    raise APIResponseValidationError(
        f"unexpected HTTP {int(response.status_code)} response (expected a {model.__name__})",
        status_code=int(response.status_code),
        body=body,
    )


def _has_handle_fields(parsed: object) -> bool:
    if not hasattr(parsed, "id"):
        return True
    return all(
        isinstance(getattr(parsed, name, None), str) and getattr(parsed, name)
        for name in ("id", "operation")
    ) and isinstance(getattr(parsed, "status", None), str)


@functools.cache
def _get_request_api() -> tuple[Any, type[RequestObject]]:
    """The generated ``get_request`` module and ``RequestObject`` (imported once, lazily)."""
    from cannon_studio_api.api.requests import get_request
    from cannon_studio_api.models.request_object import RequestObject

    return get_request, RequestObject


_HOSTILE = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OverflowError,
    httpx2.HTTPError,
    httpx2.StreamError,
)
"""What a hostile body or a broken connection can raise inside the generated parsers and httpx2
(``RecursionError``: deep JSON; ``httpx2.DecodingError``: bad gzip; ``TypeError``: wrong types in
known fields). Other exceptions are bugs or the caller's (a test harness) and pass unchanged."""


def _parse_failure(exc: BaseException, what: str) -> CannonError:
    """The typed error for anything but a ``CannonError`` escaping a generated call.

    A stray httpx2 error (a body that fails to decode, a protocol error outside the transport)
    is an ``APIConnectionError``; anything else (deep JSON's ``RecursionError``, wrong types in
    known fields) an ``APIResponseValidationError``. The chain is redacted and kept as cause.
    """
    redact_chain(exc)
    if isinstance(exc, httpx2.HTTPError | httpx2.StreamError):
        return APIConnectionError(f"{what} failed: {type(exc).__name__}")
    return APIResponseValidationError(
        f"{what}: the response body does not fit the schema ({type(exc).__name__})",
        status_code=0,
        body="",
    )


def _tag_run_error(exc: CannonError, handle: RequestHandle | AsyncRequestHandle) -> None:
    """An error while ``run`` waits: name the request and the key it was created with."""
    tag_create_error(exc, handle.idempotency_key)
    if exc.request_id is None:
        exc.request_id = handle.id


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


def _sync_inner(
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


def _async_inner(
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


def _headers(config: _Config) -> dict[str, str]:
    return {**config.headers, API_KEY_HEADER: config.api_key, "user-agent": USER_AGENT}


def _call_headers(extra_headers: Mapping[str, str] | None) -> dict[str, str]:
    headers = dict(extra_headers or {})
    for name in headers:
        if name.lower() == API_KEY_HEADER:
            raise ConfigurationError(f"extra_headers cannot set {API_KEY_HEADER}; use api_key=")
    return headers


class _SyncCore:
    """HTTP plumbing of ``Cannon``: the generated calls and the download client.

    ``inner`` does the I/O and holds the connection pool; copies made by ``derive`` (for
    ``with_options`` and per-call overrides) send through the same ``inner``, and only the core
    that owns it closes it.
    """

    def __init__(
        self,
        config: _Config,
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
            headers=_headers(config),
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

    def derive(self, config: _Config) -> _SyncCore:
        """A core with other settings over the same connection pool (never closes it)."""
        return _SyncCore(config, self._inner, owns_inner=False, polling=self.polling)

    @contextmanager
    def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> Iterator[_SyncCore]:
        """This core, or a short-lived derived one for one call's ``timeout`` / headers."""
        if isinstance(timeout, NotGiven) and not extra_headers:
            yield self
            return
        core = self.derive(
            self._config.replace(timeout=timeout, headers=_call_headers(extra_headers))
        )
        try:
            yield core
        finally:
            core.close()

    def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]:
        get_request, RequestObject = _get_request_api()
        try:
            response = get_request.sync_detailed(request_id, client=self.api)
        except CannonError:
            raise
        except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise _parse_failure(exc, f"GET request {request_id}") from exc
        record(response)
        return _expect(response, RequestObject), response

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
        except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise _parse_failure(exc, "POST /api/v1/requests") from exc
        record(response)
        return _expect(response, AcceptedRequest), response

    def status(self) -> StatusResponse:
        from cannon_studio_api.api.status import get_status
        from cannon_studio_api.models.status_response import StatusResponse

        try:
            response = get_status.sync_detailed(client=self.api)
        except CannonError:
            raise
        except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise _parse_failure(exc, "GET /api/v1/status") from exc
        record(response)
        return _expect(response, StatusResponse)

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


class _AsyncCore:
    """HTTP plumbing of ``AsyncCannon`` (async twin of ``_SyncCore``).

    ``gate`` caps the calls in flight (``max_in_flight``); it is taken by creates and polls
    before their request is built and held until the parsed model, shared by the API and
    download transports. Derived cores share the pool and the gate.
    """

    def __init__(
        self,
        config: _Config,
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
            headers=_headers(config),
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

    def derive(self, config: _Config) -> _AsyncCore:
        """A core with other settings over the same connection pool (never closes it)."""
        return _AsyncCore(
            config, self._inner, owns_inner=False, gate=self.gate, polling=self.polling
        )

    @asynccontextmanager
    async def options(
        self, timeout: TimeoutTypes | NotGiven, extra_headers: Mapping[str, str] | None
    ) -> AsyncIterator[_AsyncCore]:
        """This core, or a short-lived derived one for one call's ``timeout`` / headers."""
        if isinstance(timeout, NotGiven) and not extra_headers:
            yield self
            return
        core = self.derive(
            self._config.replace(timeout=timeout, headers=_call_headers(extra_headers))
        )
        try:
            yield core
        finally:
            await core.close()

    async def get_request(self, request_id: str) -> tuple[RequestObject, Response[Any]]:
        get_request, RequestObject = _get_request_api()
        # Urgent: a poll goes before queued creates. Held from building to the parsed model.
        async with self.gate.slot(urgent=True):
            try:
                response = await get_request.asyncio_detailed(request_id, client=self.api)
            except CannonError:
                raise
            except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
                raise _parse_failure(exc, f"GET request {request_id}") from exc
            record(response)
            return _expect(response, RequestObject), response

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
            except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
                raise _parse_failure(exc, "POST /api/v1/requests") from exc
            record(response)
            return _expect(response, AcceptedRequest), response

    async def status(self) -> StatusResponse:
        from cannon_studio_api.api.status import get_status
        from cannon_studio_api.models.status_response import StatusResponse

        async with self.gate.slot():
            try:
                response = await get_status.asyncio_detailed(client=self.api)
            except CannonError:
                raise
            except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
                raise _parse_failure(exc, "GET /api/v1/status") from exc
            record(response)
            return _expect(response, StatusResponse)

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


class _ClientBase:
    _config: _Config
    _webhook_tolerance: float

    @property
    def base_url(self) -> str:
        """The API base URL (no trailing slash)."""
        return self._config.base_url

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt of each HTTP call."""
        return self._config.max_retries

    @property
    def timeout(self) -> httpx2.Timeout:
        """The HTTP timeout of each call (``httpx2.Timeout``, seconds); not the wait deadline."""
        return self._config.timeout

    @property
    def operations(self) -> OperationRegistry:
        """The operation registry (``list()``, ``get(id)``, ``ids()``), built from the schema."""
        return registry()

    @cached_property
    def webhooks(self) -> Webhooks:
        """Verify webhook deliveries with this client's secret (``webhook_secret=`` or
        ``CANNON_WEBHOOK_SECRET``). A receiver needs no client: use ``Webhooks(secret)``."""
        return Webhooks.for_client(self._config.webhook_secret, tolerance=self._webhook_tolerance)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._config.base_url!r}, "
            f"api_key={mask(self._config.api_key)}, max_retries={self._config.max_retries}, "
            f"webhook_secret={'set' if self._config.webhook_secret else 'unset'})"
        )


class Cannon(SyncNamespaces, _ClientBase):
    """Synchronous Cannon Studio client.

    Args:
        api_key: the ``cs_live_...`` / ``cs_test_...`` key; default ``CANNON_API_KEY``.
            Missing, or not printable ASCII -> ``ConfigurationError`` here, not an error later.
        base_url: default ``CANNON_BASE_URL`` or ``https://www.cannonstudio.app``.
        timeout: the HTTP timeout of each call in SECONDS (connect capped at 5 s), an
            ``httpx2.Timeout``, or ``None`` for none; default 60 s, or the ``http_client``'s own
            timeout when one is given. It is NOT the wait deadline: that is ``max_wait``.
        max_retries: retries of each HTTP call (connection errors, timeouts, 408, 429, 5xx).
        http_client: your ``httpx2.Client`` (proxies, certificates, mounts); requests are sent
            through it, retries and error mapping still apply; it is not closed by ``close()``.
        webhook_secret: ``whsec_...`` for ``client.webhooks.verify``; default
            ``CANNON_WEBHOOK_SECRET``.
        transport: a sync ``httpx2`` transport to send through (e.g. ``httpx2.MockTransport``).
            An async transport -> ``ConfigurationError`` (use ``AsyncCannon``).
        webhook_tolerance: webhook timestamp tolerance in SECONDS (default 300).
        trust_env: like httpx2, honour ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` /
            ``NO_PROXY`` and ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` (default ``True``; read when
            the client is built). Not used with ``http_client=`` or ``transport=``.
        default_headers: extra headers sent on every API call (not on asset downloads).

    Raises:
        ConfigurationError: a missing or unusable key, base URL, timeout, retries or transport.

    ``CANNON_LOG=debug`` logs method, URL, status, retry decisions and request ids; the key and
    the webhook secret are redacted. Use as a context manager to close the HTTP client.
    ``with_options(...)`` makes a copy with other settings over the same connection pool.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx2.Client | None = None,
        webhook_secret: str | None = None,
        *,
        transport: httpx2.BaseTransport | None = None,
        webhook_tolerance: float = WEBHOOK_TOLERANCE_S,
        trust_env: bool = True,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        setup_logging()
        if isinstance(timeout, NotGiven):
            timeout = (
                http_client.timeout if isinstance(http_client, httpx2.Client) else DEFAULT_TIMEOUT_S
            )
        config = _Config(
            api_key,
            base_url,
            timeout,
            max_retries,
            webhook_secret,
            trust_env=trust_env,
            headers=default_headers,
        )
        webhook_tolerance = check_tolerance(webhook_tolerance)  # fail here, not at verify
        inner, owned = _sync_inner(http_client, transport, config.trust_env)
        self._setup(config, _SyncCore(config, inner, owns_inner=owned), webhook_tolerance)

    def _setup(self, config: _Config, core: _SyncCore, webhook_tolerance: float) -> None:
        self._config = config
        self._core = core
        self._webhook_tolerance = webhook_tolerance
        self.requests = Requests(core)
        """Create, retrieve and follow requests."""

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        webhook_secret: str | None = None,
    ) -> Self:
        """A copy of this client with some settings changed, sharing its connection pool.

        As openai-python's ``client.with_options(...)`` (also ``copy``): arguments left out keep
        this client's values; ``default_headers`` are merged over the current ones. The copy
        never closes the shared pool; closing this client does.

        Args:
            timeout: HTTP timeout of each call in SECONDS (or ``httpx2.Timeout``, ``None``).
            max_retries: retries of each HTTP call.

        Raises:
            ConfigurationError: an unusable value.
        """
        config = self._config.replace(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            webhook_secret=webhook_secret,
            headers=default_headers,
        )
        clone = object.__new__(type(self))
        clone._setup(config, self._core.derive(config), self._webhook_tolerance)
        return clone

    copy = with_options

    @cached_property
    def with_raw_response(self) -> CannonWithRawResponse:
        """The same calls, each returning an ``APIResponse`` (status, headers, ``parse()``).

        ``client.with_raw_response.status()``, ``.requests.create(...)``,
        ``.requests.retrieve(...)``, ``.images.generate(...)`` and every other wrapper.
        """
        return CannonWithRawResponse(self)

    def status(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> StatusResponse:
        """GET /api/v1/status: key check, credits, account (status page).

        Args:
            timeout: HTTP timeout of this call in SECONDS (default: the client's).
            extra_headers: headers added to this call.

        Raises ``AuthenticationError`` for a bad key.
        """
        with self._core.options(timeout, extra_headers) as core:
            return core.status()

    def run(
        self,
        operation: str,
        input: InputData,
        *,
        max_wait: float | None = None,
        on_update: Callable[[RequestHandle], object] | None = None,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Output | None:
        """Create a request, wait for it and return its typed output.

        Args:
            operation, input, webhook_url, idempotency_key: as ``requests.create``.
            max_wait: wait deadline in SECONDS (default 1800); on expiry ``WaitTimeoutError``.
            on_update: called with the handle after each status change.
            timeout: HTTP timeout in SECONDS of the create call (default: the client's).
            extra_headers: headers added to the create call.

        Returns:
            The output model of the operation (``ImageOutput``, ``VideoOutput``,
            ``PromptOutput``...). ``None`` only when the request succeeded without an output
            the schema knows (the API sent none, or an unknown shape); ``handle.request`` then
            holds the raw request object (use ``requests.create`` + ``wait`` to keep it).

        Raises:
            InputValidationError, APIStatusError, RequestFailedError, WaitTimeoutError.
        """
        handle = self.requests.create(
            operation,
            input,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        try:
            return handle.wait(max_wait, on_update).output
        except CannonError as exc:
            _tag_run_error(exc, handle)
            raise

    def batch(
        self,
        jobs: str | PathLike[str] | Iterable[Mapping[str, Any]],
        out_dir: str | PathLike[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_credits: int | None = None,
        shard: Shard | str | None = None,
        retry_failed: bool = False,
        batch_id: str | None = None,
        journal: str | PathLike[str] | None = None,
        job_timeout: float = 24 * 3600.0,
        on_event: Callable[[BatchEvent], object] | None = None,
    ) -> BatchSummary:
        """Run (or resume) a durable batch: every job of a JSON Lines file, journaled.

        Args:
            jobs: a job file (one ``{"id"?, "operation", "input", "webhook_url"?}`` per line)
                or an iterable of such mappings. Every job is validated before anything is
                sent; input values may be ``{"from": "<job id>", "output": "<field>"}``.
            out_dir: each job's files go to ``out_dir/<job id>/``; ``report.jsonl`` and (by
                default) ``journal.sqlite`` too.
            concurrency: jobs in flight at once (>= 1).
            max_credits: stop creating once this many credits (``billableCredits``) are charged;
                the rest is ``held``. The total can pass it by less than one job's price.
            shard: ``"K/N"`` or a ``Shard``: run only the K-th of N disjoint parts of the file.
            retry_failed: create new requests (new keys) for failed jobs and those skipped after.
            batch_id: the id keys are derived from (default: a hash of the file's jobs).
            journal: the journal's path (default ``out_dir/journal.sqlite``).
            job_timeout: SECONDS to wait for one request before leaving it to the next run.
            on_event: called with a ``BatchEvent`` after each job state change (any thread).

        Returns:
            The ``BatchSummary`` (counts per state, credits, held, ``exit_code``).

        Raises:
            BatchFileError: a line was refused (its line and field named; nothing sent).
            BatchJournalError: the journal is another batch's or shard's, or a started job changed.
            BatchStoppedError: the API could not be reached or refused the key (state kept).
            KeyboardInterrupt: re-raised once the journal and report are written.
        """
        return run_batch(
            self,
            jobs,
            out_dir,
            concurrency=concurrency,
            max_credits=max_credits,
            shard=shard,
            retry_failed=retry_failed,
            batch_id=batch_id,
            journal_path=journal,
            job_timeout=job_timeout,
            on_event=on_event,
        )

    def close(self) -> None:
        """Close the HTTP clients this object created (never a caller's ``http_client``)."""
        self._core.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncCannon(AsyncNamespaces, _ClientBase):
    """Asynchronous Cannon Studio client: the same surface as ``Cannon``, awaited.

    ``http_client`` must be an ``httpx2.AsyncClient`` and ``transport`` an async transport
    (e.g. ``httpx2.ASGITransport(app)`` to mount the sandbox in-process, or
    ``cannon_studio.transports.aiohttp_transport()``); a sync one -> ``ConfigurationError``.
    Arguments, units and environment variables as ``Cannon``.

    ``max_in_flight`` (default 64) caps the HTTP calls this client has in flight: a create or
    poll takes its slot before its request is validated and built, so starting 10,000 creates at
    once costs 10,000 waiting coroutines, not 10,000 built requests; the default transport keeps
    that many connections alive, so calls reuse them instead of opening new ones. Copies made
    by ``with_options`` share the limit.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx2.AsyncClient | None = None,
        webhook_secret: str | None = None,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        webhook_tolerance: float = WEBHOOK_TOLERANCE_S,
        trust_env: bool = True,
        default_headers: Mapping[str, str] | None = None,
        max_in_flight: int = MAX_IN_FLIGHT_REQUESTS,
    ) -> None:
        setup_logging()
        if (
            not isinstance(max_in_flight, int)
            or isinstance(max_in_flight, bool)
            or max_in_flight < 1
        ):
            raise ConfigurationError("max_in_flight must be an integer >= 1")
        if isinstance(timeout, NotGiven):
            timeout = (
                http_client.timeout
                if isinstance(http_client, httpx2.AsyncClient)
                else DEFAULT_TIMEOUT_S
            )
        config = _Config(
            api_key,
            base_url,
            timeout,
            max_retries,
            webhook_secret,
            trust_env=trust_env,
            headers=default_headers,
        )
        webhook_tolerance = check_tolerance(webhook_tolerance)  # fail here, not at verify
        inner, owned = _async_inner(http_client, transport, config.trust_env, max_in_flight)
        core = _AsyncCore(config, inner, owns_inner=owned, gate=InFlightGate(max_in_flight))
        self._setup(config, core, webhook_tolerance)

    def _setup(self, config: _Config, core: _AsyncCore, webhook_tolerance: float) -> None:
        self._config = config
        self._core = core
        self._webhook_tolerance = webhook_tolerance
        self.requests = AsyncRequests(core)
        """Create, retrieve and follow requests."""

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        webhook_secret: str | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing the connection pool (see ``Cannon``)."""
        config = self._config.replace(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            webhook_secret=webhook_secret,
            headers=default_headers,
        )
        clone = object.__new__(type(self))
        clone._setup(config, self._core.derive(config), self._webhook_tolerance)
        return clone

    copy = with_options

    @cached_property
    def with_raw_response(self) -> AsyncCannonWithRawResponse:
        """The same calls, each returning an ``APIResponse`` (see ``Cannon.with_raw_response``)."""
        return AsyncCannonWithRawResponse(self)

    async def status(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> StatusResponse:
        """GET /api/v1/status: key check, credits, account. See ``Cannon.status``."""
        async with self._core.options(timeout, extra_headers) as core:
            return await core.status()

    async def run(
        self,
        operation: str,
        input: InputData,
        *,
        max_wait: float | None = None,
        on_update: Callable[[AsyncRequestHandle], object] | None = None,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Output | None:
        """Create, wait (``max_wait`` in SECONDS; ``on_update`` plain or awaitable), return the
        output; ``None`` only for a succeeded request without a known output. See ``Cannon.run``.
        """
        handle = await self.requests.create(
            operation,
            input,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        try:
            return (await handle.wait(max_wait, on_update)).output
        except CannonError as exc:
            _tag_run_error(exc, handle)
            raise

    async def batch(
        self,
        jobs: str | PathLike[str] | Iterable[Mapping[str, Any]],
        out_dir: str | PathLike[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_credits: int | None = None,
        shard: Shard | str | None = None,
        retry_failed: bool = False,
        batch_id: str | None = None,
        journal: str | PathLike[str] | None = None,
        job_timeout: float = 24 * 3600.0,
        on_event: Callable[[BatchEvent], object] | None = None,
    ) -> BatchSummary:
        """Run (or resume) a durable batch with one task per job in flight. See ``Cannon.batch``
        (same arguments, return and errors); cancelling it keeps every job's state journaled."""
        return await arun_batch(
            self,
            jobs,
            out_dir,
            concurrency=concurrency,
            max_credits=max_credits,
            shard=shard,
            retry_failed=retry_failed,
            batch_id=batch_id,
            journal_path=journal,
            job_timeout=job_timeout,
            on_event=on_event,
        )

    async def close(self) -> None:
        """Close the HTTP clients this object created (never a caller's ``http_client``)."""
        await self._core.close()

    aclose = close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
