"""regenerate's import check runs generated code in an isolated interpreter with a scrubbed
environment (no CANNON_* variables, no credentials) and a time limit."""

from __future__ import annotations

import json
from pathlib import Path

import generate_wrappers
import pytest
import regenerate

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "cannon_studio_api"
INIT = f"{generate_wrappers.RESOURCES}/__init__.py"


FUTURE = "from __future__ import annotations\n"


def _with(prefix: str, text: str) -> str:
    """``text`` with ``prefix`` run right after its ``__future__`` import."""
    assert FUTURE in text
    return text.replace(FUTURE, FUTURE + prefix, 1)


@pytest.fixture(scope="module")
def wrappers() -> dict[str, str]:
    return generate_wrappers.render_files()


def test_scrubbed_environment_keeps_only_the_safe_variables() -> None:
    env = regenerate.scrubbed_environment(
        {
            "PATH": "/usr/bin",
            "LANG": "C.UTF-8",
            "CANNON_API_KEY": "cs_live_x",
            "CANNON_WEBHOOK_SECRET": "whsec_x",
            "AWS_SECRET_ACCESS_KEY": "aws",
            "GITHUB_TOKEN": "ghp",
            "PYTHONPATH": "/evil",
            "HOME": "/root",
        }
    )
    assert env == {"PATH": "/usr/bin", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}


def test_generated_code_sees_no_key(
    wrappers: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = tmp_path / "environ.json"
    monkeypatch.setenv("CANNON_API_KEY", "cs_live_secret_for_the_import_check")
    monkeypatch.setenv("CANNON_WEBHOOK_SECRET", "whsec_secret_for_the_import_check")
    spy = f"import json as _j, os as _o\n_j.dump(dict(_o.environ), open({str(dump)!r}, 'w'))\n"
    hostile = {**wrappers, INIT: _with(spy, wrappers[INIT])}
    regenerate.check_imports(PACKAGE, hostile, tmp_path / "work")
    seen = json.loads(dump.read_text())
    assert not [name for name in seen if name.startswith("CANNON_")]
    assert "cs_live_secret" not in dump.read_text() and "whsec_secret" not in dump.read_text()


def test_import_check_has_a_time_limit(wrappers: dict[str, str], tmp_path: Path) -> None:
    hanging = {**wrappers, INIT: _with("import time\ntime.sleep(120)\n", wrappers[INIT])}
    with pytest.raises(regenerate.PipelineError, match=r"did not finish importing within 3 s\.$"):
        regenerate.check_imports(PACKAGE, hanging, tmp_path / "work", timeout_s=3)
