"""The catalogue page (docs/drift-checks.md): every oasdiff ERR and WARN check has our counterpart
or the reason we differ, and the committed page is what the engine's catalogue generates."""

from __future__ import annotations

import re
from pathlib import Path

import drift_checks_table as table
import pytest
from cannon_studio_schema.drift import CHECKS

ROOT = Path(__file__).resolve().parents[2]
ANCHORS = ROOT.parent / "shared" / "reference" / "turn3-anchors.md"


def test_every_oasdiff_err_and_warn_check_is_covered() -> None:
    mapping = table.load_mapping()
    # The counts oasdiff's checker/rules.go has, as the reference notes record them.
    counts = re.search(r"(\d+) E, (\d+) W, (\d+) I\)", ANCHORS.read_text(encoding="utf-8"))
    assert counts is not None
    errors, warnings, _ = (int(n) for n in counts.groups())
    levels = [entry["level"] for entry in mapping.values()]
    assert levels.count("breaking") == errors and levels.count("warning") == warnings
    for check_id, entry in mapping.items():
        ours, level = table.counterpart(check_id, entry)  # raises when a note is missing
        assert ours is None or CHECKS[ours].level == level
        assert entry["description"]


def test_info_checks_we_report_at_another_level_say_why() -> None:
    mapping = table.load_mapping()
    data = table.yaml.safe_load(table.MAPPING.read_text(encoding="utf-8"))
    for check_id in data["oasdiff_info"]:
        if check_id in CHECKS and CHECKS[check_id].level != "info":
            assert mapping[check_id].get("note"), check_id


def test_a_difference_without_a_note_is_refused() -> None:
    with pytest.raises(table.MappingError, match="no note"):
        table.counterpart("api-removed-without-deprecation", {"level": "warning"})
    with pytest.raises(table.MappingError, match="not in the catalogue"):
        table.counterpart("x", {"level": "breaking", "ours": "no-such-check", "note": "n"})


def test_the_committed_page_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "drift-checks.md").read_text(encoding="utf-8")
    assert committed == table.render(table.load_mapping()), (
        "docs/drift-checks.md is stale: run python scripts/drift_checks_table.py"
    )
