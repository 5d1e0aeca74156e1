"""Client construction: arguments and environment, errors, repr, owned vs. caller clients."""

from __future__ import annotations

import subprocess
import sys

import httpx2
import pytest
from cannon_studio import AsyncCannon, Cannon, ConfigurationError
from cannon_studio_api.client import AuthenticatedClient
from overlay_helpers import API_KEY, MODES, WEBHOOK_SECRET, client_for, resolve
from overlay_mock_api import MockAPI, ok, request_object


def test_missing_key_is_a_clear_error_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="CANNON_API_KEY"):
        Cannon()
    with pytest.raises(ConfigurationError, match="CANNON_API_KEY"):
        AsyncCannon()


def test_environment_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANNON_API_KEY", API_KEY)
    monkeypatch.setenv("CANNON_BASE_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("CANNON_WEBHOOK_SECRET", WEBHOOK_SECRET)
    with Cannon() as c:
        assert c.base_url == "http://127.0.0.1:9"
        assert "set" in repr(c.webhooks)
    with Cannon(api_key=API_KEY, base_url="https://other.test") as c:
        assert c.base_url == "https://other.test"


def test_default_base_url() -> None:
    with Cannon(api_key=API_KEY) as c:
        assert c.base_url == "https://www.cannonstudio.app"
        assert c.max_retries == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "ftp://x"},
        {"base_url": "www.cannonstudio.app"},
        {"max_retries": -1},
        {"timeout": 0},
        {"api_key": "cs_test_with space"},
        {"api_key": "cs_test_line\nbreak"},
    ],
)
def test_bad_configuration(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"api_key": API_KEY, **kwargs}
    with pytest.raises(ConfigurationError) as info:
        Cannon(**args)  # type: ignore[arg-type]
    assert API_KEY not in str(info.value)


def test_wrong_http_client_kind() -> None:
    with pytest.raises(ConfigurationError):
        Cannon(api_key=API_KEY, http_client=httpx2.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        AsyncCannon(api_key=API_KEY, http_client=httpx2.Client())  # type: ignore[arg-type]


def test_repr_hides_key_and_secret() -> None:
    c = Cannon(api_key=API_KEY, webhook_secret=WEBHOOK_SECRET)
    text = repr(c) + repr(c.webhooks) + repr(c.requests) + repr(c.video) + str(vars(c))
    assert API_KEY not in repr(c) and WEBHOOK_SECRET not in text
    assert "cs_test_***" in repr(c)
    c.close()


@pytest.mark.parametrize("mode", MODES)
async def test_caller_http_client_is_used_and_not_closed(mode: str) -> None:
    api = MockAPI()
    api.add("GET", "/api/v1/requests/req_1", ok(request_object()))
    user: httpx2.Client | httpx2.AsyncClient
    if mode == "async":
        user = httpx2.AsyncClient(transport=api.transport(), headers={"x-trace": "1"})
    else:
        user = httpx2.Client(transport=api.transport(), headers={"x-trace": "1"})
    async with client_for(
        mode, api_key=API_KEY, base_url="https://api.test", http_client=user
    ) as c:
        assert (await resolve(c.requests.retrieve("req_1"))).status == "queued"
    assert not user.is_closed
    assert api.calls[0].headers["x-api-key"] == API_KEY
    await resolve(user.aclose() if isinstance(user, httpx2.AsyncClient) else user.close())


def test_context_manager_closes_owned_client() -> None:
    c = Cannon(api_key=API_KEY)
    with c:
        pass
    assert c._core.http.is_closed


def test_import_loads_the_client_but_nothing_heavy() -> None:
    # The package binds its public names on first access (PEP 562): reading ``Cannon`` loads the
    # client and the generated client it calls; jsonschema (deferred on purpose: tests/
    # architecture's DEFERRED_THIRD_PARTY), the sandbox's server stack and the CLI stay unloaded.
    code = (
        "import sys, cannon_studio\n"
        "assert 'cannon_studio._client' not in sys.modules\n"
        "cannon_studio.Cannon\n"
        "assert 'cannon_studio._client' in sys.modules\n"
        "heavy = [m for m in ('jsonschema', 'starlette', 'cannon_studio_sandbox',"
        " 'cannon_studio.cli', 'click', 'rich') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "c = cannon_studio.Cannon(api_key='cs_test_x123')\n"
        "heavy = [m for m in ('jsonschema', 'starlette') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_legacy_httpx_client_is_refused_with_the_migration() -> None:
    # Stand-ins named like legacy httpx's classes (the suite never imports legacy httpx).
    legacy_sync = type("Client", (), {"__module__": "httpx._client"})()
    legacy_async = type("AsyncClient", (), {"__module__": "httpx._client"})()
    with pytest.raises(ConfigurationError, match=r"legacy httpx\.Client.*httpx2\.Client"):
        Cannon(api_key=API_KEY, http_client=legacy_sync)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"legacy httpx\.AsyncClient.*httpx2\.AsyncClient"):
        AsyncCannon(api_key=API_KEY, http_client=legacy_async)  # type: ignore[arg-type]


def test_generated_client_repr_never_shows_the_key() -> None:
    c = Cannon(api_key=API_KEY, base_url="https://api.test")
    generated = c._core.api
    assert API_KEY not in repr(generated)
    generated.get_httpx_client()  # copies the key into its headers
    assert API_KEY not in repr(generated)
    c.close()


def test_generated_client_copies_keep_its_arguments_and_never_show_the_key() -> None:
    # openapi/templates/client.py.jinja: plain classes with the constructor, repr, eq and
    # with_* copies that attrs' define gave them (attrs is no longer imported by the client).
    timeout = httpx2.Timeout(3.0)
    made = AuthenticatedClient(
        "https://api.test", API_KEY, "", "x-api-key", timeout=timeout, headers={"a": "1"}
    )
    assert made == AuthenticatedClient(
        "https://api.test", API_KEY, "", "x-api-key", timeout=timeout, headers={"a": "1"}
    )
    assert made != AuthenticatedClient("https://api.test", API_KEY + "x", "", "x-api-key")
    with pytest.raises(TypeError):
        hash(made)
    http = made.get_httpx_client()
    copy = made.with_headers({"b": "2"})
    assert type(copy) is AuthenticatedClient and copy is not made
    assert copy._headers == {"a": "1", "b": "2", "x-api-key": API_KEY}
    assert copy._client is None and made._client is http  # the copy builds its own
    assert (copy.token, copy.prefix, copy.auth_header_name) == (API_KEY, "", "x-api-key")
    assert made.with_timeout(httpx2.Timeout(9.0))._timeout == httpx2.Timeout(9.0)
    assert made.with_cookies({"c": "3"})._cookies == {"c": "3"}
    for client in (made, copy):
        assert API_KEY not in repr(client)
        assert "base_url='https://api.test'" in repr(client)
    http.close()
