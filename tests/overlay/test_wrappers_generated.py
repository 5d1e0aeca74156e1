"""The generated wrapper modules (``cannon_studio/resources/``) and ``api.md`` are exactly what
scripts/generate_wrappers.py makes from the embedded schema, one module per namespace, each
bannered; ``api.md`` names every wrapper with its input fields and output type."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import generate_wrappers
from cannon_studio._operations import registry
from cannon_studio_schema import embedded

ROOT = Path(__file__).resolve().parents[2]


def test_generated_wrappers_and_api_md_are_current_with_the_schema() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_wrappers.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_one_bannered_module_per_namespace() -> None:
    namespaces = {spec.wrapper.split(".")[0] for spec in registry()}
    package = ROOT / generate_wrappers.RESOURCES
    modules = {path.stem for path in package.glob("*.py")} - {"__init__"}
    assert modules == namespaces
    for path in [*package.glob("*.py"), ROOT / generate_wrappers.API_MD]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert generate_wrappers.BANNER in first, path


def test_api_md_lists_every_method_with_its_fields_and_output() -> None:
    text = (ROOT / generate_wrappers.API_MD).read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    by_call = {section.split("`")[1]: section for section in sections}
    model = embedded()
    assert len(by_call) == len(model.operations)
    for spec in registry():
        section = by_call[f"client.{spec.wrapper}(...)"]
        assert f"operation: `{spec.id}`" in section
        op = model.operation(spec.id)
        assert op is not None
        assert f"`{spec.output_name}`" in section
        for field in op.fields:
            assert f"| `{field}` |" in section, (spec.id, field)
