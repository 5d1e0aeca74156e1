"""What the drift engine reports: one :class:`Change` per semantic difference, and its direction.

A change is *breaking* when a client built from the old document can fail because of it. Which
way that cuts depends on the direction of the schema: narrowing what a client sends
(:data:`REQUEST`) breaks it, and so does widening what it parses (:data:`RESPONSE`). The rules
follow oasdiff's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

REQUEST = "request"
"""Direction of a schema the client sends (inputs, request headers): narrowing it breaks clients."""

RESPONSE = "response"
"""Direction of a schema the client parses (responses, webhook payloads): widening it breaks them."""


@dataclass(frozen=True)
class Change:
    """One semantic difference from an old document (e.g. the snapshot) to a new one (e.g. live).

    ``kind`` says what changed (e.g. ``operation removed``), ``subject`` where (e.g.
    ``video.generate.input.prompt``), ``detail`` the values involved, ``breaking`` whether a
    client built from the old document can fail because of it, and ``reason`` why.
    """

    kind: str
    subject: str
    breaking: bool
    reason: str
    detail: str = ""

    def line(self) -> str:
        """The report line: ``BREAKING  kind: subject (detail) -- reason``."""
        head = "BREAKING" if self.breaking else "non-breaking"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{head}  {self.kind}: {self.subject}{detail} -- {self.reason}"


class Docs(NamedTuple):
    """The two documents being compared, needed to resolve ``$ref`` on each side."""

    old: Mapping[str, Any]
    new: Mapping[str, Any]
