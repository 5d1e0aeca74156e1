"""``Cannon`` and ``AsyncCannon``: the public clients, each the I/O half over its core.

What both share without I/O (configuration, ``with_options`` / ``copy``, webhooks, the registry)
is ``_client_base.ClientBase``'s; the HTTP work is their core's (``_core``: transports, the
generated calls, downloads). Here: the constructors, ``with_raw_response``, ``status``, ``run``,
``batch``, the namespaces and closing.
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: run(timeout=seconds))

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

import httpx2

from ._asset_policy import DownloadPolicy
from ._client_base import ClientBase
from ._constants import (
    DEFAULT_BATCH_CONCURRENCY,
    DEFAULT_MAX_RETRIES,
    MAX_IN_FLIGHT_REQUESTS,
    WEBHOOK_TOLERANCE_S,
)
from ._core import AsyncCore, SyncCore, async_inner_transport, inner_transport
from ._errors import ConfigurationError
from ._gate import InFlightGate
from ._handles import AsyncRequestHandle, RequestHandle
from ._requests import AsyncRequests, Requests
from ._types import NOT_GIVEN, InputData, NotGiven, TimeoutTypes
from .resources import AsyncNamespaces, SyncNamespaces

if TYPE_CHECKING:
    from os import PathLike

    from cannon_studio_api.models.status_response import StatusResponse

    from ._outputs import Output
    from ._raw import AsyncCannonWithRawResponse, CannonWithRawResponse
    from ._receiver import WebhookReceiver
    from .batch import BatchEvent, BatchSummary, Shard

__all__ = ["AsyncCannon", "Cannon"]


class Cannon(SyncNamespaces, ClientBase[SyncCore]):
    """Synchronous Cannon Studio client.

    Args:
        api_key: the ``cs_live_...`` / ``cs_test_...`` key; default ``CANNON_API_KEY``.
            Missing, or not printable ASCII -> ``ConfigurationError`` here, not an error later.
        base_url: default ``CANNON_BASE_URL`` or ``https://www.cannonstudio.app``.
        timeout: the HTTP timeout of each call in SECONDS (connect capped at 5 s), an
            ``httpx2.Timeout``, or ``None`` for none; default 60 s, or the ``http_client``'s own
            timeout when one is given. It is each call's TOTAL deadline: connect, send, the
            whole body, its retries and their waits (a ``Retry-After`` that would end past it
            is not waited for; the error is raised at once). It is NOT the wait deadline: that
            is ``max_wait``, which also cuts off a poll in flight.
        max_retries: retries of each HTTP call (connection errors, timeouts, 408, 429, 5xx).
        http_client: your ``httpx2.Client`` (proxies, certificates, mounts); requests are sent
            through it, retries and error mapping still apply; it is not closed by ``close()``.
            Its default headers go on API calls under ours: ``default_headers``, per-call
            ``extra_headers``, the API key and the user agent win on a clash; asset downloads
            never carry them.
        webhook_secret: ``whsec_...`` for ``client.webhooks.verify``; default
            ``CANNON_WEBHOOK_SECRET``.
        transport: a sync ``httpx2`` transport to send through (e.g. ``httpx2.MockTransport``).
            An async transport -> ``ConfigurationError`` (use ``AsyncCannon``).
        webhook_tolerance: webhook timestamp tolerance in SECONDS (default 300).
        trust_env: like httpx2, honour ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` /
            ``NO_PROXY`` and ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` (default ``True``; read when
            the client is built). Not used with ``http_client=`` or ``transport=``.
        default_headers: extra headers sent on every API call (not on asset downloads).
        download_policy: where asset downloads may go (``DownloadPolicy``); default: public
            addresses only, local ones too when ``base_url`` is itself local (the sandbox).

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
        download_policy: DownloadPolicy | None = None,
    ) -> None:
        config, tolerance = self._configure(
            api_key,
            base_url,
            timeout,
            max_retries,
            http_client,
            webhook_secret,
            webhook_tolerance,
            trust_env,
            default_headers,
            download_policy,
        )
        inner, owned = inner_transport(http_client, transport, config.trust_env)
        self._setup(config, SyncCore(config, inner, owns_inner=owned), tolerance)

    requests: Requests
    """Create, retrieve and follow requests."""

    def _bind_requests(self, core: SyncCore) -> None:
        self.requests = Requests(core)

    @property
    def download_client(self) -> httpx2.Client:
        """The ``httpx2.Client`` asset files are fetched with: WITHOUT the API key (asset URLs
        are signed and may be on another host), with this client's retries and timeouts.
        Made on first use; closed by ``close()``, do not close it yourself."""
        return self._core.download_client()

    @cached_property
    def with_raw_response(self) -> CannonWithRawResponse:
        """The same calls, each returning an ``APIResponse`` (status, headers, ``parse()``).

        ``client.with_raw_response.status()``, ``.requests.create(...)``,
        ``.requests.retrieve(...)``, ``.images.generate(...)`` and every other wrapper.
        """
        from ._raw import CannonWithRawResponse  # deferred: loads with its first use

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
            operation: the operation id (e.g. ``"image.generate"``), as ``requests.create``.
            input: the operation's input fields, as ``requests.create``.
            webhook_url: where the terminal-state webhook goes, as ``requests.create``.
            idempotency_key: the create's key (default: a fresh one), as ``requests.create``.
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
            InputValidationError: the input does not match the schema (nothing was sent).
            APIStatusError: the API answered with an error status (after retries).
            RequestFailedError: the request ended ``failed``.
            WaitTimeoutError: ``max_wait`` passed first (the request goes on server-side).
        """
        return self.requests.run(
            operation,
            input,
            max_wait=max_wait,
            on_update=on_update,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            timeout=timeout,
            extra_headers=extra_headers,
        )

    def batch(
        self,
        jobs: str | PathLike[str] | Iterable[Mapping[str, Any]],
        out_dir: str | PathLike[str],
        *,
        concurrency: int = DEFAULT_BATCH_CONCURRENCY,
        max_credits: int | None = None,
        shard: Shard | str | None = None,
        retry_failed: bool = False,
        batch_id: str | None = None,
        reuse_requests: bool = False,
        journal: str | PathLike[str] | None = None,
        job_timeout: float = 24 * 3600.0,
        on_event: Callable[[BatchEvent], object] | None = None,
        storage_options: Mapping[str, str] | None = None,
    ) -> BatchSummary:
        """Run (or resume) a durable batch: every job of a JSON Lines file, journaled.

        Args:
            jobs: a job file (one ``{"id"?, "operation", "input", "webhook_url"?}`` per line)
                or an iterable of such mappings. Every job is validated before anything is
                sent; input values may be ``{"from": "<job id>", "output": "<field>"}``.
            out_dir: each job's files go to ``out_dir/<job id>/``; ``report.jsonl`` and (by
                default) ``journal.sqlite`` too. ``"s3://bucket/prefix"`` puts the files and the
                report in object storage (the ``[s3]`` extra; ``journal`` is then required).
            concurrency: jobs in flight at once (>= 1).
            max_credits: stop creating once this many credits (``billableCredits``) are charged;
                the rest is ``held``. The total can pass it by less than one job's price.
            shard: ``"K/N"`` or a ``Shard``: run only the K-th of N disjoint parts of the file.
            retry_failed: create new requests (new keys) for failed jobs and those skipped after.
            batch_id: the id keys are derived from (default: a hash of the file's jobs). A new
                id runs the same file again as a new batch (new requests, new charges).
            reuse_requests: when a job's first create is answered with a request an earlier
                run of the same batch id created, re-use it (download its files here). Default
                ``False``: the run stops with ``BatchRerunError`` naming the batch id.
            journal: the journal's path (default ``out_dir/journal.sqlite``).
            job_timeout: SECONDS to wait for one request before leaving it to the next run.
            on_event: called with a ``BatchEvent`` after each job state change (any thread).
            storage_options: for an ``s3://`` ``out_dir``: options of ``s3fs.S3FileSystem``
                (``endpoint_url`` for an S3-compatible server...); credentials come from the
                standard AWS chain.

        Returns:
            The ``BatchSummary`` (counts per state, credits, held, ``exit_code``).

        Raises:
            BatchFileError: a line was refused (its line and field named; nothing sent).
            BatchJournalError: the journal is another batch's or shard's, or a started job changed.
            BatchRerunError: the file was run before as this batch id (see ``reuse_requests``).
            BatchLockedError: another run is using ``out_dir`` (one driver per directory).
            BatchStorageError: the journal or directory cannot be created or written.
            BatchStoppedError: the API could not be reached or refused the key, or local storage
                refused a write during the run (state kept; ``cause`` says which).
            KeyboardInterrupt: re-raised once the journal and report are written.
        """
        from .batch import run_batch  # deferred: a client that never runs a batch never loads it

        return run_batch(
            self,
            jobs,
            out_dir,
            concurrency=concurrency,
            max_credits=max_credits,
            shard=shard,
            retry_failed=retry_failed,
            batch_id=batch_id,
            reuse_requests=reuse_requests,
            journal_path=journal,
            job_timeout=job_timeout,
            on_event=on_event,
            storage_options=storage_options,
        )

    def close(self) -> None:
        """Close the HTTP clients this object created (never a caller's ``http_client``)."""
        self._core.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncCannon(AsyncNamespaces, ClientBase[AsyncCore]):
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
        download_policy: DownloadPolicy | None = None,
    ) -> None:
        if (
            not isinstance(max_in_flight, int)
            or isinstance(max_in_flight, bool)
            or max_in_flight < 1
        ):
            raise ConfigurationError("max_in_flight must be an integer >= 1")
        config, tolerance = self._configure(
            api_key,
            base_url,
            timeout,
            max_retries,
            http_client,
            webhook_secret,
            webhook_tolerance,
            trust_env,
            default_headers,
            download_policy,
        )
        inner, owned = async_inner_transport(
            http_client, transport, config.trust_env, max_in_flight
        )
        core = AsyncCore(config, inner, owns_inner=owned, gate=InFlightGate(max_in_flight))
        self._setup(config, core, tolerance)

    requests: AsyncRequests
    """Create, retrieve and follow requests."""

    def _bind_requests(self, core: AsyncCore) -> None:
        self.requests = AsyncRequests(core)

    @property
    def download_client(self) -> httpx2.AsyncClient:
        """The ``httpx2.AsyncClient`` asset files are fetched with (see ``Cannon.download_client``);
        closed by ``close()``."""
        return self._core.download_client()

    @cached_property
    def with_raw_response(self) -> AsyncCannonWithRawResponse:
        """The same calls, each returning an ``APIResponse`` (see ``Cannon.with_raw_response``)."""
        from ._raw import AsyncCannonWithRawResponse  # deferred, as in Cannon

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
        return await self.requests.run(
            operation,
            input,
            max_wait=max_wait,
            on_update=on_update,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
            timeout=timeout,
            extra_headers=extra_headers,
        )

    def webhook_receiver(
        self,
        *,
        public_url: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str | None = None,
        secret: str | None = None,
        **tuning: Any,
    ) -> WebhookReceiver:
        """A ``WebhookReceiver`` bound to this client: ``async with client.webhook_receiver(
        host="0.0.0.0", port=8080, public_url="https://hooks.example.com/cannon"):``.

        While it runs, every create of this client without its own ``webhook_url`` carries
        ``public_url``, and the waits of those requests (``handle.wait``, ``run``, the
        ``wait=True`` wrappers, ``batch``) are resolved by the deliveries; they poll once per
        safety-net interval only (twice the longest recent duration of the operation, 1-300 s;
        10 s before any is known), so an unreachable endpoint costs latency, never a result.

        Args:
            public_url: the absolute http(s) URL the API POSTs to; it must reach ``host:port``
                (a reverse proxy or tunnel). ``None``: the bound loopback address (the sandbox).
            host: interface to listen on (``"0.0.0.0"``: every one).
            port: TCP port (0: a free one; ``receiver.port`` after start).
            path: URL path to accept (default: ``public_url``'s path).
            secret: the ``whsec_...`` signing secret (default: this client's ``webhook_secret``
                or ``CANNON_WEBHOOK_SECRET``).
            **tuning: ``WebhookReceiver`` keywords (``safety_min_s``, ``max_concurrent``...).

        Returns:
            The receiver, not started: enter it (``async with``) or ``await receiver.start()``.

        Raises:
            ConfigurationError: no usable secret, a bad ``public_url``, or (at start) h11
                missing: ``pip install 'cannon-studio[webhooks]'``.
        """
        from ._receiver import WebhookReceiver  # deferred: aiohttp's server side, asyncio
        from .webhooks import Webhooks  # deferred: standardwebhooks, on first verify

        webhooks = Webhooks(
            secret or self._config.webhook_secret, tolerance=self._webhook_tolerance
        )
        return WebhookReceiver(
            webhooks,
            public_url=public_url,
            host=host,
            port=port,
            path=path,
            attach=self.requests._use_receiver,
            **tuning,
        )

    async def batch(
        self,
        jobs: str | PathLike[str] | Iterable[Mapping[str, Any]],
        out_dir: str | PathLike[str],
        *,
        concurrency: int = DEFAULT_BATCH_CONCURRENCY,
        max_credits: int | None = None,
        shard: Shard | str | None = None,
        retry_failed: bool = False,
        batch_id: str | None = None,
        reuse_requests: bool = False,
        journal: str | PathLike[str] | None = None,
        job_timeout: float = 24 * 3600.0,
        on_event: Callable[[BatchEvent], object] | None = None,
        webhooks: WebhookReceiver | None = None,
        storage_options: Mapping[str, str] | None = None,
    ) -> BatchSummary:
        """Run (or resume) a durable batch with one task per job in flight. See ``Cannon.batch``
        (same arguments, return and errors); cancelling it keeps every job's state journaled.

        ``webhooks``: a receiver from ``self.webhook_receiver(...)``; it runs for the batch
        (started and stopped here unless it already runs), so the jobs' creates carry its URL
        and their waits are resolved by deliveries, polling only as a safety net."""
        from .batch import arun_batch  # deferred, as in Cannon.batch

        return await arun_batch(
            self,
            jobs,
            out_dir,
            concurrency=concurrency,
            max_credits=max_credits,
            shard=shard,
            retry_failed=retry_failed,
            batch_id=batch_id,
            reuse_requests=reuse_requests,
            journal_path=journal,
            job_timeout=job_timeout,
            on_event=on_event,
            webhooks=webhooks,
            storage_options=storage_options,
        )

    async def close(self) -> None:
        """Close the HTTP clients this object created (never a caller's ``http_client``)."""
        await self._core.close()

    aclose = close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
