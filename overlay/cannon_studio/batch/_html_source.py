"""What the HTML report reads: a batch's jobs from its journal (any backend) or its report.

``load_batch(sources)`` turns one or more sources (output directories, journal files,
``report.jsonl`` files, open journals) into ``ReportBatch``: the jobs with their files, text
output and chains, the journal's meta and the span of its history. Reading only: the journal is
opened read-only, nothing is sent anywhere.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ._errors import BatchJournalError
from ._journal import REFERENCES_META, STATES, JobRow, Journal
from ._report import JOURNAL_NAME, REPORT_NAME, ReportRow, read_report, report_row

__all__ = ["JournalReader", "ReportBatch", "ReportJob", "Source", "load_batch"]


@runtime_checkable
class JournalReader(Protocol):
    """What the page reads of a journal: ``Journal`` has it, and so has any other backend.

    ``rows()`` every job by id in file order; ``meta()`` the batch's entries (``batch_id``,
    ``shard``, ``source``, ``references``); ``events()`` the change history, oldest first
    (dicts with ``at`` in Unix SECONDS, ``job_id``, ``state``).
    """

    def rows(self) -> Mapping[str, JobRow]: ...

    def meta(self) -> dict[str, str]: ...

    def events(self, limit: int | None = None) -> list[dict[str, Any]]: ...


Source = str | os.PathLike[str] | JournalReader
"""One source of a report: an output directory, a journal file, a report.jsonl, a journal."""


@dataclass
class ReportJob:
    """One card's facts, from a journal row or a report line."""

    id: str
    operation: str
    state: str
    credits: int | None
    seconds: float | None
    request_id: str | None
    error: str | None
    attempt: int
    files: list[tuple[str, int | None]]
    root: Path
    text: str | None = None
    takes: list[tuple[str, str, str]] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


@dataclass
class ReportBatch:
    """What one source holds; ``span`` is the first and last change (Unix SECONDS)."""

    jobs: list[ReportJob]
    meta: dict[str, str]
    span: tuple[float, float] | None
    out_dir: Path
    chains_known: bool


_TEXT_SKIP = frozenset({"status", "operation", "model", "provider", "asset_type", "task_id"})


def _text_output(output: Mapping[str, Any] | None) -> str | None:
    """The longest plain-text value of an output (a prompt output's text); URLs are left out."""
    if not output:
        return None
    texts = [
        value
        for key, value in output.items()
        if isinstance(value, str)
        and key not in _TEXT_SKIP
        and "://" not in value
        and len(value.split()) > 1
    ]
    return max(texts, key=len) if texts else None


def _job(row: ReportRow, root: Path, text: str | None = None) -> ReportJob:
    return ReportJob(
        id=row.id,
        operation=row.operation,
        state=row.state,
        credits=row.credits,
        seconds=row.seconds,
        request_id=row.request_id,
        error=row.error,
        attempt=row.attempt,
        files=[(str(f.get("path", "")), f.get("bytes")) for f in row.files],
        root=root,
        text=text,
    )


def _span(events: Sequence[Mapping[str, Any]]) -> tuple[float, float] | None:
    times = [float(e["at"]) for e in events if isinstance(e.get("at"), int | float)]
    return (min(times), max(times)) if times else None


def _link_chains(jobs: Sequence[ReportJob], meta: Mapping[str, str]) -> bool:
    """Fill ``takes``/``feeds`` from the journal's references entry; False when it has none."""
    text = meta.get(REFERENCES_META)
    if text is None:
        return False
    try:
        references = json.loads(text)
    except ValueError:
        return False
    if not isinstance(references, dict):
        return False
    by_id = {job.id: job for job in jobs}
    for job in jobs:
        for item in references.get(job.id) or ():
            if not (
                isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item)
            ):
                continue
            source, output, input_field = item
            job.takes.append((source, output, input_field))
            if source in by_id and job.id not in by_id[source].feeds:
                by_id[source].feeds.append(job.id)
    return True


def _from_journal(journal: JournalReader, out_dir: Path) -> ReportBatch:
    meta = journal.meta()
    root = out_dir.resolve()
    jobs = [
        _job(report_row(row), root, _text_output(row.output)) for row in journal.rows().values()
    ]
    chains = _link_chains(jobs, meta)
    return ReportBatch(jobs, meta, _span(journal.events()), out_dir, chains)


def _load_one(source: Source, out_dir: Path | None) -> ReportBatch:
    if isinstance(source, JournalReader):
        default = getattr(source, "path", None)
        base = out_dir or (Path(default).parent if default is not None else None)
        if base is None:
            raise ValueError("out_dir is required with a journal that has no path")
        return _from_journal(source, base)
    path = Path(source)
    journal_path = path / JOURNAL_NAME if path.is_dir() else path
    if journal_path.suffix == ".sqlite" and journal_path.is_file():
        with Journal(journal_path, readonly=True) as journal:
            return _from_journal(journal, out_dir or journal_path.parent)
    report = path / REPORT_NAME if path.is_dir() else path
    if not report.is_file():
        raise BatchJournalError(f"no journal or {REPORT_NAME} at {path}")
    try:
        rows = read_report(report)
    except (ValueError, KeyError, TypeError) as exc:
        raise BatchJournalError(f"{report} is not a batch report ({exc})") from None
    base = out_dir or report.parent
    jobs = [_job(r, base.resolve()) for r in rows]
    return ReportBatch(jobs, {}, None, base, False)


def _merge(batches: Sequence[ReportBatch]) -> ReportBatch:
    """Several sources (the shards of one batch) as one: a job in two of them keeps the row
    furthest along, as ``merge_reports`` does."""
    if len(batches) == 1:
        return batches[0]
    rank = {state: n for n, state in enumerate(STATES)}
    jobs: dict[str, ReportJob] = {}
    for batch in batches:
        for job in batch.jobs:
            old = jobs.get(job.id)
            if old is None or rank.get(job.state, -1) > rank.get(old.state, -1):
                jobs[job.id] = job
    spans = [b.span for b in batches if b.span is not None]
    meta = dict(batches[0].meta)
    shards = sorted({b.meta.get("shard", "") for b in batches} - {""})
    if shards:
        meta["shard"] = ", ".join(shards)
    return ReportBatch(
        list(jobs.values()),
        meta,
        (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None,
        batches[0].out_dir,
        any(b.chains_known for b in batches),
    )


def load_batch(sources: Sequence[Source], out_dir: Path | None) -> ReportBatch:
    """Read every source (see ``write_html_report``) and merge them into one batch.

    Raises:
        BatchJournalError: a source holds no journal or report, or an unreadable one.
        ValueError: no source, or a journal object without a ``path`` and no ``out_dir``.
    """
    if not sources:
        raise ValueError("no source given")
    return _merge([_load_one(source, out_dir) for source in sources])
