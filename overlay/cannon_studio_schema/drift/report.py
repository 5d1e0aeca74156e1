"""A drift report: the changes between two schemas, as text lines, JSON and an exit status."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .changes import Change

NO_DRIFT = "no drift"
"""The last line of a report without changes."""


@dataclass(frozen=True)
class DriftReport:
    """The outcome of comparing an old schema with a new one.

    Attributes:
        old: where the old document came from (a path, a URL, or the installed snapshot).
        new: where the new document came from.
        changes: the semantic changes, breaking first (empty when the schemas are the same).
    """

    old: str
    new: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> int:
        """How many changes can break a client built from the old schema."""
        return sum(c.breaking for c in self.changes)

    @property
    def drift(self) -> bool:
        """Whether the schemas differ at all."""
        return bool(self.changes)

    @property
    def exit_code(self) -> int:
        """0 when the schemas are the same, 1 on drift (2, unavailable, is raised, not reported)."""
        return 1 if self.drift else 0

    def change_lines(self) -> list[str]:
        """One ``BREAKING  kind: subject (detail) -- reason`` line per change, or
        ``schema: no changes``."""
        return [c.line() for c in self.changes] or ["schema: no changes"]

    def summary(self) -> str:
        """``no drift``, or ``drift: N breaking and M non-breaking schema change(s)``."""
        if not self.drift:
            return NO_DRIFT
        return (
            f"drift: {self.breaking} breaking and {len(self.changes) - self.breaking} "
            "non-breaking schema change(s)"
        )

    def text(self) -> str:
        """The human report: a header, the change lines, and the summary as the last line."""
        return "\n".join(
            [f"schema: {self.new} compared with {self.old}", *self.change_lines(), self.summary()]
        )

    def to_json(self) -> dict[str, Any]:
        """The machine-readable report (``--json``)."""
        return {
            "old": self.old,
            "new": self.new,
            "drift": self.drift,
            "exit_code": self.exit_code,
            "breaking": self.breaking,
            "non_breaking": len(self.changes) - self.breaking,
            "changes": [asdict(c) for c in self.changes],
        }
