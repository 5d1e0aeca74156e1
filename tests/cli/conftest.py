"""Fixtures for the ``cannon-studio`` tests: a CliRunner wired to the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from cannon_studio.cli import cli
from cli_support import CLEAN_ENV, Invoke
from click.testing import CliRunner, Result


@pytest.fixture
def sandbox_env(cannon_sandbox: Any) -> dict[str, str | None]:
    """Environment pointing the CLI at the (instant) sandbox of the pytest plugin."""
    return {
        **CLEAN_ENV,
        "CANNON_BASE_URL": cannon_sandbox.base_url,
        "CANNON_API_KEY": cannon_sandbox.api_key,
        "CANNON_WEBHOOK_SECRET": cannon_sandbox.webhook_secret,
    }


@pytest.fixture
def invoke(sandbox_env: dict[str, str | None]) -> Invoke:
    """``invoke(*args, env=..., input=...)`` runs ``cannon-studio`` against the sandbox."""

    def run(*args: str, env: dict[str, str | None] | None = None, **kwargs: Any) -> Result:
        merged = {**sandbox_env, **(env or {})}
        return CliRunner().invoke(cli, list(args), env=merged, catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def invoke_offline() -> Invoke:
    """``cannon-studio`` with no API key or base URL in the environment."""

    def run(*args: str, env: dict[str, str | None] | None = None, **kwargs: Any) -> Result:
        merged = {**CLEAN_ENV, **(env or {})}
        return CliRunner().invoke(cli, list(args), env=merged, catch_exceptions=False, **kwargs)

    return run
