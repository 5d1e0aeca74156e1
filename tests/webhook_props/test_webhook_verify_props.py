"""Webhook verification under attack: hypothesis properties of ``cannon_studio.webhooks.verify``.

Length (over 450 lines): one property suite of one function; the strategies and the
properties that use them stay together.

Deliveries are signed with the ``standardwebhooks`` library itself (the reference implementation
of the scheme), never with the code under test. Properties:

- a genuine delivery (any id, body text, timestamp inside the tolerance, header case) verifies and
  returns the event;
- any change to the body, the id, the timestamp, the signature or the secret is rejected with the
  specific error (WebhookSignatureError; WebhookTimestampError outside the tolerance);
- timestamps outside the tolerance, past or future, are rejected with WebhookTimestampError;
- with a dedupe store a replayed id is rejected with WebhookReplayError; forged deliveries do not
  poison the store;
- several signatures in the header (other secrets, other versions, junk) still verify when one of
  them is right;
- no input at all makes the verifier raise anything but WebhookVerificationError subclasses.
"""

from __future__ import annotations

import base64
import json
import string
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from cannon_studio.webhooks import (
    MemoryDedupeStore,
    WebhookHeaderError,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookVerificationError,
    verify,
)
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook

TOLERANCE_S = 300.0
MARGIN_S = 5  # keeps "inside" and "outside" unambiguous however slow the test machine is

# Per-test settings (a profile would change hypothesis for every other stream's tests too).
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

secrets = st.binary(min_size=24, max_size=64).map(
    lambda raw: "whsec_" + base64.b64encode(raw).decode("ascii")
)
msg_ids = st.text(
    alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=40
).map(lambda s: "msg_" + s)
free_text = st.text(max_size=200)
inside = st.integers(min_value=-int(TOLERANCE_S) + MARGIN_S, max_value=int(TOLERANCE_S) - MARGIN_S)
outside = st.integers(min_value=int(TOLERANCE_S) + MARGIN_S, max_value=10**9)


def event_body(msg_id: str, prompt: str, *, failed: bool = False) -> str:
    """A WebhookEvent JSON text as the sandbox would send it (schema: components/WebhookEvent)."""
    now_ms = int(time.time() * 1000)
    data: dict[str, Any] = {
        "id": "req_" + msg_id[-12:],
        "operation": "image.generate",
        "status": "failed" if failed else "succeeded",
        "billableCredits": 28,
        "inputPreview": prompt,
        "createdAtMs": now_ms - 5000,
        "startedAtMs": now_ms - 4000,
        "completedAtMs": now_ms,
        "errorMessage": "provider rejected the prompt" if failed else None,
        "output": None,
    }
    return json.dumps(
        {
            "id": msg_id,
            "type": "request.failed" if failed else "request.succeeded",
            "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "data": data,
        },
        ensure_ascii=False,
    )


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """``v1,<base64>`` for the message, computed by the standardwebhooks library."""
    return Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp, tz=UTC), body)


def headers_for(secret: str, msg_id: str, timestamp: int, body: str) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
    }


def now() -> int:
    return int(time.time())


@PROPS
@given(secret=secrets, msg_id=msg_ids, prompt=free_text, offset=inside, failed=st.booleans())
@example(
    secret="whsec_" + base64.b64encode(b"k" * 32).decode(),
    msg_id="msg_1",
    prompt="",
    offset=0,
    failed=False,
)
def test_genuine_delivery_verifies(
    secret: str, msg_id: str, prompt: str, offset: int, failed: bool
) -> None:
    body = event_body(msg_id, prompt, failed=failed)
    ts = now() + offset
    event = verify(body.encode("utf-8"), headers_for(secret, msg_id, ts, body), secret)
    assert event.id == msg_id
    assert event.type_ == ("request.failed" if failed else "request.succeeded")
    assert event.data.input_preview == prompt
    # str bodies and title-cased header names (as some frameworks deliver them) work too
    titled = {k.title(): v for k, v in headers_for(secret, msg_id, ts, body).items()}
    assert verify(body, titled, secret).id == msg_id


