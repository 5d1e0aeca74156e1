"""Small shared types of the public signatures (no I/O, imports nothing of the package)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Protocol, TypeAlias, final

import httpx2

__all__ = ["NOT_GIVEN", "InputData", "NotGiven", "SupportsToDict", "TimeoutTypes"]


@final
class NotGiven:
    """The type of ``NOT_GIVEN``: "argument omitted", distinct from an explicit ``None``.

    ``timeout=None`` means "no HTTP timeout"; leaving ``timeout`` out means "the client's".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
"""Sentinel default of options whose ``None`` has a meaning of its own."""


class SupportsToDict(Protocol):
    """A generated input model (``VideoGenerateInput``...): anything with ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]: ...


InputData: TypeAlias = Mapping[str, object] | SupportsToDict
"""An operation's input: a mapping in the API's JSON spelling, or the generated input model."""

TimeoutTypes: TypeAlias = float | httpx2.Timeout | None
"""An HTTP timeout: SECONDS (connect capped at 5 s), an ``httpx2.Timeout``, or ``None`` (none)."""
