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
from collections.abc import Callable, Iterable, Mapping
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
    WEBHOOK_TOLERANCE_S,
)
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    CannonError,
    ConfigurationError,
)
from ._gate import InFlightGate
from ._logging import mask, redact, redact_chain, register_secret, safe_url, setup_logging
from ._polling import PollPolicy
from ._requests import (
    AsyncRequestHandle,
    AsyncRequests,
    RequestHandle,
    Requests,
    tag_create_error,
)
from ._retry import AsyncClientTransport, AsyncRetryTransport, ClientTransport, RetryTransport
from ._wrappers import AsyncNamespaces, SyncNamespaces
from .batch import DEFAULT_CONCURRENCY, BatchEvent, BatchSummary, Shard, arun_batch, run_batch
from .transports import default_async_transport
from .webhooks import Webhooks

if TYPE_CHECKING:
    from os import PathLike

    from cannon_studio_api.client import AuthenticatedClient
    from cannon_studio_api.models import AcceptedRequest, RequestObject, StatusResponse
    from cannon_studio_api.types import Response

    from ._operations import OperationRegistry
    from ._requests import Output

__all__ = ["AsyncCannon", "Cannon"]

USER_AGENT = "cannon-studio-python/0.1.0"
_T = TypeVar("_T")


class _Config:
    """Resolved configuration (arguments first, then the environment)."""

    __slots__ = ("api_key", "auth", "base_url", "max_retries", "timeout", "webhook_secret")

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx2.Timeout | None,
        max_retries: int,
        webhook_secret: str | None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
        if not key:
            raise ConfigurationError(
                f"no API key: pass api_key= or set {ENV_API_KEY} (keys start with cs_live_ or cs_test_)"
            )
        if key != key.strip() or any(ch in key for ch in "\r\n\t ") or not key.isprintable():
            raise ConfigurationError("the API key contains whitespace or control characters")
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
        register_secret(key)
        register_secret(secret)
        self.api_key = key
        self.base_url = url
        """The base URL without userinfo (credentials are in ``auth``)."""
        self.max_retries = max_retries
        self.webhook_secret = secret or None
        if isinstance(timeout, httpx2.Timeout):
            self.timeout = timeout
        elif timeout is None:
            self.timeout = httpx2.Timeout(None)
        else:
            seconds = check_seconds(timeout, "timeout", allow_zero=False)
            assert seconds is not None
            self.timeout = httpx2.Timeout(seconds, connect=min(seconds, DEFAULT_CONNECT_TIMEOUT_S))


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
    raise ConfigurationError(f"http_client must be an httpx2.{expected.__name__}{hint}")


def _tag_run_error(exc: CannonError, handle: RequestHandle | AsyncRequestHandle) -> None:
    """An error while ``run`` waits: name the request and the key it was created with."""
    tag_create_error(exc, handle.idempotency_key)
    if exc.request_id is None:
        exc.request_id = handle.id


class _SyncCore:
    """HTTP plumbing of ``Cannon``: the generated calls and the download client."""

    def __init__(
        self,
        config: _Config,
        http_client: httpx2.Client | None,
        transport: httpx2.BaseTransport | None,
    ) -> None:
        from cannon_studio_api.client import AuthenticatedClient

        _check_http_client(http_client, httpx2.Client, " (use AsyncCannon for async)")
        owned = transport is None and http_client is None
        inner: httpx2.BaseTransport
        if transport is not None:
            inner = transport
        elif http_client is not None:
            inner = ClientTransport(http_client)
        else:
            inner = httpx2.HTTPTransport()
        self._inner = inner
        self._owned_inner = owned
        self.polling = PollPolicy()
        self._max_retries = config.max_retries
        self._timeout = config.timeout
        self.http = httpx2.Client(
            base_url=config.base_url,
            headers={API_KEY_HEADER: config.api_key, "user-agent": USER_AGENT},
            auth=config.auth,
            timeout=config.timeout,
            transport=RetryTransport(inner, max_retries=config.max_retries, close_inner=owned),
        )
        self.api: AuthenticatedClient = AuthenticatedClient(
            base_url=config.base_url,
            token=config.api_key,
            prefix="",
            auth_header_name=API_KEY_HEADER,
            timeout=config.timeout,
        ).set_httpx_client(self.http)
        self._download: httpx2.Client | None = None

    def get_request(self, request_id: str) -> RequestObject:
        get_request, RequestObject = _get_request_api()
        try:
            response = get_request.sync_detailed(request_id, client=self.api)
        except CannonError:
            raise
        except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise _parse_failure(exc, f"GET request {request_id}") from exc
        return _expect(response, RequestObject)

    def create_request(self, envelope: Any, idempotency_key: str) -> AcceptedRequest:
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
        return _expect(response, AcceptedRequest)

    def status(self) -> StatusResponse:
        from cannon_studio_api.api.status import get_status
        from cannon_studio_api.models.status_response import StatusResponse

        try:
            response = get_status.sync_detailed(client=self.api)
        except CannonError:
            raise
        except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise _parse_failure(exc, "GET /api/v1/status") from exc
        return _expect(response, StatusResponse)

    def download_client(self) -> httpx2.Client:
        """A client WITHOUT the API key (asset URLs are signed and may be on another host)."""
        if self._download is None:
            self._download = httpx2.Client(
                headers={"user-agent": USER_AGENT},
                timeout=self._timeout,
                follow_redirects=True,
                transport=RetryTransport(
                    self._inner, max_retries=self._max_retries, close_inner=False, buffer=False
                ),
            )
        return self._download

    def close(self) -> None:
        if self._download is not None:
            self._download.close()
        self.http.close()


