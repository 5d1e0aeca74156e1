"""Shared helpers of the overlay tests (imported by name; tests/ has no packages)."""

from __future__ import annotations

from dataclasses import dataclass, field

# The sync/async mirror helpers live in tests/client_modes.py (shared by every test folder);
# re-exported here for the overlay tests that import them by this module's name.
from tests.client_modes import MODES, client_for, each, handle_class, resolve

__all__ = [
    "API_KEY",
    "MODES",
    "WEBHOOK_SECRET",
    "FakeClock",
    "client_for",
    "each",
    "handle_class",
    "resolve",
]

API_KEY = "cs_test_overlay_unit_key_0123456789"
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@dataclass
class FakeClock:
    """Replaces ``_clock.sleep``/``async_sleep``/``monotonic``: sleeping advances time."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def monotonic(self) -> float:
        return self.now
