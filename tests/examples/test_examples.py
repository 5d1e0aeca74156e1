"""Every webhook receiver under ``examples/`` runs under ``python -W error`` with no API key set.

Each receiver is loaded in a fresh interpreter (``runpy.run_path``, so its ``__main__`` server
start is skipped) with only ``CANNON_WEBHOOK_SECRET`` in the environment, and driven through its
framework's own test client: a signed delivery is accepted (204), a repeat of it is acknowledged
(204) but not handled again, a forged one is refused (400) without the secret in the answer, and
the handler ran exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*_receiver.py"))
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

DRIVER = r"""
import json, runpy, sys, time
from cannon_studio.webhooks import sign

SECRET = sys.argv[2]
module = runpy.run_path(sys.argv[1], run_name="cannon_example")
app, handled = module["app"], []
module["handle_event"].__globals__["handle_event"] = handled.append
if hasattr(app, "test_client"):  # Flask
    http, key = app.test_client(), "data"
else:  # Starlette / FastAPI
    from starlette.testclient import TestClient
    http, key = TestClient(app), "content"

body = json.dumps({"id": "msg_ex", "type": "request.succeeded", "timestamp": "2026-01-01T00:00:00Z",
                   "data": {"id": "req_1", "operation": "image.generate", "status": "succeeded",
                            "createdAtMs": 0}}).encode()
now = int(time.time())
headers = {"webhook-id": "msg_ex", "webhook-timestamp": str(now),
           "webhook-signature": sign(SECRET, "msg_ex", now, body), "content-type": "application/json"}
def post(payload, extra=None):
    reply = http.post("/hooks/cannon", headers={**headers, **(extra or {})}, **{key: payload})
    text = reply.get_data(as_text=True) if hasattr(reply, "get_data") else reply.text
    assert SECRET not in text
    return reply.status_code
assert post(body) == 204
assert post(body) == 204  # a repeat delivery: acknowledged, not handled again
assert post(body.replace(b"req_1", b"req_2"), {"webhook-id": "forged"}) == 400
assert [event.data.id for event in handled] == ["req_1"], handled
if hasattr(http, "close"):
    http.close()
print("example ok")
"""


def test_there_are_fastapi_and_flask_examples() -> None:
    names = {path.name for path in EXAMPLES}
    assert {"fastapi_receiver.py", "flask_receiver.py"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_runs_under_w_error_without_an_api_key(path: Path, tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CANNON_") and key != "PYTHONPATH"
    }
    env["CANNON_WEBHOOK_SECRET"] = SECRET
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", DRIVER, str(path), SECRET],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "example ok" in result.stdout
