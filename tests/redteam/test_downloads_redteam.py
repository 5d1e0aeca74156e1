"""Red team, downloads: nothing on disk is replaced, sizes are bounded (decoded), every failure
is a typed error and leaves nothing behind."""

from __future__ import annotations

import gzip
import inspect
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cannon_studio import AssetDownloadError, Cannon, CannonError
from cannon_studio.assets import adownload, download, download_many, iter_bytes
from cannon_studio.cli import cli
from click.testing import CliRunner
from redteam_support import canned, raw_server, record

from tests.client_modes import MODES

AREA = "downloads"


def _serve(content: bytes = b"x", **headers: str) -> httpx2.MockTransport:
    return httpx2.MockTransport(lambda r: httpx2.Response(200, content=content, headers=headers))


def _is_empty(directory: Path) -> bool:
    return list(directory.iterdir()) == []


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


def test_existing_file_in_directory_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "image.png").write_bytes(b"precious")
    with httpx2.Client(transport=_serve(b"new")) as http:
        path = download("https://cdn.test/r1/image.png", tmp_path, http_client=http)
    held = (tmp_path / "image.png").read_bytes() == b"precious" and path.read_bytes() == b"new"
    assert record(AREA, held), path
    assert path.name == "image-1.png"


def test_two_requests_into_one_directory_keep_both(tmp_path: Path) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=request.url.path.encode())

    with httpx2.Client(transport=httpx2.MockTransport(handler)) as http:
        first = download_many(["https://cdn.test/req_a/image.png"], tmp_path, http_client=http)
        second = download_many(["https://cdn.test/req_b/image.png"], tmp_path, http_client=http)
    contents = {p.read_bytes() for p in [*first, *second]}
    assert record(AREA, contents == {b"/req_a/image.png", b"/req_b/image.png"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["image-1.png", "image.png"]


def test_overwrite_must_be_asked_for(tmp_path: Path) -> None:
    (tmp_path / "v.mp4").write_bytes(b"old")
    with httpx2.Client(transport=_serve(b"new")) as http:
        path = download("https://cdn.test/v.mp4", tmp_path, http_client=http, overwrite=True)
    assert record(AREA, path == (tmp_path / "v.mp4").resolve() and path.read_bytes() == b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4"]


@pytest.mark.timeout(45)
def test_thousands_of_equal_names_are_unique_in_linear_time(tmp_path: Path) -> None:
    # The old scheme (quadratic candidates x linear membership, O(n^3)) spent ~110 s on the
    # names alone for n = 3000 on the 2-core CI machine; the downloads here take ~3 s.
    n = 3000
    urls = [f"https://cdn.test/req_{i}/image.png" for i in range(n)]
    with httpx2.Client(transport=_serve(b"i")) as http:
        paths = download_many(urls, tmp_path, http_client=http)
    names = [p.name for p in paths]
    assert record(AREA, len(set(names)) == n)
    assert names[:3] == ["image.png", "image-1.png", "image-2.png"]


def test_endless_body_stops_at_max_bytes(tmp_path: Path) -> None:
    def endless() -> Iterator[bytes]:
        while True:
            yield b"\0" * 65536

    transport = httpx2.MockTransport(lambda r: httpx2.Response(200, content=endless()))
    with (
        httpx2.Client(transport=transport) as http,
        pytest.raises(AssetDownloadError, match="max_bytes"),
    ):
        download("https://cdn.test/endless.bin", tmp_path, http_client=http, max_bytes=1 << 20)
    assert record(AREA, list(tmp_path.iterdir()) == [])


def test_gzip_bomb_counts_decoded_bytes(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * (32 << 20))  # ~32 KiB on the wire, 32 MiB decoded
    transport = _serve(bomb, **{"content-encoding": "gzip"})
    with httpx2.Client(transport=transport) as http:
        with pytest.raises(AssetDownloadError, match="decoded"):
            download("https://cdn.test/bomb.png", tmp_path, http_client=http, max_bytes=1 << 20)
        with pytest.raises(AssetDownloadError):
            b"".join(iter_bytes("https://cdn.test/bomb.png", http_client=http, max_bytes=1 << 20))
    assert record(AREA, list(tmp_path.iterdir()) == [])


def test_declared_length_over_limit_is_refused_before_writing(tmp_path: Path) -> None:
    transport = _serve(b"x" * 100)
    with httpx2.Client(transport=transport) as http, pytest.raises(AssetDownloadError):
        download("https://cdn.test/big.bin", tmp_path, http_client=http, max_bytes=10)
    assert record(AREA, list(tmp_path.iterdir()) == [])


def test_there_is_a_default_limit() -> None:
    for fn in (download, adownload, download_many, iter_bytes):
        default = inspect.signature(fn).parameters["max_bytes"].default
        assert record(AREA, isinstance(default, int) and 0 < default <= 64 << 30), fn


def _redirect_loop(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(302, headers={"location": str(request.url)})


HOSTILE_TRANSPORTS: dict[str, httpx2.MockTransport] = {
    "redirect loop": httpx2.MockTransport(_redirect_loop),
    "bad Location": httpx2.MockTransport(
        lambda r: httpx2.Response(302, headers={"location": "http://[::1"})
    ),
    "Location to ftp": httpx2.MockTransport(
        lambda r: httpx2.Response(302, headers={"location": "ftp://cdn.test/x"})
    ),
    "bad gzip": _serve(b"not gzip at all", **{"content-encoding": "gzip"}),
    "bad deflate": _serve(b"\xff\xff\xff\xff", **{"content-encoding": "deflate"}),
    "length mismatch": _serve(b"short", **{"content-length": "500"}),
}


async def _outcome(mode: str, url: str, dest: Path, **client_options: Any) -> BaseException | None:
    """What ``download`` (``mode="sync"``) or ``adownload`` raised for ``url``, or ``None``."""
    try:
        if mode == "async":
            async with httpx2.AsyncClient(**client_options) as ahttp:
                await adownload(url, dest, http_client=ahttp)
        else:
            with httpx2.Client(**client_options) as http:
                download(url, dest, http_client=http)
    except BaseException as exc:
        return exc
    return None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", sorted(HOSTILE_TRANSPORTS))
async def test_hostile_asset_hosts_give_typed_errors(tmp_path: Path, case: str, mode: str) -> None:
    outcome = await _outcome(
        mode,
        "https://cdn.test/a/image.png",
        tmp_path,
        transport=HOSTILE_TRANSPORTS[case],
        follow_redirects=True,
    )
    held = isinstance(outcome, AssetDownloadError) and _is_empty(tmp_path)
    assert record(AREA, held), repr(outcome)


def _short_body(conn: socket.socket, head: bytes) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)


SOCKET_CASES = {
    "short body then close": _short_body,
    "garbage status line": canned(b"HTTP/9 banana\r\n\r\n"),
    "close before answer": canned(b""),
    "bad chunked encoding": canned(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n"
    ),
    "bad gzip over the wire": canned(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"
    ),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", sorted(SOCKET_CASES))
async def test_hostile_loopback_asset_servers_give_typed_errors(
    tmp_path: Path, case: str, mode: str
) -> None:
    with raw_server(SOCKET_CASES[case]) as base:
        outcome = await _outcome(mode, f"{base}/a/video.mp4", tmp_path, timeout=5)
    held = isinstance(outcome, CannonError) and _is_empty(tmp_path)
    assert record(AREA, held), repr(outcome)


async def test_async_download_never_replaces_and_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "a.wav").write_bytes(b"old")
    async with httpx2.AsyncClient(transport=_serve(b"new" * 100)) as http:
        path = await adownload("https://cdn.test/a.wav", tmp_path, http_client=http)
        with pytest.raises(AssetDownloadError):
            await adownload("https://cdn.test/a.wav", tmp_path, http_client=http, max_bytes=5)
    held = (tmp_path / "a.wav").read_bytes() == b"old" and path.name == "a-1.wav"
    assert record(AREA, held and _leftovers(tmp_path) == [])


def test_cli_re_run_of_download_keeps_the_first_files(cannon_sandbox: Any, tmp_path: Path) -> None:
    with Cannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as client:
        handle = client.requests.create("image.generate", {"prompt": "a kite"}).wait()
    env = {
        "CANNON_API_KEY": cannon_sandbox.api_key,
        "CANNON_BASE_URL": cannon_sandbox.base_url,
        "CANNON_LOG": None,
    }
    runs = [CliRunner().invoke(cli, ["download", handle.id, str(tmp_path)], env=env) for _ in "ab"]
    names = sorted(p.name for p in tmp_path.iterdir())
    first = {p.name for p in tmp_path.iterdir() if "-1" not in p.stem}
    held = all(r.exit_code == 0 for r in runs) and len(names) == 2 * len(first) > 0
    assert record(AREA, held), (names, [r.output for r in runs])
