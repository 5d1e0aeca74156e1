"""Durable batch runs: thousands of jobs from a JSON Lines file, chained, resumable, budgeted.

``Cannon.batch(file, out_dir)`` / ``await AsyncCannon.batch(...)`` (and ``cannon-studio batch``)
run every job of the file with bounded concurrency, wait with the client's poll policy, and
download each job's assets into ``out_dir/<job id>/``. A SQLite journal
(``out_dir/journal.sqlite``) records each job's deterministic idempotency key before its
create and every change after, so running the same command again after any stop continues
where it stopped and never creates or charges a job twice.

Files: ``_jobs`` (parse + validate the file), ``_graph`` (references, cycles, components),
``_keys`` (batch id, idempotency keys), ``_journal_base`` (the ``BatchJournal`` interface, job
rows, schema version), ``_journal`` (the SQLite journal), ``_journal_postgres`` (the
PostgreSQL journal and its driver lease), ``_lock`` (one driver per
directory, leftovers of gone writers), ``_shard`` (``K/N`` parts),
``_scheduler`` (the sans-IO state machine and budget), ``_transfer`` (files of a job),
``_runner`` (sync and async drivers), ``_report`` (report rows, summary, merging), ``_html``
(the HTML report: ``_html_source`` reads, ``_html_page`` writes the HTML, ``_previews`` makes
poster frames and waveforms with PyAV, ``_html_live`` rewrites it during a run).
"""

from __future__ import annotations

from ._errors import (
    BatchFileError,
    BatchJournalError,
    BatchLockedError,
    BatchRerunError,
    BatchStorageError,
    FileProblem,
)
from ._graph import JobGraph
from ._html import JournalReader, write_html_report
from ._html_live import LiveHtmlReport
from ._jobs import (
    Job,
    Reference,
    declared_outputs,
    jobs_from_mappings,
    load_jobs,
    parse_jobs,
)
from ._journal import Journal, SQLiteJournal, journal_location, open_journal
from ._journal_base import SCHEMA_VERSION, STATES, BatchJournal, JobRow
from ._journal_postgres import PostgresJournal
from ._keys import batch_id_for, idempotency_key
from ._previews import previews_note
from ._report import (
    JOURNAL_NAME,
    REPORT_NAME,
    BatchSummary,
    ReportRow,
    merge_reports,
    read_report,
    report_rows,
    summarize,
    write_report,
)
from ._runner import DEFAULT_CONCURRENCY, BatchStoppedError, arun_batch, run_batch
from ._scheduler import BatchEvent
from ._shard import Shard

__all__ = [
    "DEFAULT_CONCURRENCY",
    "JOURNAL_NAME",
    "REPORT_NAME",
    "SCHEMA_VERSION",
    "STATES",
    "BatchEvent",
    "BatchFileError",
    "BatchJournal",
    "BatchJournalError",
    "BatchLockedError",
    "BatchRerunError",
    "BatchStoppedError",
    "BatchStorageError",
    "BatchSummary",
    "FileProblem",
    "Job",
    "JobGraph",
    "JobRow",
    "Journal",
    "JournalReader",
    "LiveHtmlReport",
    "PostgresJournal",
    "Reference",
    "ReportRow",
    "SQLiteJournal",
    "Shard",
    "arun_batch",
    "batch_id_for",
    "declared_outputs",
    "idempotency_key",
    "jobs_from_mappings",
    "journal_location",
    "load_jobs",
    "merge_reports",
    "open_journal",
    "parse_jobs",
    "previews_note",
    "read_report",
    "report_rows",
    "run_batch",
    "summarize",
    "write_html_report",
    "write_report",
]
