"""The API key has one home: schema fetches send it only to the configured API origin (https,
or http on loopback), never to a SOURCE on another origin, never across a redirect.

Every scenario runs real loopback servers and looks at the headers they received.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import check_drift
import pytest
import regenerate
from cannon_studio_schema import SchemaError
from cannon_studio_schema.source import MAX_REDIRECTS, key_allowed, read_source

from tests.schema_source.servers import Recorder, self_signed

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = (ROOT / "openapi" / "cannon-studio.json").read_bytes()
KEY = "cs_live_key_that_must_stay_home_0001"
PATH = "/api/v1/openapi"


def _keys_seen(*servers: Recorder) -> list[str]:
    return [
        hit.headers["x-api-key"] for s in servers for hit in s.hits if "x-api-key" in hit.headers
    ]


@pytest.fixture
def api() -> Iterator[Recorder]:
    with Recorder() as server:
        yield server


@pytest.fixture
def other() -> Iterator[Recorder]:
    with Recorder() as server:
        yield server


@pytest.fixture
def tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """An https server on loopback whose certificate the fetch trusts (``SSL_CERT_FILE``)."""
    if shutil.which("openssl") is None:
        pytest.fail("the https scenarios need the openssl command (.ci/run installs it)")
    cert, context = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with Recorder(tls=context) as server:
        yield server


@pytest.mark.parametrize(
    ("url", "api_base", "allowed"),
    [
        ("https://www.cannonstudio.app/api/v1/openapi", None, True),
        ("https://WWW.cannonstudio.app:443/api/v1/openapi", None, True),
        ("http://www.cannonstudio.app/api/v1/openapi", None, False),  # https -> http
        ("https://www.cannonstudio.app:8443/api/v1/openapi", None, False),
        ("https://www.cannonstudio.app.evil.test/api/v1/openapi", None, False),
        ("https://www.cannonstudio.app@evil.test/api/v1/openapi", None, False),
        ("https://evil.test/api/v1/openapi", None, False),
        ("http://127.0.0.1:8787/api/v1/openapi", "http://127.0.0.1:8787", True),
        ("http://[::1]:8787/x", "http://[::1]:8787", True),
        ("http://localhost:8787/x", "http://localhost:8787", True),
        ("http://127.0.0.1:8788/x", "http://127.0.0.1:8787", False),
        # A plain-http API base off loopback never gets the key, even on its own origin.
        ("http://api.example.test/x", "http://api.example.test", False),
        ("http://10.0.0.5/x", "http://10.0.0.5", False),
        ("https://api.example.test/x", "https://api.example.test/v1/", True),
        ("file:///etc/passwd", None, False),
    ],
)
def test_key_allowed_is_the_rule(url: str, api_base: str | None, allowed: bool) -> None:
    assert key_allowed(url, api_base) is allowed


def test_http_source_on_another_origin_never_gets_the_key(api: Recorder, other: Recorder) -> None:
    url = other.serve(PATH, SNAPSHOT)
    fetched = read_source(url, api_key=KEY, api_base_url=api.origin)
    assert fetched.text.encode() == SNAPSHOT
    assert not fetched.key_sent
    assert fetched.note is not None and api.origin in fetched.note and KEY not in fetched.note
    assert len(other.hits) == 1 and _keys_seen(api, other) == []


def test_https_source_on_another_origin_never_gets_the_key(tls: Recorder) -> None:
    url = tls.serve(PATH, SNAPSHOT)
    fetched = read_source(url, api_key=KEY, api_base_url="https://api.example.test")
    assert fetched.text.encode() == SNAPSHOT and not fetched.key_sent
    assert len(tls.hits) == 1 and _keys_seen(tls) == []


def test_https_api_origin_gets_the_key(tls: Recorder) -> None:
    url = tls.serve(PATH, SNAPSHOT)
    fetched = read_source(url, api_key=KEY, api_base_url=tls.origin)
    assert fetched.key_sent and fetched.note is None
    assert _keys_seen(tls) == [KEY]


def test_redirect_from_the_api_origin_to_another_host_carries_no_key(
    api: Recorder, other: Recorder
) -> None:
    target = other.serve(PATH, SNAPSHOT)
    url = api.redirect(PATH, target)
    with pytest.raises(SchemaError) as caught:
        read_source(url, api_key=KEY, api_base_url=api.origin)
    message = str(caught.value)
    assert "redirected to another origin" in message and other.origin in message
    assert KEY not in message and "\n" not in message
    assert other.hits == []  # not followed: nothing at all reached the other host
    assert _keys_seen(api) == [KEY]  # the API origin itself got it, as configured


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_from_another_origin_is_not_followed_and_gets_no_key(
    api: Recorder, other: Recorder, status: int
) -> None:
    # A SOURCE off the API origin that redirects *to* the API origin: still no key anywhere.
    api.serve(PATH, SNAPSHOT)
    url = other.redirect("/schema", api.url(PATH), status)
    with pytest.raises(SchemaError, match="redirected to another origin"):
        read_source(url, api_key=KEY, api_base_url=api.origin)
    assert api.hits == [] and _keys_seen(api, other) == []


def test_https_api_redirect_to_http_on_the_same_host_is_refused(
    tls: Recorder, other: Recorder
) -> None:
    target = other.serve(PATH, SNAPSHOT)  # plain http on 127.0.0.1
    url = tls.redirect(PATH, target)
    with pytest.raises(SchemaError, match="redirected to another origin"):
        read_source(url, api_key=KEY, api_base_url=tls.origin)
    assert other.hits == []


def test_https_source_redirecting_elsewhere_gets_no_key(tls: Recorder, other: Recorder) -> None:
    url = tls.redirect(PATH, other.serve(PATH, SNAPSHOT))
    with pytest.raises(SchemaError, match="redirected to another origin"):
        read_source(url, api_key=KEY, api_base_url="https://api.example.test")
    assert _keys_seen(tls, other) == [] and other.hits == []


def test_same_origin_redirects_are_followed_with_the_key_and_bounded(api: Recorder) -> None:
    api.serve("/final", SNAPSHOT)
    url = api.redirect(PATH, "/final")
    fetched = read_source(url, api_key=KEY, api_base_url=api.origin)
    assert fetched.text.encode() == SNAPSHOT and _keys_seen(api) == [KEY, KEY]
    api.redirect("/loop", "/loop")
    with pytest.raises(SchemaError, match=f"more than {MAX_REDIRECTS} times"):
        read_source(api.url("/loop"))
    assert len(api.hits) == 2 + MAX_REDIRECTS + 1


def test_regenerate_fetches_another_origin_without_the_key_and_says_so(
    api: Recorder, other: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    url = other.serve(PATH, SNAPSHOT)
    env = {"CANNON_API_KEY": KEY, "CANNON_BASE_URL": api.origin}
    document = regenerate.read_document(url, env)
    assert document == json.loads(SNAPSHOT)
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("regenerate: The API key was not sent with " + url)
    assert KEY not in line and _keys_seen(api, other) == []


def test_drift_check_redirected_off_origin_exits_2_and_leaks_nothing(
    api: Recorder,
    other: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = api.redirect(PATH, other.serve(PATH, SNAPSHOT))
    monkeypatch.setenv("CANNON_API_KEY", KEY)
    monkeypatch.setenv("CANNON_BASE_URL", api.origin)
    assert check_drift.main(["--url", url, "--skip-generated"]) == 2
    captured = capsys.readouterr()
    [line] = captured.err.strip().splitlines()
    assert "redirected to another origin" in line
    assert KEY not in captured.out + captured.err and other.hits == []


@pytest.mark.parametrize("base_url", ["http://api.example.test", "http://10.0.0.5:8787", "ftp://x"])
def test_record_refuses_to_send_the_key_to_a_plain_http_api(
    base_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scripts import record_cassettes

    monkeypatch.setenv("CANNON_BASE_URL", base_url)
    monkeypatch.setenv("CANNON_API_KEY", KEY)
    assert record_cassettes.main(["--only", "status"]) == 2
    captured = capsys.readouterr()
    [line] = captured.err.strip().splitlines()
    assert "neither https nor http on loopback" in line and KEY not in captured.out + captured.err


def test_schema_check_redirected_off_the_api_origin_sends_no_key(
    api: Recorder, other: Recorder
) -> None:
    from cannon_studio.cli import cli
    from click.testing import CliRunner

    url = api.redirect(PATH, other.serve(PATH, SNAPSHOT))
    env = {"CANNON_API_KEY": KEY, "CANNON_BASE_URL": api.origin, "CANNON_OPENAPI_URL": None}
    result = CliRunner().invoke(cli, ["schema", "check", "--url", url], env=env)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "redirected to another origin" in line and KEY not in result.output
    assert other.hits == [] and _keys_seen(api) == [KEY]
