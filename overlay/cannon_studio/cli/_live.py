"""What the CLI's two progress views (requests, batch jobs) share: the start/stop half of a rich
``Live`` display, and the start of the status line each prints when it is not live.

A view that subclasses ``LiveDisplay`` sets ``self._live`` to a ``rich.live.Live`` when stdout is
a terminal (``None`` otherwise, when the view prints one line per change instead) and is then a
context manager: entering starts the live display, leaving stops it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from rich.live import Live

__all__ = ["LiveDisplay", "status_line_parts"]

TextPart = str | tuple[str, str]
"""One piece of ``rich.text.Text.assemble``: plain text, or ``(text, style)``."""


def status_line_parts(
    seconds: float, width: int, name: str, operation: str, state: str, style: str
) -> list[TextPart]:
    """The start of one status line: ``  12.3s clip-1 video.generate running``.

    Args:
        seconds: time since the request or job started, in SECONDS (one decimal).
        width: columns the seconds are right-aligned in.
        name: the request id or job id (bold).
        operation: the operation id (blue).
        state: the request status or job state.
        style: the rich style of ``state``.

    Returns:
        Parts for ``rich.text.Text.assemble``; a caller may append more.
    """
    return [
        (f"{seconds:{width}.1f}s ", "dim"),
        (name, "bold"),
        " ",
        (operation, "blue"),
        " ",
        (state, style),
    ]


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
