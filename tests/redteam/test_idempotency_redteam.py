"""Red team, double charge: a create whose every response is lost can be resumed with the key
carried by the error (library sync and async, and the CLI's printed command): one charge."""

from __future__ import annotations

import re
import shlex
from typing import Any

import httpx2
import pytest
from cannon_studio import APIConnectionError, Cannon, CannonError
from cannon_studio.cli import cli
from click.testing import CliRunner
from redteam_support import API_KEY, record

from tests.client_modes import MODES, client_for, resolve

AREA = "double charge"
INPUT = {"prompt": "a lighthouse at dusk"}


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    from cannon_studio import _clock

    monkeypatch.setattr(_clock, "sleep", lambda s: None)

    async def no_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(_clock, "async_sleep", no_sleep)


class LoseCreateResponses(httpx2.HTTPTransport):
    """Real HTTP to the sandbox, but every create's response is lost on the way back (the
    server commits, or replays, and the client only sees a broken connection)."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        if request.method == "POST":
            response.read()
            response.close()
            raise httpx2.ReadError("connection reset while reading the response")
        return response


class AsyncLoseCreateResponses(httpx2.AsyncHTTPTransport):
    """Async twin of ``LoseCreateResponses``."""

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await super().handle_async_request(request)
        if request.method == "POST":
            await response.aread()
            await response.aclose()
            raise httpx2.ReadError("connection reset while reading the response")
        return response


@pytest.mark.parametrize("mode", MODES)
async def test_lost_create_resumed_with_the_key_from_the_error(
    mode: str, cannon_sandbox: Any, fast: None
) -> None:
    sb = cannon_sandbox.sandbox
    lossy_transport = AsyncLoseCreateResponses() if mode == "async" else LoseCreateResponses()
    options = {"api_key": cannon_sandbox.api_key, "base_url": cannon_sandbox.base_url}
    async with client_for(mode, **options, transport=lossy_transport) as lossy:
        with pytest.raises(APIConnectionError) as caught:
            await resolve(lossy.requests.create("image.generate", INPUT))
    key = caught.value.idempotency_key
    assert key is not None and sb.created_count() == 1
    async with client_for(mode, **options) as client:
        handle = await resolve(client.requests.create("image.generate", INPUT, idempotency_key=key))
    original = sb.ledger()[0]
    held = (
        handle.id == original["id"]
        and sb.created_count() == 1
        and sb.credits_charged() == original["credits"]
    )
    assert record(AREA, held)


def test_lost_create_resumed_with_the_cli_command_it_prints(
    cannon_sandbox: Any, fast: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = cannon_sandbox.sandbox
    env = {
        "CANNON_API_KEY": cannon_sandbox.api_key,
        "CANNON_BASE_URL": cannon_sandbox.base_url,
        "CANNON_LOG": None,
        "COLUMNS": "400",
    }
    monkeypatch.setattr(httpx2, "HTTPTransport", LoseCreateResponses)
    args = ["run", "image.generate", "--prompt", "a lighthouse", "--no-wait", "--json"]
    first = CliRunner().invoke(cli, args, env=env)
    monkeypatch.undo()
    assert first.exit_code == 3, first.output
    match = re.search(r"^\s+(cannon-studio .*--idempotency-key \S+)$", first.stderr, re.M)
    assert match is not None, first.stderr
    argv = shlex.split(match.group(1))[1:]
    assert argv[: len(args)] == args and argv.count("--idempotency-key") == 1
    assert sb.created_count() == 1
    second = CliRunner().invoke(cli, argv, env=env)
    assert second.exit_code == 0, second.output
    held = sb.ledger()[0]["id"] in second.stdout and sb.created_count() == 1
    assert record(AREA, held)


@pytest.mark.parametrize(
    "reply",
    [
        httpx2.Response(500, json={"error": "boom", "request_id": "req_seen"}),
        httpx2.Response(402, json={"error": "no credits"}),
        httpx2.Response(202, content=b"{not json"),
        httpx2.Response(202, json={"id": None, "status": "queued", "operation": "x"}),
        httpx2.ConnectError("refused"),
        httpx2.ReadTimeout("slow"),
    ],
    ids=["500", "402", "bad-json", "id-null", "connect", "timeout"],
)
def test_every_create_error_carries_the_key_it_was_sent_with(
    reply: httpx2.Response | Exception, fast: None
) -> None:
    sent: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request.headers["x-idempotency-key"])
        if isinstance(reply, Exception):
            raise reply
        return httpx2.Response(reply.status_code, headers=reply.headers, content=reply.content)

    with Cannon(
        api_key=API_KEY, base_url="https://api.test", transport=httpx2.MockTransport(handler)
    ) as c:
        with pytest.raises(CannonError) as caught:
            c.requests.create("image.generate", INPUT)
        with pytest.raises(CannonError) as caught_run:
            c.run("image.generate", INPUT, idempotency_key="my-key-1")
    exc = caught.value
    first_call = {key for key in sent if key != "my-key-1"}
    held = first_call == {exc.idempotency_key}
    held = held and caught_run.value.idempotency_key == "my-key-1"
    if isinstance(reply, httpx2.Response) and reply.status_code == 500:
        held = held and exc.request_id == "req_seen"
    assert record(AREA, held), (exc, exc.idempotency_key, sent)
