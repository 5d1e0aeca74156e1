"""Bad job files are refused before anything is sent, naming the line and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_support import read_jsonl, ref, write_jobs
from cannon_studio import Cannon
from cannon_studio._operations import registry
from cannon_studio.batch import BatchFileError, _jobs, load_jobs
from cannon_studio.batch._jobs import declared_outputs, parse_jobs
from hypothesis import given, settings
from hypothesis import strategies as st

GOOD = {"id": "ok", "operation": "prompt.enhance.image", "input": {"prompt": "a lighthouse"}}


def _first_required() -> tuple[str, str]:
    """An operation with a required input field, and that field (from the schema)."""
    spec = next(s for s in registry() if s.required)
    return spec.id, spec.required[0]


def _bad_cases() -> list[tuple[str, list[Any], int, str]]:
    op, field = _first_required()
    return [
        ("not json", [GOOD, "{not json"], 2, ""),
        ("not an object", [GOOD, [1, 2]], 2, ""),
        ("unknown key", [GOOD, {**GOOD, "id": "x", "opration": "a"}], 2, "opration"),
        ("no operation", [GOOD, {"id": "x", "input": {}}], 2, "operation"),
        ("unknown operation", [{"operation": "video.generat", "input": {}}], 1, "operation"),
        ("no input", [{"operation": "prompt.enhance.image"}], 1, "input"),
        ("missing required", [GOOD, {"operation": op, "input": {}}], 2, f"input.{field}"),
        (
            "wrong type",
            [{"operation": "prompt.enhance.image", "input": {"prompt": 5}}],
            1,
            "input.prompt",
        ),
        ("bad id", [{**GOOD, "id": "../etc"}], 1, "id"),
        ("reserved id", [{**GOOD, "id": "report.jsonl"}], 1, "id"),
        ("duplicate id", [GOOD, GOOD], 2, "id"),
        ("duplicate by case", [GOOD, {**GOOD, "id": "OK"}], 2, "id"),
        (
            "unknown reference",
            [
                GOOD,
                {"operation": "image.generate", "input": {"prompt": ref("nope", "enhancedPrompt")}},
            ],
            2,
            "input.prompt.from",
        ),
        (
            "reference without output",
            [GOOD, {"operation": "image.generate", "input": {"prompt": {"from": "ok"}}}],
            2,
            "input.prompt.output",
        ),
        (
            "cycle",
            [
                {"id": "a", "operation": "image.generate", "input": {"prompt": ref("b", "x")}},
                {"id": "b", "operation": "image.generate", "input": {"prompt": ref("a", "x")}},
            ],
            2,
            "input.prompt.from",
        ),
        (
            "self reference",
            [{"id": "a", "operation": "image.generate", "input": {"prompt": ref("a", "x")}}],
            1,
            "input.prompt.from",
        ),
        ("bad webhook", [{**GOOD, "webhook_url": 7}], 1, "webhook_url"),
    ]


@pytest.mark.parametrize(
    ("name", "lines", "line", "field"), _bad_cases(), ids=[c[0] for c in _bad_cases()]
)
def test_bad_file_is_refused_and_nothing_is_sent(
    name: str,
    lines: list[Any],
    line: int,
    field: str,
    client: Cannon,
    cannon_sandbox: Any,
    tmp_path: Path,
) -> None:
    file = tmp_path / "jobs.jsonl"
    file.write_text(
        "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in lines),
        encoding="utf-8",
    )
    with pytest.raises(BatchFileError) as caught:
        client.batch(file, tmp_path / "out")
    error = caught.value
    assert error.line == line, str(error)
    if field:
        assert error.field == field, str(error)
    assert f"line {line}" in str(error)
    assert cannon_sandbox.sandbox.created_count() == 0
    assert not (tmp_path / "out").exists()


def test_every_problem_is_listed() -> None:
    lines = [json.dumps(GOOD), "", "{", json.dumps({"operation": "nope", "input": {}})]
    with pytest.raises(BatchFileError) as caught:
        parse_jobs(lines)
    assert [p.line for p in caught.value.problems] == [3, 4]


def test_unknown_operation_suggests_the_closest() -> None:
    with pytest.raises(BatchFileError, match=r"did you mean 'video\.generate'"):
        parse_jobs([json.dumps({"operation": "video.generat", "input": {}})])


def _spelling_of_first_field() -> tuple[str, str, str]:
    """An operation, one of its input fields, and that field in camelCase (a typo the client
    suggests a fix for), all read from the schema."""
    spec = next(s for s in registry() if s.schema and any("_" in name for name in s.schema.fields))
    assert spec.schema is not None
    field = next(name for name in spec.schema.fields if "_" in name)
    head, *rest = field.split("_")
    return spec.id, field, head + "".join(word.title() for word in rest)


def _typo_cases() -> list[tuple[str, dict[str, Any], str, str]]:
    op, field, camel = _spelling_of_first_field()
    return [
        ("job key", {"opertion": GOOD["operation"], "input": {}}, "opertion", "operation"),
        ("input key of the job", {"operation": GOOD["operation"], "inputs": {}}, "inputs", "input"),
        ("input field", {"operation": op, "input": {camel: None}}, f"input.{camel}", field),
        (
            "reference key",
            {"operation": "image.generate", "input": {"prompt": {"from": "ok", "ouptut": "x"}}},
            "input.prompt",
            "output",
        ),
        (
            "referenced job id",
            {"operation": "image.generate", "input": {"prompt": ref("okk", "enhancedPrompt")}},
            "input.prompt.from",
            "ok",
        ),
    ]


@pytest.mark.parametrize(
    ("line", "field", "meant"), [c[1:] for c in _typo_cases()], ids=[c[0] for c in _typo_cases()]
)
def test_a_typo_gets_did_you_mean(line: dict[str, Any], field: str, meant: str) -> None:
    """Every misspelt name of a job line gets the suggestion the Python client gives."""
    with pytest.raises(BatchFileError) as caught:
        parse_jobs([json.dumps(GOOD), json.dumps({"id": "typo", **line})])
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (2, field)
    assert f"did you mean {meant!r}?" in problem.message or (
        f"did you mean 'input.{meant}'?" in problem.message
    )


def test_referenced_fields_are_checked_once_known(tmp_path: Path) -> None:
    """A required field given by reference is not reported missing; its siblings are checked."""
    jobs = [
        GOOD,
        {
            "id": "img",
            "operation": "image.generate",
            "input": {"prompt": ref("ok", "enhancedPrompt")},
        },
        {
            "id": "bad",
            "operation": "image.generate",
            "input": {"prompt": ref("ok", "enhancedPrompt"), "aspect_ratio": 3},
        },
    ]
    with pytest.raises(BatchFileError) as caught:
        load_jobs(write_jobs(tmp_path / "j.jsonl", jobs))
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "input.aspect_ratio")]
    parsed = load_jobs(write_jobs(tmp_path / "k.jsonl", jobs[:2]))
    assert parsed[1].depends_on == ("ok",)


def test_ids_derived_from_content_are_stable_and_distinct(tmp_path: Path) -> None:
    job = {"operation": "prompt.enhance.image", "input": {"prompt": "same"}}
    first = [j.id for j in load_jobs(write_jobs(tmp_path / "a.jsonl", [job, job, GOOD]))]
    second = [j.id for j in load_jobs(write_jobs(tmp_path / "b.jsonl", [GOOD, job, job]))]
    assert first[0] != first[1]
    assert sorted(first) == sorted(second)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(BatchFileError, match="cannot read"):
        load_jobs(tmp_path / "missing.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(b'{"operation": "\xe9"}\n')
    with pytest.raises(BatchFileError, match="not UTF-8"):
        load_jobs(tmp_path / "latin1.jsonl")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_line = st.one_of(
    st.text(max_size=40),
    _json.map(json.dumps),
    st.fixed_dictionaries(
        {"operation": st.sampled_from([*registry().ids()[:3], "nope", 3]), "input": _json},
        optional={"id": st.text(max_size=6) | _json, "from": _json, "webhook_url": _json},
    ).map(json.dumps),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_line, max_size=6))
def test_any_file_gives_jobs_or_a_batch_file_error(lines: list[str]) -> None:
    try:
        jobs = parse_jobs(lines)
    except BatchFileError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    assert len({job.id.lower() for job in jobs}) == len(jobs)


def test_a_misspelt_output_field_is_refused_with_the_declared_one() -> None:
    declared = declared_outputs("video.generate")  # what the schema says the output has
    assert "video_url" in declared
    typo = "video_ur"
    jobs = [
        {"id": "clip", "operation": "video.generate", "input": {"prompt": "x"}},
        {"id": "up", "operation": "video.upscale", "input": {"video_url": ref("clip", typo)}},
    ]
    with pytest.raises(BatchFileError) as caught:
        parse_jobs([json.dumps(j) for j in jobs])
    problem = caught.value.problems[0]
    assert (problem.line, problem.field) == (2, "input.video_url.output")
    assert "did you mean 'video_url'" in problem.message


def test_an_undeclared_output_field_is_checked_once_the_output_is_known(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name the schema does not declare and that is close to nothing may be newer than the
    schema: it is taken when the output has it, and fails the job (not sent) when it has not."""
    declared = declared_outputs  # a client whose schema predates subtitles_url (now declared)
    monkeypatch.setattr(
        _jobs,
        "declared_outputs",
        lambda op: tuple(name for name in declared(op) if name != "subtitles_url"),
    )
    assert "subtitles_url" not in _jobs.declared_outputs("subtitles.generate")
    jobs = [
        {
            "id": "subs",
            "operation": "subtitles.generate",
            "input": {"video_url": "https://example.com/a.mp4"},
        },
        {
            "id": "srt",
            "operation": "video.upscale",
            "input": {"video_url": ref("subs", "subtitles_url")},
        },
        {
            "id": "none",
            "operation": "video.upscale",
            "input": {"video_url": ref("subs", "no_such_thing")},
        },
    ]
    summary = client.batch(write_jobs(tmp_path / "jobs.jsonl", jobs), tmp_path / "out")
    assert summary.counts["succeeded"] == 2 and summary.counts["failed"] == 1
    report = {r["id"]: r for r in read_jsonl(tmp_path / "out" / "report.jsonl")}
    assert "has no field 'no_such_thing'" in report["none"]["error"]
    assert report["none"]["request_id"] is None
    assert cannon_sandbox.sandbox.created_count() == 2
