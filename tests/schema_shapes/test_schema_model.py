"""The schema model reads every shape of document the same way (no generation here)."""

from __future__ import annotations

import pytest
from cannon_studio_schema import (
    ApiSchema,
    SchemaError,
    embedded,
    normalise,
    parse_text,
    snapshot_text,
)
from openapi_spec_validator import validate as validate_openapi
from shape_documents import SHAPES, SNAPSHOT, Shape

SNAPSHOT_MODEL = embedded()


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_every_shape_yields_the_snapshot_operations(shape: Shape) -> None:
    model = ApiSchema(parse_text(shape.text(), shape.name))
    assert model.ids == SNAPSHOT_MODEL.ids + shape.extra_ops
    for op in model.operations:
        assert op.input_known is shape.typed, op.id
        if shape.typed and op.id in SNAPSHOT_MODEL.ids:
            reference = SNAPSHOT_MODEL.operation(op.id)
            assert reference is not None
            assert set(op.fields) == set(reference.fields), op.id
            assert op.required == reference.required, op.id
    assert model.request_object is not None and model.request_object.name == "RequestObject"
    assert model.error is not None and model.error.name == "ErrorResponse"


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_normalised_shape_is_valid_31_with_named_envelopes_and_inputs(shape: Shape) -> None:
    source = parse_text(shape.text(), shape.name)
    doc = normalise(source)
    assert doc["openapi"].startswith("3.1")
    validate_openapi(doc)
    model = ApiSchema(doc)
    assert model.ids == SNAPSHOT_MODEL.ids + shape.extra_ops
    if shape.typed:
        assert all(op.envelope_name and op.input_name for op in model.operations)
    text = snapshot_text(doc)
    assert snapshot_text(normalise(doc)) == text  # idempotent: a second pass changes nothing


def test_the_snapshot_normalises_to_itself() -> None:
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert snapshot_text(normalise(parse_text(text, "snapshot"))) == text


def test_facts_have_defaults_where_the_document_is_silent() -> None:
    [shape] = [s for s in SHAPES if not s.typed]
    flat = ApiSchema(parse_text(shape.text(), "flat"))
    op = flat.operations[0]
    assert (op.group, op.credits, op.display_name, op.output_name) == (
        "other",
        "dynamic",
        op.id,
        None,
    )
    documented = SNAPSHOT_MODEL.operation(op.id)
    assert documented is not None and documented.group != "other"


def test_unknown_fields_at_every_depth_with_suggestions() -> None:
    op = SNAPSHOT_MODEL.operation("subtitles.generate")
    assert op is not None and op.input is not None
    nested = next(name for name in op.fields if SNAPSHOT_MODEL.declared_fields(op.fields[name])[0])
    inner = SNAPSHOT_MODEL.declared_fields(op.fields[nested])[0][0]
    typo = inner.upper() + "_"
    unknown = SNAPSHOT_MODEL.unknown_fields(
        op.input, {op.required[0]: "x", nested: {typo: 1, inner: 2}, "zzz_unrelated": 0}
    )
    assert [u.dotted for u in unknown] == [f"{nested}.{typo}", "zzz_unrelated"]
    assert unknown[0].suggested_path == f"{nested}.{inner}"
    assert unknown[1].suggestion is None


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "openapi: [",
        "- a\n- b\n",
        '{"openapi": "2.0", "paths": {}}',
        '{"openapi": "3.1.0"}',
    ],
)
def test_unusable_documents_raise_one_schema_error(text: str) -> None:
    with pytest.raises(SchemaError) as info:
        ApiSchema(parse_text(text, "t"))
    assert "\n" not in str(info.value)
