"""Following requests on the terminal: a live display (rich) or plain status-change lines.

:class:`RequestProgress` tracks one or more requests. Feed it every poll result through
:meth:`RequestProgress.update` (it is a ready-made ``on_update`` callback). On a terminal it draws
a live table (status, elapsed seconds, request id, credits) that refreshes several times a second,
so the elapsed time moves between polls. Whether live or not, every status change is also printed
as a permanent line, so logs and pipes still see ``queued -> processing -> succeeded``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from ._live import LiveDisplay, status_line_parts

__all__ = ["RequestProgress", "status_style"]

_TERMINAL = frozenset({"succeeded", "failed"})
_STYLES = {"queued": "yellow", "processing": "cyan", "succeeded": "green", "failed": "red"}


def status_style(status: str) -> str:
    """The rich style of a request status (``succeeded`` is green, ``failed`` red...)."""
    return _STYLES.get(status, "magenta")


def _credits(credits: int | None) -> str:
    if credits is None:
        return ""
    return f"{credits} credit{'' if credits == 1 else 's'}"


def _text(value: Any) -> str:
    """A status that may be a str or an enum (the generated ``RequestStatus``)."""
    return str(getattr(value, "value", value))


@dataclass
class _Row:
    request_id: str
    operation: str
    status: str
    started: float
    finished: float | None = None
    credits: int | None = None
    polls: int = 0


class RequestProgress(LiveDisplay):
    """Tracks requests and shows their progress on ``console``.

    Args:
        console: where to draw (the CLI uses a stderr console, so stdout stays clean).
        live: draw the live display (only sensible on a terminal; the CLI turns it off with
            ``--json`` or when stderr is not a TTY). Status-change lines are printed either way.
        refresh_per_second: redraws of the live display per second (elapsed time moves
            between polls).
        clock: monotonic clock in seconds (tests may pass a fake one).

    Use as a context manager around the waiting; :meth:`update` is thread-safe.
    """

    def __init__(
        self,
        console: Console,
        *,
        live: bool,
        refresh_per_second: float = 8.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.console = console
        self._clock = clock
        self._rows: dict[str, _Row] = {}
        self._lock = threading.Lock()
        self._spinner = Spinner("dots", style="cyan")
        self._live: Live | None = (
            Live(
                self,
                console=console,
                refresh_per_second=refresh_per_second,
                transient=False,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            if live
            else None
        )

    @property
    def is_live(self) -> bool:
        """Whether the live display is on."""
        return self._live is not None

    def add(self, request_id: str, operation: str, status: str) -> None:
        """Start following ``request_id`` (elapsed time counts from now) and print its status."""
        with self._lock:
            if request_id in self._rows:
                return
            row = _Row(request_id, operation, _text(status), started=self._clock())
            self._rows[request_id] = row
            if row.status in _TERMINAL:
                row.finished = row.started
        self._print_change(row)

    def update(self, handle: Any) -> None:
        """Record one poll result: a request handle or a request object (``.id``, ``.status``,
        ``.operation`` and ``.credits`` or ``.billable_credits``). Prints a line when the status
        changed. Usable directly as an ``on_update`` callback.
        """
        request_id = str(handle.id)
        status = _text(handle.status)
        credits = getattr(handle, "credits", None)
        if credits is None:
            credits = getattr(handle, "billable_credits", None)
        credits = credits if isinstance(credits, int) else None
        changed = False
        with self._lock:
            row = self._rows.get(request_id)
            if row is None:
                operation = str(getattr(handle, "operation", "") or "")
                row = _Row(request_id, operation, "", started=self._clock())
                self._rows[request_id] = row
            row.polls += 1
            if credits is not None:
                row.credits = credits
            if row.status != status:
                changed = True
                row.status = status
                if status in _TERMINAL and row.finished is None:
                    row.finished = self._clock()
        if changed:
            self._print_change(row)
        if self._live is not None:
            self._live.refresh()

    def elapsed(self, request_id: str) -> float:
        """Seconds since :meth:`add` (frozen once the request is terminal)."""
        with self._lock:
            row = self._rows[request_id]
            end = row.finished if row.finished is not None else self._clock()
            return end - row.started

    def _print_change(self, row: _Row) -> None:
        end = row.finished if row.finished is not None else self._clock()
        line = Text.assemble(
            *status_line_parts(
                end - row.started,
                6,
                row.request_id,
                row.operation,
                row.status,
                status_style(row.status),
            )
        )
        self.console.print(line, highlight=False, soft_wrap=True)

    def __rich__(self) -> RenderableType:
        """The live table: one row per request (icon, request id, operation, status, elapsed, credits)."""
        table = Table.grid(padding=(0, 1))
        now = self._clock()
        with self._lock:
            rows = list(self._rows.values())
        for row in rows:
            if row.status == "succeeded":
                icon: RenderableType = Text("✓", style="green")
            elif row.status == "failed":
                icon = Text("✗", style="red")
            else:
                icon = self._spinner
            end = row.finished if row.finished is not None else now
            table.add_row(
                icon,
                Text(row.request_id, style="bold"),
                Text(row.operation, style="blue"),
                Text(row.status or "…", style=status_style(row.status)),
                Text(f"{end - row.started:.1f} s", style="dim"),
                Text(_credits(row.credits), style="dim"),
            )
        return table
