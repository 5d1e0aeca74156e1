"""``cannon-studio status`` and ``operations`` through click's CliRunner against the sandbox.

For each: success (human output), ``--json`` output, a user error (exit 2, no traceback) and an
API error (exit 3), beside each other so a command's outcomes are read together.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from cannon_studio import _clock
from cannon_studio.cli._fields import load_operations
from cannon_studio_api._schema import load_schema
from cannon_studio_schema import embedded
from cli_support import Invoke

ALL_OPERATIONS = list(load_operations())


def test_status_human(invoke: Invoke, cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.set_credits(cannon_sandbox.account, 4321)
    result = invoke("status")
    assert result.exit_code == 0, result.output
    assert "4321" in result.stdout
    assert cannon_sandbox.base_url in result.stdout
    assert cannon_sandbox.api_key not in result.output


def test_status_json(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke("status", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["creditsRemaining"] == cannon_sandbox.sandbox.credits_remaining(
        cannon_sandbox.account
    )
    # the global flag works the same
    again = json.loads(invoke("--json", "status").stdout)
    assert again.keys() == data.keys()
    assert again["creditsRemaining"] == data["creditsRemaining"]


def test_status_wrong_key_is_an_api_error_without_leaking_the_key(invoke: Invoke) -> None:
    result = invoke("status", env={"CANNON_API_KEY": "cs_test_wrong_key_123456"})
    assert result.exit_code == 3
    assert "401" in result.stderr
    assert "cs_test_wrong_key_123456" not in result.output
    assert "Traceback" not in result.output


def test_status_wrong_key_json_error_object(invoke: Invoke) -> None:
    result = invoke("--json", "status", "--api-key", "cs_test_wrong_key_123456")
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert error["status_code"] == 401
    assert error["exit_code"] == 3


def test_status_without_api_key_is_a_usage_error(
    invoke_offline: Invoke, cannon_sandbox: Any
) -> None:
    result = invoke_offline("status", "--json", env={"CANNON_BASE_URL": cannon_sandbox.base_url})
    assert result.exit_code == 2
    assert "CANNON_API_KEY" in result.stderr or "api key" in result.stderr.lower()
    assert "Traceback" not in result.output


def test_status_unreachable_server_is_an_api_error(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    delays: list[float] = []
    monkeypatch.setattr(_clock, "sleep", delays.append)  # retries, without the waiting
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = invoke("status", "--base-url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 3
    assert "cannot reach" in result.stderr
    assert delays  # the client retried before giving up


def test_operations_lists_every_operation_with_fields(invoke_offline: Invoke) -> None:
    result = invoke_offline("operations")
    assert result.exit_code == 0
    for op_id in ALL_OPERATIONS:
        assert op_id in result.stdout
    assert list(embedded().ids) == ALL_OPERATIONS  # every operation of the schema model
    assert "reference_image_urls" in result.stdout and "url[]" in result.stdout
    assert "aspectRatio --aspect-ratio" in result.stdout


def test_operations_json_matches_the_schema(invoke_offline: Invoke) -> None:
    schema = load_schema()["components"]["schemas"]
    data = json.loads(invoke_offline("--json", "operations").stdout)
    assert [op["id"] for op in data] == ALL_OPERATIONS
    image = next(op for op in data if op["id"] == "image.generate")
    assert {f["name"] for f in image["fields"]} == set(schema["ImageGenerateInput"]["properties"])
    required = {f["name"] for f in image["fields"] if f["required"]}
    assert required == set(schema["ImageGenerateInput"]["required"])
    aspect = next(f for f in image["fields"] if f["name"] == "aspect_ratio")
    assert aspect["enum"] == schema["AspectRatio"]["enum"]
    remix = next(op for op in data if op["id"] == "sora2.video.remix")
    assert remix["deprecated"] is True
    assert {op["id"] for op in data if op["assumed"]} == {
        "sora2.character_video.generate",
        "sora2.character.create",
        "prompt.enhance.location",
    }


def test_operations_one(invoke_offline: Invoke) -> None:
    result = invoke_offline("operations", "prompt.enhance.image")
    assert result.exit_code == 0
    out = result.stdout
    assert "--aspect-ratio (aspectRatio)" in out
    assert "16:9 | 9:16" in out
    assert "required" in out
    assert "example: cannon-studio run prompt.enhance.image --prompt" in out
    data = json.loads(invoke_offline("operations", "video.upscale", "--json").stdout)
    factor = next(f for f in data["fields"] if f["name"] == "upscale_factor")
    assert factor["type"] == "integer" and factor["enum"] == [1, 2, 4]


def test_operations_unknown_id_lists_the_known_ones(invoke_offline: Invoke) -> None:
    result = invoke_offline("operations", "image.generat")
    assert result.exit_code == 2
    assert "Did you mean 'image.generate'" in result.stderr
    assert "three_d.location.generate" in result.stderr
