"""Replay every cassette through the overlay (sync and async) with the network blocked.

Cassettes come from ``make record`` (scripts/record_cassettes.py); each test makes the same calls
the recorder made, with the same inputs and idempotency keys, so vcrpy can match every request
on method, path and body. ``replay`` also checks that every recorded interaction was played.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import cannon_studio as cs
import pytest
from cannon_studio.transports import httpx2_transport
from cannon_studio_schema import embedded
from replay_support import Replay
from vcr.errors import CannotOverwriteExistingCassetteException

from scripts import record_cassettes as rc

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def schema_operations() -> list[str]:
    """Operation ids of the embedded schema, from the schema model."""
    return sorted(embedded().ids)


OPERATIONS = schema_operations()


def test_every_operation_in_the_schema_has_a_cassette() -> None:
    assert OPERATIONS
    missing = [
        op for op in OPERATIONS if not (rc.CASSETTE_DIR / f"{rc.cassette_name(op)}.yaml").is_file()
    ]
    assert missing == []
    recorded = {p.stem.removeprefix("operation-") for p in rc.CASSETTE_DIR.glob("operation-*.yaml")}
    assert recorded == set(OPERATIONS)  # no cassette of an operation the schema dropped


def test_every_scenario_has_a_cassette_and_every_cassette_a_scenario() -> None:
    names = {s.name for s in rc.scenarios()}
    assert {p.stem for p in rc.CASSETTE_DIR.glob("*.yaml")} == names


def _check_succeeded(handle: Any, operation: str, client: Any) -> None:
    spec = client.operations.get(operation)
    assert handle.status == "succeeded" and handle.is_terminal
    assert handle.operation == operation
    assert handle.accepted is not None and str(handle.accepted.status) in {"queued", "processing"}
    assert type(handle.output).__name__ == spec.output_name
    assert isinstance(handle.credits, int) and handle.credits > 0
    for url in handle.asset_urls():
        assert url.startswith(f"{rc.PLACEHOLDER_BASE_URL}/assets/") and "?" not in url


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_replays_sync(
    operation: str, replay: Replay, client: Any, sleeps: list[float]
) -> None:
    name = rc.cassette_name(operation)
    seen: list[str] = []
    with replay(name), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        handle = client.requests.create(
            operation, rc.OPERATION_INPUTS[operation], idempotency_key=rc.idempotency_key(name)
        )
        handle.wait(max_wait=60, on_update=lambda h: seen.append(h.status))
    _check_succeeded(handle, operation, client)
    assert seen[-1] == "succeeded"
    assert sleeps  # it polled, and the poll delays went through the patched sleep


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_operation_replays_async(
    operation: str, replay: Replay, async_client: Any, sleeps: list[float]
) -> None:
    name = rc.cassette_name(operation)
    with replay(name), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        handle = await async_client.requests.create(
            operation, rc.OPERATION_INPUTS[operation], idempotency_key=rc.idempotency_key(name)
        )
        await handle.wait(max_wait=60)
    _check_succeeded(handle, operation, async_client)
    assert sleeps


def test_status_sync(replay: Replay, client: Any) -> None:
    with replay("status"):
        status = client.status()
    assert status.ok is True and isinstance(status.credits_remaining, int)


async def test_status_async(replay: Replay, async_client: Any) -> None:
    with replay("status"):
        status = await async_client.status()
    assert status.ok is True and isinstance(status.credits_remaining, int)


def test_bad_key_is_authentication_error(replay: Replay) -> None:
    c = cs.Cannon(api_key=rc.BAD_API_KEY, base_url=rc.PLACEHOLDER_BASE_URL)
    with replay("error-401-bad-key"), c, pytest.raises(cs.AuthenticationError) as info:
        c.status()
    assert info.value.status_code == 401
    assert rc.BAD_API_KEY not in str(info.value)


async def test_bad_key_is_authentication_error_async(replay: Replay) -> None:
    with replay("error-401-bad-key"):
        async with cs.AsyncCannon(
            api_key=rc.BAD_API_KEY, base_url=rc.PLACEHOLDER_BASE_URL, transport=httpx2_transport()
        ) as c:
            with pytest.raises(cs.AuthenticationError):
                await c.status()


def test_unknown_request_is_not_found(replay: Replay, client: Any) -> None:
    with replay("error-404-unknown-request"), pytest.raises(cs.NotFoundError) as info:
        client.requests.retrieve(rc.UNKNOWN_REQUEST_ID)
    assert info.value.status_code == 404


async def test_unknown_request_is_not_found_async(replay: Replay, async_client: Any) -> None:
    with replay("error-404-unknown-request"), pytest.raises(cs.NotFoundError):
        await async_client.requests.retrieve(rc.UNKNOWN_REQUEST_ID)


@pytest.mark.parametrize(
    ("name", "operation", "body", "status", "field"),
    [
        ("error-400-server-validation", "video.generate", rc.INPUT_400, 400, "input.duration"),
        ("error-422-server-validation", "image.generate", rc.INPUT_422, 422, "input.prompt"),
    ],
)
def test_server_validation_errors(
    replay: Replay,
    client: Any,
    name: str,
    operation: str,
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    # The client-side check would stop these inputs first (InputValidationError, nothing sent).
    with pytest.raises(cs.InputValidationError):
        client.requests.create(operation, body)
    with replay(name), rc.server_side_validation_only(), pytest.raises(cs.BadRequestError) as info:
        client.requests.create(operation, body, idempotency_key=rc.idempotency_key(name))
    assert info.value.status_code == status
    assert info.value.field == field


async def test_server_validation_error_async(replay: Replay, async_client: Any) -> None:
    name = "error-422-server-validation"
    with replay(name), rc.server_side_validation_only(), pytest.raises(cs.BadRequestError) as info:
        await async_client.requests.create(
            "image.generate", rc.INPUT_422, idempotency_key=rc.idempotency_key(name)
        )
    assert info.value.status_code == 422


def test_conflicting_idempotency_key(replay: Replay, client: Any) -> None:
    key = rc.idempotency_key("error-409-idempotency-conflict")
    with replay("error-409-idempotency-conflict"):
        first = client.requests.create(
            "prompt.enhance.image", rc.CONFLICT_INPUTS[0], idempotency_key=key
        )
        with pytest.raises(cs.ConflictError) as info:
            client.requests.create(
                "prompt.enhance.image", rc.CONFLICT_INPUTS[1], idempotency_key=key
            )
    assert first.id.startswith("req_")
    assert info.value.status_code == 409


def test_insufficient_credits(replay: Replay, client: Any) -> None:
    name = "error-402-insufficient-credits"
    with replay(name), pytest.raises(cs.InsufficientCreditsError) as info:
        client.requests.create(
            "image.generate",
            rc.OPERATION_INPUTS["image.generate"],
            idempotency_key=rc.idempotency_key(name),
        )
    assert info.value.status_code == 402


def test_failed_request_raises(replay: Replay, client: Any) -> None:
    with replay("request-failed"):
        handle = client.requests.create(
            "image.generate",
            {"prompt": f"A lighthouse {rc.FAIL_MARKER}"},
            idempotency_key=rc.idempotency_key("request-failed"),
        )
        with pytest.raises(cs.RequestFailedError) as info:
            handle.wait(max_wait=60)
    assert handle.status == "failed"
    assert info.value.request_id == handle.id
    assert info.value.error_message


async def test_failed_request_raises_async(replay: Replay, async_client: Any) -> None:
    with replay("request-failed"):
        handle = await async_client.requests.create(
            "image.generate",
            {"prompt": f"A lighthouse {rc.FAIL_MARKER}"},
            idempotency_key=rc.idempotency_key("request-failed"),
        )
        with pytest.raises(cs.RequestFailedError):
            await handle.wait(max_wait=60)


def test_429_is_retried_after_retry_after(replay: Replay, client: Any, sleeps: list[float]) -> None:
    with replay("retry-429-then-accepted"):  # both the 429 and the 202 must be played
        handle = client.requests.create(
            "prompt.enhance.video",
            rc.OPERATION_INPUTS["prompt.enhance.video"],
            idempotency_key=rc.idempotency_key("retry-429-then-accepted"),
        )
    assert handle.id.startswith("req_")
    assert len(sleeps) == 1  # one retry delay, through the patched sleep


async def test_429_is_retried_async(replay: Replay, async_client: Any, sleeps: list[float]) -> None:
    with replay("retry-429-then-accepted"):
        handle = await async_client.requests.create(
            "prompt.enhance.video",
            rc.OPERATION_INPUTS["prompt.enhance.video"],
            idempotency_key=rc.idempotency_key("retry-429-then-accepted"),
        )
    assert handle.id.startswith("req_") and len(sleeps) == 1


def test_download_asset(replay: Replay, client: Any, tmp_path: Path) -> None:
    with replay("download-image-asset"):
        handle = client.requests.create(
            "image.generate",
            {"prompt": "A small red square", "aspect_ratio": "1:1"},
            idempotency_key=rc.idempotency_key("download-image-asset"),
        )
        handle.wait(max_wait=60)
        [path] = handle.download(tmp_path)
    assert path.parent == tmp_path and path.read_bytes().startswith(PNG_MAGIC)


async def test_download_asset_async(replay: Replay, async_client: Any, tmp_path: Path) -> None:
    with replay("download-image-asset"):
        handle = await async_client.requests.create(
            "image.generate",
            {"prompt": "A small red square", "aspect_ratio": "1:1"},
            idempotency_key=rc.idempotency_key("download-image-asset"),
        )
        await handle.wait(max_wait=60)
        [path] = await handle.download(tmp_path)
    assert path.read_bytes().startswith(PNG_MAGIC)


def test_a_request_missing_from_the_cassette_fails(replay: Replay, client: Any) -> None:
    # A body that was never recorded is not played (matching includes the body) ...
    with pytest.raises(CannotOverwriteExistingCassetteException), replay("status"):
        client.requests.create("prompt.enhance.image", {"prompt": "never recorded"})


def test_an_unplayed_interaction_fails(replay: Replay) -> None:
    # ... and a test that skips a recorded call does not pass either.
    with pytest.raises(AssertionError, match="0/1 played"), replay("status"):
        pass


def test_network_is_blocked(no_network: None) -> None:
    import socket

    with pytest.raises(RuntimeError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))
