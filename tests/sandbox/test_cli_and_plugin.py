"""``python -m cannon_studio_sandbox`` / ``main(argv)``, the pytest entry point and the plugin fixtures."""

from __future__ import annotations

import subprocess
import sys

import httpx2
import pytest_cannon_studio
from cannon_studio_sandbox import Sandbox
from cannon_studio_sandbox.__main__ import main
from cannon_studio_sandbox.pytest_plugin import SandboxFixture

from .conftest import body


def test_module_cli_prints_url_key_and_secret_then_serves() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cannon_studio_sandbox",
            "--port",
            "0",
            "--api-key",
            "cs_test_cli_key",
            "--instant",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        second = proc.stdout.readline().strip()
        assert first.startswith("Cannon Studio sandbox on http://127.0.0.1:")
        assert first.endswith("  api key: cs_test_cli_key")
        assert second.startswith("webhook secret: whsec_")
        base_url = first.split(" on ", 1)[1].split()[0]
        assert not base_url.endswith(":0")
        r = httpx2.get(f"{base_url}/api/v1/status", headers={"x-api-key": "cs_test_cli_key"})
        assert r.status_code == 200
        c = httpx2.post(
            f"{base_url}/api/v1/requests",
            json=body("image.generate"),
            headers={"x-api-key": "cs_test_cli_key"},
        )
        assert c.json()["poll_after_ms"] == 0  # --instant
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode is not None


def test_main_rejects_bad_arguments(capsys: object) -> None:
    assert main(["--webhook-secret", "not-a-whsec", "--port", "0"]) == 2


def test_entry_point_module_imports_only_the_standard_library() -> None:
    code = (
        "import sys; before = set(sys.modules); import pytest_cannon_studio; "
        "print(sorted(m for m in set(sys.modules) - before if m != 'pytest_cannon_studio' "
        "and m.split('.')[0] not in sys.stdlib_module_names))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_entry_point_loads_the_plugin_when_the_extra_is_installed() -> None:
    # This venv has the [sandbox] extra (the fixtures below come through this very path); the
    # fresh venv without it is tests/packaging/test_fresh_venv.py.
    assert pytest_cannon_studio.sandbox_extra_installed()
    assert pytest_cannon_studio.pytest_plugins == ["cannon_studio_sandbox.pytest_plugin"]


def test_sandbox_imports_nothing_from_the_client_side() -> None:
    code = (
        "import sys; from cannon_studio_sandbox import Sandbox, SandboxConfig; Sandbox(SandboxConfig.instant()).app; "
        "print(sorted(m for m in sys.modules if m.startswith('cannon_studio_api') or "
        "m == 'cannon_studio' or m.startswith('cannon_studio.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_cannon_sandbox_fixture_is_reset_between_tests_part1(
    cannon_sandbox: SandboxFixture,
) -> None:
    r = httpx2.post(
        f"{cannon_sandbox.base_url}/api/v1/requests",
        json=body("image.generate"),
        headers={"authorization": f"Bearer {cannon_sandbox.api_key}"},
    )
    assert r.status_code == 202
    assert cannon_sandbox.sandbox.created_count(cannon_sandbox.account) == 1
    cannon_sandbox.sandbox.update_config(failure_rate=1.0)
    assert cannon_sandbox.api_key not in repr(cannon_sandbox)


def test_cannon_sandbox_fixture_is_reset_between_tests_part2(
    cannon_sandbox: SandboxFixture,
) -> None:
    assert cannon_sandbox.sandbox.created_count() == 0
    assert cannon_sandbox.sandbox.config.failure_rate == 0.0
    assert cannon_sandbox.webhook_secret.startswith("whsec_")


async def test_cannon_sandbox_app_fixture(cannon_sandbox_app: Sandbox) -> None:
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(cannon_sandbox_app.app),
        base_url="http://t",
        headers={"x-api-key": cannon_sandbox_app.api_key},
    ) as c:
        assert (await c.get("/api/v1/status")).status_code == 200
