#!/usr/bin/env python3
"""Write the drift check's catalogue page: oasdiff's ERR and WARN checks with our counterpart,
then every check of ours.

Usage::

    python scripts/drift_checks_table.py [OUTPUT]    # default docs/drift-checks.md

The page is made from two sources, so it cannot drift from the engine: the engine's catalogue
(:data:`cannon_studio_schema.drift.CHECKS`) and ``scripts/oasdiff_checks.yaml`` (oasdiff's ERR
and WARN checks, each with our counterpart or the reason we differ). ``tests/drift/
test_drift_table.py`` regenerates the page and compares it with the committed one, and checks
that every oasdiff ERR/WARN id is covered.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from cannon_studio_schema.drift import CHECKS
from cannon_studio_schema.drift.checks import (
    PARAMETER_LEVELS,
    REQUEST_PLACES,
    RESPONSE_PLACES,
    SCHEMA_SUFFIXES,
)

ROOT = Path(__file__).resolve().parents[1]
MAPPING = ROOT / "scripts" / "oasdiff_checks.yaml"
OUTPUT = ROOT / "docs" / "drift-checks.md"


class MappingError(ValueError):
    """The mapping file and the catalogue disagree (a missing id, a difference without a note)."""


def load_mapping(path: Path = MAPPING) -> dict[str, dict[str, Any]]:
    """oasdiff's checks from ``path``: id -> {level, description, ours?, note?}."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries: dict[str, dict[str, Any]] = data["oasdiff"]
    return entries


def counterpart(check_id: str, entry: dict[str, Any]) -> tuple[str | None, str | None]:
    """Our check id (None: not reported) and its level for one oasdiff check.

    Raises:
        MappingError: our id is not in the catalogue, or we differ without a note.
    """
    ours = entry.get("ours", check_id)
    if ours is None:
        if not entry.get("note"):
            raise MappingError(f"{check_id}: not reported, and no note says why")
        return None, None
    if ours not in CHECKS:
        raise MappingError(f"{check_id}: our counterpart {ours} is not in the catalogue")
    level = CHECKS[ours].level
    if (ours != check_id or level != entry["level"]) and not entry.get("note"):
        raise MappingError(f"{check_id}: {ours} at {level} differs, and no note says why")
    return ours, level


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(mapping: dict[str, dict[str, Any]]) -> str:
    """The Markdown page.

    Raises:
        MappingError: see :func:`counterpart`.
    """
    strict = {k: v for k, v in mapping.items() if v["level"] != "info"}
    same = sum(1 for k, v in strict.items() if counterpart(k, v) == (k, v["level"]))
    lines = [
        "# Drift check catalogue",
        "",
        "Every change `cannon-studio schema diff` and `schema check` report has a stable check id",
        "and a level: **breaking** (a client built from the old document can fail), **warning**",
        "(it may, depending on what it sends or how strictly it parses) or **info**. The ids are",
        "[oasdiff](https://github.com/oasdiff/oasdiff)'s wherever the meaning is the same.",
        "This page is generated from the engine's catalogue by `scripts/drift_checks_table.py`;",
        "a test fails when it is out of date.",
        "",
        "## oasdiff's breaking and warning checks",
        "",
        f"oasdiff has {len(strict)} ERR and WARN checks. {same} of them are ours under the same id",
        "and level; the others are listed with what we report instead and why.",
        "",
        "| oasdiff check | oasdiff level | ours | our level | note |",
        "|---|---|---|---|---|",
    ]
    for check_id, entry in strict.items():
        ours, level = counterpart(check_id, entry)
        shown = f"`{ours}`" if ours else "not reported"
        note = _cell(entry.get("note") or entry["description"])
        lines.append(f"| `{check_id}` | {entry['level']} | {shown} | {level or '-'} | {note} |")
    looser = {k: v for k, v in mapping.items() if v["level"] == "info"}
    lines += [
        "",
        "## Where we are stricter than oasdiff",
        "",
        "oasdiff reports these as info; a client generated from the schema can fail on them.",
        "",
        "| check | oasdiff level | our level | why |",
        "|---|---|---|---|",
    ]
    for check_id, entry in looser.items():
        ours, level = counterpart(check_id, entry)
        lines.append(f"| `{ours}` | info | {level} | {_cell(entry.get('note', ''))} |")
    lines += [
        "",
        "## Schema checks",
        "",
        "A schema change is reported with the prefix of where the schema sits:",
        f"{', '.join(f'`{p}`' for p in REQUEST_PLACES)} and `request-parameter-property`",
        "(what the client sends), "
        f"{', '.join(f'`{p}`' for p in RESPONSE_PLACES)} (what it parses),",
        "then the suffix below: `request-property-max-decreased`, `response-body-one-of-added`.",
        "Narrowing what a client sends, or widening what it parses, is breaking.",
        "",
        "| suffix | request level | response level | what changed |",
        "|---|---|---|---|",
    ]
    for suffix, (request_level, response_level, summary) in sorted(SCHEMA_SUFFIXES.items()):
        shown = request_level
        if suffix in PARAMETER_LEVELS and PARAMETER_LEVELS[suffix] != request_level:
            shown = f"{request_level} ({PARAMETER_LEVELS[suffix]} for parameters)"
        lines.append(f"| `{suffix}` | {shown} | {response_level} | {_cell(summary)} |")
    generated = {
        f"{place}-{suffix}"
        for suffix in SCHEMA_SUFFIXES
        for place in (*REQUEST_PLACES, "request-parameter-property", *RESPONSE_PLACES)
    }
    lines += [
        "",
        "## Other checks",
        "",
        "| check | level | what changed |",
        "|---|---|---|",
    ]
    for check_id in sorted(set(CHECKS) - generated):
        check = CHECKS[check_id]
        lines.append(f"| `{check_id}` | {check.level} | {_cell(check.summary)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the page to ``argv[0]`` (default ``docs/drift-checks.md``); 2 on a mapping error."""
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0]) if args else OUTPUT
    try:
        text = render(load_mapping())
    except MappingError as exc:
        print(f"drift_checks_table: {exc}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
