#!/usr/bin/env python3
"""Check the Cannon Studio API for drift: the schema against the snapshot, generated/ against a
fresh generation.

Usage (normally through ``make check-drift``)::

    python scripts/check_drift.py [--url URL_OR_PATH] [--json] [--skip-generated]
                                  [--snapshot PATH] [--generated DIR]

Two checks:

1. **Schema.** The schema is read from ``--url`` (an http(s) URL or a file path), else
   ``$CANNON_OPENAPI_URL``, else the live ``https://www.cannonstudio.app/api/v1/openapi``
   (``$CANNON_API_KEY`` is sent only to the API origin, ``$CANNON_BASE_URL`` else the live API,
   over https or http on loopback; see :mod:`cannon_studio_schema.source`). It is validated
   (openapi-spec-validator) and normalised exactly as ``make regenerate`` does (the functions
   are imported from ``scripts/regenerate.py``), then compared *semantically* with
   ``openapi/cannon-studio.json`` by the drift engine shipped in the package,
   :mod:`cannon_studio_schema.drift` (the same engine as ``cannon-studio schema check``; see it
   for what is compared and how changes are classified). A document that means the same but
   would write a different snapshot (descriptions, examples) is drift here too, reported as
   ``schema text differs``: regenerating refreshes the generated docstrings.
2. **generated/.** The client package is regenerated from the committed snapshot into a temporary
   directory and compared file by file with ``generated/cannon_studio_api`` (``__pycache__``
   ignored), so a hand edit or a stale regeneration is caught and each file is named. This is the
   part that needs the dev tools (the pinned generator and formatter), hence a script.

Exit status: 0 no drift; 1 drift (schema or generated/), with the report; 2 the schema could not
be fetched, parsed or validated, or the generator could not run (one sentence on stderr; never a
silent pass). ``--json`` prints one JSON object on stdout instead of the text report. Through
``make`` every non-zero status becomes 2 (make's own failure status); run this script directly
when CI needs to tell drift (1) from an unavailable schema (2).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cannon_studio_schema import SchemaError, snapshot_text
from cannon_studio_schema.drift import INFO, NO_DRIFT, Change, DriftReport, compare_documents
from regenerate import (
    GENERATED,
    PACKAGE,
    ROOT,
    SNAPSHOT,
    PipelineError,
    generate_package,
    normalise,
    read_document,
    resolve_source,
    validate_document,
)


@dataclass(frozen=True)
class FileDifference:
    """A file of ``generated/`` that is not what the generator makes: differs, missing or extra."""

    path: str
    problem: str

    def line(self) -> str:
        """The report line: ``DRIFT  generated file differs: <path> -- <why>``."""
        why = {
            "differs": "hand edit or stale regeneration",
            "missing": "the generator makes it but generated/ lacks it",
            "extra": "generated/ has it but the generator does not make it",
        }[self.problem]
        return f"DRIFT  generated file {self.problem}: {self.path} -- {why}; run make regenerate"


# --------------------------------------------------------------------------------------------
# generated/ check
# --------------------------------------------------------------------------------------------


def _files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def compare_trees(expected: Path, actual: Path, label: str) -> list[FileDifference]:
    """Compare two package directories byte for byte (``__pycache__`` ignored).

    Args:
        expected: the fresh generation.
        actual: the checked-in package.
        label: how to name ``actual`` in the report (e.g. ``generated/cannon_studio_api``).
    """
    want, have = _files(expected), _files(actual)
    diffs = [FileDifference(f"{label}/{rel}", "missing") for rel in sorted(want - have)]
    diffs += [FileDifference(f"{label}/{rel}", "extra") for rel in sorted(have - want)]
    diffs += [
        FileDifference(f"{label}/{rel}", "differs")
        for rel in sorted(want & have)
        if not filecmp.cmp(expected / rel, actual / rel, shallow=False)
    ]
    return sorted(diffs, key=lambda d: d.path)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def check_generated(snapshot_text: str, generated_dir: Path) -> list[FileDifference]:
    """Regenerate from ``snapshot_text`` in a temporary directory; compare with ``generated_dir``.

    ``generated_dir`` is the directory holding ``cannon_studio_api`` (``generated/`` in the repo).

    Raises:
        PipelineError: the generator could not run or refused the snapshot.
    """
    with tempfile.TemporaryDirectory(prefix="cannon-drift-") as tmp:
        fresh = generate_package(snapshot_text, Path(tmp))
        package = generated_dir / PACKAGE
        return compare_trees(fresh, package, _display(package))


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


@dataclass
class Report:
    """The outcome of a drift check: the schema report plus the generated/ comparison.

    ``exit_code`` is 0 (no drift) or 1 (drift in the schema or in generated/).
    """

    schema: DriftReport
    generated_checked: bool
    generated: list[FileDifference]
    text_differs: bool = False

    @property
    def changes(self) -> tuple[Change, ...]:
        """The schema changes, breaking first."""
        return self.schema.changes

    @property
    def drift(self) -> bool:
        """Whether the schema (meaning or snapshot text) or generated/ drifted."""
        return bool(self.schema.drift or self.text_differs or self.generated)

    @property
    def exit_code(self) -> int:
        """0 no drift, 1 drift."""
        return 1 if self.drift else 0

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document."""
        schema = self.schema.to_json()
        return {
            "source": self.schema.new,
            "snapshot": self.schema.old,
            "drift": self.drift,
            "exit_code": self.exit_code,
            "schema": {
                "counts": schema["counts"],
                "changes": schema["changes"],
                "text_differs": self.text_differs,
            },
            "generated": {
                "checked": self.generated_checked,
                "differences": [asdict(d) for d in self.generated],
            },
        }

    def text(self) -> str:
        """The human report; its last line is ``no drift`` or a one-line summary."""
        lines = [f"schema: {self.schema.new} compared with {self.schema.old}"]
        lines += self.schema.change_lines()
        if self.text_differs and not self.schema.drift:
            lines.append(
                "schema text differs: descriptions, examples or spelling only; "
                "regenerate to refresh the snapshot and docstrings"
            )
        if self.generated_checked:
            lines += [d.line() for d in self.generated] or [
                "generated/: matches a fresh generation from the snapshot"
            ]
        else:
            lines.append("generated/: not checked (--skip-generated)")
        if not self.drift:
            lines.append(NO_DRIFT)
        else:
            counts = ", ".join(
                f"{self.schema.count(level)} {level}" for level in ("breaking", "warning", INFO)
            )
            lines.append(
                f"drift: {counts} schema change(s), {len(self.generated)} generated file(s) "
                "out of date"
            )
        return "\n".join(lines)


