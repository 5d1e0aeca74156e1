"""What the drift engine reports: one :class:`Change` per semantic difference, and its direction.

A change is *breaking* when a client built from the old document can fail because of it. Which
way that cuts depends on the direction of the schema: narrowing what a client sends
(:data:`REQUEST`) breaks it, and so does widening what it parses (:data:`RESPONSE`). The levels
come from the check catalogue (:mod:`.checks`), which follows oasdiff's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from .checks import BREAKING, check

REQUEST = "request"
"""Direction of a schema the client sends (inputs, request headers): narrowing it breaks clients."""

RESPONSE = "response"
"""Direction of a schema the client parses (responses, webhook payloads): widening it breaks them."""


@dataclass(frozen=True)
class Change:
    """One semantic difference from an old document (e.g. the snapshot) to a new one (e.g. live).

    Attributes:
        id: the check id from :data:`~.checks.CHECKS` (e.g. ``request-property-max-decreased``).
        subject: where (e.g. ``POST /books body.title`` or ``video.generate.input.prompt``).
        detail: the values involved (e.g. ``maxLength 4000 -> 2000``), or ``""``.
    """

    id: str
    subject: str
    detail: str = ""

    @property
    def level(self) -> str:
        """``breaking``, ``warning`` or ``info`` (from the catalogue)."""
        return check(self.id).level

    @property
    def breaking(self) -> bool:
        """Whether a client built from the old document can fail because of it."""
        return self.level == BREAKING

    @property
    def summary(self) -> str:
        """The catalogue's one-line description of the check."""
        return check(self.id).summary

    def line(self) -> str:
        """The report line: ``breaking  <id>: <subject> (<detail>) -- <summary>``."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.level:<8}  {self.id}: {self.subject}{detail} -- {self.summary}"

    def to_json(self) -> dict[str, Any]:
        """The JSON form: id, level, subject, detail and summary."""
        return {
            "id": self.id,
            "level": self.level,
            "subject": self.subject,
            "detail": self.detail,
            "summary": self.summary,
        }


class Docs(NamedTuple):
    """The two documents being compared, needed to resolve ``$ref`` on each side."""

    old: Mapping[str, Any]
    new: Mapping[str, Any]
