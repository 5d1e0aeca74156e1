"""Downloads go only where assets live: the download policy, on loopback, local exception off.

A loopback "metadata service" records every request it gets; each case asserts the typed
refusal AND that the service saw nothing (or, for a rebinding name that the check resolved to a
public address, that its answer was never read into a file).
"""

from __future__ import annotations

import gzip
import socket
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import brotli
import httpx2
import pytest
from cannon_studio import (
    AssetDownloadError,
    DownloadPolicy,
    DownloadRefusedError,
)
from cannon_studio._asset_policy import AsyncGuardedTransport, GuardedTransport
from cannon_studio.assets import adownload, download
from overlay_mock_api import request_object

from tests.client_modes import MODES, client_for, resolve

KEY = "cs_test_policy"
PUBLIC = "93.184.216.34"  # a public address the fake resolver gives for the check


class Metadata:
    """A loopback HTTP server standing in for a cloud metadata service; ``hits`` records it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                recorder.hits.append(self.path)
                body = b"iam-credentials"
                self.send_response(200)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/latest/meta-data/iam"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def metadata() -> Iterator[Metadata]:
    server = Metadata()
    yield server
    server.close()


def _is_empty(directory: Path) -> bool:
    return list(directory.iterdir()) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8080/x",
        "http://app.localhost/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest",
        "http://[fe80::1]/x",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://10.0.0.7/x",
        "http://172.16.0.1/x",
        "http://192.168.1.1/x",
        "http://100.64.0.1/x",
        "http://224.0.0.251/x",
        "http://0.0.0.0/x",
        "ftp://cdn.example.com/x",
        "file:///etc/passwd",
        "https://user:hunter2@cdn.example.com/x",
    ],
)
def test_the_default_policy_refuses_local_addresses_other_schemes_and_userinfo(url: str) -> None:
    with pytest.raises(DownloadRefusedError) as info:
        DownloadPolicy().check_url(httpx2.URL(url))
    assert "hunter2" not in str(info.value)


def test_public_hosts_pass_and_the_sandbox_base_url_allows_local() -> None:
    DownloadPolicy().check_url(httpx2.URL("https://cdn.example.com/a/video.mp4?X-Sig=1"))
    DownloadPolicy().check_url(httpx2.URL("https://93.184.216.34/a.png"))
    assert DownloadPolicy.for_base_url("http://127.0.0.1:8765").allow_local
    assert DownloadPolicy.for_base_url("http://localhost:8765").allow_local
    assert not DownloadPolicy.for_base_url("https://www.cannonstudio.app").allow_local


def _redirecting(target: str) -> httpx2.MockTransport:
    """An asset host that redirects every request to ``target``."""
    return httpx2.MockTransport(lambda r: httpx2.Response(302, headers={"location": target}))


@pytest.mark.parametrize("mode", MODES)
async def test_a_redirect_to_the_metadata_stand_in_is_refused_unsent(
    mode: str, metadata: Metadata, tmp_path: Path
) -> None:
    mock = _redirecting(metadata.url)
    policy = DownloadPolicy()
    with pytest.raises(DownloadRefusedError, match="local or private"):
        if mode == "sync":
            transport = GuardedTransport(mock, policy)
            with httpx2.Client(transport=transport, follow_redirects=True) as http:
                download("https://cdn.example.com/a.mp4", tmp_path, http_client=http)
        else:
            atransport = AsyncGuardedTransport(mock, policy)
            async with httpx2.AsyncClient(transport=atransport, follow_redirects=True) as ahttp:
                await adownload("https://cdn.example.com/a.mp4", tmp_path, http_client=ahttp)
    assert metadata.hits == [] and _is_empty(tmp_path)


def _api_answering(asset_url: str) -> httpx2.MockTransport:
    """An API whose request object's output points at ``asset_url``."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        body = request_object("req_1", "succeeded")
        body["output"]["video_url"] = asset_url
        return httpx2.Response(200, json=body)

    return httpx2.MockTransport(handler)


@pytest.mark.parametrize("mode", MODES)
async def test_an_output_url_on_loopback_is_refused_by_the_clients_download(
    mode: str, metadata: Metadata, tmp_path: Path
) -> None:
    options = {"api_key": KEY, "base_url": "https://api.example.com"}
    async with client_for(mode, **options, transport=_api_answering(metadata.url)) as client:
        handle = await resolve(client.requests.retrieve("req_1"))
        with pytest.raises(DownloadRefusedError):
            await resolve(handle.download(tmp_path))
    assert metadata.hits == [] and _is_empty(tmp_path)


@pytest.mark.parametrize("mode", MODES)
async def test_the_local_exception_follows_the_base_url_and_can_be_switched_off(
    mode: str, metadata: Metadata, tmp_path: Path
) -> None:
    local = {"api_key": KEY, "base_url": f"http://127.0.0.1:{metadata.port}"}
    async with client_for(mode, **local) as client:
        handle = client.requests._handle(request_id="req_1")
        handle._apply(*_parsed_with_asset(metadata.url))
        paths = await resolve(handle.download(tmp_path / "allowed"))
    assert [p.read_bytes() for p in paths] == [b"iam-credentials"]
    hits = len(metadata.hits)
    async with client_for(mode, **local, download_policy=DownloadPolicy()) as client:
        handle = client.requests._handle(request_id="req_1")
        handle._apply(*_parsed_with_asset(metadata.url))
        with pytest.raises(DownloadRefusedError):
            await resolve(handle.download(tmp_path / "refused"))
    assert len(metadata.hits) == hits
    assert not (tmp_path / "refused").exists() or _is_empty(tmp_path / "refused")


