"""Cannon against the real sandbox server (session server on 127.0.0.1, instant mode)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx2
import pytest
from cannon_studio import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Cannon,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestFailedError,
    ServerError,
    WaitTimeoutError,
    _validation,
)
from cannon_studio.assets import download
from cannon_studio_sandbox import FaultRule


def test_quickstart_flow(client: Cannon, cannon_sandbox: Any, tmp_path: Path) -> None:
    status = client.status()
    assert status.ok and status.credits_remaining == cannon_sandbox.sandbox.credits_remaining(
        cannon_sandbox.account
    )
    handle = client.images.generate(prompt="a lighthouse", aspect_ratio="1:1")
    assert handle.status in ("queued", "processing", "succeeded") and handle.accepted is not None
    handle.wait(max_wait=30)
    assert handle.status == "succeeded" and type(handle.output).__name__ == "ImageOutput"
    assert handle.credits is not None and handle.credits > 0
    paths = handle.download(tmp_path)
    assert paths and paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = client.requests.retrieve(handle.id)
    assert again.status == "succeeded" and again.operation == "image.generate"
    out = client.prompts.enhance_image(prompt="a cat", wait=True)
    assert out.enhanced_prompt


def test_every_operation_runs(client: Cannon) -> None:
    import warnings

    from overlay_schema_inputs import operations, valid_input

    handles = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for op in operations():
            handles.append(client.requests.create(op, valid_input(op)))
    done = client.requests.wait_all(handles, max_wait=60)
    assert [h.status for h in done] == ["succeeded"] * len(handles)
    assert all(h.output is not None for h in done)


def test_retry_after_is_honoured(
    client: Cannon, cannon_sandbox: Any, no_sleep: list[float]
) -> None:
    sb = cannon_sandbox.sandbox
    sb.add_fault(FaultRule("429", endpoint="get", count=1, retry_after_s=2))
    sb.add_fault(FaultRule("503", endpoint="create", count=1, retry_after_s=1))
    handle = client.video.generate(prompt="storm")
    client.requests.retrieve(handle.id)
    assert 1.0 in no_sleep and 2.0 in no_sleep
    assert len(sb.fault_log()) == 2
    assert sb.created_count() == 1


def test_lost_create_response_is_retried_with_same_key(
    client: Cannon, cannon_sandbox: Any, no_sleep: list[float]
) -> None:
    sb = cannon_sandbox.sandbox
    sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
    handle = client.video.generate(prompt="once only")
    ledger = sb.ledger()
    assert len(ledger) == 1 and sb.created_count() == 1
    assert ledger[0]["id"] == handle.id
    assert ledger[0]["idempotency_key"] == handle.idempotency_key
    assert sb.credits_charged() == ledger[0]["credits"]
    assert len(no_sleep) == 1


def test_failed_request(client: Cannon) -> None:
    handle = client.video.generate(prompt="this will [fail]")
    with pytest.raises(RequestFailedError) as info:
        handle.wait(max_wait=30)
    assert info.value.request_id == handle.id
    assert info.value.error_message and "[fail]" in info.value.error_message
    assert handle.status == "failed"


def test_deadline(client: Cannon, cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.update_config(
        job_duration_s=(30.0, 30.0), queue_delay_s=0.0, poll_after_ms=0
    )
    handle = client.video.generate(prompt="long one")
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as info:
        handle.wait(max_wait=0.3)
    assert info.value.request_id == handle.id
    assert time.monotonic() - started < 5
    assert client.requests.retrieve(handle.id).status in ("queued", "processing")


def test_as_completed_mixed_durations(client: Cannon, cannon_sandbox: Any) -> None:
    sb = cannon_sandbox.sandbox
    sb.update_config(job_duration_s=(1.5, 1.5), queue_delay_s=0.0, poll_after_ms=50)
    slow = [client.prompts.enhance_video(prompt=f"slow {i}") for i in range(3)]
    sb.update_config(job_duration_s=(0.05, 0.3))
    fast = [client.prompts.enhance_video(prompt=f"fast {i}") for i in range(3)]
    fast.append(client.video.generate(prompt="boom [fail]"))
    changes: list[tuple[str, str]] = []
    seen = list(
        client.requests.as_completed(
            slow + fast, max_wait=30, on_update=lambda h: changes.append((h.id, h.status))
        )
    )
    assert {h.id for h in seen[:4]} == {h.id for h in fast}  # the quick ones come out first
    assert {h.id for h in seen[4:]} == {h.id for h in slow}
    assert [h.status for h in seen].count("failed") == 1
    assert all((h.id, h.status) in changes for h in seen)
    assert sum(h._polls for h in seen) <= 5 * len(seen)


def test_error_classes_from_real_responses(
    client: Cannon, cannon_sandbox: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sb = cannon_sandbox.sandbox
    base = cannon_sandbox.base_url
    with (
        Cannon(api_key="cs_test_not_a_real_key", base_url=base) as bad,
        pytest.raises(AuthenticationError),
    ):
        bad.status()
    with pytest.raises(NotFoundError):
        client.requests.retrieve("req_does_not_exist")
    client.video.generate(prompt="a", idempotency_key="same-key-1")
    with pytest.raises(ConflictError):
        client.video.generate(prompt="b", idempotency_key="same-key-1")
    handle = client.images.generate(prompt="x").wait(max_wait=30)
    tampered = handle.asset_urls()[0].replace("signature=", "signature=00")
    with pytest.raises(PermissionDeniedError):
        download(tampered, tmp_path, http_client=client._core.download_client())
    monkeypatch.setattr(_validation, "validate_envelope", lambda spec, body: None)
    with pytest.raises(BadRequestError) as info:
        client.requests.create("video.generate", {"prompt": "x" * 4001})
    assert info.value.status_code in (400, 422) and info.value.field == "input.prompt"
    assert sb.created_count() == 2
    with pytest.raises(BadRequestError) as info:  # raw body past every client-side check
        client._core.http.post(
            "/api/v1/requests",
            json={"operation": "video.generate", "input": {"prompt": "x", "aspect_ratio": "5:4"}},
        )
    assert info.value.field == "input.aspect_ratio"
    assert info.value.allowed and "16:9" in info.value.allowed
    sb.set_credits(cannon_sandbox.account, 0)
    with pytest.raises(InsufficientCreditsError):
        client.video.generate(prompt="no money")
    with Cannon(api_key=cannon_sandbox.api_key, base_url=base, max_retries=0) as c0:
        for kind, cls in (
            ("429", RateLimitError),
            ("500", ServerError),
            ("502", ServerError),
            ("503", ServerError),
            ("drop_before", APIConnectionError),
        ):
            sb.add_fault(FaultRule(kind, endpoint="status", count=1))
            with pytest.raises(cls) as err:
                c0.status()
            if kind == "429":
                assert err.value.retry_after == 1.0  # type: ignore[attr-defined]
    with Cannon(api_key=cannon_sandbox.api_key, base_url=base, max_retries=0, timeout=0.2) as c1:
        sb.add_fault(FaultRule("slow", endpoint="status", count=1, delay_s=1.0))
        with pytest.raises(APITimeoutError):
            c1.status()


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[bytes, dict[str, str]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        type(self).received.append((body, dict(self.headers.items())))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[bytes, dict[str, str]]]]]:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/cannon", _Receiver.received
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_delivery_verifies(client: Cannon, receiver: Any) -> None:
    url, received = receiver
    handle = client.video.generate(prompt="hooked", webhook_url=url).wait(max_wait=30)
    deadline = time.monotonic() + 10
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received, "the sandbox did not deliver the webhook"
    body, headers = received[0]
    event = client.webhooks.verify(body, headers)
    assert event.data.id == handle.id and event.type_ == "request.succeeded"
    assert json.loads(body)["id"] == headers.get("webhook-id", headers.get("Webhook-Id"))


def test_client_side_validation_sends_nothing(cannon_sandbox: Any) -> None:
    from cannon_studio import InputValidationError
    from overlay_schema_inputs import enum_fields, input_component, operations, valid_input

    sent: list[str] = []
    user = httpx2.Client(event_hooks={"request": [lambda r: sent.append(r.url.path)]})
    sb = cannon_sandbox.sandbox
    before = sb.credits_remaining(cannon_sandbox.account)
    with Cannon(
        api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url, http_client=user
    ) as c:
        for op in operations():
            required = input_component(op)["required"][0]
            bad = {k: v for k, v in valid_input(op).items() if k != required}
            with pytest.raises(InputValidationError) as info:
                c.requests.create(op, bad)
            assert info.value.operation == op and info.value.field == f"input.{required}"
            for name, allowed in enum_fields(op)[:1]:
                with pytest.raises(InputValidationError) as info:
                    c.requests.create(op, {**valid_input(op), name: "nope"})
                assert info.value.allowed == allowed
        assert sent == []
        assert c.status().ok and sent == ["/api/v1/status"]  # the same client does send
    user.close()
    assert sb.created_count() == 0 and sb.credits_remaining(cannon_sandbox.account) == before
