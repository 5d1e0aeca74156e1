"""Fixtures of the fault suite: a real loopback sandbox, wire counters and the figures summary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

#: Figures recorded by the fault tests, printed in the terminal summary (and with ``pytest -s``).
FIGURES: list[tuple[str, dict[str, Any]]] = []


@pytest.fixture(scope="module")
def fault_sandbox() -> Iterator[tuple[Any, str]]:
    """A sandbox served by uvicorn on 127.0.0.1 (random port) with short, real job durations.

    Jobs take 0.5-2.5 s so that the last requests created are polled while still running; ``poll_after_ms`` is 50 ms. The
    server stops when the module's tests finish.
    """
    from cannon_studio_sandbox import Sandbox, SandboxConfig

    config = SandboxConfig(
        initial_credits=1_000_000,
        job_duration_s=(0.5, 2.5),
        queue_delay_s=0.0,
        poll_after_ms=50,
        seed=20261121,
    )
    sandbox = Sandbox(config)
    with sandbox.serve(host="127.0.0.1", port=0) as server:
        yield sandbox, server.base_url


@pytest.fixture(scope="session")
def fault_figures() -> list[tuple[str, dict[str, Any]]]:
    """The shared list the tests append ``(title, figures)`` to."""
    return FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the fault-suite figures after the run (shown without ``-s``)."""
    if not FIGURES:
        return
    terminalreporter.section("fault suite figures")
    for title, figures in FIGURES:
        terminalreporter.write_line(title)
        for key, value in figures.items():
            terminalreporter.write_line(f"  {key:<34} {value}")
