"""Asset downloads: atomic, size-checked, progress, safe names, streaming (MockTransport).

Each scenario runs with the sync functions (``download``, ``iter_bytes``) and their async twins
(``mode``); the async side runs on a fresh event loop inside the test.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cannon_studio import AssetDownloadError, NotFoundError
from cannon_studio.assets import adownload, aiter_bytes, download, iter_bytes
from overlay_helpers import API_KEY, MODES, client_for, resolve
from overlay_mock_api import MockAPI, ok, request_object

PAYLOAD = bytes(range(256)) * 1000  # 256 kB

pytestmark = pytest.mark.parametrize("mode", MODES)


def asset_server(**routes: httpx2.Response) -> httpx2.MockTransport:
    def handler(request: httpx2.Request) -> httpx2.Response:
        assert "x-api-key" not in request.headers  # assets never get the API key
        reply = routes.get(request.url.path)
        if reply is None:
            return httpx2.Response(404, json={"error": "no such asset"})
        return reply

    return httpx2.MockTransport(handler)


def fetch(mode: str, transport: httpx2.MockTransport, url: str, dest: Path, **options: Any) -> Path:
    """``download`` (``mode="sync"``) or ``adownload`` (on a fresh event loop) via ``transport``."""
    if mode == "async":

        async def run() -> Path:
            async with httpx2.AsyncClient(transport=transport) as http:
                return await adownload(url, dest, http_client=http, **options)

        return asyncio.run(run())
    with httpx2.Client(transport=transport) as http:
        return download(url, dest, http_client=http, **options)


def stream(mode: str, transport: httpx2.MockTransport, url: str, **options: Any) -> list[bytes]:
    """The chunks of ``iter_bytes`` (``mode="sync"``) or ``aiter_bytes`` via ``transport``."""
    if mode == "async":

        async def run() -> list[bytes]:
            async with httpx2.AsyncClient(transport=transport) as http:
                return [c async for c in aiter_bytes(url, http_client=http, **options)]

        return asyncio.run(run())
    with httpx2.Client(transport=transport) as http:
        return list(iter_bytes(url, http_client=http, **options))


def test_download_to_directory_with_progress(tmp_path: Path, mode: str) -> None:
    t = asset_server(**{"/a/req_1/video.mp4": httpx2.Response(200, content=PAYLOAD)})
    seen: list[tuple[int, int | None]] = []
    path = fetch(
        mode,
        t,
        "https://cdn.test/a/req_1/video.mp4?sig=1",
        tmp_path,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert path == tmp_path / "video.mp4" and path.read_bytes() == PAYLOAD
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD)) and len(seen) > 1
    assert list(tmp_path.iterdir()) == [path]


def test_size_mismatch_leaves_nothing(tmp_path: Path, mode: str) -> None:
    t = asset_server(**{"/v.mp4": httpx2.Response(200, content=PAYLOAD)})
    with pytest.raises(AssetDownloadError, match="size"):
        fetch(mode, t, "https://cdn.test/v.mp4", tmp_path, expected_size=10)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(AssetDownloadError):  # into a directory that does not exist yet
        fetch(mode, t, "https://cdn.test/v.mp4", tmp_path / "b", expected_size=1)
    assert not (tmp_path / "b").exists()


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


GOOD_CHECKSUMS = [
    {"content-md5": _b64(hashlib.md5(PAYLOAD).digest())},
    {"repr-digest": f"sha-256=:{_b64(hashlib.sha256(PAYLOAD).digest())}:"},
    {"x-goog-hash": f"crc32c=AAAAAA==,md5={_b64(hashlib.md5(PAYLOAD).digest())}"},
    {"x-amz-checksum-sha256": _b64(hashlib.sha256(PAYLOAD).digest())},
]


@pytest.mark.parametrize("headers", GOOD_CHECKSUMS, ids=lambda h: next(iter(h)))
def test_a_declared_checksum_is_verified(
    tmp_path: Path, mode: str, headers: dict[str, str]
) -> None:
    good = asset_server(**{"/v.mp4": httpx2.Response(200, content=PAYLOAD, headers=headers)})
    assert fetch(mode, good, "https://cdn.test/v.mp4", tmp_path).read_bytes() == PAYLOAD
    # the same size, one byte different: only the checksum can tell
    changed = PAYLOAD[:-1] + b"\x00"
    bad = asset_server(**{"/w.mp4": httpx2.Response(200, content=changed, headers=headers)})
    with pytest.raises(AssetDownloadError, match=r"checksum mismatch for /w\.mp4"):
        fetch(mode, bad, "https://cdn.test/w.mp4", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4"], "nothing of the bad one"


def test_truncated_body_detected(tmp_path: Path, mode: str) -> None:
    short = httpx2.Response(200, content=PAYLOAD[:100], headers={"content-length": "500"})
    t = asset_server(**{"/v.mp4": short})
    with pytest.raises((AssetDownloadError, httpx2.HTTPError)):
        fetch(mode, t, "https://cdn.test/v.mp4", tmp_path)
    assert not (tmp_path / "v.mp4").exists()
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_existing_file_replaced_atomically_only_with_overwrite(tmp_path: Path, mode: str) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    t = asset_server(**{"/x": httpx2.Response(200, content=b"new")})
    kept = fetch(mode, t, "https://cdn.test/x", target)
    assert kept == tmp_path / "out-1.bin" and target.read_bytes() == b"old"
    assert fetch(mode, t, "https://cdn.test/x", target, overwrite=True) == target
    assert target.read_bytes() == b"new" and kept.read_bytes() == b"new"


@pytest.mark.parametrize("name", ["..%2F..%2Fescape.txt", "%2e%2e", "..", "a%5C..%5Cb"])
def test_names_cannot_escape_directory(tmp_path: Path, name: str, mode: str) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    t = httpx2.MockTransport(lambda r: httpx2.Response(200, content=b"x"))
    path = fetch(mode, t, f"https://cdn.test/a/{name}", inner)
    assert path.parent == inner.resolve()
    assert [p.name for p in tmp_path.iterdir()] == ["inner"]


def test_error_status_and_bad_url(tmp_path: Path, mode: str) -> None:
    with pytest.raises(NotFoundError):
        fetch(mode, asset_server(), "https://cdn.test/missing.png", tmp_path)
    with pytest.raises(AssetDownloadError):
        fetch(mode, asset_server(), "file:///etc/passwd", tmp_path)
    with pytest.raises(NotFoundError):
        stream(mode, asset_server(), "https://cdn.test/missing.png")
    assert list(tmp_path.iterdir()) == []


def test_iter_bytes_streams(mode: str) -> None:
    t = asset_server(**{"/v": httpx2.Response(200, content=PAYLOAD)})
    assert b"".join(stream(mode, t, "https://cdn.test/v", chunk_size=4096)) == PAYLOAD
    assert b"".join(stream(mode, t, "https://cdn.test/v")) == PAYLOAD


def _api_with_assets() -> MockAPI:
    api = MockAPI()
    obj = request_object("req_1", "succeeded", operation="image.generate")
    obj["output"] = {
        "asset_type": "image",
        "image_urls": ["https://cdn.test/a/req_1/image.png", "https://cdn.test/b/req_1/image.png"],
    }
    api.add("GET", "/api/v1/requests/req_1", ok(obj))
    api.add("GET", "/a/req_1/image.png", httpx2.Response(200, content=b"one"))
    api.add("GET", "/b/req_1/image.png", httpx2.Response(200, content=b"two"))
    return api


async def test_handle_download_unique_names_without_key(tmp_path: Path, mode: str) -> None:
    api = _api_with_assets()
    async with client_for(
        mode, api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as c:
        handle = await resolve(c.requests.retrieve("req_1"))
        paths = await resolve(handle.download(tmp_path))
    assert [p.name for p in paths] == ["image.png", "image-1.png"]
    assert [p.read_bytes() for p in paths] == [b"one", b"two"]
    asset_calls = [r for r in api.calls if r.url.host == "cdn.test"]
    assert asset_calls and all("x-api-key" not in r.headers for r in asset_calls)


def test_downloaded_file_gets_umask_permissions(tmp_path: Path, mode: str) -> None:
    t = asset_server(**{"/img.png": httpx2.Response(200, content=b"png")})
    old = os.umask(0o022)
    try:
        path = fetch(mode, t, "https://cdn.test/img.png", tmp_path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
    assert list(tmp_path.iterdir()) == [path]
