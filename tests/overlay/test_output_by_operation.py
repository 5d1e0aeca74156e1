"""``handle.output`` is parsed with the model of the request's own operation, not by union order.

The generated ``RequestObject.output`` union is tried in document order; the handle re-parses the
payload with the output the schema names for the operation (``TaskOutput`` while it runs). A
payload that fits neither is ``None`` with one warning, and ``handle.raw_output`` keeps it.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from cannon_studio import RequestHandle
from cannon_studio._operations import parse_output, registry
from cannon_studio_api.models import PromptOutput, RequestObject, TaskOutput, VideoOutput


def _handle(operation: str, output: dict[str, Any] | None, status: str) -> RequestHandle:
    request = RequestObject.from_dict(
        {
            "id": "req_1",
            "operation": operation,
            "status": status,
            "createdAtMs": 1762479300000,
            "output": output,
        }
    )
    return RequestHandle(None, request_id="req_1", operation=operation, request=request)


def test_each_operation_names_its_output_model() -> None:
    named = {spec.id: spec.output_model for spec in registry()}
    assert named["video.generate"] is VideoOutput
    assert named["prompt.enhance.video"] is PromptOutput
    assert all(model is not None for model in named.values())


def test_a_payload_is_parsed_with_the_operations_model_whatever_the_union_chose() -> None:
    parsed_by_union = VideoOutput.from_dict({"asset_type": "video", "enhancedPrompt": "x"})
    output, problem = parse_output("prompt.enhance.video", parsed_by_union)
    assert problem is None
    assert isinstance(output, PromptOutput) and output.enhanced_prompt == "x"


def test_a_running_request_gives_the_task_metadata() -> None:
    handle = _handle("video.generate", {"task_id": "t1", "status": "processing"}, "processing")
    assert isinstance(handle.output, TaskOutput) and handle.output.task_id == "t1"


def test_a_succeeded_request_gives_the_operations_output_class() -> None:
    payload = {"enhancedPrompt": "A kite, golden light.", "model": "gpt-5-mini"}
    handle = _handle("prompt.enhance.video", payload, "succeeded")
    assert isinstance(handle.output, PromptOutput)
    assert handle.output.enhanced_prompt == "A kite, golden light."


def test_a_payload_that_fits_nothing_is_none_with_a_warning_and_kept_raw(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handle = _handle("prompt.enhance.video", {"surprise": 1}, "succeeded")
    with caplog.at_level(logging.WARNING):
        assert handle.output is None
    assert handle.raw_output == {"surprise": 1}
    [message] = [r.getMessage() for r in caplog.records if "fits neither" in r.getMessage()]
    assert "PromptOutput nor TaskOutput" in message and "handle.raw_output" in message


def test_no_output_is_none_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    handle = _handle("video.generate", None, "queued")
    with caplog.at_level(logging.WARNING):
        assert handle.output is None and handle.raw_output is None
    assert not [r for r in caplog.records if "fits neither" in r.getMessage()]
