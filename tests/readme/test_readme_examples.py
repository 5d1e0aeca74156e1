"""Every code example in README.md runs.

- ```` ```python ```` blocks run as-is, each in a fresh interpreter, against the sandbox (only
  ``CANNON_BASE_URL`` and ``CANNON_API_KEY`` are given, as a user would set them).
- ```` ```py ```` blocks are receiver snippets for FastAPI and Flask: each runs inside a small
  harness that supplies the app, the client and a dedupe store, then sends it a signed delivery,
  a replay of it and a forged one through the framework's own test client.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
TEXT = README.read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)
RECEIVER_BLOCKS = re.findall(r"```py\n(.*?)```", TEXT, re.DOTALL)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _first_line(block: str) -> str:
    return next(line for line in block.splitlines() if line.strip())[:60]


def test_readme_has_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 5
    assert {"fastapi", "flask"} <= {
        "fastapi" if "@api." in b else "flask" if "@app." in b else "?" for b in RECEIVER_BLOCKS
    }


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[_first_line(b) for b in PYTHON_BLOCKS])
def test_python_example_runs_against_the_sandbox(
    block: str, cannon_sandbox: Any, tmp_path: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CANNON_") and key != "PYTHONPATH"
    }
    env |= {"CANNON_BASE_URL": cannon_sandbox.base_url, "CANNON_API_KEY": cannon_sandbox.api_key}
    if re.search(r"^def test_", block, re.MULTILINE):
        # A test written for users' own suites: run it with pytest and the shipped fixture.
        (tmp_path / "test_example.py").write_text(block, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "test_example.py",
        ]
    else:
        command = [sys.executable, "-c", block]
    result = subprocess.run(
        command,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]


def _signed_delivery() -> tuple[bytes, dict[str, str]]:
    from cannon_studio.webhooks import sign

    body = json.dumps(
        {
            "id": "msg_readme",
            "type": "request.succeeded",
            "timestamp": "2026-01-01T00:00:00Z",
            "data": {
                "id": "req_1",
                "operation": "image.generate",
                "status": "succeeded",
                "createdAtMs": 0,
            },
        }
    ).encode()
    now = int(time.time())
    headers = {
        "webhook-id": "msg_readme",
        "webhook-timestamp": str(now),
        "webhook-signature": sign(SECRET, "msg_readme", now, body.decode()),
        "content-type": "application/json",
    }
    return body, headers


@pytest.mark.parametrize(
    "block", RECEIVER_BLOCKS, ids=["fastapi" if "@api." in b else "flask" for b in RECEIVER_BLOCKS]
)
def test_receiver_snippet_accepts_signed_acknowledges_repeats_and_rejects_forged(
    block: str,
) -> None:
    from cannon_studio import Cannon, WebhookReplayError, WebhookVerificationError
    from cannon_studio.webhooks import MemoryDedupeStore

    handled: list[Any] = []
    scope: dict[str, Any] = {
        "client": Cannon(api_key="cs_test_readme", webhook_secret=SECRET),
        "seen": MemoryDedupeStore(),
        "handle_event": handled.append,
        "WebhookVerificationError": WebhookVerificationError,
        "WebhookReplayError": WebhookReplayError,
    }
    if "@api." in block:
        from fastapi import FastAPI, HTTPException, Request
        from fastapi.testclient import TestClient

        scope |= {"api": FastAPI(), "Request": Request, "HTTPException": HTTPException}
        exec(block, scope)
        http: Any = TestClient(scope["api"])
    else:
        from flask import Flask, request

        scope |= {"app": Flask("readme"), "request": request}
        exec(block, scope)
        http = scope["app"].test_client()
    key = "content" if "@api." in block else "data"

    def post(payload: bytes, headers: dict[str, str]) -> Any:
        return http.post("/hooks/cannon", headers=headers, **{key: payload})

    body, headers = _signed_delivery()
    assert post(body, headers).status_code == 204
    assert [event.data.id for event in handled] == ["req_1"]
    replay = post(body, headers)  # a repeat delivery: acknowledged, not handled again
    assert replay.status_code == 204
    forged = post(body.replace(b"req_1", b"req_2"), headers | {"webhook-id": "x"})
    assert forged.status_code == 400
    assert len(handled) == 1
    assert SECRET not in replay.text and SECRET not in forged.text
