"""Verify Standard Webhooks deliveries and unwrap them into the generated ``WebhookEvent``.

Headers ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (space-
separated ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``), secret ``whsec_...``
(schema ``webhooks.requestCompleted``; Assumed: the docs only say terminal delivery is attempted).
Signatures are computed by the ``standardwebhooks`` library; this module adds a configurable
timestamp tolerance, one exception per failure, and replay protection with a dedupe store.
Error messages never contain the secret or a signature.

Dedupe is one atomic step, ``store.claim(webhook_id, ttl_s) -> bool`` (True: first time, go on;
False: a copy was already claimed). Check-then-add over a network store lets concurrent copies
of one delivery all pass; ``claim`` is a single round trip (Redis: ``SET key 1 NX EX ttl``).
Secrets shorter than the Standard Webhooks minimum (24 bytes) are refused.

Bodies are bounded: one larger than ``max_body_bytes`` (default 1 MiB) is refused before it is
decoded or hashed, and a payload nested deeper than ``MAX_JSON_DEPTH`` after the signature
checks out, both with ``WebhookPayloadTooLargeError`` (a receiver answers 413). A receiver must
also refuse an oversized body before reading it whole: see ``examples/``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from cannon_studio_api.models.webhook_event import WebhookEvent
from standardwebhooks import Webhook

from ._backoff import check_tolerance
from ._constants import (
    ENV_WEBHOOK_SECRET,
    MAX_JSON_DEPTH,
    WEBHOOK_DEDUPE_MAX_IDS,
    WEBHOOK_MAX_BODY_BYTES,
    WEBHOOK_MIN_SECRET_BYTES,
    WEBHOOK_TOLERANCE_S,
)
from ._errors import (
    ConfigurationError,
    WebhookHeaderError,
    WebhookPayloadTooLargeError,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookVerificationError,
)
from ._logging import register_secret
from ._nesting import deeper_than
from ._reprs import readable_repr

__all__ = [
    "DedupeStore",
    "MemoryDedupeStore",
    "WebhookHeaderError",
    "WebhookPayloadTooLargeError",
    "WebhookReplayError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookVerificationError",
    "Webhooks",
    "sign",
    "verify",
]


@runtime_checkable
class DedupeStore(Protocol):
    """Where processed ``webhook-id`` values are claimed, atomically.

    ``claim(webhook_id, ttl_s)`` records the id for ``ttl_s`` SECONDS and returns True when it
    was not recorded yet, False when it was; check and record must be ONE atomic step (one
    round trip for a network store), or concurrent copies of one delivery all pass. Redis::

        class RedisDedupeStore:
            def __init__(self, redis): self.redis = redis
            def claim(self, webhook_id: str, ttl_s: float) -> bool:
                key = "cannon:webhook:" + webhook_id
                return bool(self.redis.set(key, b"1", nx=True, ex=max(1, math.ceil(ttl_s))))

    A plain ``set`` is accepted too (claimed under a process-wide lock; one process only).
    """

    def claim(self, webhook_id: str, ttl_s: float) -> bool: ...


class MemoryDedupeStore:
    """A bounded, thread-safe in-memory ``DedupeStore`` for one process.

    Args:
        max_ids: ids remembered at most (the oldest are dropped first).
        clock: time source in SECONDS (default ``time.monotonic``), for tests.
    """

    def __init__(
        self, max_ids: int = WEBHOOK_DEDUPE_MAX_IDS, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ids: OrderedDict[str, float] = OrderedDict()
        self._max = max_ids
        self._clock = clock
        self._lock = threading.Lock()

    def claim(self, webhook_id: str, ttl_s: float) -> bool:
        """Record ``webhook_id`` for ``ttl_s`` seconds; True if it was not recorded (atomic)."""
        with self._lock:
            now = self._clock()
            while self._ids:
                oldest, expires = next(iter(self._ids.items()))
                if expires > now and len(self._ids) < self._max:
                    break
                del self._ids[oldest]
            until = self._ids.get(webhook_id)
            if until is not None and until > now:
                return False
            self._ids[webhook_id] = now + ttl_s
            self._ids.move_to_end(webhook_id)
            return True

    def __contains__(self, webhook_id: object) -> bool:
        with self._lock:
            expires = self._ids.get(webhook_id) if isinstance(webhook_id, str) else None
            return expires is not None and expires > self._clock()

    def __len__(self) -> int:
        return len(self._ids)


_SET_LOCK = threading.Lock()


def _claim(store: object, webhook_id: str, ttl_s: float) -> bool:
    """``store.claim(...)``; a built-in ``set`` is claimed under a process-wide lock."""
    if type(store) is MemoryDedupeStore:  # the receiver's own: skip the protocol check's cost
        return store.claim(webhook_id, ttl_s)
    if isinstance(store, DedupeStore):
        return bool(store.claim(webhook_id, ttl_s))
    if isinstance(store, set):
        with _SET_LOCK:
            if webhook_id in store:
                return False
            store.add(webhook_id)
            return True
    raise ConfigurationError(
        "dedupe store must implement claim(webhook_id, ttl_s) -> bool (atomic), or be a set"
    )


def _secret_bytes(secret: str | bytes) -> int | None:
    """Length in bytes of the key a secret stands for (``None`` when it is not decodable)."""
    if isinstance(secret, bytes):
        return len(secret)
    text = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
    try:
        return len(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return None


def _webhook(secret: str | bytes) -> Webhook:
    if not secret:
        raise ConfigurationError("webhook secret is empty")
    if not isinstance(secret, str | bytes):
        raise ConfigurationError(
            f"webhook secret must be str or bytes, not {type(secret).__name__}"
        )
    size = _secret_bytes(secret)
    if size is None:
        raise ConfigurationError("webhook secret is not a valid 'whsec_<base64>' secret")
    if size < WEBHOOK_MIN_SECRET_BYTES:
        raise ConfigurationError(
            f"webhook secret is {size} bytes; Standard Webhooks secrets are at least "
            f"{WEBHOOK_MIN_SECRET_BYTES} random bytes (whsec_ + base64)"
        )
    try:
        return Webhook(secret)
    except Exception:  # never chain: the library's message could quote the secret
        raise ConfigurationError("webhook secret is not a valid 'whsec_<base64>' secret") from None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    items = getattr(headers, "items", None)
    if not callable(items):  # None, a list, a string...: not headers
        raise WebhookHeaderError(
            f"headers must be a mapping of header names to values, not {type(headers).__name__}"
        )
    try:
        return {str(k).lower(): str(v) for k, v in items()}
    except (TypeError, ValueError):
        raise WebhookHeaderError("headers must be a mapping of header names to values") from None


def check_body_size(max_body_bytes: object) -> int:
    """``max_body_bytes`` if it is an integer >= 1, else ``ConfigurationError``."""
    if isinstance(max_body_bytes, bool) or not isinstance(max_body_bytes, int):
        raise ConfigurationError(f"max_body_bytes must be an integer >= 1, got {max_body_bytes!r}")
    if max_body_bytes < 1:
        raise ConfigurationError(f"max_body_bytes must be an integer >= 1, got {max_body_bytes!r}")
    return max_body_bytes


def _bounded_body(body: object, max_body_bytes: int) -> str:
    """The body as text, refused (before any decoding) when larger than ``max_body_bytes``."""
    if isinstance(body, bytearray | memoryview):
        body = bytes(body)
    if not isinstance(body, bytes | str):
        raise WebhookHeaderError(f"body must be bytes or str, not {type(body).__name__}")
    if len(body) > max_body_bytes:  # a str of more characters is at least as many bytes
        raise WebhookPayloadTooLargeError(
            f"webhook body is larger than max_body_bytes={max_body_bytes}; refused unread"
        )
    if isinstance(body, str):
        _encodable(body, "body", WebhookSignatureError)
        if len(body.encode("utf-8")) > max_body_bytes:
            raise WebhookPayloadTooLargeError(
                f"webhook body is larger than max_body_bytes={max_body_bytes}; refused unread"
            )
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookSignatureError("body is not UTF-8; it cannot match a signature") from None


def sign(secret: str | bytes, webhook_id: str, timestamp: int, body: bytes | str) -> str:
    """The ``v1,<base64>`` signature of a delivery (for tests and local tools).

    Args:
        timestamp: Unix time in SECONDS.
    """
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    wh = _webhook(secret)
    when = datetime.fromtimestamp(timestamp, tz=UTC)
    return str(wh.sign(webhook_id, when, text))


def _encodable(value: str, what: str, error: type[WebhookVerificationError]) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise error(f"{what} holds characters that cannot be encoded as UTF-8") from None


def verify(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: float = WEBHOOK_TOLERANCE_S,
    dedupe: DedupeStore | set[str] | None = None,
    now: float | None = None,
    max_body_bytes: int = WEBHOOK_MAX_BODY_BYTES,
) -> WebhookEvent:
    """Verify a delivery and return the typed event (``event.data`` is the ``RequestObject``).

    Args:
        body: the raw request body exactly as received (bytes preferred).
        headers: the request headers (any case): a mapping, or anything with ``items()``.
        secret: the ``whsec_...`` signing secret.
        tolerance: allowed distance between ``webhook-timestamp`` and now, in SECONDS, both ways.
        dedupe: optional ``DedupeStore`` (``claim(webhook_id, ttl_s) -> bool``, atomic) or a
            ``set``; a repeat raises ``WebhookReplayError``. The id is claimed only after the
            signature checks out, for ``2 * tolerance`` seconds (any copy still inside the
            timestamp window is caught).
        now: current Unix time in seconds (default ``time.time()``), for tests.
        max_body_bytes: largest body accepted, in BYTES (default 1 MiB); a larger one is
            refused before it is decoded or hashed.

    Raises:
        WebhookPayloadTooLargeError: the body is over ``max_body_bytes``, or its payload is
            nested more than ``MAX_JSON_DEPTH`` (64) levels deep.
        WebhookHeaderError: a header is missing or malformed, ``headers`` is not a mapping, or
            the payload is not a WebhookEvent.
        WebhookTimestampError: the timestamp is older or newer than ``tolerance`` allows.
        WebhookSignatureError: no ``v1`` signature matches.
        WebhookReplayError: the id was seen before.
        ConfigurationError: the secret is unusable or shorter than 24 bytes, the tolerance is not
            a finite number > 0, or ``dedupe`` has no ``claim``.
    """
    tolerance = check_tolerance(tolerance)
    text = _bounded_body(body, check_body_size(max_body_bytes))
    h = _lower(headers)
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        _encodable(h.get(name, ""), name, WebhookHeaderError)
    webhook_id = h.get("webhook-id", "").strip()
    raw_ts = h.get("webhook-timestamp", "").strip()
    raw_sig = h.get("webhook-signature", "").strip()
    missing = [
        name
        for name, value in (
            ("webhook-id", webhook_id),
            ("webhook-timestamp", raw_ts),
            ("webhook-signature", raw_sig),
        )
        if not value
    ]
    if missing:
        raise WebhookHeaderError(f"missing webhook header(s): {', '.join(missing)}")
    if not (raw_ts.isascii() and raw_ts.isdigit()) or len(raw_ts) > 15:
        raise WebhookHeaderError("webhook-timestamp is not an integer Unix time in seconds")
    timestamp = int(raw_ts)
    signatures: list[bytes] = []
    for part in raw_sig.split():
        version, sep, value = part.partition(",")
        if not sep or not value:
            raise WebhookHeaderError("webhook-signature entries must look like 'v1,<base64>'")
        if version != "v1":
            continue
        try:
            signatures.append(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            raise WebhookHeaderError(
                "webhook-signature holds an entry that is not base64"
            ) from None
    if not signatures:
        raise WebhookHeaderError("webhook-signature has no v1 signature")
    current = time.time() if now is None else now
    if current - timestamp > tolerance:
        raise WebhookTimestampError(
            f"webhook-timestamp is {current - timestamp:.0f} s old; tolerance is {tolerance:g} s"
        )
    if timestamp - current > tolerance:
        raise WebhookTimestampError(
            f"webhook-timestamp is {timestamp - current:.0f} s in the future; "
            f"tolerance is {tolerance:g} s"
        )
    expected_text = sign(secret, webhook_id, timestamp, text)
    expected = base64.b64decode(expected_text.split(",", 1)[1])
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookSignatureError(f"no webhook-signature matches the body (id {webhook_id})")
    if dedupe is not None and not _claim(dedupe, webhook_id, 2 * tolerance):
        raise WebhookReplayError(f"webhook-id {webhook_id} was already processed")
    return _unwrap(text)


def _event_repr(self: WebhookEvent) -> str:
    return readable_repr(self)


_EVENT_CLASS: type[WebhookEvent] = type(
    "WebhookEvent", (WebhookEvent,), {"__repr__": _event_repr, "__slots__": ()}
)
"""The generated ``WebhookEvent`` with a readable ``repr`` (absent fields left out)."""


def _unwrap(text: str) -> WebhookEvent:
    too_deep = WebhookPayloadTooLargeError(
        f"verified payload is nested more than {MAX_JSON_DEPTH} levels deep"
    )
    try:
        data = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except ValueError as exc:
        raise WebhookHeaderError(
            f"verified payload is not a WebhookEvent ({type(exc).__name__})"
        ) from None
    if deeper_than(data, MAX_JSON_DEPTH):
        raise too_deep
    try:
        if not isinstance(data, dict):
            raise TypeError("not an object")
        return _EVENT_CLASS.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise WebhookHeaderError(
            f"verified payload is not a WebhookEvent ({type(exc).__name__})"
        ) from None


class Webhooks:
    """Verify webhook deliveries with one secret; needs no API key and makes no HTTP call.

    A receiver service builds one at start-up: ``webhooks = cannon_studio.Webhooks(secret)``
    (or ``Webhooks()`` to read ``CANNON_WEBHOOK_SECRET``), then calls
    ``webhooks.verify(body, headers)`` per delivery. ``client.webhooks`` is the same object
    made from the client's ``webhook_secret``.

    Args:
        secret: the ``whsec_...`` signing secret; ``None`` reads ``CANNON_WEBHOOK_SECRET``.
        tolerance: allowed distance between ``webhook-timestamp`` and now, in SECONDS, both ways
            (default 300, Standard Webhooks).
        dedupe: default ``DedupeStore`` for ``verify`` (e.g. ``MemoryDedupeStore()``, or a
            shared store with several workers); a repeated ``webhook-id`` then raises
            ``WebhookReplayError``.
        max_body_bytes: largest body ``verify`` accepts, in BYTES (default 1 MiB); a receiver
            should refuse larger bodies (413) before reading them: ``webhooks.max_body_bytes``.

    Raises:
        ConfigurationError: no secret, or one that is not ``whsec_<base64>`` of at least 24
            bytes (the message never quotes it); a ``tolerance`` that is not finite and > 0;
            a ``max_body_bytes`` that is not an integer >= 1.
    """

    def __init__(
        self,
        secret: str | bytes | None = None,
        *,
        tolerance: float = WEBHOOK_TOLERANCE_S,
        dedupe: DedupeStore | set[str] | None = None,
        max_body_bytes: int = WEBHOOK_MAX_BODY_BYTES,
    ) -> None:
        if secret is None:
            secret = os.environ.get(ENV_WEBHOOK_SECRET) or None
        if not secret:
            raise ConfigurationError(
                f"no webhook secret: pass Webhooks(secret) or set {ENV_WEBHOOK_SECRET}"
            )
        _webhook(secret)  # fail now, not on the first delivery
        register_secret(secret if isinstance(secret, str) else None)
        self._secret: str | bytes | None = secret
        self.tolerance = check_tolerance(tolerance)
        self.dedupe = dedupe
        self.max_body_bytes = check_body_size(max_body_bytes)

    @classmethod
    def for_client(cls, secret: str | None, *, tolerance: float = WEBHOOK_TOLERANCE_S) -> Webhooks:
        """``client.webhooks``: like ``Webhooks(secret)``, but a missing secret only fails at
        ``verify`` (a client that never verifies needs none)."""
        self = cls.__new__(cls)
        self._secret = secret or None
        self.tolerance = check_tolerance(tolerance)
        self.dedupe = None
        self.max_body_bytes = WEBHOOK_MAX_BODY_BYTES
        return self

    def verify(
        self,
        body: bytes | str,
        headers: Mapping[str, str],
        *,
        tolerance: float | None = None,
        dedupe: DedupeStore | set[str] | None = None,
        now: float | None = None,
    ) -> WebhookEvent:
        """Verify one delivery and return the typed event (``event.data`` is the request object).

        Args:
            body: the raw body, exactly as received (as the module function ``verify``).
            headers: the delivery's headers (as the module function ``verify``).
            tolerance: SECONDS, overrides this object's ``tolerance`` for this call.
            dedupe: overrides this object's ``dedupe`` store for this call.
            now: current Unix time in seconds (default ``time.time()``), for tests.

        Raises:
            ConfigurationError: no secret configured (``client.webhooks`` without one).
            WebhookHeaderError: see the module function ``verify``.
            WebhookTimestampError: see the module function ``verify``.
            WebhookSignatureError: see the module function ``verify``.
            WebhookReplayError: see the module function ``verify``.
            WebhookPayloadTooLargeError: see the module function ``verify`` (the body limit is
                this object's ``max_body_bytes``).
        """
        if not self._secret:
            raise ConfigurationError(
                f"no webhook secret: pass webhook_secret= or set {ENV_WEBHOOK_SECRET}"
            )
        return verify(
            body,
            headers,
            self._secret,
            tolerance=self.tolerance if tolerance is None else tolerance,
            dedupe=self.dedupe if dedupe is None else dedupe,
            now=now,
            max_body_bytes=self.max_body_bytes,
        )

    def __repr__(self) -> str:
        return (
            f"Webhooks(secret={'set' if self._secret else 'unset'}, tolerance={self.tolerance:g})"
        )
