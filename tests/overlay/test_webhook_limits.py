"""Webhook bodies are bounded: too large is refused before decoding, too deep is a typed error."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

import pytest
from cannon_studio import (
    ConfigurationError,
    WebhookHeaderError,
    WebhookPayloadTooLargeError,
    Webhooks,
)
from cannon_studio.webhooks import sign

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _signed(body: bytes) -> dict[str, str]:
    now = int(time.time())
    return {
        "webhook-id": "msg_limits",
        "webhook-timestamp": str(now),
        "webhook-signature": sign(SECRET, "msg_limits", now, body),
    }


def test_a_100_mb_body_is_refused_before_it_is_decoded() -> None:
    body = b"\xff" * (100 * 1024 * 1024)  # not UTF-8: decoding it would fail differently
    webhooks = Webhooks(SECRET)
    tracemalloc.start()
    try:
        with pytest.raises(WebhookPayloadTooLargeError, match="max_body_bytes"):
            webhooks.verify(body, _signed(b"{}"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, f"verify allocated {peak} bytes for a refused body"


def test_the_limit_is_the_receivers_to_set() -> None:
    body = b'{"id": "x"}' + b" " * 2000
    with pytest.raises(WebhookPayloadTooLargeError):
        Webhooks(SECRET, max_body_bytes=1000).verify(body, _signed(body))
    for bad in (0, -1, 1.5, True, "1"):
        with pytest.raises(ConfigurationError, match="max_body_bytes"):
            Webhooks(SECRET, max_body_bytes=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("headers", [None, [("webhook-id", "x")], "webhook-id: x", 3])
def test_headers_that_are_not_a_mapping_are_a_typed_error(headers: Any) -> None:
    with pytest.raises(WebhookHeaderError, match="headers must be a mapping"):
        Webhooks(SECRET).verify(b"{}", headers)


def test_a_100k_deep_signed_body_is_a_typed_error() -> None:
    depth = 100_000
    body = b'{"id": "msg", "type": "request.succeeded", "data": ' + b"[" * depth + b"]" * depth
    body += b"}"
    with pytest.raises(WebhookPayloadTooLargeError, match="nested"):
        Webhooks(SECRET).verify(body, _signed(body))


def test_moderately_nested_signed_body_is_still_parsed_or_refused_as_not_an_event() -> None:
    body = b'{"id": "msg", "data": ' + b"[" * 40 + b"]" * 40 + b"}"
    with pytest.raises(WebhookHeaderError, match="not a WebhookEvent"):
        Webhooks(SECRET).verify(body, _signed(body))
