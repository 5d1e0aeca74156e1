"""pytest plugin (entry point ``pytest11``) providing the ``cannon_sandbox`` fixtures.

Imports nothing heavy at module level: users without the ``[sandbox]`` extra can still run
pytest; Starlette, uvicorn, Pillow and PyAV are imported only when a fixture is used.

Fixtures:
    cannon_sandbox: function scope. A real sandbox server on 127.0.0.1 (one per test session,
        instant mode) reset before every test. Yields :class:`SandboxFixture` with ``base_url``,
        ``api_key``, ``webhook_secret``, ``account`` and ``sandbox`` (the control handle).
    cannon_sandbox_app: function scope. A fresh in-process ``Sandbox`` (instant mode) to mount
        with ``httpx2.ASGITransport(sandbox.app)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .control import Sandbox
    from .server import ServerHandle


@dataclass(frozen=True)
class SandboxFixture:
    """What ``cannon_sandbox`` yields.

    Attributes:
        base_url: ``http://127.0.0.1:PORT`` of the running server.
        api_key: a key the sandbox accepts (``cs_test_...``).
        webhook_secret: the ``whsec_...`` secret that signs webhooks.
        account: the account id of ``api_key``.
        sandbox: the control handle (ledger, credits, faults, webhook deliveries, reset).
    """

    base_url: str
    api_key: str
    webhook_secret: str
    account: str
    sandbox: Sandbox

    def __repr__(self) -> str:  # never show the key or secret
        return f"SandboxFixture(base_url={self.base_url!r}, account={self.account!r})"


@pytest.fixture(scope="session")
def _cannon_sandbox_server() -> Iterator[ServerHandle]:
    from .config import SandboxConfig
    from .control import Sandbox

    sandbox = Sandbox(SandboxConfig.instant())
    with sandbox.serve(host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def cannon_sandbox(_cannon_sandbox_server: ServerHandle) -> Iterator[SandboxFixture]:
    """A running sandbox (instant mode), reset before the test; config changes are undone after."""
    sandbox = _cannon_sandbox_server.sandbox
    original = sandbox.config
    sandbox.reset()
    try:
        yield SandboxFixture(
            base_url=_cannon_sandbox_server.base_url,
            api_key=sandbox.api_key,
            webhook_secret=sandbox.config.webhook_secret,
            account=sandbox.account,
            sandbox=sandbox,
        )
    finally:
        restore: dict[str, Any] = {
            f.name: getattr(original, f.name) for f in dataclasses.fields(original)
        }
        sandbox.update_config(**restore)
        sandbox.reset()


@pytest.fixture
def cannon_sandbox_app() -> Iterator[Sandbox]:
    """A fresh in-process sandbox (instant mode) for ``httpx2.ASGITransport(sandbox.app)``."""
    from .config import SandboxConfig
    from .control import Sandbox

    yield Sandbox(SandboxConfig.instant())
