"""Only documented errors: every public call kind (status, create, retrieve, wait, download) of
``Cannon`` AND of ``AsyncCannon``, fed hostile responses (bodies, encodings, headers, wrong types
in known fields, redirects), returns or raises a ``CannonError`` subclass: never
``RecursionError``, ``httpx2.DecodingError``, ``TypeError`` or ``OverflowError``.

In-process ``httpx2.MockTransport`` (a sync and an async handler over one ``Hostile`` server)
for volume: >= 1,000 generated cases per call kind, each fed to both clients (strategies in
hostile_cases.py); the socket-level cases (short bodies, garbage status lines)
are in test_downloads_redteam.py and the CLI cases below use small hostile servers on loopback.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx2
import pytest
from cannon_studio import AsyncCannon, AsyncRequestHandle, Cannon, RequestHandle
from cannon_studio.cli import cli
from click.testing import CliRunner
from hostile_cases import (
    ACCEPTED,
    SETTINGS,
    STATUS,
    Hostile,
    Reply,
    deep,
    freeze_clock,
    only_documented,
    request_object,
    responses,
)
from hypothesis import example, given
from redteam_support import API_KEY, canned, raw_server, record

CREATE = ("image.generate", {"prompt": "a fox"})
_TestT = TypeVar("_TestT", bound=Callable[..., None])


@dataclass
class Served:
    """The hostile server and the two clients over it: ``sync`` (``Cannon``) and ``aio``
    (``AsyncCannon``), whose calls run on ``runner``: ONE event loop for the whole module (a
    fresh ``asyncio.run`` per case would build a loop and a client 5,000 times)."""

    server: Hostile
    sync: Cannon
    aio: AsyncCannon
    runner: asyncio.Runner

    def serve(self, reply: Reply, target: str) -> None:
        """Answer ``target`` (a URL path) with ``reply`` from now on."""
        self.server.reply, self.server.target = reply, target


@pytest.fixture(scope="module")
def hostile() -> Iterator[Served]:
    server = Hostile()

    async def open_async() -> AsyncCannon:
        return AsyncCannon(
            api_key=API_KEY,
            base_url="https://api.test",
            transport=httpx2.MockTransport(server.async_handler),
            max_retries=1,
        )

    with (
        Cannon(
            api_key=API_KEY,
            base_url="https://api.test",
            transport=httpx2.MockTransport(server.handler),
            max_retries=1,
        ) as sync,
        asyncio.Runner(loop_factory=asyncio.new_event_loop) as runner,
    ):
        aio = runner.run(open_async())
        yield Served(server, sync, aio, runner)
        runner.run(aio.close())


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_clock(monkeypatch)


# Cases that once escaped the async client untyped: explicit examples, run before the
# generated ones.
HAND_PICKED: list[Reply] = [
    (200, {}, deep(50_000, "[")),
    (200, {"content-encoding": "gzip"}, b"not gzip"),
    (202, {}, b'{"id": null, "status": "queued", "operation": "x"}'),
    (200, {}, json.dumps({**request_object(), "createdAtMs": 10**400}).encode()),
    (200, {}, json.dumps({**request_object(), "status": ["x"]}).encode()),
    (200, {}, b"\xff\xfe"),
    (500, {"retry-after": "1e400"}, b"<html>oops</html>"),
]


def hand_picked(test: _TestT) -> _TestT:
    """``test`` with every ``HAND_PICKED`` reply as an explicit hypothesis example."""
    for reply in HAND_PICKED:
        test = example(reply=reply)(test)
    return test


# Each generated case is fed to the sync client, then to the async one (tallied apart as
# "hostile: <kind>" and "hostile: async <kind>"): both face the same >= 1,000 cases per call
# kind for the cost of generating them once.


@SETTINGS
@given(reply=responses(STATUS))
def test_status_raises_only_documented_errors(hostile: Served, reply: Reply) -> None:
    hostile.serve(reply, "/api/v1/status")
    only_documented("status", hostile.sync.status)
    only_documented("async status", lambda: hostile.runner.run(hostile.aio.status()))


@SETTINGS
@hand_picked
@given(reply=responses(ACCEPTED))
def test_create_raises_only_documented_errors(hostile: Served, reply: Reply) -> None:
    hostile.serve(reply, "/api/v1/requests")
    only_documented("create", lambda: hostile.sync.requests.create(*CREATE))
    only_documented(
        "async create", lambda: hostile.runner.run(hostile.aio.requests.create(*CREATE))
    )


def _touch(handle: RequestHandle | AsyncRequestHandle) -> None:
    """Read every derived property of a retrieved handle (they parse the hostile body)."""
    _ = (handle.output, handle.credits, handle.error_message, handle.asset_urls(), repr(handle))


@SETTINGS
@hand_picked
@given(reply=responses(request_object()))
def test_retrieve_raises_only_documented_errors(hostile: Served, reply: Reply) -> None:
    hostile.serve(reply, "/api/v1/requests/req_1")

    async def aretrieve() -> None:
        _touch(await hostile.aio.requests.retrieve("req_1"))

    only_documented("retrieve", lambda: _touch(hostile.sync.requests.retrieve("req_1")))
    only_documented("async retrieve", lambda: hostile.runner.run(aretrieve()))


@SETTINGS
@given(reply=responses(request_object("processing")))
def test_wait_raises_only_documented_errors(hostile: Served, reply: Reply) -> None:
    hostile.serve(reply, "/api/v1/requests/req_1")

    async def await_() -> None:
        await (await hostile.aio.requests.create(*CREATE)).wait(max_wait=30)

    only_documented("wait", lambda: hostile.sync.requests.create(*CREATE).wait(max_wait=30))
    only_documented("async wait", lambda: hostile.runner.run(await_()))


@SETTINGS
@given(reply=responses({"x": 1}))
def test_download_raises_only_documented_errors(
    hostile: Served, reply: Reply, tmp_path: Path
) -> None:
    hostile.serve(reply, "/a/req_1/image.png")
    handle = hostile.sync.requests.retrieve("req_1")
    ahandle = hostile.runner.run(hostile.aio.requests.retrieve("req_1"))
    # A fresh directory per case in O(1) (numbered ``mktemp`` rescans its parent every time).
    with tempfile.TemporaryDirectory(dir=tmp_path) as case:
        sync_dir, async_dir = Path(case, "sync"), Path(case, "async")
        for directory in (sync_dir, async_dir):
            directory.mkdir()
        only_documented("download", lambda: handle.download(sync_dir, max_bytes=1 << 20))
        only_documented(
            "async download",
            lambda: hostile.runner.run(ahandle.download(async_dir, max_bytes=1 << 20)),
        )
        for directory in (sync_dir, async_dir):
            assert not [p for p in directory.iterdir() if p.name.endswith(".part")]


# -- the CLI never prints a traceback ---------------------------------------------------------


def _http(status: int, body: bytes, *extra: str) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    return (head + "".join(h + "\r\n" for h in extra) + "\r\n").encode() + body


CLI_SERVERS = {
    "deep JSON": _http(200, deep(100_000, "[")),
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
