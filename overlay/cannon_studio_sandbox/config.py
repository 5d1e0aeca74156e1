"""Configuration of the sandbox: accounts, timing, credits, webhooks and fault rules.

Standard library only, so that ``import cannon_studio_sandbox`` (and the pytest plugin) stays
cheap for users without the ``[sandbox]`` extra.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .scopes import validate_key_scopes

#: Development API key accepted by a default sandbox. Test prefix ``cs_test_``, never ``cs_live_``
#: (Assumed: the docs only show ``cs_live_``; a distinct prefix keeps sandbox keys recognisable).
DEFAULT_API_KEY = "cs_test_sandbox_0000000000000000"
#: Account id the default key belongs to.
DEFAULT_ACCOUNT = "acct_default"
#: Standard Webhooks signing secret of a default sandbox (``whsec_`` + base64 of 32 bytes).
DEFAULT_WEBHOOK_SECRET = "whsec_Y2Fubm9uLXN0dWRpby1zYW5kYm94LXdoc2VjLTAwMDE="
#: Hosts the sandbox delivers webhooks to by default: loopback only.
DEFAULT_WEBHOOK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")

FaultKind = Literal[
    "429",
    "500",
    "502",
    "503",
    "drop_before",
    "drop_after_commit",
    "slow",
    "duplicate",
    "reorder",
    "drop",
]
FaultEndpoint = Literal["*", "status", "create", "get", "openapi", "assets", "webhooks"]
#: Kinds that hit an HTTP exchange with the sandbox's API.
HTTP_FAULT_KINDS: tuple[str, ...] = (
    "429",
    "500",
    "502",
    "503",
    "drop_before",
    "drop_after_commit",
    "slow",
)
#: Kinds that hit an outgoing webhook delivery (endpoint ``"webhooks"`` or ``"*"``).
WEBHOOK_FAULT_KINDS: tuple[str, ...] = ("duplicate", "reorder", "drop")
FAULT_KINDS: tuple[str, ...] = HTTP_FAULT_KINDS + WEBHOOK_FAULT_KINDS
FAULT_ENDPOINTS: tuple[str, ...] = (
    "*",
    "status",
    "create",
    "get",
    "openapi",
    "assets",
    "webhooks",
)
#: Default lifetime of a signed asset URL, counted from completion: 7 days (SECONDS).
DEFAULT_ASSET_URL_TTL_S = 7 * 24 * 3600.0


@dataclass(frozen=True)
class FaultRule:
    """One injected fault.

    Args:
        kind: ``"429"`` (with ``Retry-After``), ``"500"``/``"502"``/``"503"`` (503 also carries
            ``Retry-After``), ``"drop_before"`` (the connection is dropped before anything is
            committed), ``"drop_after_commit"`` (create only: the request is created and charged,
            then the connection is dropped; the case only idempotency can save; a create that is
            rejected or replayed does not use the rule up), ``"slow"`` (the response is delayed
            by ``delay_s`` and then served normally). Webhook kinds: ``"duplicate"`` (the
            delivery is sent twice, same ``webhook-id``, the copy ``delay_s`` later) and
            ``"reorder"`` (the delivery is held back ``delay_s`` so later events overtake it)
            and ``"drop"`` (the delivery is lost: never sent, as if every attempt vanished;
            ``FaultRule("drop", endpoint="webhooks", rate=0.1)`` loses one in ten).
        endpoint: which endpoint the rule applies to: ``"*"``, ``"status"``, ``"create"``,
            ``"get"``, ``"openapi"``, ``"assets"`` or ``"webhooks"`` (outgoing deliveries). HTTP
            kinds never hit webhooks and webhook kinds never hit HTTP calls. Admin routes
            (``/_sandbox/``) never fault.
        rate: probability in [0, 1] that a matching call is hit; drawn from the sandbox's seeded
            random generator, so runs are reproducible.
        count: fire at most this many times (``None``: unlimited).
        retry_after_s: seconds sent in ``Retry-After`` for 429 and 503 (integer seconds).
        delay_s: seconds of delay for ``"slow"``.

    Raises:
        ValueError: unknown kind or endpoint, rate outside [0, 1], negative count or times.
    """

    kind: str
    endpoint: str = "*"
    rate: float = 1.0
    count: int | None = None
    retry_after_s: int = 1
    delay_s: float = 2.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; allowed: {', '.join(FAULT_KINDS)}")
        if self.endpoint not in FAULT_ENDPOINTS:
            raise ValueError(
                f"unknown fault endpoint {self.endpoint!r}; allowed: {', '.join(FAULT_ENDPOINTS)}"
            )
        if self.endpoint == "webhooks" and self.kind not in WEBHOOK_FAULT_KINDS:
            raise ValueError(
                f"fault kind {self.kind!r} does not apply to webhooks; "
                f"allowed there: {', '.join(WEBHOOK_FAULT_KINDS)}"
            )
        if self.kind in WEBHOOK_FAULT_KINDS and self.endpoint not in ("*", "webhooks"):
            raise ValueError(f"fault kind {self.kind!r} needs endpoint 'webhooks' or '*'")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be within [0, 1], got {self.rate!r}")
        if self.count is not None and self.count < 0:
            raise ValueError(f"fault count must be >= 0, got {self.count!r}")
        if self.retry_after_s < 0 or self.delay_s < 0:
            raise ValueError("retry_after_s and delay_s must be >= 0 seconds")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultRule:
        """Build a rule from a JSON object (admin route ``POST /_sandbox/faults``).

        Raises:
            ValueError: unknown keys or invalid values.
        """
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"unknown fault rule keys: {', '.join(unknown)}")
        if "kind" not in data:
            raise ValueError("fault rule needs a 'kind'")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """JSON form of the rule."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox can be tuned with. All times are in SECONDS unless the name ends in _ms.

    Args:
        api_keys: API key -> account id. Every account starts with ``initial_credits``.
        initial_credits: credits per account at start and after ``reset()``.
        job_duration_s: (min, max) seconds a request spends ``processing``; drawn uniformly with
            the seeded generator. ``(0, 0)`` with ``queue_delay_s=0`` is instant mode (terminal
            at creation).
        queue_delay_s: seconds a request spends ``queued`` before ``processing``.
        poll_after_ms: milliseconds returned as ``poll_after_ms`` in the 202 (2000 in the docs).
        failure_rate: probability in [0, 1] that a request ends ``failed`` (seeded).
        seed: seed of the generator behind durations, random failures and fault rates.
        webhook_secret: Standard Webhooks secret (``whsec_...``) used to sign deliveries.
        webhook_max_attempts: delivery attempts per event (first try included) before giving up.
        webhook_backoff_s: delay before the first retry; doubled for every further retry.
        webhook_timeout_s: timeout of one delivery attempt.
        webhook_hosts: host names webhooks may be delivered to (default: loopback only). Other
            hosts are recorded in the delivery log as not attempted, so generated or example URLs
            never cause traffic off the machine.
        ticker_interval_s: period of the background task that delivers webhooks of requests
            that reached a terminal state (so webhooks go out even if nobody polls).
        idempotency_ttl_s: how long an idempotency key is remembered (Assumed: 24 hours, as in
            the schema); expired keys are evicted.
        max_retained_requests: requests kept in memory at most. Beyond it the oldest terminal
            ones are evicted (a GET then answers 404; the ledger keeps their totals), so memory
            stays bounded in a long soak. Sandbox-only: the real API keeps logs 7 days.
        schema_path: the OpenAPI document to validate against and serve; default: the
            ``openapi.json`` of the installed ``cannon_studio_api`` package.
        account_email: e-mail reported by ``GET /api/v1/status`` (``{account}`` is replaced by the account id).
        account_plan: plan reported by ``GET /api/v1/status`` (only ``trial`` is documented).
        key_scopes: API key -> scopes (``requests:write``, ``requests:read``); keys not listed
            have both. Assumed mapping: create needs write, reading a request needs read (see
            :mod:`.scopes`).
        rate_limit_per_s: requests per SECOND allowed per API key (burst of the same size), or
            ``None`` for no limit; over it the API answers 429 with ``Retry-After`` (see
            :mod:`.ratelimit`).
        refund_failed: give the credits of a request back when it ends ``failed`` (its
            ``billableCredits`` then reads 0). Assumed default: ``False`` (no refund; the docs
            are silent, a peer API refunds).
        asset_url_ttl_s: lifetime of signed asset URLs in SECONDS, counted from the request's
            completion (default 7 days; see :mod:`.storage`).
    """

    api_keys: dict[str, str] = field(
        default_factory=lambda: {DEFAULT_API_KEY: DEFAULT_ACCOUNT}, repr=False
    )
    initial_credits: int = 10_000
    job_duration_s: tuple[float, float] = (1.0, 3.0)
    queue_delay_s: float = 0.2
    poll_after_ms: int = 2000
    failure_rate: float = 0.0
    seed: int = 0
    webhook_secret: str = field(default=DEFAULT_WEBHOOK_SECRET, repr=False)
    webhook_max_attempts: int = 5
    webhook_backoff_s: float = 0.5
    webhook_timeout_s: float = 5.0
    webhook_hosts: tuple[str, ...] = DEFAULT_WEBHOOK_HOSTS
    ticker_interval_s: float = 0.05
    idempotency_ttl_s: float = 24 * 3600.0
    max_retained_requests: int = 10_000
    schema_path: Path | None = None
    account_email: str = "{account}@sandbox.cannonstudio.test"
    account_plan: str = "trial"
    key_scopes: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    rate_limit_per_s: float | None = None
    refund_failed: bool = False
    asset_url_ttl_s: float = DEFAULT_ASSET_URL_TTL_S

    def __post_init__(self) -> None:
        lo, hi = self.job_duration_s
        if lo < 0 or hi < lo:
            raise ValueError(
                f"job_duration_s must be (min, max) with 0 <= min <= max, got {self.job_duration_s!r}"
            )
        if self.queue_delay_s < 0 or self.poll_after_ms < 0:
            raise ValueError("queue_delay_s and poll_after_ms must be >= 0")
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError(f"failure_rate must be within [0, 1], got {self.failure_rate!r}")
        if not self.webhook_secret.startswith("whsec_"):
            raise ValueError("webhook_secret must start with 'whsec_' (Standard Webhooks)")
        if (
            not isinstance(self.max_retained_requests, int)
            or isinstance(self.max_retained_requests, bool)
            or self.max_retained_requests < 1
        ):
            raise ValueError("max_retained_requests must be an integer >= 1")
        if self.webhook_max_attempts < 1:
            raise ValueError("webhook_max_attempts must be >= 1")
        if not self.api_keys:
            raise ValueError("api_keys must hold at least one key")
        validate_key_scopes(self.key_scopes)
        unknown_keys = [k for k in self.key_scopes if k not in self.api_keys]
        if unknown_keys:
            raise ValueError("key_scopes names a key that is not in api_keys")
        if self.rate_limit_per_s is not None and not (
            self.rate_limit_per_s > 0 and math.isfinite(self.rate_limit_per_s)
        ):
            raise ValueError(
                f"rate_limit_per_s must be a positive number or None, got {self.rate_limit_per_s!r}"
            )
        if not self.asset_url_ttl_s > 0:
            raise ValueError(f"asset_url_ttl_s must be > 0 seconds, got {self.asset_url_ttl_s!r}")

    @classmethod
    def instant(cls, **overrides: Any) -> SandboxConfig:
        """Config for tests: no queueing or processing delay, ``poll_after_ms=0``, fast webhook retries.

        Keyword arguments override any field.
        """
        values: dict[str, Any] = {
            "job_duration_s": (0.0, 0.0),
            "queue_delay_s": 0.0,
            "poll_after_ms": 0,
            "webhook_backoff_s": 0.01,
            "webhook_timeout_s": 2.0,
            "ticker_interval_s": 0.01,
        }
        values.update(overrides)
        return cls(**values)

    @property
    def is_instant(self) -> bool:
        """True when requests are terminal at creation."""
        return self.queue_delay_s == 0 and self.job_duration_s == (0.0, 0.0)

    def with_updates(self, updates: dict[str, Any]) -> SandboxConfig:
        """A copy with ``updates`` applied (admin route ``POST /_sandbox/config``).

        Lists are accepted for tuple fields. Raises ValueError on unknown keys or invalid values.
        """
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(updates) - names)
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(unknown)}")
        fixed: dict[str, Any] = {}
        for key, value in updates.items():
            if key in ("job_duration_s", "webhook_hosts") and isinstance(value, list):
                value = tuple(float(v) for v in value) if key == "job_duration_s" else tuple(value)
            if key == "schema_path" and value is not None:
                value = Path(value)
            if key == "key_scopes" and isinstance(value, dict):
                value = {k: tuple(v) for k, v in value.items()}
            fixed[key] = value
        return dataclasses.replace(self, **fixed)

    def public_dict(self) -> dict[str, Any]:
        """JSON view without secrets (keys are masked, the webhook secret is omitted)."""
        data = dataclasses.asdict(self)
        data["api_keys"] = {mask_secret(k): v for k, v in self.api_keys.items()}
        data["key_scopes"] = {mask_secret(k): list(v) for k, v in self.key_scopes.items()}
        data.pop("webhook_secret")
        data["schema_path"] = str(self.schema_path) if self.schema_path else None
        return data


def mask_secret(value: str) -> str:
    """``cs_test_abcd...`` -> ``cs_test_****wxyz``: keeps the prefix and last 4 characters."""
    prefix = value[: value.index("_", 3) + 1] if value.count("_") >= 2 else ""
    return f"{prefix}****{value[-4:]}"
