"""The main path: ``client.run`` and every ``wait=True`` wrapper go through ``requests.run``,
which checks every argument (the wait deadline included) before anything is sent, makes the
idempotency key with the create and names the request in an error raised while waiting."""

from __future__ import annotations

import math

import pytest
from cannon_studio import ConfigurationError, RequestFailedError
from overlay_helpers import API_KEY
from overlay_mock_api import MockAPI, accepted, ok, request_object

from tests.client_modes import MODES, client_for, resolve

INPUT = {"prompt": "a kite over the sea"}


def _calls(client: object, how: str, max_wait: float) -> object:
    if how == "run":
        return client.run("video.generate", INPUT, max_wait=max_wait)  # type: ignore[attr-defined]
    if how == "wrapper":
        return client.video.generate(wait=True, max_wait=max_wait, **INPUT)  # type: ignore[attr-defined]
    return client.requests.run("video.generate", INPUT, max_wait=max_wait)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("how", ["run", "wrapper", "requests.run"])
@pytest.mark.parametrize("max_wait", [math.nan, -1.0, math.inf])
async def test_a_bad_deadline_is_refused_before_anything_is_sent(
    mode: str, how: str, max_wait: float
) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    async with client_for(
        mode, api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as client:
        with pytest.raises(ConfigurationError, match="max_wait"):
            await resolve(_calls(client, how, max_wait))
    assert api.calls == []  # nothing sent, nothing charged


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("how", ["run", "wrapper"])
async def test_a_failure_while_waiting_names_the_request_and_its_key(mode: str, how: str) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted("req_9", poll_after_ms=0), 202))
    api.add("GET", "/api/v1/requests/req_9", ok(request_object("req_9", status="failed")))
    async with client_for(
        mode, api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as client:
        with pytest.raises(RequestFailedError) as caught:
            await resolve(_calls(client, how, 30.0))
    sent_key = api.calls[0].headers["x-idempotency-key"]
    assert caught.value.request_id == "req_9"
    assert caught.value.idempotency_key == sent_key and sent_key.startswith("cs-idem-")


@pytest.mark.parametrize("mode", MODES)
async def test_each_create_makes_its_own_key_and_a_given_one_is_sent_as_is(mode: str) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    async with client_for(
        mode, api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as client:
        first = await resolve(client.requests.create("video.generate", INPUT))
        second = await resolve(client.requests.create("video.generate", INPUT))
        given = await resolve(
            client.requests.create("video.generate", INPUT, idempotency_key="job-7")
        )
    sent = [call.headers["x-idempotency-key"] for call in api.calls]
    assert sent == [first.idempotency_key, second.idempotency_key, "job-7"]
    assert given.idempotency_key == "job-7" and first.idempotency_key != second.idempotency_key