class _AsyncCore:
    """HTTP plumbing of ``AsyncCannon`` (async twin of ``_SyncCore``)."""

    def __init__(
        self,
        config: _Config,
        http_client: httpx2.AsyncClient | None,
        transport: httpx2.AsyncBaseTransport | None,
        max_in_flight: int = MAX_IN_FLIGHT_REQUESTS,
    ) -> None:
        from cannon_studio_api.client import AuthenticatedClient

        _check_http_client(http_client, httpx2.AsyncClient, " for AsyncCannon")
        owned = transport is None and http_client is None
        self.gate = InFlightGate(max_in_flight)
        inner: httpx2.AsyncBaseTransport
        if transport is not None:
            inner = transport
        elif http_client is not None:
            inner = AsyncClientTransport(http_client)
        else:
            inner = default_async_transport(max_in_flight)
        self._inner = inner
        self.polling = PollPolicy()
        self._max_retries = config.max_retries
        self._timeout = config.timeout
        self.http = httpx2.AsyncClient(
            base_url=config.base_url,
            headers={API_KEY_HEADER: config.api_key, "user-agent": USER_AGENT},
            auth=config.auth,
            timeout=config.timeout,
            transport=AsyncRetryTransport(
                inner, max_retries=config.max_retries, close_inner=owned, gate=self.gate
            ),
        )
        self.api: AuthenticatedClient = AuthenticatedClient(
            base_url=config.base_url,
            token=config.api_key,
            prefix="",
            auth_header_name=API_KEY_HEADER,
            timeout=config.timeout,
        ).set_async_httpx_client(self.http)
        self._download: httpx2.AsyncClient | None = None

    async def get_request(self, request_id: str) -> RequestObject:
        get_request, RequestObject = _get_request_api()
        async with self.gate.slot():  # held from building the request to the parsed model
            try:
                response = await get_request.asyncio_detailed(request_id, client=self.api)
            except CannonError:
                raise
            except _HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
                raise _parse_failure(exc, f"GET request {request_id}") from exc
            return _expect(response, RequestObject)

    async def create_request(self, envelope: Any, idempotency_key: str) -> AcceptedRequest:
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
            return _expect(response, AcceptedRequest)

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
            return _expect(response, StatusResponse)

    def download_client(self) -> httpx2.AsyncClient:
        """A client WITHOUT the API key (asset URLs are signed and may be on another host)."""
        if self._download is None:
            self._download = httpx2.AsyncClient(
                headers={"user-agent": USER_AGENT},
                timeout=self._timeout,
                follow_redirects=True,
                transport=AsyncRetryTransport(
                    self._inner,
                    max_retries=self._max_retries,
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

    @property
    def base_url(self) -> str:
        """The API base URL (no trailing slash)."""
        return self._config.base_url

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt of each HTTP call."""
        return self._config.max_retries

    @property
    def operations(self) -> OperationRegistry:
        """The operation registry (``list()``, ``get(id)``, ``ids()``), built from the schema."""
        from ._operations import registry

        return registry()

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
            Missing -> ``ConfigurationError`` here, not a 401 later.
        base_url: default ``CANNON_BASE_URL`` or ``https://www.cannonstudio.app``.
        timeout: per-HTTP-call timeout in SECONDS (connect capped at 5 s) or an ``httpx2.Timeout``.
        max_retries: retries of each HTTP call (connection errors, timeouts, 408, 429, 5xx).
        http_client: your ``httpx2.Client`` (proxies, certificates, mounts); requests are sent
            through it, retries and error mapping still apply; it is not closed by ``close()``.
        webhook_secret: ``whsec_...`` for ``client.webhooks.verify``; default
            ``CANNON_WEBHOOK_SECRET``.
        transport: an ``httpx2`` transport to send through (e.g. ``httpx2.MockTransport``).
        webhook_tolerance: webhook timestamp tolerance in SECONDS (default 300).

    ``CANNON_LOG=debug`` logs method, URL, status, retry decisions and request ids; the key and
    the webhook secret are redacted. Use as a context manager to close the HTTP client.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx2.Timeout | None = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx2.Client | None = None,
        webhook_secret: str | None = None,
        *,
        transport: httpx2.BaseTransport | None = None,
        webhook_tolerance: float = WEBHOOK_TOLERANCE_S,
    ) -> None:
        setup_logging()
        self._config = _Config(api_key, base_url, timeout, max_retries, webhook_secret)
        self._core = _SyncCore(self._config, http_client, transport)
        self.requests = Requests(self._core)
        """Create, retrieve and follow requests."""
        self.webhooks = Webhooks(self._config.webhook_secret, tolerance=webhook_tolerance)
        """Verify webhook deliveries with this client's secret."""

    def status(self) -> StatusResponse:
        """GET /api/v1/status: key check, credits, account (status page).

        Raises ``AuthenticationError`` for a bad key.
        """
        return self._core.status()

    def run(
        self,
        operation: str,
        input: Mapping[str, Any] | Any,
        *,
        timeout: float | None = None,
        on_update: Callable[[RequestHandle], object] | None = None,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> Output | None:
        """Create a request, wait for it (``timeout`` in SECONDS) and return its typed output.

        Raises:
            InputValidationError, APIStatusError, RequestFailedError, WaitTimeoutError.
        """
        handle = self.requests.create(
            operation, input, webhook_url=webhook_url, idempotency_key=idempotency_key
        )
        try:
            return handle.wait(timeout=timeout, on_update=on_update).output
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
    ``cannon_studio.transports.aiohttp_transport()``). See ``Cannon``.

    ``max_in_flight`` (default 64) caps the HTTP calls this client has in flight: a create or
    poll takes its slot before its request is validated and built, so starting 10,000 creates at
    once costs 10,000 waiting coroutines, not 10,000 built requests; the default transport keeps
    that many connections alive, so calls reuse them instead of opening new ones.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx2.Timeout | None = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx2.AsyncClient | None = None,
        webhook_secret: str | None = None,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        webhook_tolerance: float = WEBHOOK_TOLERANCE_S,
        max_in_flight: int = MAX_IN_FLIGHT_REQUESTS,
    ) -> None:
        setup_logging()
        if (
            not isinstance(max_in_flight, int)
            or isinstance(max_in_flight, bool)
            or max_in_flight < 1
        ):
            raise ConfigurationError("max_in_flight must be an integer >= 1")
        self._config = _Config(api_key, base_url, timeout, max_retries, webhook_secret)
        self._core = _AsyncCore(self._config, http_client, transport, max_in_flight)
        self.requests = AsyncRequests(self._core)
        """Create, retrieve and follow requests."""
        self.webhooks = Webhooks(self._config.webhook_secret, tolerance=webhook_tolerance)
        """Verify webhook deliveries with this client's secret."""

    async def status(self) -> StatusResponse:
        """GET /api/v1/status: key check, credits, account. See ``Cannon.status``."""
        return await self._core.status()

    async def run(
        self,
        operation: str,
        input: Mapping[str, Any] | Any,
        *,
        timeout: float | None = None,
        on_update: Callable[[AsyncRequestHandle], object] | None = None,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> Output | None:
        """Create, wait (``timeout`` in SECONDS; ``on_update`` plain or awaitable), return output."""
        handle = await self.requests.create(
            operation, input, webhook_url=webhook_url, idempotency_key=idempotency_key
        )
        try:
            return (await handle.wait(timeout=timeout, on_update=on_update)).output
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
