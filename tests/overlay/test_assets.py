"""Asset downloads: atomic, size-checked, progress, safe names, streaming (MockTransport)."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest
from cannon_studio import AssetDownloadError, AsyncCannon, Cannon, NotFoundError
from cannon_studio.assets import adownload, aiter_bytes, download, iter_bytes
from overlay_helpers import API_KEY
from overlay_mock_api import MockAPI, ok, request_object

PAYLOAD = bytes(range(256)) * 1000  # 256 kB


def asset_server(**routes: httpx2.Response) -> httpx2.MockTransport:
    def handler(request: httpx2.Request) -> httpx2.Response:
        assert "x-api-key" not in request.headers  # assets never get the API key
        reply = routes.get(request.url.path)
        if reply is None:
            return httpx2.Response(404, json={"error": "no such asset"})
        return reply

    return httpx2.MockTransport(handler)


def test_download_to_directory_with_progress(tmp_path: Path) -> None:
    t = asset_server(**{"/a/req_1/video.mp4": httpx2.Response(200, content=PAYLOAD)})
    seen: list[tuple[int, int | None]] = []
    with httpx2.Client(transport=t) as http:
        path = download(
            "https://cdn.test/a/req_1/video.mp4?sig=1",
            tmp_path,
            http_client=http,
            progress=lambda done, total: seen.append((done, total)),
        )
    assert path == tmp_path / "video.mp4" and path.read_bytes() == PAYLOAD
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD)) and len(seen) > 1
    assert list(tmp_path.iterdir()) == [path]


def test_size_mismatch_leaves_nothing(tmp_path: Path) -> None:
    t = asset_server(**{"/v.mp4": httpx2.Response(200, content=PAYLOAD)})
    with httpx2.Client(transport=t) as http, pytest.raises(AssetDownloadError, match="size"):
        download("https://cdn.test/v.mp4", tmp_path, http_client=http, expected_size=10)
    assert list(tmp_path.iterdir()) == []


def test_truncated_body_detected(tmp_path: Path) -> None:
    short = httpx2.Response(200, content=PAYLOAD[:100], headers={"content-length": "500"})
    t = asset_server(**{"/v.mp4": short})
    with httpx2.Client(transport=t) as http, pytest.raises((AssetDownloadError, httpx2.HTTPError)):
        download("https://cdn.test/v.mp4", tmp_path, http_client=http)
    assert not (tmp_path / "v.mp4").exists()
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_existing_file_replaced_atomically_only_with_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    t = asset_server(**{"/x": httpx2.Response(200, content=b"new")})
    with httpx2.Client(transport=t) as http:
        kept = download("https://cdn.test/x", target, http_client=http)
        assert kept == tmp_path / "out-1.bin" and target.read_bytes() == b"old"
        assert download("https://cdn.test/x", target, http_client=http, overwrite=True) == target
    assert target.read_bytes() == b"new" and kept.read_bytes() == b"new"


@pytest.mark.parametrize("name", ["..%2F..%2Fescape.txt", "%2e%2e", "..", "a%5C..%5Cb"])
def test_names_cannot_escape_directory(tmp_path: Path, name: str) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    t = httpx2.MockTransport(lambda r: httpx2.Response(200, content=b"x"))
    with httpx2.Client(transport=t) as http:
        path = download(f"https://cdn.test/a/{name}", inner, http_client=http)
    assert path.parent == inner.resolve()
    assert [p.name for p in tmp_path.iterdir()] == ["inner"]


def test_error_status_and_bad_url(tmp_path: Path) -> None:
    with httpx2.Client(transport=asset_server()) as http:
        with pytest.raises(NotFoundError):
            download("https://cdn.test/missing.png", tmp_path, http_client=http)
        with pytest.raises(AssetDownloadError):
            download("file:///etc/passwd", tmp_path, http_client=http)
    assert list(tmp_path.iterdir()) == []


def test_iter_bytes_streams() -> None:
    t = asset_server(**{"/v": httpx2.Response(200, content=PAYLOAD)})
    with httpx2.Client(transport=t) as http:
        assert (
            b"".join(iter_bytes("https://cdn.test/v", http_client=http, chunk_size=4096)) == PAYLOAD
        )


async def test_async_download_and_stream(tmp_path: Path) -> None:
    t = asset_server(**{"/a.wav": httpx2.Response(200, content=PAYLOAD)})
    async with httpx2.AsyncClient(transport=t) as http:
        path = await adownload("https://cdn.test/a.wav", tmp_path, http_client=http)
        chunks = [c async for c in aiter_bytes("https://cdn.test/a.wav", http_client=http)]
        with pytest.raises(AssetDownloadError):
            await adownload(
                "https://cdn.test/a.wav", tmp_path / "b", http_client=http, expected_size=1
            )
    assert path.read_bytes() == PAYLOAD and b"".join(chunks) == PAYLOAD
    assert not (tmp_path / "b").exists()


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


def test_handle_download_unique_names_without_key(tmp_path: Path) -> None:
    api = _api_with_assets()
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c:
        paths = c.requests.retrieve("req_1").download(tmp_path)
    assert [p.name for p in paths] == ["image.png", "image-1.png"]
    assert [p.read_bytes() for p in paths] == [b"one", b"two"]
    asset_calls = [r for r in api.calls if r.url.host == "cdn.test"]
    assert asset_calls and all("x-api-key" not in r.headers for r in asset_calls)


async def test_async_handle_download(tmp_path: Path) -> None:
    api = _api_with_assets()
    async with AsyncCannon(
        api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as c:
        handle = await c.requests.retrieve("req_1")
        paths = await handle.download(tmp_path)
    assert [p.read_bytes() for p in paths] == [b"one", b"two"]


def test_downloaded_file_gets_umask_permissions(tmp_path: Path) -> None:
    import os

    t = asset_server(**{"/img.png": httpx2.Response(200, content=b"png")})
    old = os.umask(0o022)
    try:
        with httpx2.Client(transport=t) as http:
            path = download("https://cdn.test/img.png", tmp_path, http_client=http)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
    assert list(tmp_path.iterdir()) == [path]
