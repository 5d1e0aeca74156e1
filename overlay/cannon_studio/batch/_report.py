"""The report of a batch: one row per job, the summary, ``report.jsonl``, merging shards."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._journal import Journal
from ._journal_base import STATES, BatchJournal, JobRow
from ._lock import writer_gone

__all__ = [
    "BatchSummary",
    "ReportRow",
    "merge_reports",
    "read_report",
    "remove_stale_report_files",
    "report_row",
    "report_rows",
    "summarize",
    "write_report",
]

REPORT_NAME = "report.jsonl"
JOURNAL_NAME = "journal.sqlite"

EXIT_OK = 0
EXIT_UNFINISHED = 1
EXIT_BAD_FILE = 2
EXIT_UNREACHABLE = 3
EXIT_STORAGE = 5
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class ReportRow:
    """One line of ``report.jsonl``.

    Attributes:
        id: the job id.
        operation: the operation id.
        request_id: the API's request id, once created.
        state: the job's state (see ``STATES``).
        credits: the request's ``billableCredits``.
        seconds: the request's ``completedAtMs - createdAtMs``, in SECONDS.
        files: ``[{"path": "<job id>/<name>", "bytes": n}]``, relative to the output directory.
        error: why it failed, was skipped or is unfinished.
        attempt: 1, then 2... with ``retry_failed``.
        idempotency_key: the key of the attempt's create.
    """

    id: str
    operation: str
    request_id: str | None
    state: str
    credits: int | None
    seconds: float | None
    files: list[dict[str, Any]]
    error: str | None
    attempt: int = 1
    idempotency_key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (one ``report.jsonl`` line)."""
        return {
            "id": self.id,
            "operation": self.operation,
            "request_id": self.request_id,
            "state": self.state,
            "credits": self.credits,
            "seconds": self.seconds,
            "files": self.files,
            "error": self.error,
            "attempt": self.attempt,
            "idempotency_key": self.idempotency_key,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportRow:
        """Parse a ``report.jsonl`` line (unknown keys are ignored)."""
        return cls(
            id=str(data["id"]),
            operation=str(data.get("operation", "")),
            request_id=data.get("request_id"),
            state=str(data.get("state", "")),
            credits=data.get("credits"),
            seconds=data.get("seconds"),
            files=list(data.get("files") or []),
            error=data.get("error"),
            attempt=int(data.get("attempt") or 1),
            idempotency_key=data.get("idempotency_key"),
        )


def report_row(row: JobRow) -> ReportRow:
    """A journal row as a report row (files as paths relative to the output directory)."""
    return ReportRow(
        id=row.id,
        operation=row.operation,
        request_id=row.request_id,
        state=row.state,
        credits=row.credits,
        seconds=None if row.seconds is None else round(row.seconds, 3),
        files=[{"path": f"{row.id}/{f['name']}", "bytes": f["bytes"]} for f in row.files],
        error=row.error,
        attempt=row.attempt,
        idempotency_key=row.idempotency_key,
    )


def report_rows(journal: BatchJournal) -> list[ReportRow]:
    """Every job of a journal as a report row, in file order."""
    return [report_row(row) for row in journal.rows().values()]


def write_report(rows: Iterable[ReportRow], path: Path) -> Path:
    """Write ``report.jsonl`` atomically (temporary file, then rename); return its path.

    The temporary file is ``.<name>.<pid>.tmp`` beside ``path``; a failed write removes it (a
    killed writer's is removed by ``remove_stale_report_files`` on the next run).

    Raises:
        OSError: the file could not be written (full disk, read-only directory).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def remove_stale_report_files(directory: Path, name: str = REPORT_NAME) -> list[Path]:
    """Remove the temporary files a killed ``write_report`` left in ``directory``
    (``.<name>.<pid>.tmp`` of a process that is gone); return those removed."""
    removed: list[Path] = []
    for tmp in directory.glob(f".{name}.*.tmp"):
        pid = tmp.name[len(name) + 2 : -len(".tmp")]
        if pid.isdigit() and writer_gone(int(pid), tmp):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


def read_report(path: Path) -> list[ReportRow]:
    """Read a ``report.jsonl`` (or, given a directory, its journal; the journal wins when both
    exist, since it is current while a run is going)."""
    if path.is_dir():
        journal_path = path / JOURNAL_NAME
        if journal_path.is_file():
            with Journal(journal_path, readonly=True) as journal:
                return report_rows(journal)
        path = path / REPORT_NAME
    if path.suffix == ".sqlite":
        with Journal(path, readonly=True) as journal:
            return report_rows(journal)
    with path.open(encoding="utf-8") as handle:
        return [ReportRow.from_dict(json.loads(line)) for line in handle if line.strip()]


def merge_reports(reports: Sequence[Sequence[ReportRow]]) -> list[ReportRow]:
    """Rows of several shards' reports as one (by job id; a job in two reports keeps the row
    furthest along: succeeded > failed > skipped > ... > pending)."""
    rank = {state: n for n, state in enumerate(STATES)}
    merged: dict[str, ReportRow] = {}
    for rows in reports:
        for row in rows:
            old = merged.get(row.id)
            if old is None or rank.get(row.state, -1) > rank.get(old.state, -1):
                merged[row.id] = row
    return list(merged.values())


@dataclass
class BatchSummary:
    """Counts of a batch (or of merged shards).

    Attributes:
        jobs: number of jobs.
        counts: jobs per state (every state listed, zeros included).
        credits: credits charged (sum of ``billableCredits``).
        held: jobs the budget held back.
        unfinished: jobs started and not ended (resume them by running again).
        interrupted: the run was stopped by Ctrl-C.
        error: why the run stopped early, if it did.
        elapsed_s: SECONDS the run took (0 for a report read from disk).
        storage_error: the run stopped because local storage refused a write (full disk,
            read-only directory, journal not writable).
    """

    jobs: int
    counts: dict[str, int]
    credits: int
    held: int
    unfinished: int
    interrupted: bool = False
    error: str | None = None
    elapsed_s: float = 0.0
    out_dirs: list[str] = field(default_factory=list)
    storage_error: bool = False

    @property
    def ok(self) -> bool:
        """Every job succeeded."""
        return self.counts.get("succeeded", 0) == self.jobs and self.error is None

    @property
    def exit_code(self) -> int:
        """0 all succeeded, 1 some failed/skipped/held/unfinished, 3 the API could not be
        reached (or refused the key), 5 local storage refused a write, 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.storage_error:
            return EXIT_STORAGE
        if self.error is not None:
            return EXIT_UNREACHABLE
        return EXIT_OK if self.ok else EXIT_UNFINISHED

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``--json``)."""
        return {
            "jobs": self.jobs,
            "counts": self.counts,
            "credits": self.credits,
            "held": self.held,
            "unfinished": self.unfinished,
            "interrupted": self.interrupted,
            "error": self.error,
            "elapsed_s": round(self.elapsed_s, 3),
            "exit_code": self.exit_code,
            "out_dirs": self.out_dirs,
        }


def summarize(rows: Sequence[ReportRow], **extra: Any) -> BatchSummary:
    """The summary of report rows (``extra``: interrupted, error, elapsed_s, out_dirs)."""
    counts = dict.fromkeys(STATES, 0)
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    unfinished = sum(counts[s] for s in ("creating", "queued", "processing", "downloading"))
    return BatchSummary(
        jobs=len(rows),
        counts=counts,
        credits=sum(row.credits or 0 for row in rows),
        held=counts["held"],
        unfinished=unfinished,
        **extra,
    )