@PROPS
@given(secret=secrets, msg_id=msg_ids, prompt=free_text, data=st.data())
def test_changed_body_is_rejected(
    secret: str, msg_id: str, prompt: str, data: st.DataObject
) -> None:
    body = event_body(msg_id, prompt)
    headers = headers_for(secret, msg_id, now(), body)
    raw = bytearray(body.encode("utf-8"))
    index = data.draw(st.integers(min_value=0, max_value=len(raw) - 1), label="index")
    flip = data.draw(st.integers(min_value=1, max_value=255), label="xor")
    raw[index] ^= flip
    try:
        verify(bytes(raw), headers, secret)
    except WebhookSignatureError:
        return
    except WebhookHeaderError:
        # only acceptable when the tampered bytes are no longer text at all
        try:
            bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return
        raise
    raise AssertionError("a tampered body was accepted")


@PROPS
@given(secret=secrets, msg_id=msg_ids, prompt=free_text, extra=st.text(min_size=1, max_size=20))
def test_appended_or_truncated_body_is_rejected(
    secret: str, msg_id: str, prompt: str, extra: str
) -> None:
    body = event_body(msg_id, prompt)
    headers = headers_for(secret, msg_id, now(), body)
    for forged in (body + extra, body[:-1], " " + body):
        try:
            verify(forged.encode("utf-8"), headers, secret)
        except WebhookSignatureError:
            continue
        raise AssertionError(f"forged body accepted: {forged[-40:]!r}")


@PROPS
@given(secret=secrets, msg_id=msg_ids, other=msg_ids, prompt=free_text)
def test_changed_id_is_rejected(secret: str, msg_id: str, other: str, prompt: str) -> None:
    assume(other != msg_id)
    body = event_body(msg_id, prompt)
    headers = headers_for(secret, msg_id, now(), body)
    headers["webhook-id"] = other
    try:
        verify(body, headers, secret)
    except WebhookSignatureError:
        return
    raise AssertionError("a changed webhook-id was accepted")


@PROPS
@given(secret=secrets, msg_id=msg_ids, prompt=free_text, shift=inside)
def test_changed_timestamp_inside_tolerance_is_rejected(
    secret: str, msg_id: str, prompt: str, shift: int
) -> None:
    assume(shift != 0)
    body = event_body(msg_id, prompt)
    ts = now()
    headers = headers_for(secret, msg_id, ts, body)
    headers["webhook-timestamp"] = str(ts + shift)
    # the shifted timestamp is still within the window, so only the signature can catch it
    assume(abs(shift) < TOLERANCE_S - MARGIN_S)
    try:
        verify(body, headers, secret)
    except WebhookSignatureError:
        return
    raise AssertionError("a changed webhook-timestamp was accepted")


@PROPS
@given(secret=secrets, msg_id=msg_ids, prompt=free_text, distance=outside, past=st.booleans())
def test_timestamp_outside_tolerance_is_rejected(
    secret: str, msg_id: str, prompt: str, distance: int, past: bool
) -> None:
    body = event_body(msg_id, prompt)
    ts = now() + (-distance if past else distance)
    headers = headers_for(secret, msg_id, ts, body)  # correctly signed, just stale or early
    try:
        verify(body, headers, secret)
    except WebhookTimestampError:
        return
    raise AssertionError(f"timestamp {'-' if past else '+'}{distance} s accepted")


@PROPS
@given(
    secret=secrets,
    msg_id=msg_ids,
    prompt=free_text,
    tolerance=st.floats(min_value=10.0, max_value=86_400.0),
    fraction=st.floats(min_value=0.0, max_value=0.9),
    past=st.booleans(),
)
def test_tolerance_argument_is_honoured_in_seconds(
    secret: str, msg_id: str, prompt: str, tolerance: float, fraction: float, past: bool
) -> None:
    body = event_body(msg_id, prompt)
    sign_ = -1 if past else 1
    ok_ts = now() + sign_ * int(tolerance * fraction)
    assert verify(body, headers_for(secret, msg_id, ok_ts, body), secret, tolerance=tolerance)
    bad_ts = now() + sign_ * (int(tolerance) + MARGIN_S)
    try:
        verify(body, headers_for(secret, msg_id, bad_ts, body), secret, tolerance=tolerance)
    except WebhookTimestampError:
        return
    raise AssertionError(f"tolerance={tolerance} s not enforced")


