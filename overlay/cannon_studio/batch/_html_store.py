"""The HTML report of a batch whose output is in object storage (``--out s3://bucket/prefix``).

The page is written where its links work: under the prefix, beside the job folders, as
``PREFIX/report.html`` (and ``report-2.html``... for a large batch), its poster frames and
waveforms in ``PREFIX/report_files/``. Every asset link is relative (``<job id>/<name>``), so the
page works when the prefix is served (a static website endpoint, a CDN, presigned access by
prefix) or copied to a disk (``aws s3 sync s3://bucket/prefix runs/x``), and it loads nothing
else. The page is built in a private temporary directory with ``write_html_report`` (the same
page as for a local directory), then uploaded; each of its objects is replaced whole.

Previews need the media bytes: each video and audio file is downloaded from the store once, into
the temporary directory, to make its poster frame or waveform (``previews=False`` skips that).
Images are linked, never downloaded. Reads the journal (or the store's ``report.jsonl``), never
the API.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from ._errors import BatchJournalError
from ._html import write_html_report
from ._html_page import AUDIO_SUFFIXES, DEFAULT_PAGE_SIZE, VIDEO_SUFFIXES
from ._html_source import Source, load_batch
from ._report import REPORT_NAME
from ._storage import ObjectStore, staging_dir

__all__ = ["DEFAULT_PAGE_NAME", "write_html_report_to_store"]

DEFAULT_PAGE_NAME = "report.html"
"""The page's name under the prefix unless told otherwise."""


def _safe_relative(relative: str) -> PurePosixPath | None:
    """A report path (``<job id>/<name>``) that stays under the prefix, else None (pure)."""
    path = PurePosixPath(relative)
    if not relative or path.is_absolute() or ".." in path.parts or "\x00" in relative:
        return None
    return path


def _fetch_media(store: ObjectStore, stage: Path, sources: Sequence[Source]) -> None:
    """Download the video and audio files the report names into ``stage`` (for previews)."""
    batch = load_batch(sources, stage)
    for job in batch.jobs:
        for relative, _ in job.files:
            path = _safe_relative(relative)
            if path is None or path.suffix.lower() not in VIDEO_SUFFIXES | AUDIO_SUFFIXES:
                continue
            local = stage.joinpath(*path.parts)
            local.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                store.get_file(store.key(path.as_posix()), local)


def write_html_report_to_store(
    store: ObjectStore,
    source: Source | None = None,
    *,
    page: str = DEFAULT_PAGE_NAME,
    title: str | None = None,
    previews: bool = True,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> str:
    """Write the HTML report of a batch into its object-store output; the first page's URL.

    Args:
        store: the batch's output (``ObjectStore("s3://bucket/prefix")``).
        source: the run's journal (a ``.sqlite`` path, or an open journal of any backend), or
            None to read the store's ``report.jsonl``.
        page: the first page's name under the prefix (a plain file name, ``report.html``).
        title: the page title (default: ``batch <batch id>``).
        previews: False to make no poster frames or waveforms (and download no media).
        page_size: cards per page, as for ``write_html_report``.

    Returns:
        ``s3://bucket/prefix/<page>``.

    Raises:
        ValueError: ``page`` is not a plain ``.html`` file name.
        BatchJournalError: no journal given and no ``report.jsonl`` under the prefix.
        BatchStorageError: the store refused a read or a write.
    """
    name = PurePosixPath(page)
    if name.name != page or name.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"the page under {store} is a plain .html file name, not {page!r}")
    with staging_dir() as stage, staging_dir() as inputs:
        if source is None:
            text = store.read_text(REPORT_NAME)
            if text is None:
                raise BatchJournalError(f"no journal given and no {REPORT_NAME} at {store}")
            source = inputs / REPORT_NAME
            source.write_text(text, encoding="utf-8")
        if previews:
            _fetch_media(store, stage, [source])
        first = write_html_report(
            source, stage / page, out_dir=stage, title=title, previews=previews, page_size=page_size
        )
        written = {first.name}
        for extra in stage.glob(f"{first.stem}-*{first.suffix}"):
            written.add(extra.name)
        for page_file in sorted(written):
            store.put_file(stage / page_file, page_file)
        files_dir = stage / f"{first.stem}_files"
        if files_dir.is_dir():
            for preview in sorted(files_dir.rglob("*")):
                if preview.is_file():
                    store.put_file(preview, preview.relative_to(stage).as_posix())
        store.remove_stale_pages(first.stem, first.suffix, keep=written)
    return f"{store.url}/{page}"
