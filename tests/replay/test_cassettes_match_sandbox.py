"""The committed cassettes still say what the sandbox answers today.

Every scenario is recorded afresh against an in-process sandbox (as ``make record`` does, into
a temporary directory), and each committed cassette must mean the same as its fresh twin
(``cassette_compare.meaning``: ids, clock readings and the number of pending polls masked).
A cassette recorded before the sandbox changed (``.wav`` assets where it now serves ``.mp3``,
old prices) fails here; ``make record`` fixes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cassette_compare import meaning

from scripts import record_cassettes as rc

COMMITTED = sorted(rc.CASSETTE_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh-cassettes")
    with rc.sandbox_target(out / "work") as target:
        secrets = [target.api_key, target.sandbox.config.webhook_secret, rc.BAD_API_KEY]
        problems = rc.record(rc.scenarios(), target, out / "cassettes", secrets)
    assert problems == []
    return out / "cassettes"


def test_every_scenario_has_a_committed_cassette() -> None:
    assert {p.stem for p in COMMITTED} == {s.name for s in rc.scenarios()}


@pytest.mark.parametrize("cassette", COMMITTED, ids=[p.stem for p in COMMITTED])
def test_cassette_matches_what_the_sandbox_answers(cassette: Path, fresh: Path) -> None:
    committed, today = meaning(cassette), meaning(fresh / cassette.name)
    assert set(committed) == set(today), "other requests were sent: run make record"
    for request, answers in committed.items():
        assert answers == today[request], (
            f"{cassette.name}: {request[:80]} is answered differently today; run make record\n"
            f"committed: {json.dumps(answers)[:600]}\ntoday:     {json.dumps(today[request])[:600]}"
        )
