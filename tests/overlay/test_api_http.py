"""The API clients' shortcut (``_api_http``) sends what ``httpx2.Client`` would have sent.

Each call is made twice through ``httpx2.MockTransport`` handlers that record the request: once
through ``ApiClient`` / ``AsyncApiClient`` and once through a plain ``httpx2.Client`` /
``AsyncClient`` with the same settings; method, URL, headers (order and case included) and body
must match. Calls the shortcut does not take (params, cookies, an absolute URL) still work.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
import pytest
from cannon_studio._api_http import ApiClient, AsyncApiClient, _Parts
from hypothesis import given
from hypothesis import strategies as st

BASES = ["https://api.test", "https://api.test/prefix/", "http://127.0.0.1:8080/v/"]
CALLS: list[dict[str, Any]] = [
    {"method": "get", "url": "/api/v1/requests/req_1"},
    {"method": "get", "url": "/api/v1/requests/a%2Fb%3Fc"},
    {
        "method": "post",
        "url": "/api/v1/requests",
        "json": {"operation": "image.generate", "input": {"prompt": "caf\u00e9 \u2603"}},
        "headers": {"x-idempotency-key": "cs-idem-1", "Content-Type": "application/json"},
    },
    {"method": "get", "url": "/api/v1/status", "headers": {"x-extra": "9", "X-New": "n"}},
    {"method": "post", "url": "/api/v1/requests", "content": b"{}", "headers": {"X-Extra": b"b"}},
    {"method": "get", "url": "/api/v1/status", "params": {"a": "1"}},
    {"method": "get", "url": "https://api.test/api/v1/status"},
]
SETTINGS: dict[str, Any] = {
    "headers": {"x-api-key": "cs_test_0000", "user-agent": "cannon-studio/test", "X-Extra": "1"},
    "timeout": httpx2.Timeout(7.0, connect=2.0),
}


def _seen(request: httpx2.Request) -> tuple[Any, ...]:
    return (
        request.method,
        str(request.url),
        request.headers.raw,
        request.read(),
        request.extensions.get("timeout"),
    )


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c['method']} {c['url']}")
def test_sync_shortcut_sends_what_httpx2_sends(base: str, call: dict[str, Any]) -> None:
    seen: list[tuple[Any, ...]] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(_seen(request))
        return httpx2.Response(200, json={"ok": True}, headers={"set-cookie": "a=b"})

    ours = ApiClient(base_url=base, transport=httpx2.MockTransport(answer), **SETTINGS)
    plain = httpx2.Client(base_url=base, transport=httpx2.MockTransport(answer), **SETTINGS)
    for client in (ours, plain):
        response = client.request(**call)
        assert response.json() == {"ok": True}
        assert response.request.url == httpx2.URL(seen[-1][1])
    assert seen[0] == seen[1]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c['method']} {c['url']}")
def test_async_shortcut_sends_what_httpx2_sends(base: str, call: dict[str, Any]) -> None:
    seen: list[tuple[Any, ...]] = []

    async def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(_seen(request))
        return httpx2.Response(201, json={"ok": True})

    async def main() -> None:
        ours = AsyncApiClient(base_url=base, transport=httpx2.MockTransport(answer), **SETTINGS)
        plain = httpx2.AsyncClient(
            base_url=base, transport=httpx2.MockTransport(answer), **SETTINGS
        )
        for client in (ours, plain):
            response = await client.request(**call)
            assert response.status_code == 201 and response.json() == {"ok": True}
            await client.aclose()

    asyncio.run(main())
    assert seen[0] == seen[1]


def test_closed_client_refuses_like_httpx2() -> None:
    client = ApiClient(
        base_url="https://api.test", transport=httpx2.MockTransport(lambda r: httpx2.Response(200))
    )
    client.close()
    with pytest.raises(RuntimeError):
        client.request("get", "/api/v1/status")


PATH_PIECES = [
    "req_1",
    "a%2Fb",
    "%zz",
    "%2f",
    ".",
    "..",
    "a.b",
    ".a",
    "a.",
    "~x",
    "caf\u00e9",
    "sp ace",
    "q?x=1",
    "#f",
    "[x]",
    "@:",
    "!$&'()*+,;=",
]


@pytest.mark.parametrize("base", BASES)
@given(st.lists(st.sampled_from(PATH_PIECES) | st.text(max_size=6), min_size=1, max_size=4))
def test_joined_url_is_httpx2s(base: str, segments: list[str]) -> None:
    """A path set on the parsed base URL and the same path parsed by httpx2 give one URL."""
    path = "/" + "/".join(segments)
    client = ApiClient(
        base_url=base, transport=httpx2.MockTransport(lambda r: httpx2.Response(200))
    )
    try:
        expected = httpx2.URL(base.rstrip("/") + path)
    except httpx2.InvalidURL:
        return
    got = _Parts(client).url(path)
    assert (str(got), got.raw_path, got.path, got.query) == (
        str(expected),
        expected.raw_path,
        expected.path,
        expected.query,
    )


def test_changed_default_headers_are_sent() -> None:
    """The parts made once per client are remade when its default headers or base URL change."""
    seen: list[tuple[Any, ...]] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(_seen(request))
        return httpx2.Response(200, json={})

    client = ApiClient(base_url=BASES[0], transport=httpx2.MockTransport(answer), **SETTINGS)
    client.request("get", "/api/v1/status")
    client.headers["X-Extra"] = "2"
    client.request("get", "/api/v1/status")
    client.base_url = httpx2.URL("https://other.test/v2/")
    client.request("get", "/api/v1/status")
    assert (b"X-Extra", b"1") in seen[0][2] and (b"X-Extra", b"2") in seen[1][2]
    assert seen[2][1] == "https://other.test/v2/api/v1/status"
    assert (b"Host", b"other.test") in seen[2][2]
