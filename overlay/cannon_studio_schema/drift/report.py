"""A drift report: the changes between two schemas, an exit status and four output formats.

Formats: :meth:`DriftReport.text` (people), :meth:`DriftReport.to_json` (machines),
:meth:`DriftReport.markdown` (a CI job summary, e.g. ``$GITHUB_STEP_SUMMARY``) and
:meth:`DriftReport.github` (GitHub Actions workflow commands: one ``::error``/``::warning``/
``::notice`` annotation per change). The exit status depends on ``fail_on``: 1 when a change is
at that level or above, else 0 (2, a schema unavailable, is raised, never reported).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .changes import Change
from .checks import BREAKING, INFO, LEVELS, WARNING, at_least

NO_DRIFT = "no drift"
"""The last line of a report without changes."""

FORMATS = ("text", "json", "markdown", "github")
"""The output formats of :meth:`DriftReport.render`."""

_ANNOTATION = {BREAKING: "error", WARNING: "warning", INFO: "notice"}


def _escape_data(text: str) -> str:
    """Escape a GitHub workflow command's message (``%``, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Escape a GitHub workflow command's property value (also ``:`` and ``,``)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@dataclass(frozen=True)
class DriftReport:
    """The outcome of comparing an old schema with a new one.

    Attributes:
        old: where the old document came from (a path, a URL, or the installed snapshot).
        new: where the new document came from.
        changes: the semantic changes, most severe first (empty when the schemas mean the same).
        fail_on: the lowest level that makes :attr:`exit_code` 1 (``breaking``, ``warning``
            or ``info``).
    """

    old: str
    new: str
    changes: tuple[Change, ...]
    fail_on: str = BREAKING

    def count(self, level: str) -> int:
        """How many changes are at ``level`` exactly."""
        return sum(c.level == level for c in self.changes)

    @property
    def breaking(self) -> int:
        """How many changes can break a client built from the old schema."""
        return self.count(BREAKING)

    @property
    def drift(self) -> bool:
        """Whether the schemas differ in meaning at all."""
        return bool(self.changes)

    @property
    def failing(self) -> bool:
        """Whether a change is at :attr:`fail_on` or above."""
        return any(at_least(c.level, self.fail_on) for c in self.changes)

    @property
    def exit_code(self) -> int:
        """1 when a change is at :attr:`fail_on` or above, else 0."""
        return 1 if self.failing else 0

    def change_lines(self) -> list[str]:
        """One ``<level>  <id>: <subject> (<detail>) -- <summary>`` line per change, or
        ``schema: no changes``."""
        return [c.line() for c in self.changes] or ["schema: no changes"]

    def summary(self) -> str:
        """``no drift``, or ``drift: N breaking, M warning, K info change(s)`` with the verdict."""
        if not self.drift:
            return NO_DRIFT
        counts = ", ".join(f"{self.count(level)} {level}" for level in reversed(LEVELS))
        verdict = "fails" if self.failing else "passes"
        return f"drift: {counts} change(s); {verdict} --fail-on {self.fail_on}"

    def text(self) -> str:
        """The human report: a header, the change lines, and the summary as the last line."""
        return "\n".join(
            [f"schema: {self.new} compared with {self.old}", *self.change_lines(), self.summary()]
        )

    def to_json(self) -> dict[str, Any]:
        """The machine-readable report."""
        return {
            "old": self.old,
            "new": self.new,
            "drift": self.drift,
            "fail_on": self.fail_on,
            "exit_code": self.exit_code,
            "counts": {level: self.count(level) for level in reversed(LEVELS)},
            "changes": [c.to_json() for c in self.changes],
        }

    def markdown(self) -> str:
        """A Markdown summary for a CI job page: a heading, the counts and a table of changes."""
        lines = [f"### API schema drift: `{self.new}` compared with `{self.old}`", ""]
        if not self.drift:
            return "\n".join([*lines, f"**{NO_DRIFT}**", ""])
        lines += [
            f"**{self.summary()}**",
            "",
            "| Level | Check | Where | Detail |",
            "|---|---|---|---|",
        ]
        for c in self.changes:
            lines.append(
                f"| {c.level} | `{c.id}` | {_cell(c.subject)} | {_cell(c.detail or c.summary)} |"
            )
        return "\n".join([*lines, ""])

    def github(self) -> str:
        """GitHub Actions annotations: ``::error``/``::warning``/``::notice`` per change, then
        the summary line."""
        lines = []
        for c in self.changes:
            title = _escape_property(f"{c.id} ({c.level})")
            message = _escape_data(
                f"{c.subject}{f' ({c.detail})' if c.detail else ''}: {c.summary}"
            )
            lines.append(f"::{_ANNOTATION[c.level]} title={title}::{message}")
        return "\n".join([*lines, self.summary()])

    def render(self, fmt: str) -> str:
        """The report in ``fmt`` (one of :data:`FORMATS`; JSON as indented text).

        Raises:
            ValueError: ``fmt`` is not one of :data:`FORMATS`.
        """
        if fmt == "text":
            return self.text()
        if fmt == "json":
            return json.dumps(self.to_json(), indent=2, ensure_ascii=False)
        if fmt == "markdown":
            return self.markdown()
        if fmt == "github":
            return self.github()
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