def run_check(source: str, snapshot: Path, generated_dir: Path | None) -> Report:
    """Fetch ``source``, validate it, diff it with ``snapshot`` and (unless None) check
    ``generated_dir`` against a fresh generation.

    Raises:
        PipelineError: the source or the snapshot could not be read, parsed or validated, the
            schemas could not be compared, or the generator could not run.
    """
    document = read_document(source)
    validate_document(document, source)
    fetched = json.loads(normalise(document))
    committed = _read_snapshot(snapshot)
    try:
        changes = compare_documents(json.loads(committed), fetched, source)
    except SchemaError as exc:
        raise PipelineError(str(exc)) from exc
    generated: list[FileDifference] = []
    if generated_dir is not None:
        generated = check_generated(committed, generated_dir)
    schema = DriftReport(_display(snapshot), source, tuple(changes), fail_on=INFO)
    differs = snapshot_text(fetched) != snapshot_text(json.loads(committed))
    return Report(schema, generated_dir is not None, generated, differs)


def _read_snapshot(snapshot: Path) -> str:
    try:
        text = snapshot.read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise PipelineError(f"Could not read the committed snapshot {snapshot}: {exc}.") from exc
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="check_drift.py",
        description="Compare the Cannon Studio schema with the committed snapshot, and generated/ "
        "with a fresh generation. Exit 0 no drift, 1 drift, 2 schema unavailable.",
    )
    parser.add_argument(
        "--url",
        help="schema URL or file path (default: $CANNON_OPENAPI_URL, else the live URL)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object for CI systems")
    parser.add_argument(
        "--skip-generated", action="store_true", help="do not check generated/ (schema diff only)"
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        default=SNAPSHOT,
        help="the committed snapshot (default: %(default)s)",
    )
    parser.add_argument(
        "--generated",
        type=Path,
        default=GENERATED,
        help="directory holding cannon_studio_api to check (default: %(default)s)",
    )
    return parser


def _unexpected(exc: Exception) -> str:
    detail = (str(exc).splitlines() or [""])[0][:160]
    return f"The check failed unexpectedly ({type(exc).__name__}{': ' + detail if detail else ''})."


def main(argv: list[str] | None = None) -> int:
    """Run the drift check; return the exit status (0 no drift, 1 drift, 2 could not check)."""
    args = build_parser().parse_args(argv)
    source = resolve_source(args.url)
    try:
        report = run_check(source, args.snapshot, None if args.skip_generated else args.generated)
    except Exception as exc:  # PipelineError, or anything unforeseen: one sentence, exit 2
        message = str(exc) if isinstance(exc, PipelineError) else _unexpected(exc)
        if args.json:
            print(json.dumps({"source": source, "error": message, "exit_code": 2}, indent=2))
        print(f"check-drift: {message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.text())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
