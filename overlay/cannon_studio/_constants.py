"""Every tunable of the client in one place.

Starting points are the values of openai-python (see ``shared/reference/sdk-anchors.md``):
2 retries, 0.5 s x 2^n backoff capped at 8 s, jitter x U[0.75, 1], ``Retry-After`` honoured up
to a cap. Units are in the names: ``_S`` = seconds, ``_MS`` = milliseconds.
"""

from __future__ import annotations

from ._version import __version__

DEFAULT_BASE_URL = "https://www.cannonstudio.app"
"""Production base URL (docs: every example uses it)."""

USER_AGENT = f"cannon-studio-python/{__version__}"
"""``User-Agent`` of every call the client makes (API and downloads)."""

API_KEY_HEADER = "x-api-key"
"""Header that carries the API key (authentication page)."""

IDEMPOTENCY_HEADER = "x-idempotency-key"
"""Header for idempotent creates (create-request page)."""

REQUEST_ID_HEADER = "x-request-id"
"""Response header naming the server's id of one HTTP exchange (``handle.x_request_id``,
``APIResponse.x_request_id``, ``APIStatusError.x_request_id``). Assumed: the docs name no such
header; ``x-request-id`` is the common convention (openai, stripe's ``request-id``). Read only
when present."""

IDEMPOTENCY_KEY_PREFIX = "cs-idem-"
"""Prefix of automatically generated idempotency keys (followed by 32 hex characters)."""

ENV_API_KEY = "CANNON_API_KEY"
ENV_BASE_URL = "CANNON_BASE_URL"
ENV_WEBHOOK_SECRET = "CANNON_WEBHOOK_SECRET"
ENV_LOG = "CANNON_LOG"

# --- HTTP -------------------------------------------------------------------------------------
DEFAULT_TIMEOUT_S = 60.0
"""Default HTTP timeout of each call in seconds (read/write/pool): ``Cannon(timeout=...)``,
``with_options(timeout=...)`` and the per-call ``timeout=``. Not the wait deadline
(``max_wait``, see ``DEFAULT_MAX_WAIT_S``)."""

DEFAULT_CONNECT_TIMEOUT_S = 5.0
"""Default connect timeout in seconds (openai: 5 s)."""

