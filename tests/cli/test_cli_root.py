"""The ``cannon-studio`` root group through click's CliRunner: help, unknown commands,
``--verbose``, ``--version``."""

from __future__ import annotations

from typing import Any

from cli_support import Invoke


def test_help_documents_exit_codes_and_environment(invoke_offline: Invoke) -> None:
    result = invoke_offline("--help")
    assert result.exit_code == 0
    for text in ("0  success", "1  request failed", "2  usage error", "3  API error", "4  timeout"):
        assert text in result.output
    for name in ("CANNON_API_KEY", "CANNON_BASE_URL", "CANNON_WEBHOOK_SECRET", "CANNON_LOG"):
        assert name in result.output
    for command in ("status", "operations", "run", "get", "wait", "download", "webhook", "sandbox"):
        assert command in result.output


def test_unknown_command_is_a_usage_error(invoke_offline: Invoke) -> None:
    result = invoke_offline("statuz")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_verbose_logs_http_calls_without_the_api_key(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke("--verbose", "status")
    assert result.exit_code == 0, result.output
    assert "/api/v1/status" in result.stderr
    assert cannon_sandbox.api_key not in result.output


def test_version(invoke_offline: Invoke) -> None:
    result = invoke_offline("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("cannon-studio, version ")
