"""The live view of a running batch: its HTML report, rewritten from the journal as jobs change.

``LiveHtmlReport`` is an ``on_event`` callback (``Cannon.batch(..., on_event=...)``, or the CLI's
``cannon-studio batch FILE --out DIR --html PAGE``): after a job changes state it writes the page
again, at most once per ``min_interval_s`` (longer when one write takes long, so a large batch
never spends more than a fifth of its time on the page), and the page reloads itself while jobs
are unfinished. ``close()`` writes the final page.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ._html import write_html_report
from ._journal import open_journal
from ._report import JOURNAL_NAME

__all__ = ["LiveHtmlReport"]

DEFAULT_INTERVAL_S = 2.0
"""Fewest SECONDS between two writes of the live page."""


class LiveHtmlReport:
    """Rewrite a batch's HTML report while it runs.

    Args:
        path: the page.
        out_dir: the batch's output directory (the files; the journal unless ``journal_path``).
        journal_path: the journal (a file, or a ``postgresql://`` URL), when not
            ``out_dir/journal.sqlite``.
        min_interval_s: fewest SECONDS between two writes.
        refresh_s: SECONDS between the page's own reloads while jobs are unfinished.
        clock: monotonic clock in SECONDS.

    Thread-safe (the sync runner reports from its worker threads). A write that fails (the
    journal not created yet, a full disk) is skipped; the next change tries again.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        out_dir: str | os.PathLike[str],
        *,
        journal_path: str | os.PathLike[str] | None = None,
        min_interval_s: float = DEFAULT_INTERVAL_S,
        refresh_s: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.out_dir = Path(out_dir)
        self.journal_path = os.fspath(journal_path or self.out_dir / JOURNAL_NAME)
        self.min_interval_s = min_interval_s
        self.refresh_s = refresh_s
        self._clock = clock
        self._lock = threading.Lock()
        self._next_at = 0.0
        self.writes = 0

    def write(self, *, refresh: bool = True) -> bool:
        """Write the page now; False when the journal cannot be read yet."""
        started = self._clock()
        try:
            with open_journal(self.journal_path, readonly=True) as journal:
                write_html_report(
                    journal,
                    self.path,
                    out_dir=self.out_dir,
                    refresh_s=self.refresh_s if refresh else None,
                )
        except Exception:  # the live view never stops a run
            return False
        took = self._clock() - started
        self._next_at = self._clock() + max(self.min_interval_s, 4 * took)
        self.writes += 1
        return True

    def __call__(self, event: object = None) -> None:
        """A job changed: write the page if the last write is old enough."""
        if self._clock() < self._next_at or not self._lock.acquire(blocking=False):
            return
        try:
            self.write()
        finally:
            self._lock.release()

    def close(self) -> None:
        """Write the final page (static: it no longer reloads itself)."""
        with self._lock:
            self.write(refresh=False)
