"""``cannon_studio.Webhooks(secret)``: a verifier that needs only the secret (no API key, no
client, no HTTP), and webhook events that print without absent fields."""

from __future__ import annotations

import json
import time

import pytest
from cannon_studio import (
    Cannon,
    ConfigurationError,
    WebhookReplayError,
    Webhooks,
    WebhookSignatureError,
)
from cannon_studio.webhooks import MemoryDedupeStore, sign
from overlay_helpers import API_KEY, WEBHOOK_SECRET


def _delivery(body_id: str = "msg_1") -> tuple[str, dict[str, str]]:
    body = json.dumps(
        {
            "id": body_id,
            "type": "request.succeeded",
            "timestamp": "2026-01-01T00:00:00Z",
            "data": {"id": "req_1", "operation": "image.generate", "status": "succeeded",
                     "createdAtMs": 0},
        }
    )  # fmt: skip
    now = int(time.time())
    headers = {
        "webhook-id": body_id,
        "webhook-timestamp": str(now),
        "webhook-signature": sign(WEBHOOK_SECRET, body_id, now, body),
    }
    return body, headers


def test_verifies_with_only_the_secret_and_no_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANNON_API_KEY", raising=False)
    webhooks = Webhooks(WEBHOOK_SECRET, dedupe=MemoryDedupeStore())
    body, headers = _delivery()
    event = webhooks.verify(body.encode(), headers)
    assert event.data.id == "req_1" and event.type_ == "request.succeeded"
    with pytest.raises(WebhookReplayError):
        webhooks.verify(body, headers)
    with pytest.raises(WebhookSignatureError):
        webhooks.verify(body.replace("req_1", "req_2"), headers | {"webhook-id": "other"})
    assert WEBHOOK_SECRET not in repr(webhooks)


def test_secret_from_the_environment_and_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="CANNON_WEBHOOK_SECRET"):
        Webhooks()
    monkeypatch.setenv("CANNON_WEBHOOK_SECRET", WEBHOOK_SECRET)
    body, headers = _delivery()
    assert Webhooks().verify(body, headers).id == "msg_1"
    with pytest.raises(ConfigurationError) as info:
        Webhooks("whsec_not*base64")
    assert "not*base64" not in str(info.value)


def test_event_repr_leaves_absent_fields_out() -> None:
    body, headers = _delivery()
    event = Webhooks(WEBHOOK_SECRET).verify(body, headers)
    text = repr(event)
    assert "Unset" not in text and "object at 0x" not in text
    assert "id='req_1'" in text and "status='succeeded'" in text
    assert "error_message" not in text  # absent in the delivery


def test_client_webhooks_is_the_same_verifier() -> None:
    with Cannon(api_key=API_KEY, webhook_secret=WEBHOOK_SECRET) as client:
        body, headers = _delivery()
        assert client.webhooks.verify(body, headers).data.id == "req_1"
    with Cannon(api_key=API_KEY) as bare, pytest.raises(ConfigurationError, match="secret"):
        bare.webhooks.verify(body, headers)
