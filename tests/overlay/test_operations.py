"""The registry and the friendly wrappers stay in step with the schema."""

from __future__ import annotations

import inspect
import typing
import warnings

import pytest
from cannon_studio import AsyncCannon, Cannon, RequestHandle
from cannon_studio import resources as wrappers_module
from cannon_studio._operations import WRAPPERS, build_registry, registry
from cannon_studio_api._schema import load_schema
from overlay_helpers import API_KEY
from overlay_mock_api import MockAPI, accepted, ok
from overlay_schema_inputs import MODEL, input_component, operations, resolve, valid_input

OPS = operations()


def test_every_schema_operation_has_a_friendly_wrapper() -> None:
    sync, async_ = Cannon(api_key=API_KEY), AsyncCannon(api_key=API_KEY)
    missing = []
    for op in OPS:
        spec = registry().get(op)
        assert spec is not None and spec.wrapper is not None
        if op not in WRAPPERS:
            missing.append(f"{op} (not in WRAPPERS: derived name {spec.wrapper})")
        namespace, method = spec.wrapper.split(".")
        for client in (sync, async_):
            if not callable(getattr(getattr(client, namespace, None), method, None)):
                missing.append(f"{op} ({type(client).__name__}.{namespace}.{method} missing)")
    assert not missing, "operations without a friendly wrapper: " + ", ".join(missing)
    assert set(WRAPPERS) == set(OPS), "WRAPPERS names operations the schema does not define"
    sync.close()


def test_registry_maps_operation_to_models_group_and_wrapper() -> None:
    reg = registry()
    assert reg.ids() == sorted(OPS) and len(reg) == len(MODEL.operations)
    for spec in reg:
        assert spec.envelope_model.__name__ == spec.envelope_name
        assert spec.input_model.__name__ == spec.input_name
        assert spec.output_model is not None and spec.output_model.__name__ == spec.output_name
        assert spec.group in {"generation", "prompting", "audio", "post_production"}
        assert spec.wrapper == ".".join(WRAPPERS[spec.id])
    assert {s.id for s in reg if s.assumed} == {
        "sora2.character_video.generate",
        "sora2.character.create",
        "prompt.enhance.location",
    }
    assert [s.id for s in reg if s.deprecated] == ["sora2.video.remix"]
    assert reg.get("video.generate").output_name == "VideoOutput"  # type: ignore[union-attr]
    assert Cannon(api_key=API_KEY).operations is reg


def _params_class(operation: str) -> type:
    spec = MODEL.operation(operation)
    assert spec is not None and spec.input_name is not None
    name = spec.input_name.removesuffix("Input") + "Params"
    cls = getattr(wrappers_module, name)
    assert isinstance(cls, type)
    return cls


@pytest.mark.parametrize("operation", OPS)
def test_wrapper_params_match_schema_input(operation: str) -> None:
    comp = input_component(operation)
    cls = _params_class(operation)
    hints = typing.get_type_hints(cls, include_extras=True)
    assert set(hints) == set(comp["properties"]), f"{cls.__name__} drifted from the schema"
    required = set(comp.get("required", []))
    marked = {n for n, h in hints.items() if typing.get_origin(h) is typing.Required}
    assert marked == required, f"{cls.__name__} required keys drifted"
    for name, prop in comp["properties"].items():
        enum = resolve(prop).get("enum")
        if enum:
            args = typing.get_args(typing.get_args(hints[name])[0])
            assert list(args) == enum, f"{cls.__name__}.{name} enum drifted"
        assert name in (cls.__doc__ or ""), f"{cls.__name__}.{name} undocumented"


@pytest.mark.parametrize("operation", OPS)
def test_wrappers_have_docstrings_and_common_options(operation: str) -> None:
    namespace, method = WRAPPERS[operation]
    for client in (Cannon(api_key=API_KEY), AsyncCannon(api_key=API_KEY)):
        func = getattr(type(getattr(client, namespace)), method)
        assert operation in (func.__doc__ or "")
        params = inspect.signature(func).parameters
        for option in ("wait", "webhook_url", "idempotency_key", "timeout", "on_update", "input"):
            assert option in params


@pytest.mark.parametrize("operation", OPS)
def test_every_wrapper_sends_its_operation(operation: str) -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    namespace, method = WRAPPERS[operation]
    with (
        Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", DeprecationWarning)
        handle = getattr(getattr(c, namespace), method)(**valid_input(operation))
    assert isinstance(handle, RequestHandle)
    assert api.bodies() == [{"operation": operation, "input": valid_input(operation)}]


def test_deprecated_remix_warns() -> None:
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c:
        with pytest.warns(DeprecationWarning, match=r"sora2\.video\.remix") as record:
            c.sora.remix(sora_video_id="video_1", prompt="brighter")
        assert record[0].filename == __file__  # points at the caller, not the library
        with pytest.warns(DeprecationWarning) as record:
            c.requests.create("sora2.video.remix", {"sora_video_id": "v", "prompt": "p"})
        assert record[0].filename == __file__
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            c.sora.edit(sora_video_id="video_1", prompt="brighter")


def test_operation_without_wrapper_is_reachable_generically(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(WRAPPERS, "video.upscale")
    rebuilt = build_registry(load_schema())
    spec = rebuilt.get("video.upscale")
    # Not in the table: a derived name in the namespace its siblings use, not silence.
    assert spec is not None and spec.wrapper == "video.upscale"
    api = MockAPI()
    api.add("POST", "/api/v1/requests", ok(accepted(), 202))
    with Cannon(api_key=API_KEY, base_url="https://api.test", transport=api.transport()) as c:
        c.requests.create("video.upscale", {"video_url": "https://example.test/v.mp4"})
    assert api.bodies()[0]["operation"] == "video.upscale"


def test_new_schema_operation_appears_in_registry() -> None:
    schema = load_schema()
    import copy

    doc = copy.deepcopy(schema)
    comps = doc["components"]["schemas"]
    new = copy.deepcopy(comps["VideoUpscaleEnvelope"])
    new["properties"]["operation"] = {"const": "video.denoise", "default": "video.denoise"}
    comps["VideoDenoiseEnvelope"] = new
    comps["CreateRequestBody"]["oneOf"].append(
        {"$ref": "#/components/schemas/VideoDenoiseEnvelope"}
    )
    spec = build_registry(doc).get("video.denoise")
    assert spec is not None and spec.wrapper == "video.denoise"
    assert spec.input_name == "VideoUpscaleInput"
