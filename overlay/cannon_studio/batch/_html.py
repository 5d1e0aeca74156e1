"""The HTML report of a batch: one offline page with a card per job, its preview and its numbers.

``write_html_report(source, path)`` reads a batch's journal (any object with the ``Journal``
reading methods ``rows()``, ``meta()`` and ``events()``), or its ``report.jsonl`` when there is
no journal, and writes one page (pages of ``page_size`` cards for a large batch):

- a summary: jobs per state, credits, wall time, the slowest and the most expensive jobs;
- filters by state and by operation that work with JavaScript off (radio buttons and CSS
  ``:has()`` rules; one section per state, each reachable by its ``#state-<name>`` link), plus a
  few lines of plain JavaScript that count what is shown and keep the choice across a refresh;
- a card per job: the preview (the image itself; a video's poster frame with the video
  playable; an audio player with a waveform image; the text of a prompt output; a link for a 3D
  asset), the job id, operation, state, credits, seconds, request id, the error of a job that
  did not succeed, and the chain (which jobs it took values from, which jobs took from it).

The page loads nothing from the network: every link is relative to the page (to the asset
files in the output directory and to the preview images in ``<page name>_files/``), and a
Content-Security-Policy with the hashes of its own style and script forbids anything else.
Every string from the journal is escaped: job ids, prompts and errors stay text.

Large runs stay usable: cards come in pages of ``page_size`` (500) files, ordered by state so
each state's summary link leads to where its cards start; media load lazily
(``loading="lazy"``, ``preload="none"``), and cards off screen are neither laid out nor painted
(``content-visibility: auto``).

Files: ``_html_source`` (reading the sources), ``_html_page`` (the HTML), ``_previews`` (poster
frames and waveforms), ``_html_live`` (the live view).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from ._html_page import DEFAULT_PAGE_SIZE, PageSet
from ._html_source import JournalReader, Source, load_batch
from ._previews import PreviewCache, previews_note

__all__ = ["DEFAULT_PAGE_SIZE", "JournalReader", "write_html_report"]


def write_html_report(
    source: Source | Sequence[Source],
    path: str | os.PathLike[str],
    *,
    out_dir: str | os.PathLike[str] | None = None,
    title: str | None = None,
    previews: bool = True,
    refresh_s: float | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Path:
    """Write the HTML report of a batch: an offline page, a card per job with its preview.

    Reads the journal (or ``report.jsonl``), never the API. Poster frames and waveforms are
    made with PyAV (the ``[report]`` extra) into ``<page name>_files/`` beside the page, once per
    media file; without PyAV the page says so in one sentence and shows the players alone.

    Args:
        source: a batch output directory (its journal is read, or its ``report.jsonl`` when it
            has none), a journal file (``.sqlite``), a ``report.jsonl``, or an open journal of
            any backend (an object with ``rows()``, ``meta()`` and ``events()``, see
            ``JournalReader``); or a list of them (the shards of one batch: a job in two of
            them keeps the row furthest along, as in ``merge_reports``).
        path: the page to write (its directory is created; each file is replaced atomically).
        out_dir: the directory holding the jobs' files (``<job id>/<name>``); default: the
            directory of the journal or report.
        title: the page title (default: ``batch <batch id>``).
        previews: False to make no poster frames or waveforms.
        refresh_s: while some jobs are unfinished, the page reloads itself every this many
            SECONDS (the live view rewrites it on each change); None for a static page.
        page_size: cards per page; a larger batch also gets ``<stem>-2<suffix>``,
            ``<stem>-3<suffix>``... beside ``path``, linked from every page (cards ordered by
            state, then file order).

    Returns:
        The path of the first page.

    Raises:
        BatchJournalError: ``source`` holds no journal or report, or an unreadable one.
        ValueError: no source, a ``page_size`` below 1, or a journal object without a ``path``
            and no ``out_dir``.
        OSError: a page cannot be written.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    sources: list[Source] = (
        [source] if isinstance(source, str | os.PathLike | JournalReader) else list(source)
    )
    batch = load_batch(sources, None if out_dir is None else Path(out_dir))
    page = Path(path)
    page.parent.mkdir(parents=True, exist_ok=True)
    cache = PreviewCache(page.parent.resolve() / f"{page.stem}_files", enabled=previews)
    note = previews_note() if previews else None
    name = title or f"batch {batch.meta.get('batch_id') or batch.out_dir.name}"
    written = set()
    for file_name, text in PageSet(batch, page, cache, page_size).render_all(
        title=name, refresh_s=refresh_s, note=note
    ):
        target = page.with_name(file_name)
        tmp = target.with_name(f".{file_name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        written.add(file_name)
    # The further pages of an earlier, longer report would show jobs twice: remove them.
    for old in page.parent.glob(f"{glob.escape(page.stem)}-*{glob.escape(page.suffix)}"):
        number = old.name[len(page.stem) + 1 : len(old.name) - len(page.suffix)]
        if number.isdigit() and old.name not in written:
            old.unlink(missing_ok=True)
    return page
