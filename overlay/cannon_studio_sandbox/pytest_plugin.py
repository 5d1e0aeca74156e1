"""pytest plugin providing the ``cannon_sandbox`` fixtures.

Loaded into a pytest run by the distribution's ``pytest11`` entry point, the tiny module
``pytest_cannon_studio``, only when the ``[sandbox]`` extra is installed (or explicitly with
``-p cannon_studio_sandbox.pytest_plugin`` / ``pytest_plugins = [...]``). It imports the
sandbox, hence Starlette, uvicorn, Pillow and PyAV; ``-p no:cannon_studio_sandbox`` keeps it out.

Fixtures:
    cannon_sandbox: function scope. A real sandbox server on 127.0.0.1 (one per test session,
        instant mode) reset before every test. Yields :class:`SandboxFixture` with ``base_url``,
        ``api_key``, ``read_only_key``, ``webhook_secret``, ``account`` and ``sandbox`` (the
        control handle), plus ``configure(**updates)`` and ``advance_clock(seconds)``.
    cannon_sandbox_app: function scope. A fresh in-process ``Sandbox`` (instant mode) to mount
        with ``httpx2.ASGITransport(sandbox.app)``.

Marker:
    ``@pytest.mark.cannon_sandbox(refund_failed=True, rate_limit_per_s=5, ...)`` applies
    :class:`~.config.SandboxConfig` fields to ``cannon_sandbox`` / ``cannon_sandbox_app`` for one
    test (undone afterwards), the same fields the command line and the config take.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .config import DEFAULT_ACCOUNT, DEFAULT_API_KEY, SandboxConfig
from .control import Sandbox, ServerHandle
from .scopes import READ_ONLY

#: Key with only ``requests:read`` that the session sandbox of ``cannon_sandbox`` also accepts.
READ_ONLY_KEY = "cs_test_sandbox_readonly_00000000"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``cannon_sandbox`` marker."""
    config.addinivalue_line(
        "markers",
        "cannon_sandbox(**config): SandboxConfig fields for the cannon_sandbox fixtures "
        "(e.g. refund_failed=True, rate_limit_per_s=5)",
    )


def _marker_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("cannon_sandbox")
    if marker is None:
        return {}
    if marker.args:
        raise pytest.UsageError("cannon_sandbox marker takes keyword arguments only")
    return dict(marker.kwargs)


@dataclass(frozen=True)
class SandboxFixture:
    """What ``cannon_sandbox`` yields.

    Attributes:
        base_url: ``http://127.0.0.1:PORT`` of the running server.
        api_key: a key the sandbox accepts (``cs_test_...``), with both scopes.
        read_only_key: a key of the same account with only ``requests:read`` (creates get 403).
        webhook_secret: the ``whsec_...`` secret that signs webhooks.
        account: the account id of ``api_key``.
        sandbox: the control handle (ledger, credits, faults, webhook deliveries, clock, reset).
        control_token / control_headers: what ``/_sandbox/*`` calls over HTTP must carry.
    """

    base_url: str
    api_key: str
    read_only_key: str
    webhook_secret: str
    account: str
    sandbox: Sandbox

    def __repr__(self) -> str:  # never show the key or secret
        return f"SandboxFixture(base_url={self.base_url!r}, account={self.account!r})"

    def configure(self, **updates: Any) -> None:
        """Change :class:`~.config.SandboxConfig` fields for this test (undone after it), e.g.
        ``refund_failed=True``, ``rate_limit_per_s=2``. Raises ValueError on bad values."""
        self.sandbox.update_config(**updates)

    def advance_clock(self, seconds: float) -> int:
        """Move the sandbox clock forward by ``seconds`` (see ``Sandbox.advance_clock``); the
        clock is put back after the test. Returns the new sandbox time in epoch ms."""
        return self.sandbox.advance_clock(seconds)

    @property
    def control_token(self) -> str:
        """The control-API token of the running server (header ``x-sandbox-token``)."""
        return self.sandbox.control_token

    @property
    def control_headers(self) -> dict[str, str]:
        """Headers for ``/_sandbox/*`` calls over HTTP: the token and the JSON content type,
        e.g. ``httpx2.post(f"{fx.base_url}/_sandbox/reset", headers=fx.control_headers)``."""
        return self.sandbox.control_headers


@pytest.fixture(scope="session")
def _cannon_sandbox_server() -> Iterator[ServerHandle]:
    config = SandboxConfig.instant(
        api_keys={DEFAULT_API_KEY: DEFAULT_ACCOUNT, READ_ONLY_KEY: DEFAULT_ACCOUNT},
        key_scopes={READ_ONLY_KEY: READ_ONLY},
    )
    sandbox = Sandbox(config)
    with sandbox.serve(host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def cannon_sandbox(
    _cannon_sandbox_server: ServerHandle, request: pytest.FixtureRequest
) -> Iterator[SandboxFixture]:
    """A running sandbox (instant mode), reset before the test; config changes and clock moves
    are undone after. Takes ``@pytest.mark.cannon_sandbox(**config)``."""
    sandbox = _cannon_sandbox_server.sandbox
    original = sandbox.config
    sandbox.reset()
    try:
        sandbox.update_config(**_marker_config(request))
        yield SandboxFixture(
            base_url=_cannon_sandbox_server.base_url,
            api_key=sandbox.api_key,
            read_only_key=READ_ONLY_KEY,
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
def cannon_sandbox_app(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh in-process sandbox (instant mode) for ``httpx2.ASGITransport(sandbox.app)``.
    Takes ``@pytest.mark.cannon_sandbox(**config)``."""
    yield Sandbox(SandboxConfig.instant(**_marker_config(request)))
