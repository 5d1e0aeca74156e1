"""Every generated module says so: its first lines are the banner of openapi/templates/.

openai-python puts a "generated, do not edit" line on every generated file; here the banner
comes from the templates (``banner.py.jinja``, included by every template that writes a module,
and prepended to ``_schema.py`` by ``scripts/regenerate.py``), so a regeneration keeps it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
TEMPLATES = ROOT / "openapi" / "templates"
BANNER = (TEMPLATES / "banner.py.jinja").read_text(encoding="utf-8")
MODULES = sorted(GENERATED.rglob("*.py"))
NOT_PYTHON = {
    # The normalised snapshot, byte for byte (its SHA-256 is in _schema.py); JSON has no comments.
    "openapi.json",
    # The PEP 561 marker: empty by definition.
    "py.typed",
}


def test_the_banner_names_the_source_and_the_command() -> None:
    assert "openapi/cannon-studio.json" in BANNER and "make regenerate" in BANNER
    assert "do not edit" in BANNER.lower()
    assert all(line.startswith("# ") for line in BANNER.splitlines())


@pytest.mark.parametrize("module", MODULES, ids=[str(m.relative_to(GENERATED)) for m in MODULES])
def test_every_generated_module_starts_with_the_banner(module: Path) -> None:
    assert module.read_text(encoding="utf-8").startswith(BANNER)


def test_every_other_generated_file_is_a_known_exception() -> None:
    others = {
        p.name
        for p in GENERATED.rglob("*")
        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    }
    assert others <= NOT_PYTHON
    assert len(MODULES) > 50  # the whole package, not an empty folder


def test_every_module_template_includes_the_banner() -> None:
    """A template added later for another generated file carries the banner too."""
    templates = [t for t in TEMPLATES.glob("*.py.jinja") if t.name not in ("banner.py.jinja",)]
    assert templates
    missing = [t.name for t in templates if '{% include "banner.py.jinja" %}' not in t.read_text()]
    assert missing == []
