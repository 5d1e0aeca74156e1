"""Proxies and certificates from the environment, like httpx2 (``trust_env``).

Every test runs real HTTP on 127.0.0.1: ``ForwardProxy`` relays absolute-form requests (and
refuses ``CONNECT`` with 502 after recording it); ``SlowAPI`` answers the API endpoints.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from cannon_studio import APIConnectionError, AsyncCannon, Cannon
from cannon_studio._proxies import bypasses_proxy
from loopback_servers import ForwardProxy, SlowAPI
from overlay_helpers import API_KEY

PROXY_VARIABLES = [
    name
    for base in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    for name in (base, base.upper())
] + ["SSL_CERT_FILE", "SSL_CERT_DIR", "REQUEST_METHOD"]


@pytest.fixture(autouse=True)
def _no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as server:
        yield server


@pytest.fixture
def api() -> Iterator[SlowAPI]:
    with SlowAPI() as server:
        yield server


def test_http_proxy_from_the_environment_carries_the_request(
    monkeypatch: pytest.MonkeyPatch, proxy: ForwardProxy, api: SlowAPI
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with Cannon(api_key=API_KEY, base_url=api.base_url) as client:
        assert client.status().credits_remaining == 42
        assert client.requests.retrieve("req_p").status == "succeeded"
    assert proxy.seen == [
        f"GET {api.base_url}/api/v1/status",
        f"GET {api.base_url}/api/v1/requests/req_p",
    ]
    assert api.headers[0]["x-api-key"] == API_KEY  # relayed unchanged


async def test_async_http_proxy_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, proxy: ForwardProxy, api: SlowAPI
) -> None:
    monkeypatch.setenv("http_proxy", proxy.url)
    async with AsyncCannon(api_key=API_KEY, base_url=api.base_url) as client:
        assert (await client.status()).ok
    assert proxy.seen == [f"GET {api.base_url}/api/v1/status"]


@pytest.mark.parametrize("asynchronous", [False, True])
async def test_https_proxy_is_used_for_https_urls(
    monkeypatch: pytest.MonkeyPatch, proxy: ForwardProxy, asynchronous: bool
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    base = "https://api.cannon.test"
    with pytest.raises(APIConnectionError):
        if asynchronous:
            async with AsyncCannon(api_key=API_KEY, base_url=base, max_retries=0) as aclient:
                await aclient.status()
        else:
            with Cannon(api_key=API_KEY, base_url=base, max_retries=0) as client:
                client.status()
    assert proxy.seen == ["CONNECT api.cannon.test:443"]


def test_no_proxy_and_trust_env_false_go_direct(
    monkeypatch: pytest.MonkeyPatch, proxy: ForwardProxy, api: SlowAPI
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with Cannon(api_key=API_KEY, base_url=api.base_url, trust_env=False) as client:
        assert client.status().ok
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    with Cannon(api_key=API_KEY, base_url=api.base_url) as client:
        assert client.status().ok
    assert proxy.seen == []
    assert len(api.paths) == 2


@pytest.mark.parametrize(
    ("host", "port", "no_proxy", "bypassed"),
    [
        ("api.example.com", None, "example.com", True),
        ("example.com", None, ".example.com", True),
        ("api.example.com", None, "*.example.com", True),
        ("badexample.com", None, "example.com", False),
        ("127.0.0.1", 8080, "127.0.0.1:8080", True),
        ("127.0.0.1", 9090, "127.0.0.1:8080", False),
        ("::1", None, "[::1]", True),
        ("anything", None, "*", True),
        ("anything", None, "", False),
    ],
)
def test_no_proxy_matching(host: str, port: int | None, no_proxy: str, bypassed: bool) -> None:
    assert bypasses_proxy(host, port, no_proxy) is bypassed


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_ssl_cert_file_is_honoured_unless_trust_env_is_false(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with SlowAPI(tls=tls) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        with Cannon(api_key=API_KEY, base_url=server.base_url, max_retries=0) as client:
            assert client.status().ok  # trusted through SSL_CERT_FILE only
        with (
            Cannon(
                api_key=API_KEY, base_url=server.base_url, max_retries=0, trust_env=False
            ) as client,
            pytest.raises(APIConnectionError),
        ):
            client.status()


def test_own_http_client_still_decides_its_proxies(
    monkeypatch: pytest.MonkeyPatch, proxy: ForwardProxy, api: SlowAPI
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with (
        httpx2.Client(trust_env=False) as mine,
        Cannon(api_key=API_KEY, base_url=api.base_url, http_client=mine) as client,
    ):
        assert client.status().ok
    assert proxy.seen == []
