"""Per-call timeout and headers are request options on the shared client; a caller's
``http_client`` keeps its default headers on API calls, under ours, and not on downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest
from overlay_mock_api import request_object

from tests.client_modes import MODES, client_for, resolve

KEY = "cs_test_options"
BASE = "https://api.example.com"


def _api(seen: list[httpx2.Request]) -> httpx2.MockTransport:
    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if request.url.host == "cdn.example.com":
            return httpx2.Response(200, content=b"video")
        if request.url.path == "/api/v1/status":
            return httpx2.Response(200, json={"ok": True, "status": "ok", "creditsRemaining": 1})
        body = request_object("req_1", "succeeded")
        body["output"]["video_url"] = "https://cdn.example.com/r/video.mp4"
        return httpx2.Response(200, json=body)

    return httpx2.MockTransport(handler)


@pytest.mark.parametrize("mode", MODES)
async def test_per_call_options_build_no_client(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    for cls in (httpx2.Client, httpx2.AsyncClient):
        original = cls.__init__

        def counting(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> None:
            built.append(type(self).__name__)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    seen: list[httpx2.Request] = []
    async with client_for(mode, api_key=KEY, base_url=BASE, transport=_api(seen)) as client:
        before = len(built)
        await resolve(client.requests.retrieve("req_1", timeout=3, extra_headers={"x-trace": "t1"}))
        await resolve(client.requests.retrieve("req_1"))
        assert len(built) == before  # no HTTP client made for the call
    first, second = seen
    assert first.headers["x-trace"] == "t1" and "x-trace" not in second.headers
    assert first.extensions["timeout"]["read"] == pytest.approx(3, abs=0.1)
    assert second.extensions["timeout"]["read"] > 30  # the client's own (60 s)
    assert first.headers["x-api-key"] == KEY


@pytest.mark.parametrize("mode", MODES)
async def test_a_callers_http_client_keeps_its_default_headers_on_api_calls(
    mode: str, tmp_path: Path
) -> None:
    seen: list[httpx2.Request] = []
    theirs = {"x-team": "blue", "x-api-key": "not-the-key", "user-agent": "theirs/1.0"}
    http: Any = (
        httpx2.Client(transport=_api(seen), headers=theirs)
        if mode == "sync"
        else httpx2.AsyncClient(transport=_api(seen), headers=theirs)
    )
    async with client_for(
        mode, api_key=KEY, base_url=BASE, http_client=http, default_headers={"x-team": "red"}
    ) as client:
        handle = await resolve(client.requests.retrieve("req_1", extra_headers={"x-call": "1"}))
        await resolve(client.status())
        await resolve(handle.download(tmp_path))
    await resolve(http.aclose() if mode == "async" else http.close())
    api_calls = [r for r in seen if r.url.host == "api.example.com"]
    downloads = [r for r in seen if r.url.host == "cdn.example.com"]
    assert len(api_calls) == 2 and len(downloads) == 1
    for request in api_calls:
        assert request.headers["x-api-key"] == KEY  # ours win on a clash
        assert request.headers["x-team"] == "red"  # default_headers over the client's
        assert request.headers["user-agent"].startswith("cannon-studio")
    assert api_calls[0].headers["x-call"] == "1" and "x-call" not in api_calls[1].headers
    download = downloads[0]
    assert "x-api-key" not in download.headers and "x-team" not in download.headers


@pytest.mark.parametrize("mode", MODES)
async def test_a_header_only_the_callers_client_sets_is_sent(mode: str) -> None:
    seen: list[httpx2.Request] = []
    http = _same_kind(mode, {"x-only-theirs": "yes"}, seen)
    async with client_for(mode, api_key=KEY, base_url=BASE, http_client=http) as client:
        await resolve(client.status())
    await resolve(http.aclose() if mode == "async" else http.close())
    assert seen[-1].headers["x-only-theirs"] == "yes"


def _same_kind(mode: str, headers: dict[str, str], seen: list[httpx2.Request]) -> Any:
    if mode == "sync":
        return httpx2.Client(transport=_api(seen), headers=headers)
    return httpx2.AsyncClient(transport=_api(seen), headers=headers)
