"""Red team, webhooks: concurrent copies of one delivery are accepted once; short secrets,
bad tolerances and unencodable input are refused with typed errors."""

from __future__ import annotations

import math
import threading
import time

import pytest
from cannon_studio import ConfigurationError, WebhookReplayError, WebhookVerificationError
from cannon_studio.webhooks import MemoryDedupeStore, sign, verify
from redteam_support import WEBHOOK_SECRET, record

AREA = "webhooks"
BODY = (
    '{"id":"evt_1","type":"request.succeeded","timestamp":"2026-01-01T00:00:00Z",'
    '"data":{"id":"req_1","operation":"image.generate","status":"succeeded","createdAtMs":1}}'
)


def _headers(msg_id: str = "msg_1", secret: str = WEBHOOK_SECRET) -> dict[str, str]:
    ts = int(time.time())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, msg_id, ts, BODY),
    }


class NetworkStore:
    """Stands in for Redis: every call is a slow round trip, ``claim`` is atomic server-side.

    It also offers the old ``__contains__`` + ``add`` pair, which with this latency lets every
    concurrent copy through (the defect).
    """

    def __init__(self) -> None:
        self._ids: dict[str, float] = {}
        self._lock = threading.Lock()

    def _round_trip(self) -> None:
        time.sleep(0.02)

    def claim(self, webhook_id: str, ttl_s: float) -> bool:
        self._round_trip()
        with self._lock:  # SET key 1 NX EX ttl
            if webhook_id in self._ids:
                return False
            self._ids[webhook_id] = ttl_s
            return True

    def __contains__(self, webhook_id: object) -> bool:
        self._round_trip()
        return webhook_id in self._ids

    def add(self, webhook_id: str) -> None:
        self._round_trip()
        with self._lock:
            self._ids[webhook_id] = 0


@pytest.mark.parametrize("store_kind", ["network", "memory", "set"])
def test_concurrent_copies_of_one_delivery_are_accepted_once(store_kind: str) -> None:
    store: object = {"network": NetworkStore, "memory": MemoryDedupeStore, "set": set}[store_kind]()
    headers = _headers()
    accepted: list[str] = []
    replays: list[str] = []
    barrier = threading.Barrier(8)

    def deliver() -> None:
        barrier.wait()
        try:
            accepted.append(verify(BODY, headers, WEBHOOK_SECRET, dedupe=store).id)  # type: ignore[arg-type]
        except WebhookReplayError:
            replays.append("replay")

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert record(AREA, len(accepted) == 1 and len(replays) == 7), (accepted, replays)


def test_memory_store_forgets_after_ttl() -> None:
    now = [0.0]
    store = MemoryDedupeStore(clock=lambda: now[0])
    first = store.claim("a", 10)
    again = store.claim("a", 10)
    now[0] = 11
    assert record(AREA, first and not again and store.claim("a", 10))


@pytest.mark.parametrize("size", [1, 8, 16, 23])
def test_short_secrets_are_refused(size: int) -> None:
    import base64

    short = "whsec_" + base64.b64encode(b"k" * size).decode()
    with pytest.raises(ConfigurationError, match="24"):
        verify(BODY, _headers(), short)
    with pytest.raises(ConfigurationError):
        sign(short, "msg_1", 1, BODY)
    assert record(AREA, True)


@pytest.mark.parametrize("tolerance", [math.nan, math.inf, 0, -1, "300"])
def test_tolerance_must_be_finite_and_positive(tolerance: object) -> None:
    with pytest.raises(ConfigurationError, match="tolerance"):
        verify(BODY, _headers(), WEBHOOK_SECRET, tolerance=tolerance)  # type: ignore[arg-type]
    assert record(AREA, True)


@pytest.mark.parametrize("where", ["body", "webhook-id", "webhook-timestamp", "webhook-signature"])
def test_unencodable_strings_are_verification_errors(where: str) -> None:
    headers = _headers()
    body = BODY
    if where == "body":
        body = BODY.replace("dusk", "\ud800") + "\ud800"
    else:
        headers[where] = headers[where] + "\udfff"
    with pytest.raises(WebhookVerificationError):
        verify(body, headers, WEBHOOK_SECRET)
    assert record(AREA, True)
