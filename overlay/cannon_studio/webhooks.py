"""Verify Standard Webhooks deliveries and unwrap them into the generated ``WebhookEvent``.

Headers ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (space-
separated ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``), secret ``whsec_...``
(schema ``webhooks.requestCompleted``; Assumed: the docs only say terminal delivery is attempted).
Signatures are computed by the ``standardwebhooks`` library; this module adds a configurable
timestamp tolerance, one exception per failure, and replay protection with a dedupe store.
Error messages never contain the secret or a signature.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import time
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from ._constants import WEBHOOK_DEDUPE_MAX_IDS, WEBHOOK_TOLERANCE_S
from ._errors import (
    ConfigurationError,
    WebhookHeaderError,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookVerificationError,
)

if TYPE_CHECKING:
    from cannon_studio_api.models import WebhookEvent

__all__ = [
    "DedupeStore",
    "MemoryDedupeStore",
    "WebhookHeaderError",
    "WebhookReplayError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookVerificationError",
    "Webhooks",
    "sign",
    "verify",
]


class DedupeStore(Protocol):
    """Where seen ``webhook-id`` values are kept (a ``set`` works; so does a Redis wrapper)."""

    def __contains__(self, webhook_id: object) -> bool: ...

    def add(self, webhook_id: str) -> None: ...


class MemoryDedupeStore:
    """A bounded in-memory ``DedupeStore`` (oldest ids dropped beyond ``max_ids``)."""

    def __init__(self, max_ids: int = WEBHOOK_DEDUPE_MAX_IDS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._max = max_ids

    def __contains__(self, webhook_id: object) -> bool:
        return webhook_id in self._ids

    def add(self, webhook_id: str) -> None:
        self._ids[webhook_id] = None
        while len(self._ids) > self._max:
            self._ids.popitem(last=False)

    def __len__(self) -> int:
        return len(self._ids)


def _webhook(secret: str | bytes) -> Any:
    from standardwebhooks import Webhook

    if not secret:
        raise ConfigurationError("webhook secret is empty")
    try:
        return Webhook(secret)
    except Exception:  # never chain: the library's message could quote the secret
        raise ConfigurationError("webhook secret is not a valid 'whsec_<base64>' secret") from None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


def sign(secret: str | bytes, webhook_id: str, timestamp: int, body: bytes | str) -> str:
    """The ``v1,<base64>`` signature of a delivery (for tests and local tools).

    Args:
        timestamp: Unix time in SECONDS.
    """
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    wh = _webhook(secret)
    when = datetime.fromtimestamp(timestamp, tz=UTC)
    return str(wh.sign(webhook_id, when, text))


def verify(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: float = WEBHOOK_TOLERANCE_S,
    dedupe: DedupeStore | None = None,
    now: float | None = None,
) -> WebhookEvent:
    """Verify a delivery and return the typed event (``event.data`` is the ``RequestObject``).

    Args:
        body: the raw request body exactly as received (bytes preferred).
        headers: the request headers (any case).
        secret: the ``whsec_...`` signing secret.
        tolerance: allowed distance between ``webhook-timestamp`` and now, in SECONDS, both ways.
        dedupe: optional store of seen ``webhook-id`` values; a repeat raises
            ``WebhookReplayError``. The id is recorded only after the signature checks out.
        now: current Unix time in seconds (default ``time.time()``), for tests.

    Raises:
        WebhookHeaderError: a header is missing or malformed, or the payload is not a WebhookEvent.
        WebhookTimestampError: the timestamp is older or newer than ``tolerance`` allows.
        WebhookSignatureError: no ``v1`` signature matches.
        WebhookReplayError: the id was seen before.
        ConfigurationError: the secret is unusable.
    """
    h = _lower(headers)
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
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise WebhookSignatureError("body is not UTF-8; it cannot match a signature") from None
    expected_text = sign(secret, webhook_id, timestamp, text)
    expected = base64.b64decode(expected_text.split(",", 1)[1])
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookSignatureError(f"no webhook-signature matches the body (id {webhook_id})")
    if dedupe is not None:
        if webhook_id in dedupe:
            raise WebhookReplayError(f"webhook-id {webhook_id} was already processed")
        dedupe.add(webhook_id)
    return _unwrap(text)


def _unwrap(text: str) -> WebhookEvent:
    from cannon_studio_api.models.webhook_event import WebhookEvent

    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("not an object")
        return WebhookEvent.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise WebhookHeaderError(
            f"verified payload is not a WebhookEvent ({type(exc).__name__})"
        ) from None


class Webhooks:
    """``client.webhooks``: verification with the client's secret (``CANNON_WEBHOOK_SECRET``)."""

    def __init__(self, secret: str | None, *, tolerance: float = WEBHOOK_TOLERANCE_S) -> None:
        self._secret = secret
        self.tolerance = tolerance

    def verify(
        self,
        body: bytes | str,
        headers: Mapping[str, str],
        *,
        tolerance: float | None = None,
        dedupe: DedupeStore | None = None,
    ) -> WebhookEvent:
        """``verify(body, headers, secret=<client secret>)``; see the module function."""
        if not self._secret:
            raise ConfigurationError(
                "no webhook secret: pass webhook_secret= or set CANNON_WEBHOOK_SECRET"
            )
        return verify(
            body,
            headers,
            self._secret,
            tolerance=self.tolerance if tolerance is None else tolerance,
            dedupe=dedupe,
        )

    def __repr__(self) -> str:
        return f"Webhooks(secret={'set' if self._secret else 'unset'})"
