"""Strict inputs: unknown fields are refused before sending, with the right name suggested;
``extra_input`` and ``validate=False`` are the explicit ways out."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from cannon_studio import AsyncCannon, Cannon, InputValidationError
from cannon_studio._operations import registry
from hypothesis import given, settings
from hypothesis import strategies as st
from overlay_helpers import API_KEY
from overlay_mock_api import MockAPI, accepted, ok
from overlay_schema_inputs import MODEL, operations, valid_input

OPS = operations()


@pytest.fixture
def api() -> MockAPI:
    mock = MockAPI()
    mock.add("POST", "/api/v1/requests", ok(accepted(), 202))
    return mock


@pytest.fixture
def mocked(api: MockAPI) -> Any:
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c:
        yield c


def _wrapper(client: Any, operation: str) -> Any:
    spec = registry().get(operation)
    assert spec is not None and spec.wrapper is not None
    namespace, method = spec.wrapper.split(".")
    return getattr(getattr(client, namespace), method)


@pytest.mark.parametrize("typo", ["aspectRatio", "aspect_ratio_", "AspectRatio", "aspect-ratio"])
def test_misspelled_field_is_refused_naming_the_right_one(
    mocked: Cannon, api: MockAPI, typo: str
) -> None:
    with pytest.raises(InputValidationError) as info:
        mocked.requests.create("video.generate", {"prompt": "x", typo: "9:16"})
    assert str(info.value).startswith(
        f"unknown field {typo!r} for video.generate; did you mean 'aspect_ratio'?"
    )
    assert info.value.field == f"input.{typo}" and "aspect_ratio" in (info.value.allowed or [])
    with pytest.raises(InputValidationError, match="did you mean 'aspect_ratio'"):
        mocked.video.generate(prompt="x", **{typo: "9:16"})  # type: ignore[arg-type]
    assert api.calls == []


async def test_async_wrapper_refuses_unknown_fields(api: MockAPI) -> None:
    async with AsyncCannon(
        api_key=API_KEY, base_url="https://api.test", transport=api.transport()
    ) as c:
        with pytest.raises(InputValidationError, match="did you mean 'aspect_ratio'"):
            await c.video.generate(prompt="x", aspectRatio="9:16")  # type: ignore[call-arg]
    assert api.calls == []


def _nested_case() -> tuple[str, str, str] | None:
    """An operation with an object field that declares its own fields (from the model)."""
    for op in MODEL.operations:
        for name, node in op.fields.items():
            inner, open_ = MODEL.declared_fields(node)
            if inner and not open_:
                return op.id, name, inner[0]
    return None


def test_unknown_nested_field_is_refused_with_its_path(mocked: Cannon, api: MockAPI) -> None:
    case = _nested_case()
    assert case is not None, "the snapshot has nested input objects"
    operation, outer, inner = case
    data = {**valid_input(operation), outer: {inner + "X": 1}}
    with pytest.raises(InputValidationError) as info:
        mocked.requests.create(operation, data)
    assert info.value.field == f"input.{outer}.{inner}X"
    assert f"did you mean '{outer}.{inner}'?" in str(info.value)
    assert api.calls == []


@settings(max_examples=40, deadline=None)
@given(operation=st.sampled_from(OPS), key=st.text(min_size=1, max_size=20))
def test_any_undeclared_key_is_refused_before_sending(operation: str, key: str) -> None:
    op = MODEL.operation(operation)
    assert op is not None
    if key in op.fields:
        return
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    with (
        Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c,
        pytest.raises(InputValidationError) as info,
    ):
        c.requests.create(operation, {**valid_input(operation), key: 1})
    assert info.value.field == f"input.{key}"
    assert api.calls == []


def test_extra_input_reaches_the_server_unchecked(mocked: Cannon, api: MockAPI) -> None:
    mocked.requests.create("video.generate", {"prompt": "x"}, extra_input={"brand_new_field": 1})
    mocked.video.generate(prompt="x", extra_input={"brand_new_field": 2})
    assert [body["input"] for body in api.bodies()] == [
        {"prompt": "x", "brand_new_field": 1},
        {"prompt": "x", "brand_new_field": 2},
    ]


def test_extra_input_may_not_repeat_an_input_field(mocked: Cannon, api: MockAPI) -> None:
    with pytest.raises(InputValidationError, match="repeats input field"):
        mocked.requests.create("video.generate", {"prompt": "x"}, extra_input={"prompt": "y"})
    assert api.calls == []


def test_unknown_operation_needs_an_explicit_opt_in(mocked: Cannon, api: MockAPI) -> None:
    with pytest.raises(InputValidationError) as info:
        mocked.requests.create("video.generat", {"prompt": "x"})
    assert "did you mean 'video.generate'?" in str(info.value) and "validate=False" in str(
        info.value
    )
    assert api.calls == []
    mocked.requests.create("video.brand_new", {"anything": 1}, validate=False)
    assert api.bodies() == [{"operation": "video.brand_new", "input": {"anything": 1}}]


def test_sandbox_accepts_extra_input_and_runs_it(client: Cannon) -> None:
    handle = client.requests.create(
        "video.generate", {"prompt": "x"}, extra_input={"brand_new_field": 1}
    )
    assert handle.wait(max_wait=30).status == "succeeded"
    with pytest.raises(InputValidationError):
        client.requests.create("video.generate", {"prompt": "x", "brand_new_field": 1})


def test_every_wrapper_takes_extra_input(mocked: Cannon, api: MockAPI) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for operation in OPS:
            _wrapper(mocked, operation)(**valid_input(operation), extra_input={"zz_new": True})
    assert all(body["input"]["zz_new"] is True for body in api.bodies())
    assert len(api.bodies()) == len(OPS)