# --- retries ----------------------------------------------------------------------------------
DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt (openai and stripe: 2)."""

RETRY_INITIAL_DELAY_S = 0.5
"""Backoff base in seconds: attempt n (0-based) waits ``0.5 * 2**n`` before jitter."""

RETRY_MAX_DELAY_S = 8.0
"""Cap of the computed backoff, in seconds."""

RETRY_JITTER = (0.75, 1.0)
"""The backoff is multiplied by a factor drawn uniformly from this range."""

RETRY_AFTER_MAX_S = 60.0
"""A server ``Retry-After`` longer than this (seconds) is capped to it."""

RETRYABLE_STATUS_CODES = frozenset({408, 429, 500, 502, 503, 504})
"""HTTP statuses that are retried (any other 5xx is retried too, see ``_retry.should_retry``)."""

# --- polling ----------------------------------------------------------------------------------
DEFAULT_POLL_AFTER_MS = 1000
"""First poll delay in milliseconds when the server gives no ``poll_after_ms`` (docs show 2000)."""

MAX_POLL_AFTER_MS = 600_000
"""Largest server ``poll_after_ms`` honoured, in milliseconds (10 minutes); larger hints are
clamped to it, non-numbers replaced by ``DEFAULT_POLL_AFTER_MS``."""

POLL_INITIAL_INTERVAL_S = 0.5
"""Interval in seconds between the first and the second poll; later intervals grow."""

POLL_MULTIPLIER = 1.5
"""Each following poll interval is the previous one times this factor."""

POLL_MAX_INTERVAL_S = 5.0
"""Cap of the poll interval in seconds."""

POLL_JITTER = (0.8, 1.0)
"""Poll intervals are multiplied by a factor drawn uniformly from this range (no history only)."""

POLL_MIN_SAMPLES = 8
"""Finished requests of an operation needed before polls follow its observed durations."""

POLL_HISTORY_WINDOW = 256
"""Observed durations kept per operation (the most recent), for the adaptive schedule."""

POLL_STEP_MASS = 0.232
"""Adaptive polls are spaced so that this fraction of the observed duration distribution
completes between two polls. For jobs uniform over a window W = 2 s (1-3 s jobs):
1 + sum_k max(0, 1 - (k + 1) x 0.232) = 2.68 GETs per request and a mean notice latency of about
0.116 x W = 0.232 s (a 1 s loop: 2.7 GETs in that model, 2.87 measured; replicate's 0.5 s loop:
0.25 s, 0.243 s measured). The two light-load goals pull opposite ways (fewer GETs than every
peer, lower latency than replicate): 0.24 left 1 % on latency (0.240 vs 0.243 s measured), below
0.231 the model's GETs reach the 1 s loop's; 0.232 keeps both. Measured in ``make bench``
(section polling)."""

POLL_MIN_INTERVAL_S = 0.1
"""Shortest wait between two adaptive polls of one request, in seconds (fal's interval)."""

POLL_TAIL_FRACTION = 0.25
"""Past every observed duration, the next poll waits this fraction of the request's age."""

POLL_CLOSE_REMAINING = 4
"""A fan-out's last requests: once ``as_completed`` / ``wait_all`` has every create answered and
at most this many of its (more than this many) requests left to wait for, those are polled
closely (``POLL_CLOSE_FACTOR``). The wall time of a fan-out is the notice of its last request;
a GET spent on one of the last few shortens it, one spent earlier does not."""

POLL_CLOSE_FACTOR = 4.0
"""How much more closely a fan-out's last requests are polled: the adaptive schedule's step mass
(``POLL_STEP_MASS``) and its tail fraction (``POLL_TAIL_FRACTION``) are divided by it, with the
same ``POLL_MIN_INTERVAL_S``. For 1-3 s jobs: a poll about every 0.12 s instead of 0.46 s, for at
most ``POLL_CLOSE_REMAINING`` requests (a few dozen GETs more per fan-out)."""

DEFAULT_MAX_WAIT_S = 1800.0
"""Overall wait deadline (``max_wait``) of ``wait`` / ``run`` / ``as_completed`` / ``wait_all`` in
seconds when none is given (30 minutes)."""

DEFAULT_BATCH_CONCURRENCY = 16
"""Jobs of a batch run (``Cannon.batch``, ``cannon_studio.batch.run_batch``) in flight at once
unless told otherwise."""

DEFAULT_SYNC_MAX_CONCURRENCY = 8
"""Polls in flight at once in the sync ``as_completed`` / ``wait_all`` (threads of its small
pool, sharing the client's connection pool) when none is given."""

MAX_IN_FLIGHT_REQUESTS = 64
"""HTTP calls one ``AsyncCannon`` has in flight at once; more wait their turn in the client.

A call takes its slot before its request is built (``_gate.InFlightGate``), and the default
transport keeps this many connections alive (``transports.pool_limits``), so httpcore2's pool
never queues (it rescans every queued request on each change: 1,000 creates queued there took
76 s instead of 10 s) and never opens a connection per call. Backoff sleeps do not hold a slot.
"""

# --- webhooks ---------------------------------------------------------------------------------
WEBHOOK_TOLERANCE_S = 300.0
"""Allowed distance in seconds between ``webhook-timestamp`` and now, both ways (Standard Webhooks)."""

WEBHOOK_MIN_SECRET_BYTES = 24
"""Shortest accepted webhook signing key, in bytes (Standard Webhooks: 24-64 random bytes)."""

WEBHOOK_MAX_BODY_BYTES = 1024 * 1024
"""Largest webhook body accepted, in BYTES (1 MiB): ``Webhooks.verify`` refuses a larger one
before decoding it, and the example receivers answer 413 before reading it. A delivery is one
request object (a few KiB); ``Webhooks(max_body_bytes=...)`` changes it."""

MAX_JSON_DEPTH = 64
"""Deepest nesting of objects and arrays accepted in a webhook body or a batch job line (the
API's own documents nest fewer than ten levels); deeper input is refused in one sentence."""

WEBHOOK_DEDUPE_MAX_IDS = 10_000
"""How many webhook ids ``MemoryDedupeStore`` remembers (oldest are dropped first)."""

RECEIVER_SAFETY_FACTOR = 2.0
"""Webhook-driven waits poll as a safety net every ``factor x`` the longest recent duration of
the operation (``WebhookReceiver``); a delivery that was dropped is found by that poll."""

RECEIVER_SAFETY_MIN_S = 1.0
"""Shortest safety-net interval of a webhook-driven wait, in SECONDS."""

RECEIVER_SAFETY_MAX_S = 300.0
"""Longest safety-net interval of a webhook-driven wait, in SECONDS (5 minutes)."""

RECEIVER_SAFETY_DEFAULT_S = 10.0
"""Safety-net interval in SECONDS while too few durations of an operation were seen
(``POLL_MIN_SAMPLES``): twice the no-history poll cap (``POLL_MAX_INTERVAL_S``)."""

RECEIVER_MAX_CONCURRENT = 256
"""Deliveries a ``WebhookReceiver`` handles at once; more are answered 503 with ``Retry-After``
(an at-least-once sender retries them), so a flood cannot pile up work."""

RECEIVER_READ_TIMEOUT_S = 10.0
"""Time a ``WebhookReceiver`` gives one delivery to arrive whole, head and body, in SECONDS (408
after)."""

RECEIVER_MAX_NOTICES = 100_000
"""Request ids a ``WebhookReceiver`` remembers deliveries for (oldest dropped first): a delivery
that arrives before its wait starts is kept until then."""

# --- assets -----------------------------------------------------------------------------------
DOWNLOAD_CHUNK_BYTES = 64 * 1024
"""Chunk size in bytes for streamed downloads."""

DEFAULT_MAX_DOWNLOAD_BYTES = 8 * 1024**3
"""Default ``max_bytes`` of a download: 8 GiB of DECODED bytes (a long 4K video fits; an endless
body or a compression bomb does not). Pass ``max_bytes=None`` to lift it."""

DEFAULT_DOWNLOAD_TIMEOUT_S = 3600.0
"""Total deadline of one asset download in SECONDS (connect, redirects, retries, the whole body):
an asset host that drips its body cannot hold a download longer. ``timeout=`` overrides it."""

DEFAULT_DOWNLOAD_NAME = "asset"
"""File name used when an asset URL has no usable last path segment."""
