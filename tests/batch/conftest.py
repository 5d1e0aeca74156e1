"""Fixtures of the batch tests: clients against the pytest plugin's sandbox server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from batch_support import SandboxProcess
from cannon_studio import AsyncCannon, Cannon


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CANNON_API_KEY", "CANNON_BASE_URL", "CANNON_WEBHOOK_SECRET", "CANNON_LOG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def client(cannon_sandbox: Any) -> Iterator[Cannon]:
    """A sync client against the session sandbox (instant mode, reset per test)."""
    with Cannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as c:
        yield c


@pytest.fixture
async def aclient(cannon_sandbox: Any) -> AsyncIterator[AsyncCannon]:
    """An async client against the same sandbox server."""
    async with AsyncCannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as c:
        yield c


@pytest.fixture(scope="module")
def sandbox_process() -> Iterator[SandboxProcess]:
    """``python -m cannon_studio_sandbox`` in its own process, for the runs in subprocesses."""
    sandbox = SandboxProcess()
    try:
        yield sandbox
    finally:
        sandbox.stop()
