"""The start/stop half of a rich ``Live`` display, shared by the CLI's progress views.

A view that subclasses ``LiveDisplay`` sets ``self._live`` to a ``rich.live.Live`` when stdout is
a terminal (``None`` otherwise, when the view prints one line per change instead) and is then a
context manager: entering starts the live display, leaving stops it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from rich.live import Live


class LiveDisplay:
    """Context-manager base: starts ``self._live`` on enter and stops it on exit (if set)."""

    _live: Live | None = None

    def __enter__(self) -> Self:
        if self._live is not None:
            self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.stop()
