"""The sandbox's working parts, wired together: what the app serves and the facade controls.

:class:`SandboxParts` is the floor between the parts (state, clock, faults, rate limits,
webhooks, the schema) and the two things built on them: the ASGI app (:mod:`.app`, which takes
the parts) and the :class:`~.control.Sandbox` control handle (which owns them). Operations that
span several parts (reset, a configuration change, a clock move) live here, so the app's admin
routes and the control handle do exactly the same thing, and neither needs the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2

from .clock import SandboxClock
from .config import SandboxConfig
from .faults import FaultInjector
from .guard import SandboxGuard
from .ratelimit import RateLimiter
from .schema import ApiSchema
from .state import SandboxState, now_ms
from .webhooks import WebhookDispatcher


class SandboxParts:
    """One sandbox's state, clock, faults, rate limiter, webhook dispatcher and schema.

    Args:
        config: the configuration.
        clock_ms: time source in epoch MILLISECONDS; the sandbox clock adds an offset to it.
        webhook_transport: optional httpx2 async transport for webhook deliveries.
        control_token: the control-API token (default: a fresh random one).

    Attributes:
        schema: the API schema requests are validated with (and ``/api/v1/openapi`` serves).
        clock: the movable sandbox clock.
        state: requests, ledger, credits, idempotency keys, retention.
        faults: the fault injector.
        rate_limiter: per-key token buckets.
        webhooks: the webhook dispatcher.
        guard: the security settings (control token, ``Host`` check) the app's middleware applies.

    Raises:
        FileNotFoundError: the schema cannot be found (see ``SandboxConfig.schema_path``).
        ValueError: ``control_token`` is shorter than 16 characters or not ASCII.
    """

    def __init__(
        self,
        config: SandboxConfig,
        *,
        clock_ms: Callable[[], int] = now_ms,
        webhook_transport: httpx2.AsyncBaseTransport | None = None,
        control_token: str | None = None,
    ) -> None:
        self.guard = SandboxGuard(control_token)
        self._config = config
        self.schema = ApiSchema.load(config.schema_path)
        self.clock = SandboxClock(clock_ms)
        self.state = SandboxState(config, self.clock)
        self.faults = FaultInjector(config.seed, self.clock.now_ms)
        self.rate_limiter = RateLimiter(self.clock.now_ms)
        self.webhooks = WebhookDispatcher(
            self.state, lambda: self._config, webhook_transport, self.faults
        )

    @property
    def config(self) -> SandboxConfig:
        """The current configuration."""
        return self._config

    def update_config(self, **updates: Any) -> SandboxConfig:
        """Change configuration fields (applies to requests created afterwards).

        Raises:
            ValueError: an unknown field or a bad value.
        """
        self._config = self._config.with_updates(updates)
        self.state.config = self._config
        return self._config

    def advance_clock(self, seconds: float) -> int:
        """Move the sandbox clock forward by ``seconds`` and apply what fell due.

        Returns the new sandbox time (epoch ms).

        Raises:
            ValueError: ``seconds`` is negative or not finite.
        """
        now = self.clock.advance(seconds)
        self.state.tick(now)
        return now

    def set_clock(self, epoch_ms: int) -> int:
        """Move the sandbox clock to ``epoch_ms`` (not backwards) and apply what fell due.

        Raises:
            ValueError: ``epoch_ms`` is earlier than the current sandbox time.
        """
        now = self.clock.set(epoch_ms)
        self.state.tick(now)
        return now

    def reset(self) -> None:
        """Forget requests, ledger, idempotency keys, faults, deliveries and rate-limit buckets;
        refill credits; put the clock back on its source."""
        self.clock.reset()
        self.state.reset()
        self.faults.clear(self._config.seed)
        self.rate_limiter.reset()
        self.webhooks.reset()
