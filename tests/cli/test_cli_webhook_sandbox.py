"""``cannon-studio webhook verify`` and ``cannon-studio sandbox``.

Neither command calls the API: ``webhook verify`` checks a signature locally and ``sandbox``
runs the local server, so their error cases are user errors (exit 2) and failed checks (exit 1).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from cli_support import Invoke
from standardwebhooks import Webhook

SECRET = "whsec_" + "dGVzdC1zZWNyZXQtZm9yLWNsaS10ZXN0cy0wMDAx"


def _signed(secret: str = SECRET, *, status: str = "succeeded") -> tuple[bytes, dict[str, str]]:
    event = {
        "id": "evt_cli_1",
        "type": f"request.{status}",
        "timestamp": datetime.now(UTC).isoformat(),
        "data": {
            "id": "req_cli_1",
            "operation": "image.generate",
            "status": status,
            "createdAtMs": 1_762_479_300_000,
        },
    }
    body = json.dumps(event)
    now = datetime.now(UTC)
    signature = Webhook(secret).sign("msg_cli_1", now, body)
    headers = {"id": "msg_cli_1", "timestamp": str(int(now.timestamp())), "signature": signature}
    return body.encode(), headers


def _verify_args(headers: dict[str, str]) -> list[str]:
    return [
        "webhook",
        "verify",
        "--id",
        headers["id"],
        "--timestamp",
        headers["timestamp"],
        "--signature",
        headers["signature"],
    ]


def test_webhook_verify_human(invoke_offline: Invoke) -> None:
    body, headers = _signed()
    result = invoke_offline(*_verify_args(headers), "--secret", SECRET, input=body)
    assert result.exit_code == 0, result.output
    assert "verified" in result.stdout
    assert "request.succeeded" in result.stdout and "req_cli_1" in result.stdout
    assert SECRET not in result.output


def test_webhook_verify_json_with_secret_from_env(invoke_offline: Invoke, tmp_path: Any) -> None:
    body, headers = _signed(status="failed")
    path = tmp_path / "body.json"
    path.write_bytes(body)
    result = invoke_offline(
        *_verify_args(headers),
        "--body",
        str(path),
        "--json",
        env={"CANNON_WEBHOOK_SECRET": SECRET},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verified"] is True
    assert data["event"]["type"] == "request.failed"
    assert data["event"]["data"]["id"] == "req_cli_1"


def test_webhook_verify_tampered_body_exits_1(invoke_offline: Invoke) -> None:
    body, headers = _signed()
    tampered = body.replace(b"succeeded", b"failed", 1)
    result = invoke_offline(*_verify_args(headers), "--secret", SECRET, "--json", input=tampered)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["type"] == "WebhookSignatureError"
    assert "did not verify" in result.stderr
    assert SECRET not in result.output


def test_webhook_verify_old_timestamp_exits_1(invoke_offline: Invoke) -> None:
    body, headers = _signed()
    old = dict(headers, timestamp=str(int(time.time()) - 3600))
    result = invoke_offline(*_verify_args(old), "--secret", SECRET, input=body)
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("extra", "env", "needle"),
    [
        ([], {}, "no signing secret"),
        (["--secret", SECRET, "--tolerance", "-1"], {}, "--tolerance"),
    ],
)
def test_webhook_verify_usage_errors(
    invoke_offline: Invoke, extra: list[str], env: dict[str, str], needle: str
) -> None:
    body, headers = _signed()
    result = invoke_offline(*_verify_args(headers), *extra, env=env, input=body)
    assert result.exit_code == 2
    assert needle in result.stderr


def test_webhook_verify_missing_header_option_is_a_usage_error(invoke_offline: Invoke) -> None:
    result = invoke_offline("webhook", "verify", "--secret", SECRET, "--id", "x", input=b"{}")
    assert result.exit_code == 2
    assert "--timestamp" in result.stderr


# -------------------------------------------------------------------------------------- sandbox
def test_sandbox_help_is_the_sandbox_parser(invoke_offline: Invoke) -> None:
    result = invoke_offline("sandbox", "--help")
    assert result.exit_code == 0
    assert "--instant" in result.stdout and "--port" in result.stdout


def test_sandbox_bad_flag_is_a_usage_error(invoke_offline: Invoke) -> None:
    result = invoke_offline("sandbox", "--port", "eighty")
    assert result.exit_code == 2
    assert "--port" in result.stderr


def test_sandbox_serves_and_the_cli_talks_to_it(invoke_offline: Invoke) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cannon_studio.cli", "sandbox", "--port", "0", "--instant"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.search(r"on (http://127\.0\.0\.1:\d+)\s+api key: (\S+)", first)
        assert match, first
        base_url, api_key = match.groups()
        assert proc.stdout.readline().startswith("webhook secret: whsec_")
        result = invoke_offline("--base-url", base_url, "--api-key", api_key, "status", "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["ok"] is True
        created = invoke_offline(
            "run", "prompt.enhance.image", "--prompt", "a cat", "--json",
            env={"CANNON_BASE_URL": base_url, "CANNON_API_KEY": api_key},
        )  # fmt: skip
        assert created.exit_code == 0, created.output
        assert json.loads(created.stdout)["request"]["output"]["enhancedPrompt"]
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_without_the_cli_extra_the_command_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['rich'] = None\n"  # as if the [cli] extra were not installed
        "from cannon_studio.cli import main\n"
        "main(['status'])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2
    assert "pip install 'cannon-studio[cli]'" in proc.stderr
    assert "Traceback" not in proc.stderr
