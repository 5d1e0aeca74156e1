"""Red team, secrets: the API key and a base-URL password never reach a repr, a traceback with
locals, an error message, a chained exception or a log record."""

from __future__ import annotations

import logging
import traceback

import httpx2
import pytest
from cannon_studio import Cannon, CannonError, _clock
from hypothesis import given, settings
from hypothesis import strategies as st
from redteam_support import API_KEY, record

AREA = "secrets"
PASSWORD = "hunter2-very-secret-pw"


def _all_text(exc: BaseException) -> str:
    """Everything a traceback with locals (``pytest -l``, error trackers) would show."""
    parts = traceback.TracebackException.from_exception(exc, capture_locals=True).format()
    return "".join(parts)


def test_generated_client_repr_and_locals_never_show_the_key() -> None:
    transport = httpx2.MockTransport(lambda r: httpx2.Response(404, json={"error": "nope"}))
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=transport) as client:
        with pytest.raises(CannonError) as caught:
            client.requests.retrieve("req_missing")
        shown = repr(client._core.api) + repr(client) + _all_text(caught.value)
    assert record(AREA, API_KEY not in shown), shown[:2000]


@pytest.mark.parametrize(
    "make",
    [
        lambda: httpx2.ConnectError(f"refused for key {API_KEY}"),
        lambda: httpx2.RemoteProtocolError(f"server said x-api-key: {API_KEY}"),
        lambda: httpx2.ReadTimeout(f"timeout {API_KEY}"),
    ],
    ids=["connect", "protocol", "timeout"],
)
def test_transport_errors_and_their_chain_are_redacted(make: object) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        inner = make()  # type: ignore[operator]
        try:
            raise ValueError(f"context holding {API_KEY}")
        except ValueError:
            raise inner  # noqa: B904  (chains the ValueError as __context__)

    transport = httpx2.MockTransport(handler)
    with (
        Cannon(
            api_key=API_KEY, base_url="https://api.test", transport=transport, max_retries=0
        ) as client,
        pytest.raises(CannonError) as caught,
    ):
        client.status()
    chain: list[BaseException] = []
    current: BaseException | None = caught.value
    while current is not None:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = "".join(str(e) + repr(e.args) for e in chain)
    text += "".join(traceback.format_exception(caught.value))
    assert record(AREA, len(chain) >= 2 and API_KEY not in text), text[:2000]


def test_password_in_base_url_never_shown(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_clock, "sleep", lambda seconds: None)
    seen: list[str | None] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.headers.get("authorization"))
        raise httpx2.ConnectError(f"cannot connect to {request.url}")

    caplog.set_level(logging.DEBUG, logger="cannon_studio")
    with Cannon(
        api_key=API_KEY,
        base_url=f"https://alice:{PASSWORD}@api.test",
        transport=httpx2.MockTransport(handler),
        max_retries=1,
    ) as client:
        with pytest.raises(CannonError) as caught:
            client.status()
        shown = repr(client) + client.base_url + _all_text(caught.value) + caplog.text
    held = PASSWORD not in shown and "alice:" not in shown and seen and seen[0] is not None
    assert record(AREA, bool(held)), shown[:3000]


def test_bad_base_url_error_hides_the_password() -> None:
    with pytest.raises(CannonError) as caught:
        Cannon(api_key=API_KEY, base_url=f"ftp://bob:{PASSWORD}@host")
    assert record(AREA, PASSWORD not in str(caught.value))


@settings(max_examples=300, deadline=None, database=None)
@given(
    key=st.text(
        alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=80
    )
)
def test_repr_mask_shows_a_fixed_short_prefix_whatever_the_shape(key: str) -> None:
    transport = httpx2.MockTransport(lambda r: httpx2.Response(204))
    client = Cannon(api_key=key, base_url="https://api.test", transport=transport)
    try:
        text = repr(client)
    finally:
        client.close()
    shown = text.split("api_key='", 1)[1].split("***'", 1)[0]
    held = key.startswith(shown) and len(shown) <= 8 and len(shown) <= len(key) // 4
    assert record(AREA, held), (key, text)
