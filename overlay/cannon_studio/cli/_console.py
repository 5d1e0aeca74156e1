"""The output mode: rich consoles for a terminal, or plain unwrapped lines for a pipe or file."""

from __future__ import annotations

import io
import sys
from typing import IO, Any, cast

from rich.console import Console

__all__ = ["PLAIN_WIDTH", "make_console"]

PLAIN_WIDTH = 10_000
"""Columns given to rich when the output is not a terminal: nothing is wrapped."""


class _PlainLines(io.TextIOBase):
    """A text stream for rich when the output is a pipe or file: trailing spaces (rich's cell
    padding) are cut from each line; the lines go to ``sys.stdout``/``sys.stderr`` as they are
    at write time."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._pending = ""

    def _target(self) -> Any:
        return sys.stderr if self._stderr else sys.stdout

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        if lines:
            self._target().write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target().write(self._pending)
            self._pending = ""
        self._target().flush()


def make_console(*, stderr: bool = False) -> Console:
    """A rich console: as rich sets it up on a terminal; otherwise no wrapping (very wide) and
    no trailing padding, so piped output (asset URLs, JSON-like values) stays whole."""
    console = Console(stderr=stderr, highlight=False)
    if console.is_terminal:
        return console
    plain = cast(IO[str], _PlainLines(stderr=stderr))
    return Console(file=plain, width=PLAIN_WIDTH, highlight=False)
