"""Webhook verification: one exception per failure, tolerance, dedupe, secrets never shown."""

from __future__ import annotations

import json
import time

import pytest
from cannon_studio import (
    Cannon,
    ConfigurationError,
    WebhookHeaderError,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookVerificationError,
)
from cannon_studio.webhooks import MemoryDedupeStore, sign, verify
from overlay_helpers import API_KEY, WEBHOOK_SECRET
from standardwebhooks import Webhook

EVENT = {
    "id": "msg_1",
    "type": "request.succeeded",
    "timestamp": "2026-11-21T10:00:00.000Z",
    "data": {
        "id": "req_1",
        "operation": "image.generate",
        "status": "succeeded",
        "createdAtMs": 1_700_000_000_000,
        "output": {"asset_type": "image", "image_url": "https://a.test/i.png"},
    },
}
BODY = json.dumps(EVENT).encode()
OTHER_SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"


def headers(
    body: bytes = BODY,
    *,
    ts: int | None = None,
    msg_id: str = "msg_1",
    secret: str = WEBHOOK_SECRET,
) -> dict[str, str]:
    stamp = int(time.time()) if ts is None else ts
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, msg_id, stamp, body),
    }


def test_valid_delivery_returns_typed_event() -> None:
    event = verify(BODY, headers(), WEBHOOK_SECRET)
    assert type(event).__name__ == "WebhookEvent"
    assert event.id == "msg_1" and event.type_ == "request.succeeded"
    assert event.data.id == "req_1" and str(event.data.status) == "succeeded"
    assert type(event.data.output).__name__ == "ImageOutput"


def test_signature_matches_the_standardwebhooks_library() -> None:
    stamp = int(time.time())
    h = headers(ts=stamp)
    assert Webhook(WEBHOOK_SECRET).verify(BODY, h)["id"] == "msg_1"


def test_several_signatures_any_match() -> None:
    h = headers()
    wrong = sign(OTHER_SECRET, "msg_1", int(h["webhook-timestamp"]), BODY)
    h["webhook-signature"] = f"v2,abc {wrong} {h['webhook-signature']}"
    assert verify(BODY, h, WEBHOOK_SECRET).id == "msg_1"


def test_headers_any_case_and_str_body() -> None:
    h = {k.upper(): v for k, v in headers().items()}
    assert verify(BODY.decode(), h, WEBHOOK_SECRET).id == "msg_1"


def test_bad_signature() -> None:
    with pytest.raises(WebhookSignatureError):
        verify(BODY, headers(secret=OTHER_SECRET), WEBHOOK_SECRET)
    with pytest.raises(WebhookSignatureError):
        verify(BODY + b" ", headers(), WEBHOOK_SECRET)


@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
def test_stale_or_future_timestamp(offset: int) -> None:
    now = time.time()
    with pytest.raises(WebhookTimestampError):
        verify(BODY, headers(ts=int(now) + offset), WEBHOOK_SECRET, now=now)


def test_tolerance_is_configurable_in_seconds() -> None:
    now = 2_000_000_000.0
    h = headers(ts=int(now) - 600)
    assert verify(BODY, h, WEBHOOK_SECRET, tolerance=900, now=now).id == "msg_1"
    with pytest.raises(WebhookTimestampError):
        verify(BODY, h, WEBHOOK_SECRET, tolerance=60, now=now)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda h: h.pop("webhook-id"),
        lambda h: h.pop("webhook-timestamp"),
        lambda h: h.pop("webhook-signature"),
        lambda h: h.update({"webhook-timestamp": "yesterday"}),
        lambda h: h.update({"webhook-timestamp": "\u00b2"}),  # isdigit() but not a number
        lambda h: h.update({"webhook-timestamp": "1e9"}),
        lambda h: h.update({"webhook-signature": "v1"}),
        lambda h: h.update({"webhook-signature": "v1,not*base64!"}),
        lambda h: h.update({"webhook-signature": "v2,abcd"}),
    ],
)
def test_malformed_headers(mutate: object) -> None:
    h = headers()
    mutate(h)  # type: ignore[operator]
    with pytest.raises(WebhookHeaderError):
        verify(BODY, h, WEBHOOK_SECRET)


def test_verified_payload_that_is_not_an_event() -> None:
    body = b'{"hello": 1}'
    with pytest.raises(WebhookHeaderError, match="WebhookEvent"):
        verify(body, headers(body), WEBHOOK_SECRET)


def test_replay_detected_with_dedupe_store() -> None:
    store = MemoryDedupeStore(max_ids=2)
    h = headers()
    verify(BODY, h, WEBHOOK_SECRET, dedupe=store)
    with pytest.raises(WebhookReplayError):
        verify(BODY, h, WEBHOOK_SECRET, dedupe=store)
    seen: set[str] = set()
    verify(BODY, h, WEBHOOK_SECRET, dedupe=seen)
    assert seen == {"msg_1"}
    for i in range(3):  # bounded: the oldest id is forgotten
        body = BODY
        verify(body, headers(msg_id=f"m{i}"), WEBHOOK_SECRET, dedupe=store)
    assert len(store) == 2 and "m0" not in store


def test_forged_delivery_does_not_poison_dedupe() -> None:
    store = MemoryDedupeStore()
    with pytest.raises(WebhookSignatureError):
        verify(BODY, headers(secret=OTHER_SECRET), WEBHOOK_SECRET, dedupe=store)
    assert verify(BODY, headers(), WEBHOOK_SECRET, dedupe=store).id == "msg_1"


def test_secret_never_in_messages() -> None:
    failures: list[WebhookVerificationError | ConfigurationError] = []
    cases = [
        (headers(secret=OTHER_SECRET), WEBHOOK_SECRET),
        (headers(ts=1), WEBHOOK_SECRET),
        ({}, WEBHOOK_SECRET),
        (headers(), "whsec_%%%"),
        (headers(), ""),
    ]
    for h, secret in cases:
        try:
            verify(BODY, h, secret)
        except (WebhookVerificationError, ConfigurationError) as exc:
            failures.append(exc)
    assert len(failures) == len(cases)
    for exc in failures:
        text = str(exc) + repr(exc) + str(exc.__cause__) + str(exc.__context__)
        assert WEBHOOK_SECRET not in text and WEBHOOK_SECRET[6:] not in text
        assert "%%%" not in text


def test_client_webhooks_use_the_client_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with Cannon(api_key=API_KEY, webhook_secret=WEBHOOK_SECRET) as c:
        assert c.webhooks.verify(BODY, headers()).id == "msg_1"
    monkeypatch.setenv("CANNON_WEBHOOK_SECRET", WEBHOOK_SECRET)
    with Cannon(api_key=API_KEY, webhook_tolerance=10) as c, pytest.raises(WebhookTimestampError):
        c.webhooks.verify(BODY, headers(ts=int(time.time()) - 60))
    monkeypatch.delenv("CANNON_WEBHOOK_SECRET")
    with (
        Cannon(api_key=API_KEY) as c,
        pytest.raises(ConfigurationError, match="CANNON_WEBHOOK_SECRET"),
    ):
        c.webhooks.verify(BODY, headers())
