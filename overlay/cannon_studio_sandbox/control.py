"""The :class:`Sandbox` control handle (the facade): owns the parts and the ASGI app, serves it.

The top floor of the sandbox: it imports the parts (:mod:`.parts`), the app (:mod:`.app`) and
the server (:mod:`.server`); none of them imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
from starlette.applications import Starlette

from .app import build_app
from .config import DEFAULT_ACCOUNT, FaultRule, SandboxConfig
from .parts import SandboxParts
from .server import run_in_thread
from .state import now_ms


@dataclass(frozen=True)
class ServerHandle:
    """A running sandbox server (what :meth:`Sandbox.serve` yields).

    Attributes:
        base_url: ``http://HOST:PORT`` (no trailing slash).
        host: bound interface.
        port: bound TCP port.
        sandbox: the control handle.
    """

    base_url: str
    host: str
    port: int
    sandbox: Sandbox


class Sandbox:
    """A local reference server for the Cannon Studio API, plus the handle tests control it with.

    Args:
        config: the configuration (default: ``SandboxConfig()``, realistic timing).
        clock_ms: time source in epoch MILLISECONDS (tests may inject a fake clock). The
            sandbox clock adds an offset to it that :meth:`advance_clock` moves.
        webhook_transport: optional httpx2 async transport used for webhook deliveries (for
            example ``httpx2.ASGITransport(receiver_app)`` to deliver in-process).
        control_token: the token the control API (``/_sandbox/*``) asks for in the
            ``x-sandbox-token`` header (default: a fresh random one; see ``control_headers``).

    Use ``sb.app`` in-process (``httpx2.AsyncClient(transport=httpx2.ASGITransport(sb.app))``) or
    ``with sb.serve() as server:`` for a real uvicorn server on loopback.

    Raises:
        FileNotFoundError: the schema cannot be found (see ``SandboxConfig.schema_path``).
    """

    def __init__(
        self,
        config: SandboxConfig | None = None,
        *,
        clock_ms: Callable[[], int] = now_ms,
        webhook_transport: httpx2.AsyncBaseTransport | None = None,
        control_token: str | None = None,
    ) -> None:
        self.parts = SandboxParts(
            config or SandboxConfig(),
            clock_ms=clock_ms,
            webhook_transport=webhook_transport,
            control_token=control_token,
        )
        self.guard = self.parts.guard
        self.schema = self.parts.schema
        self.clock = self.parts.clock
        self.state = self.parts.state
        self.faults = self.parts.faults
        self.rate_limiter = self.parts.rate_limiter
        self.webhooks = self.parts.webhooks
        self._app: Starlette | None = None

    @property
    def control_token(self) -> str:
        """The control-API token (``x-sandbox-token``); printed when the server starts."""
        return self.guard.control_token

    @property
    def control_headers(self) -> dict[str, str]:
        """Headers for control-API calls: the token and ``Content-Type: application/json``."""
        return {**self.guard.headers, "content-type": "application/json"}

    def __repr__(self) -> str:
        config = self.parts.config
        return f"Sandbox(accounts={sorted(set(config.api_keys.values()))!r}, instant={config.is_instant})"

    @property
    def config(self) -> SandboxConfig:
        """The current configuration."""
        return self.parts.config

    def update_config(self, **updates: Any) -> SandboxConfig:
        """Change configuration at run time (e.g. ``job_duration_s``, ``failure_rate``).

        Applies to requests created afterwards. Raises ValueError on unknown keys or bad values.
        """
        return self.parts.update_config(**updates)

    @property
    def app(self) -> Starlette:
        """The Starlette ASGI application (built on first use)."""
        if self._app is None:
            self._app = build_app(self.parts)
        return self._app

    @property
    def account(self) -> str:
        """The first configured account (``acct_default`` for the default key)."""
        return next(iter(self.config.api_keys.values()), DEFAULT_ACCOUNT)

    @property
    def api_key(self) -> str:
        """The first configured API key."""
        return next(iter(self.config.api_keys))

    # -- ledger and credits -------------------------------------------------------------------

    def created_count(self, account: str | None = None) -> int:
        """Requests actually created (replays and rejected calls do not count)."""
        return self.state.created_count(account)

    def credits_charged(self, account: str | None = None) -> int:
        """Total credits charged (one charge per created request)."""
        return self.state.credits_charged(account)

    def set_credits(self, account: str, n: int) -> None:
        """Set the credit balance of ``account`` to ``n`` credits."""
        self.state.set_credits(account, n)

    def credits_remaining(self, account: str) -> int:
        """Credit balance of ``account``."""
        return self.state.credits_remaining(account)

    def ledger(self) -> list[dict[str, Any]]:
        """One entry per created request: id, account, operation, credits, idempotency_key, created_at_ms."""
        return self.state.ledger_entries()

    def request_object(self, request_id: str) -> dict[str, Any] | None:
        """The current RequestObject JSON of any request (no account check), or ``None``."""
        record = self.state.requests.get(request_id)
        return self.state.view(record) if record is not None else None

    # -- clock --------------------------------------------------------------------------------

    def now_ms(self) -> int:
        """Sandbox time in epoch milliseconds."""
        return self.clock.now_ms()

    def advance_clock(self, seconds: float) -> int:
        """Move the sandbox clock forward by ``seconds`` and apply what fell due.

        Requests finish, refunds are paid, request logs older than 7 days are swept, asset URLs
        and idempotency keys expire, rate-limit buckets refill and webhooks fall due, all as if
        that time had passed. Returns the new sandbox time (epoch ms).

        Raises:
            ValueError: ``seconds`` is negative or not finite.
        """
        return self.parts.advance_clock(seconds)

    def set_clock(self, epoch_ms: int) -> int:
        """Move the sandbox clock to ``epoch_ms`` (not backwards); see :meth:`advance_clock`.

        Raises:
            ValueError: ``epoch_ms`` is earlier than the current sandbox time.
        """
        return self.parts.set_clock(epoch_ms)

    # -- rate limits --------------------------------------------------------------------------

    def rate_limit_log(self) -> list[dict[str, Any]]:
        """One entry per call answered 429 by the rate limit: account, path, at_ms, retry_after_s."""
        return self.rate_limiter.log()

    # -- webhooks -----------------------------------------------------------------------------

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Delivery log: url, event_id, request_id, type, attempt, status_code, ok, error, at_ms."""
        return self.webhooks.deliveries()

    async def drain_webhooks(self, timeout_s: float = 10.0) -> None:
        """In-process use: wait until every due webhook has been delivered or given up.

        Must run in the event loop that serves the app. Raises TimeoutError after ``timeout_s`` seconds.
        """
        await self.webhooks.drain(timeout_s)

    # -- faults -------------------------------------------------------------------------------

    def add_fault(self, rule: FaultRule) -> None:
        """Add a fault rule (see :class:`FaultRule`)."""
        self.faults.add(rule)

    def fault_log(self) -> list[dict[str, Any]]:
        """One entry per injected fault: kind, endpoint, method, path, at_ms."""
        return self.faults.log()

    def clear_faults(self) -> None:
        """Remove every fault rule and the fault log."""
        self.faults.clear()

    # -- lifecycle ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget requests, ledger, idempotency keys, faults, deliveries and rate-limit buckets;
        refill credits; put the clock back on its source."""
        self.parts.reset()

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[ServerHandle]:
        """Run a real uvicorn server for this sandbox in a background thread.

        Args:
            host: interface to bind (loopback by default).
            port: TCP port; 0 picks a free one (see ``server.base_url``).

        Yields:
            A :class:`ServerHandle` with ``base_url``; the server stops when the block exits.

        Raises:
            OSError: the address cannot be bound.
            RuntimeError: the server did not start in time.
        """
        with run_in_thread(self.app, host, port, on_bound=self.guard.bind) as address:
            yield ServerHandle(address.base_url, address.host, address.port, self)
