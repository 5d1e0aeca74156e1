"""The hostile responses of the "only documented errors" property tests, shared by the sync and
the async client's tests (one definition of every strategy, so both face the same cases).

``responses(base)`` draws ``(status, headers, body)``: ``base`` (a well-formed answer) with known
fields given hostile values or removed, truncated, re-encoded, replaced by junk or by a fixed
nasty body (deep nesting, ``NaN``, ``1e999``, invalid UTF-8), under hostile headers and
content encodings. ``Hostile`` is the in-process server (``httpx2.MockTransport`` handler, sync
or async) that answers one chosen path with the current case and the rest of the API correctly.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from cannon_studio import CannonError, _clock
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from redteam_support import record

CASES = 1000
"""Generated cases per call kind (issue 12: at least 1,000)."""

SETTINGS = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
ASSET = "https://cdn.test/a/req_1/image.png"

Reply = tuple[int, dict[str, str], bytes]
"""One hostile response: status code, headers, body bytes."""


def request_object(status: str = "succeeded") -> dict[str, Any]:
    """A well-formed ``RequestObject`` of ``req_1`` (``status`` as given) with one image asset."""
    return {
        "id": "req_1",
        "operation": "image.generate",
        "status": status,
        "createdAtMs": 1_700_000_000_000,
        "completedAtMs": 1_700_000_005_000,
        "billableCredits": 6,
        "output": {"asset_type": "image", "image_urls": [ASSET], "status": "succeeded"},
    }


ACCEPTED = {
    "id": "req_1",
    "status": "queued",
    "operation": "image.generate",
    "poll_after_ms": 0,
    "urls": {"get": "https://api.test/api/v1/requests/req_1"},
}
STATUS = {
    "ok": True,
    "status": "ok",
    "message": "fine",
    "creditsRemaining": 10,
    "credits": {"remaining": 10},
    "account": {"email": "a@b.test", "plan": "trial"},
    "apiKey": {"name": "k", "scopes": ["requests:read"]},
    "serverTime": "2026-01-01T00:00:00.000Z",
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.sampled_from([10**400, -(10**400), 2**63, -1, 0])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["", "\ud800", "succeeded", "failed", "processing", "queued", "req_1"])
)
json_values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text(max_size=4), scalars, max_size=2),
)


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    """``base`` with some known fields given hostile values or removed (one level down too)."""
    data = json.loads(json.dumps(base))
    for key in list(data):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            data[key] = draw(json_values)
        elif choice == 1:
            del data[key]
        elif choice == 2 and isinstance(data[key], dict):
            inner = data[key]
            for sub in list(inner):
                if draw(st.booleans()):
                    inner[sub] = draw(json_values)
    return data


def deep(n: int, opener: str) -> bytes:
    """JSON nested ``n`` levels: objects (``opener="{"``) or arrays (``"["``)."""
    if opener == "{":
        return ('{"a":' * n + "1" + "}" * n).encode()
    return (opener * n + "]" * n).encode()


FIXED_BODIES = [b"", b"null", b"[]", b"1e999", b"NaN", b'"text"', b"\xff\xfe\x00", b'{"id": null}']
FIXED_BODIES += [deep(n, o) for n in (50, 1_100, 5_000) for o in "[{"]


@st.composite
def bodies(draw: st.DrawFn, base: dict[str, Any]) -> bytes:
    """A hostile body: the mutated object (whole, truncated, UTF-16), junk bytes or a fixed
    nasty one (deep nesting, ``NaN``, ``1e999``, invalid UTF-8)."""
    form = draw(st.integers(0, 5))
    if form <= 2:
        encoded = json.dumps(draw(mutated(base)), allow_nan=True).encode(errors="surrogatepass")
        if form == 1:
            return encoded[: max(1, len(encoded) // 2)]
        if form == 2:
            return encoded.decode(errors="replace").encode("utf-16")
        return encoded
    if form == 3:
        return draw(st.binary(max_size=64))
    return draw(st.sampled_from(FIXED_BODIES))


HEADER_VALUES = {
    "content-type": st.sampled_from(
        ["application/json", "text/html", "application/json; charset=latin-1", "", "x/\u00ff"]
    ),
    "content-encoding": st.sampled_from(
        ["gzip", "deflate", "identity", "gzip, gzip", "zstd", "br"]
    ),
    "retry-after": st.sampled_from(["1e400", "-1", "nan", "Wed, 99 Foo 2026", "0", "inf", "1"]),
    "retry-after-ms": st.sampled_from(["1e400", "-5", "nan", "abc", "10"]),
    "x-should-retry": st.sampled_from(["true", "false", "maybe"]),
    "location": st.sampled_from(
        ["http://[::1", "ftp://x/y", "/api/v1/status", "https://cdn.test/a/req_1/image.png", ""]
    ),
    "content-length": st.sampled_from(["0", "99999", "-1", "abc"]),
}


@st.composite
def responses(draw: st.DrawFn, base: dict[str, Any]) -> Reply:
    """A hostile ``(status, headers, body)`` built around the well-formed answer ``base``."""
    status = draw(
        st.sampled_from(
            [200, 201, 202, 204, 301, 302, 307, 400, 401, 402, 404, 409, 422, 429, 500, 503]
        )
    )
    body: bytes = draw(bodies(base))
    headers = {
        name: draw(values)
        for name, values in HEADER_VALUES.items()
        if draw(st.integers(0, 3)) == 0 and name != "content-length"
    }
    encoding = headers.get("content-encoding")
    if encoding in ("gzip", "deflate") and draw(st.booleans()):  # sometimes really encoded
        body = gzip.compress(body) if encoding == "gzip" else zlib.compress(body)
    return status, headers, body


class Hostile:
    """A MockTransport handler whose answer to ``target`` (a URL path) is ``reply``; every
    other path answers correctly (requests with a succeeded ``req_1``, the rest with a 202).
    ``handler`` serves ``Cannon``, ``async_handler`` serves ``AsyncCannon``."""

    def __init__(self) -> None:
        self.reply: Reply = (200, {}, b"{}")
        self.target = ""

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if self.target and path != self.target:  # the rest of the API answers correctly
            if path.startswith("/api/v1/requests/"):
                return httpx2.Response(200, json=request_object())
            return httpx2.Response(200, json=ACCEPTED)
        status, headers, body = self.reply
        return httpx2.Response(status, headers=headers, content=body)

    async def async_handler(self, request: httpx2.Request) -> httpx2.Response:
        return self.handler(request)


def freeze_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every wait and retry sleep instant: sleeps advance a fake ``monotonic`` clock."""
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    async def async_sleep(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr(_clock, "sleep", sleep)
    monkeypatch.setattr(_clock, "async_sleep", async_sleep)
    monkeypatch.setattr(_clock, "monotonic", lambda: clock[0])


def only_documented(kind: str, call: Callable[[], object]) -> None:
    """Run ``call``; a return or a ``CannonError`` holds, anything else fails the case (and is
    tallied under ``hostile: <kind>``)."""
    try:
        call()
        held = True
    except CannonError:
        held = True
    except BaseException as exc:
        record(f"hostile: {kind}", False)
        raise AssertionError(f"{kind}: {type(exc).__name__} escaped: {exc!r}"[:500]) from exc
    record(f"hostile: {kind}", held)
