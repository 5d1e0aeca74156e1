"""The scripts use the package as users do: every name they import from our packages is public
(no module or name with a leading underscore), apart from the tools listed below, each with the
reason it must reach inside."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("cannon_studio", "cannon_studio_api", "cannon_studio_schema", "cannon_studio_sandbox")

INTERNALS_ALLOWED = {
    "scripts/generate_wrappers.py": "its input is the friendly-name table (_operations.WRAPPERS)",
    "scripts/record_cassettes.py": (
        "switches the client-side input check off to record the server's own 400/422 answers"
    ),
    "scripts/bench_batch.py": "measures the journal and scheduler cost per job, below the API",
    "scripts/bench_report_html.py": "writes a 10,000-job journal directly to time the HTML report",
    "scripts/bench_submit.py": "times the workers' claim query itself, and the one-machine set-up",
}


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules, names = [node.module], [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            modules, names = [alias.name for alias in node.names], []
        else:
            continue
        for module in modules:
            if module.split(".")[0] not in OURS:
                continue
            private = [part for part in [*module.split(".")[1:], *names] if part.startswith("_")]
            if private:
                found.append(f"line {node.lineno}: {module} ({', '.join(private)})")
    return found


def test_scripts_import_only_public_names() -> None:
    problems = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "scripts").rglob("*.py"))
        if (found := _private_imports(path))
        and str(path.relative_to(ROOT)) not in INTERNALS_ALLOWED
    }
    assert problems == {}


def test_every_allowed_exception_is_still_needed() -> None:
    for name in INTERNALS_ALLOWED:
        assert _private_imports(ROOT / name), f"{name} imports only public names now"
