"""The headless Chromium of the HTML report tests (``scripts/chromium_cdp.py``), which skips a
test when chromium is missing, except under ``CI=true``, where it fails with a clear message."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import chromium_cdp
import pytest
from chromium_cdp import Page

__all__ = ["Page", "chromium"]


@contextlib.contextmanager
def chromium(**options: Any) -> Iterator[Page]:
    """``chromium_cdp.chromium(**options)``; skip (fail under CI=true) without chromium."""
    try:
        executable = chromium_cdp.chromium_path()
    except chromium_cdp.ChromiumMissing as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    with chromium_cdp.chromium(executable=executable, **options) as page:
        yield page
