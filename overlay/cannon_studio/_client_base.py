"""What ``Cannon`` and ``AsyncCannon`` share, without I/O (as httpx2's ``BaseClient``).

``ClientBase`` resolves a constructor's arguments into a ``ClientConfig``, exposes it
(``base_url``, ``max_retries``, ``timeout``), makes ``with_options`` copies over the same core's
connection pool, and holds ``webhooks``, ``operations`` and the repr. The I/O half, one per
client, is ``_client.Cannon`` / ``_client.AsyncCannon`` over their ``_core``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Generic, Self, TypeVar

import httpx2

from ._asset_policy import DownloadPolicy
from ._backoff import check_tolerance
from ._config import ClientConfig
from ._constants import DEFAULT_TIMEOUT_S
from ._core import AsyncCore, SyncCore
from ._logging import mask, setup_logging
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from ._operations import OperationRegistry
    from .webhooks import Webhooks

__all__ = ["ClientBase"]

_CoreT = TypeVar("_CoreT", SyncCore, AsyncCore)


class ClientBase(Generic[_CoreT]):
    """What ``Cannon`` and ``AsyncCannon`` share, without I/O: the configuration and its
    properties, ``with_options``, webhooks, the registry and the repr."""

    _config: ClientConfig
    _core: _CoreT
    _webhook_tolerance: float

    @staticmethod
    def _configure(
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        http_client: httpx2.Client | httpx2.AsyncClient | None,
        webhook_secret: str | None,
        webhook_tolerance: float,
        trust_env: bool,
        default_headers: Mapping[str, str] | None,
        download_policy: DownloadPolicy | None = None,
    ) -> tuple[ClientConfig, float]:
        """The checked configuration and webhook tolerance of a constructor's arguments.

        Raises:
            ConfigurationError: an unusable value (see ``Cannon``).
        """
        setup_logging()
        if isinstance(timeout, NotGiven):
            given = (
                http_client if isinstance(http_client, httpx2.Client | httpx2.AsyncClient) else None
            )
            timeout = given.timeout if given is not None else DEFAULT_TIMEOUT_S
        config = ClientConfig(
            api_key,
            base_url,
            timeout,
            max_retries,
            webhook_secret,
            trust_env=trust_env,
            headers=default_headers,
            download_policy=download_policy,
        )
        return config, check_tolerance(webhook_tolerance)  # fail here, not at verify

    def _setup(self, config: ClientConfig, core: _CoreT, webhook_tolerance: float) -> None:
        self._config = config
        self._core = core
        self._webhook_tolerance = webhook_tolerance
        self._bind_requests(core)

    def _bind_requests(self, core: _CoreT) -> None:
        raise NotImplementedError

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
        from ._operations import registry  # deferred: built on first use

        return registry()

    @cached_property
    def webhooks(self) -> Webhooks:
        """Verify webhook deliveries with this client's secret (``webhook_secret=`` or
        ``CANNON_WEBHOOK_SECRET``). A receiver needs no client: use ``Webhooks(secret)``."""
        from .webhooks import Webhooks  # deferred: standardwebhooks loads on first verify

        return Webhooks.for_client(self._config.webhook_secret, tolerance=self._webhook_tolerance)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._config.base_url!r}, "
            f"api_key={mask(self._config.api_key)}, max_retries={self._config.max_retries}, "
            f"webhook_secret={'set' if self._config.webhook_secret else 'unset'})"
        )