@PROPS
@given(secret=secrets, msg_id=msg_ids, prompt=free_text, data=st.data())
def test_changed_signature_is_rejected(
    secret: str, msg_id: str, prompt: str, data: st.DataObject
) -> None:
    body = event_body(msg_id, prompt)
    headers = headers_for(secret, msg_id, now(), body)
    raw = bytearray(base64.b64decode(headers["webhook-signature"].split(",", 1)[1]))
    index = data.draw(st.integers(min_value=0, max_value=len(raw) - 1), label="index")
    raw[index] ^= data.draw(st.integers(min_value=1, max_value=255), label="xor")
    headers["webhook-signature"] = "v1," + base64.b64encode(bytes(raw)).decode("ascii")
    try:
        verify(body, headers, secret)
    except WebhookSignatureError:
        return
    raise AssertionError("a tampered signature was accepted")


@PROPS
@given(secret=secrets, other=secrets, msg_id=msg_ids, prompt=free_text)
def test_other_secret_is_rejected(secret: str, other: str, msg_id: str, prompt: str) -> None:
    assume(base64.b64decode(secret[6:]) != base64.b64decode(other[6:]))
    body = event_body(msg_id, prompt)
    headers = headers_for(secret, msg_id, now(), body)
    try:
        verify(body, headers, other)
    except WebhookSignatureError:
        return
    raise AssertionError("a delivery signed with another secret was accepted")


@PROPS
@given(
    secret=secrets,
    others=st.lists(secrets, min_size=1, max_size=4),
    junk=st.lists(
        st.sampled_from(
            ["v2,AAAA", "v1a,xyz", "v0,Zm9v", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]
        ),
        max_size=3,
    ),
    msg_id=msg_ids,
    prompt=free_text,
    data=st.data(),
)
def test_several_signatures_one_valid_is_accepted(
    secret: str,
    others: list[str],
    junk: list[str],
    msg_id: str,
    prompt: str,
    data: st.DataObject,
) -> None:
    key = base64.b64decode(secret[6:])
    assume(all(base64.b64decode(other[6:]) != key for other in others))
    body = event_body(msg_id, prompt)
    ts = now()
    signatures = [sign(other, msg_id, ts, body) for other in others] + junk
    position = data.draw(st.integers(min_value=0, max_value=len(signatures)), label="position")
    signatures.insert(position, sign(secret, msg_id, ts, body))
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": " ".join(signatures),
    }
    assert verify(body, headers, secret).id == msg_id
    # ... and the same header without the genuine signature is rejected
    signatures.pop(position)
    headers["webhook-signature"] = " ".join(signatures)
    try:
        verify(body, headers, secret)
    except (WebhookSignatureError, WebhookHeaderError):
        return
    raise AssertionError("no genuine signature, yet accepted")


@PROPS
@given(secret=secrets, msg_id=msg_ids, prompt=free_text)
def test_replayed_id_is_rejected_with_a_dedupe_store(secret: str, msg_id: str, prompt: str) -> None:
    body = event_body(msg_id, prompt)
    store = MemoryDedupeStore()
    headers = headers_for(secret, msg_id, now(), body)
    # a forged delivery reusing the id must not poison the store for the genuine one
    forged = dict(headers, **{"webhook-signature": sign(secret, msg_id, now(), body + " ")})
    try:
        verify(body, forged, secret, dedupe=store)
    except WebhookSignatureError:
        pass
    else:
        raise AssertionError("forged delivery accepted")
    assert verify(body, headers, secret, dedupe=store).id == msg_id
    try:
        verify(body, headers, secret, dedupe=store)
    except WebhookReplayError:
        pass
    else:
        raise AssertionError("replayed webhook-id accepted with a dedupe store")
    # a re-signed replay (new timestamp, same id) is still a replay
    try:
        verify(body, headers_for(secret, msg_id, now() + 1, body), secret, dedupe=store)
    except WebhookReplayError:
        pass
    else:
        raise AssertionError("re-signed replay accepted")
    # without a store, redelivery is allowed (the caller dedupes)
    assert verify(body, headers, secret).id == msg_id


