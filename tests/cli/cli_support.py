"""Helpers shared by the CLI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from click.testing import Result

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# Never let the developer's real configuration leak into a test run.
CLEAN_ENV: dict[str, str | None] = {
    "CANNON_API_KEY": None,
    "CANNON_BASE_URL": None,
    "CANNON_WEBHOOK_SECRET": None,
    "CANNON_LOG": None,
    "FORCE_COLOR": None,
    "NO_COLOR": None,
    "TTY_COMPATIBLE": None,
    "TTY_INTERACTIVE": None,
    "COLUMNS": "120",
}

Invoke = Callable[..., Result]


def strip_ansi(text: str) -> str:
    """Remove terminal escape sequences."""
    return ANSI.sub("", text)


def created_ids(sandbox: Any) -> Sequence[str]:
    """Request ids the sandbox actually created (its ledger)."""
    return [entry["id"] for entry in sandbox.ledger()]
