"""Client-side validation of every operation's input: typed errors, nothing sent."""

from __future__ import annotations

from typing import Any

import pytest
from cannon_studio import AsyncCannon, Cannon, InputValidationError
from cannon_studio._request_args import check_idempotency_key
from cannon_studio._validation import build_envelope
from hypothesis import given, settings
from hypothesis import strategies as st
from overlay_helpers import API_KEY
from overlay_mock_api import MockAPI, accepted, ok
from overlay_schema_inputs import (
    MODEL,
    enum_fields,
    input_component,
    long_text_fields,
    operations,
    uri_fields,
    valid_input,
)

OPS = operations()


@pytest.fixture
def api() -> MockAPI:
    mock = MockAPI()
    mock.add("POST", "/api/v1/requests", ok(accepted(), 202))
    return mock


@pytest.fixture
def client(api: MockAPI) -> Any:
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c:
        yield c


def test_every_operation_of_the_model_is_checked() -> None:
    assert OPS and list(MODEL.ids) == OPS


@pytest.mark.parametrize("operation", OPS)
def test_valid_minimal_input_is_sent(operation: str, client: Cannon, api: MockAPI) -> None:
    with pytest.warns(DeprecationWarning) if operation == "sora2.video.remix" else _nullctx():
        client.requests.create(operation, valid_input(operation))
    assert api.bodies() == [{"operation": operation, "input": valid_input(operation)}]


@pytest.mark.parametrize("operation", OPS)
def test_missing_required_field_named(operation: str, client: Cannon, api: MockAPI) -> None:
    for name in input_component(operation).get("required", []):
        data = valid_input(operation)
        del data[name]
        with pytest.raises(InputValidationError) as info:
            client.requests.create(operation, data)
        assert info.value.operation == operation
        assert info.value.field == f"input.{name}"
        assert operation in str(info.value) and f"input.{name}" in str(info.value)
    assert api.calls == []


@pytest.mark.parametrize("operation", [op for op in OPS if enum_fields(op)])
def test_bad_enum_lists_allowed_values(operation: str, client: Cannon, api: MockAPI) -> None:
    for name, allowed in enum_fields(operation):
        data = {**valid_input(operation), name: "not-a-value"}
        with pytest.raises(InputValidationError) as info:
            client.requests.create(operation, data)
        assert info.value.field == f"input.{name}"
        assert info.value.allowed == allowed
        assert str(allowed[0]) in str(info.value)
    assert api.calls == []


@pytest.mark.parametrize("operation", [op for op in OPS if uri_fields(op)])
def test_bad_uri_rejected(operation: str, client: Cannon, api: MockAPI) -> None:
    name = uri_fields(operation)[0]
    with pytest.raises(InputValidationError) as info:
        client.requests.create(operation, {**valid_input(operation), name: "not a url"})
    assert info.value.field == f"input.{name}" and "uri" in str(info.value)
    assert api.calls == []


@pytest.mark.parametrize("operation", [op for op in OPS if long_text_fields(op)])
def test_too_long_text_rejected(operation: str, client: Cannon, api: MockAPI) -> None:
    name, limit = long_text_fields(operation)[0]
    with pytest.raises(InputValidationError) as info:
        client.requests.create(operation, {**valid_input(operation), name: "x" * (limit + 1)})
    assert info.value.field == f"input.{name}" and str(limit) in str(info.value)
    assert api.calls == []


@pytest.mark.parametrize("operation", OPS)
def test_wrong_type_rejected(operation: str, client: Cannon, api: MockAPI) -> None:
    name = input_component(operation)["required"][0]
    with pytest.raises(InputValidationError) as info:
        client.requests.create(operation, {**valid_input(operation), name: {"nested": 1}})
    assert info.value.field == f"input.{name}"
    assert api.calls == []


def test_unknown_operation_lists_known(client: Cannon, api: MockAPI) -> None:
    with pytest.raises(InputValidationError) as info:
        client.requests.create("video.generat", {"prompt": "x"})
    assert info.value.field == "operation"
    assert info.value.allowed is not None and "video.generate" in info.value.allowed
    assert "video.generate" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert api.calls == []


def test_bad_webhook_url_and_idempotency_key(client: Cannon, api: MockAPI) -> None:
    with pytest.raises(InputValidationError) as info:
        client.requests.create("video.generate", {"prompt": "x"}, webhook_url="nope")
    assert info.value.field == "webhook_url"
    with pytest.raises(InputValidationError) as info:
        client.requests.create("video.generate", {"prompt": "x"}, idempotency_key="has space")
    assert info.value.field == "idempotency_key"
    assert api.calls == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(min_size=0, max_size=260)
    | st.text(alphabet=st.characters(min_codepoint=0x19, max_codepoint=0x80), max_size=8)
)
def test_an_idempotency_key_is_accepted_exactly_when_it_is_1_to_255_visible_ascii(key: str) -> None:
    visible = 1 <= len(key) <= 255 and all(0x21 <= ord(ch) <= 0x7E for ch in key)
    try:
        check_idempotency_key("image.generate", key)
    except InputValidationError as exc:
        assert not visible and exc.field == "idempotency_key"
    else:
        assert visible


def test_input_model_instance_is_accepted(client: Cannon, api: MockAPI) -> None:
    from cannon_studio_api.models import AspectRatio, ImageGenerateInput, VideoGenerateInput

    client.requests.create(
        "video.generate", VideoGenerateInput(prompt="x", aspect_ratio=AspectRatio.RATIO_9_16)
    )
    assert api.bodies()[0]["input"] == {"prompt": "x", "aspect_ratio": "9:16"}
    with pytest.raises(InputValidationError, match="VideoGenerateInput"):
        client.requests.create("video.generate", ImageGenerateInput(prompt="x"))
    with pytest.raises(InputValidationError):
        client.requests.create("video.generate", ["prompt"])


def test_body_is_the_validated_json_and_fits_the_generated_model() -> None:
    from cannon_studio_api.models import VideoGenerateEnvelope

    spec, body = build_envelope("video.generate", {"prompt": "x"}, None)
    assert spec is not None and spec.id == "video.generate"
    assert body.to_dict() == {"operation": "video.generate", "input": {"prompt": "x"}}
    assert VideoGenerateEnvelope.from_dict(body.to_dict()).to_dict() == body.to_dict()


def test_wrapper_validation_nothing_sent(client: Cannon, api: MockAPI) -> None:
    with pytest.raises(InputValidationError) as info:
        client.video.generate(prompt="x", aspect_ratio="5:4")  # type: ignore[typeddict-item]
    assert info.value.allowed is not None and "16:9" in info.value.allowed
    with pytest.raises(InputValidationError) as info:
        client.audio.narration(text="hello")  # type: ignore[call-arg]
    assert info.value.field == "input.voice_id"
    assert api.calls == []


async def test_async_validation_nothing_sent(api: MockAPI) -> None:
    async with AsyncCannon(
        api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as c:
        for operation in OPS:
            with pytest.raises(InputValidationError):
                await c.requests.create(operation, {})
        with pytest.raises(InputValidationError):
            await c.images.generate(prompt="")
    assert api.calls == []


class _nullctx:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
