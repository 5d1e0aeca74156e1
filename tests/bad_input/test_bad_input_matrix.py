"""Bad-input matrix: every operation x {missing required, wrong type, bad enum, non-URL, too long}.

The matrix is derived from the schema (``cannon_schema_cases.bad_cases``), so a new operation is
covered without editing this file. For every case:

- the client raises ``InputValidationError`` naming the operation and the field (and the allowed
  values for an enum) before anything is sent: no HTTP exchange, sandbox ledger unchanged;
- the same body sent raw with httpx2 to the sandbox gets 400/422 with an error naming the field,
  and nothing is created.

A positive control per operation checks the untouched base input is accepted by both, so a case
fails only because of its one defect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from cannon_schema_cases import BadCase, bad_cases, operations, valid_input
from cannon_studio import CannonError, InputValidationError

CASES = list(bad_cases())
OPERATIONS = [op for op, _ in operations()]


class RecordingTransport(httpx2.BaseTransport):
    """Real loopback transport that records every request it sends."""

    def __init__(self) -> None:
        self.inner = httpx2.HTTPTransport()
        self.sent: list[httpx2.Request] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def names_field(path: object, field: str) -> bool:
    """True when ``path`` (e.g. ``input.prompt``, ``/input/prompt``, ``input.urls[0]``) names ``field``."""
    return isinstance(path, str) and field in re.split(r"[.\[\]/]+", path)


@pytest.fixture(scope="module")
def shared() -> Iterator[dict[str, Any]]:
    """Clients reused across the module's ~200 tests (building an httpx2 client costs ~20 ms)."""
    state: dict[str, Any] = {"recorder": RecordingTransport(), "raw": httpx2.Client(timeout=10.0)}
    yield state
    for key, value in state.items():
        if key.startswith("cannon:"):
            value.close()
    state["raw"].close()
    state["recorder"].close()


@pytest.fixture
def recorder(shared: dict[str, Any]) -> RecordingTransport:
    transport: RecordingTransport = shared["recorder"]
    transport.sent.clear()
    return transport


@pytest.fixture
def client(cannon_sandbox: Any, shared: dict[str, Any], recorder: RecordingTransport) -> Any:
    """A ``Cannon`` on the session's sandbox whose wire traffic goes through ``recorder``."""
    from cannon_studio import Cannon

    key = f"cannon:{cannon_sandbox.base_url}"
    if key not in shared:
        shared[key] = Cannon(
            api_key=cannon_sandbox.api_key,
            base_url=cannon_sandbox.base_url,
            max_retries=0,
            transport=recorder,
        )
    return shared[key]


def post_raw(shared: dict[str, Any], cannon_sandbox: Any, body: dict[str, Any]) -> httpx2.Response:
    response: httpx2.Response = shared["raw"].post(
        f"{cannon_sandbox.base_url}/api/v1/requests",
        json=body,
        headers={"x-api-key": cannon_sandbox.api_key},
    )
    return response


def test_matrix_covers_every_operation_and_case_kind() -> None:
    covered = {case.operation for case in CASES}
    assert covered == set(OPERATIONS)
    assert len(OPERATIONS) >= 20
    kinds = {case.case for case in CASES}
    assert kinds == {"missing_required", "wrong_type", "bad_enum", "non_url", "too_long"}
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.filterwarnings("ignore:operation sora2.video.remix is deprecated")
def test_base_input_is_accepted(
    operation: str, client: Any, cannon_sandbox: Any, shared: dict[str, Any]
) -> None:
    """Control: the input each bad case starts from is valid for client and sandbox alike."""
    base = valid_input(operation, prefer_docs=False)
    handle = client.requests.create(operation, base)
    assert handle.id
    assert handle.operation == operation
    assert cannon_sandbox.sandbox.created_count() == 1
    raw = post_raw(shared, cannon_sandbox, {"operation": operation, "input": base})
    assert raw.status_code == 202, raw.text
    assert cannon_sandbox.sandbox.created_count() == 2


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_client_rejects_before_sending(
    case: BadCase, client: Any, cannon_sandbox: Any, recorder: RecordingTransport
) -> None:
    before = cannon_sandbox.sandbox.created_count()
    with pytest.raises(InputValidationError) as info:
        client.requests.create(case.operation, case.input)
    error = info.value
    assert isinstance(error, CannonError)
    assert isinstance(error, ValueError)
    assert error.operation == case.operation
    assert names_field(error.field, case.field), f"field={error.field!r}, want {case.field!r}"
    assert case.field in str(error)
    if case.allowed is not None:
        assert error.allowed is not None
        assert set(case.allowed) <= set(error.allowed)
    assert "Traceback" not in str(error)
    assert recorder.sent == [], "a request was sent for invalid input"
    assert cannon_sandbox.sandbox.created_count() == before


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_sandbox_rejects_raw_body(
    case: BadCase, cannon_sandbox: Any, shared: dict[str, Any]
) -> None:
    before = cannon_sandbox.sandbox.created_count()
    response = post_raw(shared, cannon_sandbox, {"operation": case.operation, "input": case.input})
    assert response.status_code in (400, 422), response.text
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"]
    assert names_field(body.get("field"), case.field) or case.field in body["error"], body
    if case.allowed is not None and body.get("allowed") is not None:
        assert set(case.allowed) <= set(body["allowed"])
    assert cannon_sandbox.sandbox.created_count() == before
