"""Names shared by the replay tests and their conftest (a uniquely named module: test
directories have no ``__init__.py``, so ``conftest`` is not importable by name)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

REPLAY_API_KEY = "cs_test_replay_only_key"
"""Key given to the replaying clients; cassettes hold no key, so any value replays."""

Replay = Callable[[str], AbstractContextManager[Any]]
"""The ``replay`` fixture: ``with replay("status") as cassette: ...``."""


class NetworkBlockedError(RuntimeError):
    """A replay test tried to open a real connection (not an OSError, so nothing retries it)."""