header_names = st.sampled_from(
    [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "Webhook-Id",
        "WEBHOOK-SIGNATURE",
        "x-other",
    ]
)
header_values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "v1",
            "v1,",
            "v1,!!!!",
            "v1,====",
            ",",
            "v1,a,b",
            "nan",
            "inf",
            "-inf",
            "1e400",
            "-1",
            "99999999999999999999999",
            "0x10",
            "1.5",
            "\x00",
            "\u00b2",  # str.isdigit() is True, int() refuses it
            "\u0663",  # Arabic-Indic digit three: isdigit() and int() both accept it
            "9" * 400,  # an int too large to convert to float
            "9" * 5000,  # beyond int()'s default digit limit
            "+1",
        ]
    ),
)


@PROPS
@given(
    secret=secrets,
    body=st.one_of(st.binary(max_size=300), st.text(max_size=300)),
    headers=st.dictionaries(header_names, header_values, max_size=6),
)
def test_arbitrary_input_raises_only_documented_errors(
    secret: str, body: bytes | str, headers: dict[str, str]
) -> None:
    try:
        verify(body, headers, secret)
    except WebhookVerificationError:
        return
    raise AssertionError("arbitrary junk verified")


@PROPS
@given(
    secret=secrets,
    msg_id=msg_ids,
    prompt=free_text,
    mutate=st.sampled_from(
        [
            "drop_id",
            "drop_ts",
            "drop_sig",
            "ts_text",
            "ts_float",
            "ts_huge",
            "sig_noversion",
            "sig_badb64",
        ]
    ),
)
def test_malformed_headers_raise_documented_errors(
    secret: str, msg_id: str, prompt: str, mutate: str
) -> None:
    body = event_body(msg_id, prompt)
    headers = headers_for(secret, msg_id, now(), body)
    changes: dict[str, str | None] = {
        "drop_id": None,
        "drop_ts": None,
        "drop_sig": None,
        "ts_text": "yesterday",
        "ts_float": "nan",
        "ts_huge": "9" * 40,
        "sig_noversion": headers["webhook-signature"].split(",", 1)[1],
        "sig_badb64": "v1,%%%not-base64%%%",
    }
    key = {"drop_id": "webhook-id", "drop_ts": "webhook-timestamp"}.get(
        mutate, "webhook-timestamp" if mutate.startswith("ts_") else "webhook-signature"
    )
    if changes[mutate] is None:
        del headers[key]
    else:
        headers[key] = changes[mutate]  # type: ignore[assignment]
    try:
        verify(body, headers, secret)
    except (WebhookHeaderError, WebhookTimestampError, WebhookSignatureError):
        return
    raise AssertionError(f"{mutate} accepted")


@PROPS
@given(
    secret=secrets, msg_id=msg_ids, junk=st.one_of(st.binary(max_size=120), st.text(max_size=120))
)
def test_signed_but_not_a_webhook_event_is_a_header_error(
    secret: str, msg_id: str, junk: bytes | str
) -> None:
    """A correctly signed payload that is not a WebhookEvent raises a documented error, not KeyError."""
    text = junk.decode("utf-8", "replace") if isinstance(junk, bytes) else junk
    headers = headers_for(secret, msg_id, now(), text)
    try:
        event = verify(text.encode("utf-8"), headers, secret)
    except WebhookVerificationError:
        return
    assert event.id  # only a genuine WebhookEvent shape may come back


@pytest.mark.parametrize(
    "raw",
    ["\u00b2", "\u0663", "9" * 400, "9" * 5000, "nan", "1e3", "-5", "+1", "12 3", "0x1F"],
    ids=[
        "superscript-two",
        "arabic-indic-digit",
        "400-digits",
        "5000-digits",
        "nan",
        "exponent",
        "negative",
        "plus-sign",
        "inner-space",
        "hex",
    ],
)
def test_junk_timestamp_header_raises_a_documented_error(raw: str) -> None:
    """Deterministic regressions for timestamp values the fuzzer found or that sit on edges."""
    secret = "whsec_" + base64.b64encode(b"s" * 32).decode()
    body = event_body("msg_ts", "prompt")
    headers = headers_for(secret, "msg_ts", now(), body)
    headers["webhook-timestamp"] = raw
    with pytest.raises((WebhookHeaderError, WebhookTimestampError)):
        verify(body, headers, secret)
