"""Progress of a batch run on the terminal: a live panel (rich) or one line per state change.

:class:`BatchProgress` is an ``on_event`` callback for ``cannon_studio.batch``. On a terminal it
draws, several times a second, the jobs per state, the credits charged so far, the throughput
(jobs ended per second) and an ETA. Elsewhere (a pipe, a log file, ``--json``) it prints one line
per job state change on stderr and nothing else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from cannon_studio.batch import STATES, BatchEvent

from ._live import LiveDisplay, status_line_parts

__all__ = ["BatchProgress", "state_style"]

_STYLES = {
    "pending": "dim",
    "held": "magenta",
    "creating": "yellow",
    "queued": "yellow",
    "processing": "cyan",
    "downloading": "blue",
    "succeeded": "green",
    "failed": "red",
    "skipped": "bright_black",
}
_ENDED = ("succeeded", "failed", "skipped")


def state_style(state: str) -> str:
    """The rich style of a job state."""
    return _STYLES.get(state, "magenta")


class BatchProgress(LiveDisplay):
    """Counts of a running batch, drawn live or printed as state-change lines.

    Args:
        console: where to draw (stderr in the CLI, so stdout stays for results).
        live: draw the live panel (a terminal); otherwise one line per state change.
        counts: jobs per state when the run starts (a resumed run starts part-way).
        credits: credits already charged when the run starts.
        clock: monotonic clock in SECONDS.

    Thread-safe: the sync runner reports from its worker threads.
    """

    def __init__(
        self,
        console: Console,
        *,
        live: bool,
        counts: Mapping[str, int] | None = None,
        credits: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.console = console
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self.counts: dict[str, int] = dict.fromkeys(STATES, 0)
        self.counts.update(counts or {})
        self._ended_at_start = sum(self.counts[s] for s in _ENDED)
        self._credits: dict[str, int] = {}
        self._credits_at_start = credits
        self._live: Live | None = (
            Live(self, console=console, refresh_per_second=4, transient=False) if live else None
        )

    @property
    def credits(self) -> int:
        """Credits charged so far (earlier runs included)."""
        with self._lock:
            return self._credits_at_start + sum(self._credits.values())

    def __call__(self, event: BatchEvent) -> None:
        """Record one ``BatchEvent`` (use the object itself as ``on_event``)."""
        with self._lock:
            self.counts[event.previous] = max(0, self.counts.get(event.previous, 0) - 1)
            self.counts[event.state] = self.counts.get(event.state, 0) + 1
            if event.credits is not None:
                self._credits[event.job_id] = event.credits
        if self._live is None:
            self.console.print(self._line(event), highlight=False, soft_wrap=True)

    def _line(self, event: BatchEvent) -> Text:
        parts = status_line_parts(
            event.elapsed, 7, event.job_id, event.operation, event.state, state_style(event.state)
        )
        if event.request_id:
            parts += [" ", (event.request_id, "dim")]
        if event.credits is not None and event.state in ("downloading", "failed"):
            parts += [" ", (f"{event.credits} credits", "dim")]
        if event.error and event.state in ("failed", "skipped"):
            parts += [" ", (event.error, "red")]
        return Text.assemble(*parts)

    def rates(self) -> tuple[float, float | None]:
        """``(jobs ended per second in this run, ETA in SECONDS or None)``."""
        with self._lock:
            ended = sum(self.counts[s] for s in _ENDED) - self._ended_at_start
            left = sum(v for k, v in self.counts.items() if k not in (*_ENDED, "held"))
        elapsed = max(self._clock() - self._started, 1e-9)
        rate = ended / elapsed
        return rate, (left / rate if rate > 0 else None)

    def __rich__(self) -> RenderableType:
        """The live panel: a row of counts per state, then credits, throughput and ETA."""
        table = Table.grid(padding=(0, 2))
        with self._lock:
            counts = dict(self.counts)
        shown = [s for s in STATES if counts.get(s) or s in _ENDED]
        for _ in shown:
            table.add_column(justify="right")
        table.add_row(*(Text(s, style=state_style(s)) for s in shown))
        table.add_row(*(Text(str(counts.get(s, 0)), style="bold") for s in shown))
        rate, eta = self.rates()
        total = sum(counts.values())
        ended = sum(counts[s] for s in _ENDED)
        footer = Text.assemble(
            (f"{ended}/{total} ended", "bold"),
            f"  credits {self.credits}",
            f"  {rate:.1f} jobs/s",
            f"  ETA {eta:.0f} s" if eta is not None else "  ETA -",
            (f"  {self._clock() - self._started:.0f} s elapsed", "dim"),
        )
        return Group(table, footer)
