"""DriftReport: the exit code each --fail-on level gives, and the four formats (pure, no I/O)."""

from __future__ import annotations

import json

import pytest
from cannon_studio_schema.drift import Change, DriftReport

CHANGES = (
    Change("request-property-max-decreased", "POST /a body.n", "maximum 10 -> 5"),
    Change("response-success-status-added", "GET /a 206"),
    Change("api-tag-added", "GET /a", "x|y"),
)


@pytest.mark.parametrize(
    ("changes", "fail_on", "code"),
    [
        ((), "info", 0),
        (CHANGES[2:], "breaking", 0),
        (CHANGES[2:], "warning", 0),
        (CHANGES[2:], "info", 1),
        (CHANGES[1:], "breaking", 0),
        (CHANGES[1:], "warning", 1),
        (CHANGES, "breaking", 1),
    ],
)
def test_exit_code_follows_fail_on(changes: tuple[Change, ...], fail_on: str, code: int) -> None:
    report = DriftReport("old.json", "new.json", changes, fail_on)
    assert report.exit_code == code
    assert report.to_json()["exit_code"] == code


def test_text_ends_with_the_verdict() -> None:
    report = DriftReport("old.json", "new.json", CHANGES, "warning")
    lines = report.text().splitlines()
    assert lines[0] == "schema: new.json compared with old.json"
    assert lines[1].startswith("breaking  request-property-max-decreased: POST /a body.n (maximum")
    assert lines[-1] == "drift: 1 breaking, 1 warning, 1 info change(s); fails --fail-on warning"
    assert DriftReport("a", "b", ()).text().splitlines()[-1] == "no drift"


def test_json_lists_each_change_with_id_level_and_summary() -> None:
    report = json.loads(DriftReport("old.json", "new.json", CHANGES).render("json"))
    assert report["counts"] == {"breaking": 1, "warning": 1, "info": 1}
    assert report["changes"][1] == {
        "id": "response-success-status-added",
        "level": "warning",
        "subject": "GET /a 206",
        "detail": "",
        "summary": CHANGES[1].summary,
    }


def test_markdown_is_a_table_with_pipes_escaped() -> None:
    markdown = DriftReport("old.json", "new.json", CHANGES).markdown()
    assert markdown.startswith("### API schema drift: `new.json` compared with `old.json`")
    assert "| info | `api-tag-added` | GET /a | x\\|y |" in markdown
    assert "**no drift**" in DriftReport("a", "b", ()).markdown()


def test_github_annotations_escape_workflow_command_characters() -> None:
    change = Change("api-tag-added", "GET /a", "50%\nnext")
    [line, summary] = DriftReport("a", "b", (change,)).github().splitlines()
    assert line == (
        "::notice title=api-tag-added (info)::GET /a (50%25%0Anext): a tag added to an operation"
    )
    assert summary.startswith("drift: 0 breaking")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        DriftReport("a", "b", ()).render("xml")
