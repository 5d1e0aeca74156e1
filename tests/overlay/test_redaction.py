"""The API key and the webhook secret never show up in logs, reprs or exception texts."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest
from cannon_studio import Cannon, CannonError, InputValidationError
from cannon_studio.webhooks import sign
from cannon_studio_sandbox import FaultRule
from overlay_helpers import WEBHOOK_SECRET


def _texts(exc: BaseException) -> str:
    parts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    response = getattr(exc, "response", None)
    if response is not None:
        parts += [
            repr(response),
            repr(response.request.headers),
            str(dict(response.request.headers)),
        ]
    parts += [repr(getattr(exc, name, None)) for name in ("body", "error", "request")]
    return "\n".join(parts)


def test_full_run_leaks_no_secret(
    cannon_sandbox: Any, caplog: pytest.LogCaptureFixture, no_sleep: list[float], tmp_path: Path
) -> None:
    key = cannon_sandbox.api_key
    secret = cannon_sandbox.webhook_secret
    wrong_key = "cs_test_wrong_key_for_redaction_123"
    sb = cannon_sandbox.sandbox
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    with Cannon(api_key=key, base_url=cannon_sandbox.base_url, webhook_secret=secret) as c:
        texts += [repr(c), str(c), repr(c.webhooks), repr(c.requests), repr(c.operations)]
        texts.append(repr(c.status()))
        sb.add_fault(FaultRule("503", endpoint="create", count=1))
        sb.add_fault(FaultRule("drop_after_commit", endpoint="create", count=1))
        handle = c.video.generate(prompt="redaction run").wait(max_wait=30)
        texts += [repr(handle), repr(handle.request), repr(handle.accepted), repr(handle.output)]
        handle.download(tmp_path)
        failing = c.images.generate(prompt="[fail] now")
        errors: list[BaseException] = []
        for action in (
            lambda: failing.wait(max_wait=30),
            lambda: c.requests.retrieve("req_nope"),
            lambda: c.video.generate(prompt="x", aspect_ratio="1:7"),  # type: ignore[typeddict-item]
            lambda: c.webhooks.verify(
                b"{}", {"webhook-id": "m", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"}
            ),
            lambda: c.webhooks.verify(b"{}", {}),
            lambda: c.webhooks.verify(
                b"{}",
                {
                    "webhook-id": "m",
                    "webhook-timestamp": "99999999999",
                    "webhook-signature": sign(secret, "m", 1, b"{}"),
                },
            ),
        ):
            try:
                action()
            except (CannonError, InputValidationError) as exc:
                errors.append(exc)
        with Cannon(api_key=wrong_key, base_url=cannon_sandbox.base_url) as bad:
            try:
                bad.status()
            except CannonError as exc:
                errors.append(exc)
            texts.append(repr(bad))
        try:
            Cannon(api_key=key + " ", base_url=cannon_sandbox.base_url)
        except CannonError as exc:
            errors.append(exc)
    assert len(errors) == 8
    texts += [_texts(exc) for exc in errors]
    texts.append(caplog.text)
    blob = "\n".join(texts)
    assert "retrying POST" in caplog.text and handle.id in caplog.text  # debug logs did happen
    for needle in (key, secret, secret.removeprefix("whsec_"), wrong_key):
        assert needle not in blob


def test_cannon_log_debug_env(cannon_sandbox: Any) -> None:
    script = (
        "from cannon_studio import Cannon\n"
        "c = Cannon()\n"
        "h = c.prompts.enhance_video(prompt='hello').wait(max_wait=30)\n"
        "print(h.id)\n"
        "try:\n"
        "    c.requests.retrieve('req_missing')\n"
        "except Exception as e:\n"
        "    print(e)\n"
    )
    env = {
        **os.environ,
        "CANNON_API_KEY": cannon_sandbox.api_key,
        "CANNON_BASE_URL": cannon_sandbox.base_url,
        "CANNON_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "CANNON_LOG": "debug",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    request_id = done.stdout.splitlines()[0]
    assert "POST " in done.stderr and "/api/v1/requests" in done.stderr and " -> 202" in done.stderr
    assert request_id in done.stderr and "-> 404" in done.stderr
    for needle in (cannon_sandbox.api_key, WEBHOOK_SECRET):
        assert needle not in done.stderr + done.stdout