def _parsed_with_asset(asset_url: str) -> tuple[Any, None]:
    from cannon_studio_api.models.request_object import RequestObject

    body = request_object("req_1", "succeeded")
    body["output"]["video_url"] = asset_url
    return RequestObject.from_dict(body), None


def _fake_resolver(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """``getaddrinfo`` answers ``answers[name]`` in turn (the last one repeats); ``asked``."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):  # anyio passes the IDNA-encoded name
            host = host.decode("ascii")
        if isinstance(host, str) and host in answers:
            asked.append(host)
            queue = answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


@pytest.mark.parametrize("mode", MODES)
async def test_a_name_that_resolves_to_loopback_is_refused_at_the_connected_address(
    mode: str, metadata: Metadata, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _fake_resolver(monkeypatch, {"metadata.example.com": ["127.0.0.1"]})
    url = f"http://metadata.example.com:{metadata.port}/latest"
    with pytest.raises(DownloadRefusedError, match=r"connected to 127\.0\.0\.1"):
        if mode == "sync":
            download(url, tmp_path)
        else:
            await adownload(url, tmp_path)
    assert asked and _is_empty(tmp_path)  # the answer was never read into a file


@pytest.mark.parametrize("mode", MODES)
async def test_dns_rebinding_is_caught_at_the_connected_address(
    mode: str, metadata: Metadata, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a first lookup (anyone's check) sees a public address, the connection's then loopback
    _fake_resolver(monkeypatch, {"rebind.example.com": [PUBLIC, "127.0.0.1"]})
    first = socket.getaddrinfo("rebind.example.com", metadata.port, type=socket.SOCK_STREAM)
    assert first[0][4][0] == PUBLIC
    url = f"http://rebind.example.com:{metadata.port}/latest"
    with pytest.raises(DownloadRefusedError, match=r"connected to 127\.0\.0\.1"):
        if mode == "sync":
            download(url, tmp_path)
        else:
            await adownload(url, tmp_path)
    assert _is_empty(tmp_path)  # the answer was never read into a file


@pytest.mark.parametrize("mode", MODES)
async def test_userinfo_is_never_sent(mode: str, tmp_path: Path) -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, content=b"x")

    url = "https://alice:hunter2@cdn.example.com/a.png"
    async with client_for(
        mode,
        api_key=KEY,
        base_url="https://api.example.com",
        transport=httpx2.MockTransport(handler),
    ) as client:
        handle = client.requests._handle(request_id="req_1")
        handle._apply(*_parsed_with_asset(url))
        with pytest.raises(DownloadRefusedError) as info:
            await resolve(handle.download(tmp_path))
    assert seen == [] and "hunter2" not in str(info.value)
    with pytest.raises(AssetDownloadError):  # the module functions refuse it too
        download(url, tmp_path, http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    assert seen == []


ENCODED = {
    "br": brotli.compress,
    "gzip": gzip.compress,
    "deflate": zlib.compress,
}


@pytest.mark.parametrize("encoding", [*sorted(ENCODED), "zstd"])
def test_compressed_bodies_are_saved_decoded(encoding: str, tmp_path: Path) -> None:
    payload = b"frame " * 10_000
    if encoding == "zstd":
        from backports import zstd

        body = zstd.compress(payload)
    else:
        body = ENCODED[encoding](payload)
    transport = httpx2.MockTransport(
        lambda r: httpx2.Response(200, content=body, headers={"content-encoding": encoding})
    )
    with httpx2.Client(transport=transport) as http:
        path = download("https://cdn.example.com/a.bin", tmp_path, http_client=http)
    assert path.read_bytes() == payload


def test_a_brotli_bomb_stops_at_max_bytes_decoded(tmp_path: Path) -> None:
    bomb = brotli.compress(b"\0" * (32 << 20))
    transport = httpx2.MockTransport(
        lambda r: httpx2.Response(200, content=bomb, headers={"content-encoding": "br"})
    )
    with (
        httpx2.Client(transport=transport) as http,
        pytest.raises(AssetDownloadError, match="decoded"),
    ):
        download("https://cdn.example.com/b.bin", tmp_path, http_client=http, max_bytes=1 << 20)
    assert _is_empty(tmp_path)


@pytest.mark.parametrize("encoding", ["compress", "x-unknown", "gzip, exotic"])
def test_an_unknown_encoding_is_refused_never_saved_encoded(encoding: str, tmp_path: Path) -> None:
    transport = httpx2.MockTransport(
        lambda r: httpx2.Response(
            200, stream=httpx2.ByteStream(b"\x1f\x9d..."), headers={"content-encoding": encoding}
        )
    )
    with (
        httpx2.Client(transport=transport) as http,
        pytest.raises(AssetDownloadError, match="encoding"),
    ):
        download("https://cdn.example.com/c.bin", tmp_path, http_client=http)
    assert _is_empty(tmp_path)
