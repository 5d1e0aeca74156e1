"""Only documented errors: every public call kind, fed hostile responses (bodies, encodings,
headers, wrong types in known fields, redirects), returns or raises a ``CannonError`` subclass:
never ``RecursionError``, ``httpx2.DecodingError``, ``TypeError`` or ``OverflowError``.

In-process ``httpx2.MockTransport`` for volume (>= 1,000 generated cases per sync call kind);
the socket-level cases (short bodies, garbage status lines) are in test_downloads_redteam.py and
the CLI cases below use small hostile servers on loopback.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cannon_studio import AsyncCannon, Cannon, CannonError, _clock
from cannon_studio.cli import cli
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redteam_support import API_KEY, canned, raw_server, record

CASES = 1000
SETTINGS = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
ASSET = "https://cdn.test/a/req_1/image.png"


def _request_object(status: str = "succeeded") -> dict[str, Any]:
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


def _deep(n: int, opener: str) -> bytes:
    if opener == "{":
        return ('{"a":' * n + "1" + "}" * n).encode()
    return (opener * n + "]" * n).encode()


FIXED_BODIES = [b"", b"null", b"[]", b"1e999", b"NaN", b'"text"', b"\xff\xfe\x00", b'{"id": null}']
FIXED_BODIES += [_deep(n, o) for n in (50, 1_100, 5_000) for o in "[{"]


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
def responses(draw: st.DrawFn, base: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
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
    """A MockTransport whose next answer to a chosen path is the current hostile response."""

    def __init__(self) -> None:
        self.reply: tuple[int, dict[str, str], bytes] = (200, {}, b"{}")
        self.target = ""

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if self.target and path != self.target:  # the rest of the API answers correctly
            if path.startswith("/api/v1/requests/"):
                return httpx2.Response(200, json=_request_object())
            return httpx2.Response(200, json=ACCEPTED)
        status, headers, body = self.reply
        return httpx2.Response(status, headers=headers, content=body)


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[Hostile, Cannon]]:
    server = Hostile()
    client = Cannon(
        api_key=API_KEY,
        base_url="https://api.test",
        transport=httpx2.MockTransport(server.handler),
        max_retries=1,
    )
    yield server, client
    client.close()


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    async def async_sleep(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr(_clock, "sleep", sleep)
    monkeypatch.setattr(_clock, "async_sleep", async_sleep)
    monkeypatch.setattr(_clock, "monotonic", lambda: clock[0])


def _only_documented(kind: str, call: Callable[[], object]) -> None:
    try:
        call()
        held = True
    except CannonError:
        held = True
    except BaseException as exc:
        record(f"hostile: {kind}", False)
        raise AssertionError(f"{kind}: {type(exc).__name__} escaped: {exc!r}"[:500]) from exc
    record(f"hostile: {kind}", held)


@SETTINGS
@given(reply=responses(STATUS))
def test_status_raises_only_documented_errors(hostile: tuple[Hostile, Cannon], reply: Any) -> None:
    server, client = hostile
    server.reply, server.target = reply, "/api/v1/status"
    _only_documented("status", client.status)


@SETTINGS
@given(reply=responses(ACCEPTED))
def test_create_raises_only_documented_errors(hostile: tuple[Hostile, Cannon], reply: Any) -> None:
    server, client = hostile
    server.reply, server.target = reply, "/api/v1/requests"
    _only_documented(
        "create", lambda: client.requests.create("image.generate", {"prompt": "a fox"})
    )


@SETTINGS
@given(reply=responses(_request_object()))
def test_retrieve_raises_only_documented_errors(
    hostile: tuple[Hostile, Cannon], reply: Any
) -> None:
    server, client = hostile
    server.reply, server.target = reply, "/api/v1/requests/req_1"

    def call() -> None:
        handle = client.requests.retrieve("req_1")
        _ = (handle.output, handle.credits, handle.error_message, handle.asset_urls(), repr(handle))

    _only_documented("retrieve", call)


@SETTINGS
@given(reply=responses(_request_object("processing")))
def test_wait_raises_only_documented_errors(hostile: tuple[Hostile, Cannon], reply: Any) -> None:
    server, client = hostile
    server.reply, server.target = reply, "/api/v1/requests/req_1"

    def call() -> None:
        handle = client.requests.create("image.generate", {"prompt": "a fox"})
        handle.wait(max_wait=30)

    _only_documented("wait", call)


@SETTINGS
@given(reply=responses({"x": 1}))
def test_download_raises_only_documented_errors(
    hostile: tuple[Hostile, Cannon], reply: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    server, client = hostile
    server.reply, server.target = reply, "/a/req_1/image.png"
    directory = tmp_path_factory.mktemp("dl", numbered=True)
    handle = client.requests.retrieve("req_1")
    _only_documented("download", lambda: handle.download(directory, max_bytes=1 << 20))
    assert not [p for p in Path(directory).iterdir() if p.name.endswith(".part")]


async def test_async_create_and_retrieve_raise_only_documented_errors() -> None:
    server = Hostile()
    async with AsyncCannon(
        api_key=API_KEY,
        base_url="https://api.test",
        transport=httpx2.MockTransport(server.handler),
        max_retries=0,
    ) as client:
        for reply in ASYNC_REPLIES:
            server.reply, server.target = reply, "/api/v1/requests/req_1"
            with contextlib.suppress(CannonError):
                await client.requests.retrieve("req_1")
            server.target = "/api/v1/requests"
            with contextlib.suppress(CannonError):
                await client.requests.create("image.generate", {"prompt": "x"})
            record("hostile: async create+retrieve", True)


ASYNC_REPLIES: list[tuple[int, dict[str, str], bytes]] = [
    (200, {}, _deep(50_000, "[")),
    (200, {"content-encoding": "gzip"}, b"not gzip"),
    (202, {}, b'{"id": null, "status": "queued", "operation": "x"}'),
    (200, {}, json.dumps({**_request_object(), "createdAtMs": 10**400}).encode()),
    (200, {}, json.dumps({**_request_object(), "status": ["x"]}).encode()),
    (200, {}, b"\xff\xfe"),
    (500, {"retry-after": "1e400"}, b"<html>oops</html>"),
]


# -- the CLI never prints a traceback ---------------------------------------------------------


def _http(status: int, body: bytes, *extra: str) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    return (head + "".join(h + "\r\n" for h in extra) + "\r\n").encode() + body


CLI_SERVERS = {
    "deep JSON": _http(200, _deep(100_000, "[")),
    "bad gzip": _http(200, b"garbage", "Content-Encoding: gzip"),
    "id null": _http(202, b'{"id": null, "status": "queued", "operation": "x"}'),
    "wrong types": _http(200, json.dumps({"id": 5, "status": [], "operation": {}}).encode()),
    "html 500": _http(500, b"<html>down</html>", "Content-Type: text/html"),
    "short body": b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"id":',
    "garbage": b"SPDY/9 nope\r\n\r\n",
}
CLI_COMMANDS = [
    ["status"],
    ["get", "req_1"],
    ["wait", "req_1", "--timeout", "1"],
    ["run", "prompt.enhance.image", "--prompt", "x", "--no-wait"],
    ["download", "req_1", "OUT"],
    ["--json", "status"],
    ["--json", "get", "req_1"],
]


@pytest.mark.parametrize("server", sorted(CLI_SERVERS))
def test_cli_never_tracebacks_on_hostile_servers(server: str, tmp_path: Path) -> None:
    with raw_server(canned(CLI_SERVERS[server])) as base:
        env = {"CANNON_BASE_URL": base, "CANNON_API_KEY": API_KEY, "CANNON_LOG": None}
        for command in CLI_COMMANDS:
            args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
            result = CliRunner().invoke(cli, args, env=env)
            escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
            text = result.output + (result.stderr if result.stderr_bytes is not None else "")
            held = not escaped and result.exit_code in (1, 2, 3, 4) and "Traceback" not in text
            assert record("hostile: CLI", held), (server, command, result.exception, text[-800:])
            assert not re.search(r"\bcs_test_redteam", text)
