"""Red-team suite: prints the cases tried and held per area at the end of the run."""

from __future__ import annotations

from typing import Any

import pytest
from redteam_support import TALLY


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CANNON_API_KEY", "CANNON_BASE_URL", "CANNON_WEBHOOK_SECRET", "CANNON_LOG"):
        monkeypatch.delenv(name, raising=False)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY:
        return
    terminalreporter.section("red-team: cases tried / held per area")
    for area in sorted(TALLY):
        tried, held = TALLY[area]
        terminalreporter.write_line(f"{area:<24} {tried:>7} tried {held:>7} held")
    tried = sum(v[0] for v in TALLY.values())
    held = sum(v[1] for v in TALLY.values())
    terminalreporter.write_line(f"{'total':<24} {tried:>7} tried {held:>7} held")
