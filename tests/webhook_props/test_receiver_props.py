"""Properties of webhook-driven waiting (hypothesis): the receiver's verification step and its
notices, and the safety-net interval rule.

- whatever body and headers arrive unsigned or signed with another secret, the answer is 400,
  401 or 413 and nothing is taken (no notice, nothing accepted);
- any sequence of genuine deliveries, with duplicates in any order and some never sent, gives
  exactly one notice per request delivered: duplicates are acknowledged (200) and counted, never
  taken twice;
- the safety-net interval stays within its bounds and grows with the durations seen.
"""

from __future__ import annotations

import json
import time
from typing import Any

from cannon_studio import WebhookReceiver, Webhooks
from cannon_studio._polling import safety_interval
from cannon_studio.webhooks import sign
from hypothesis import given, settings
from hypothesis import strategies as st

SECRET = "whsec_" + "c2VjcmV0LW9mLXRoZS1yZWNlaXZlci1wcm9wZXJ0aWVzLTE="
OTHER = "whsec_" + "YW5vdGhlci1zZWNyZXQtdGhhdC1pcy1ub3QtdGhlLXJpZ2h0"


def _receiver() -> WebhookReceiver:
    return WebhookReceiver(Webhooks(SECRET, max_body_bytes=4096))


def _event(request_id: str, webhook_id: str) -> bytes:
    data = {
        "id": request_id,
        "operation": "image.generate",
        "status": "succeeded",
        "createdAtMs": 1,
        "completedAtMs": 2,
        "output": {"status": "succeeded", "image_urls": ["https://assets.test/a.png"]},
    }
    event = {"id": webhook_id, "type": "request.succeeded", "timestamp": "2026-01-01T00:00:00Z"}
    return json.dumps({**event, "data": data}).encode()


def _signed(secret: str, webhook_id: str, body: bytes) -> dict[str, str]:
    now = int(time.time())
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(now),
        "webhook-signature": sign(secret, webhook_id, now, body),
    }


header_values = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=60)


@settings(max_examples=150, deadline=None)
@given(
    body=st.binary(max_size=6000),
    headers=st.dictionaries(
        st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature", "x-other"]),
        header_values,
    ),
    forge=st.booleans(),
)
def test_nothing_unsigned_or_forged_is_taken(
    body: bytes, headers: dict[str, str], forge: bool
) -> None:
    receiver = _receiver()
    if forge:  # a well-formed delivery signed with another secret
        body = _event("req_forged", "msg_forged")
        headers = _signed(OTHER, "msg_forged", body)
    answer = receiver._verify(body, headers)
    assert answer.status in (400, 401, 413)
    assert receiver.stats.accepted == 0 and not receiver._notices


@settings(max_examples=100, deadline=None)
@given(
    copies=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=12),
    order=st.randoms(use_true_random=False),
)
def test_duplicates_in_any_order_are_taken_once(copies: list[int], order: Any) -> None:
    """``copies[i]`` deliveries of request i (0: its delivery was lost), shuffled."""
    receiver = _receiver()
    deliveries = [(f"req_{i}", f"msg_{i}") for i, count in enumerate(copies) for _ in range(count)]
    order.shuffle(deliveries)
    for request_id, webhook_id in deliveries:
        body = _event(request_id, webhook_id)
        answer = receiver._verify(body, _signed(SECRET, webhook_id, body))
        assert answer.status in (200, 204)
    delivered = {f"req_{i}" for i, count in enumerate(copies) if count}
    assert set(receiver._notices) == delivered
    assert all(n.record is not None for n in receiver._notices.values())
    assert receiver.stats.accepted == len(delivered)
    assert receiver.stats.duplicates == len(deliveries) - len(delivered)


durations = st.lists(st.floats(min_value=0, max_value=1e5), max_size=40).map(sorted)


@given(samples=durations, more=st.floats(min_value=0, max_value=1e5))
def test_safety_interval_is_bounded_and_grows_with_durations(
    samples: list[float], more: float
) -> None:
    low, high = 1.0, 300.0
    interval = safety_interval(samples, min_s=low, max_s=high, default_s=10.0, min_samples=8)
    assert low <= interval <= high
    if len(samples) < 8:
        assert interval == 10.0
    else:
        longer = sorted([*samples, more])
        grown = safety_interval(longer, min_s=low, max_s=high, default_s=10.0, min_samples=8)
        assert grown >= interval
        assert interval == min(max(2 * samples[-1], low), high)
