"""The scheduled CI workflow runs `make check-drift` against the live URL with the key secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "drift.yml"


def test_workflow_is_scheduled_and_runs_check_drift_with_the_secret() -> None:
    document: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # daily
    assert "workflow_dispatch" in triggers
    steps = document["jobs"]["check-drift"]["steps"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    check = next(s for s in steps if "make --no-print-directory check-drift" in s.get("run", ""))
    assert check["env"]["CANNON_API_KEY"] == "${{ secrets.CANNON_API_KEY }}"
    assert "https://www.cannonstudio.app/api/v1/openapi" in check["env"]["CANNON_OPENAPI_URL"]
    assert check["shell"] == "bash"  # pipefail: tee must not hide the exit status
    assert "continue-on-error" not in check


def test_schema_url_comes_from_repository_configuration_not_a_dispatch_input() -> None:
    # The key is in the job's environment: whoever can start the workflow must not be able to
    # choose where the schema (and so possibly the key) is fetched from.
    text = WORKFLOW.read_text(encoding="utf-8")
    document: dict[Any, Any] = yaml.safe_load(text)
    triggers = document.get("on", document.get(True))
    assert not (triggers.get("workflow_dispatch") or {}).get("inputs")
    assert "inputs." not in text and "github.event.inputs" not in text
    for job in document["jobs"].values():
        for step in job["steps"]:
            env = step.get("env", {})
            if "CANNON_API_KEY" in env:
                assert env["CANNON_OPENAPI_URL"].startswith("${{ vars.CANNON_OPENAPI_URL ||")
                assert env["CANNON_BASE_URL"].startswith("${{ vars.CANNON_BASE_URL ||")
