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
poster frames and waveforms with PyAV, ``_html_live`` rewrites it during a run),
``_storage`` (outputs to object storage: ``ObjectStore``), ``_html_store`` (the HTML report
under an object-store prefix), ``_client_protocol`` (what a run needs of a client:
``BatchClient`` / ``AsyncBatchClient``),
``_outcomes`` (what a job's steps report to), ``_submit`` (``submit_batch``: a file loaded
line by line into a shared PostgreSQL journal), ``_claims`` (per-job claims, leases and the
shared budget), ``_worker`` (``run_worker`` / ``arun_worker``: one of many workers on that
journal).

``__all__`` holds the public names. The internals that were once exported here (the journal,
the job graph, key derivation, report writing...) still import from here with a
``DeprecationWarning``; import them from their module if you must.
"""

from __future__ import annotations

import warnings
from typing import Any

from . import _graph, _html_live, _jobs, _keys, _previews, _report
from ._client_protocol import AsyncBatchClient, BatchClient
from ._errors import (
    BatchFileError,
    BatchJournalError,
    BatchLockedError,
    BatchRerunError,
    BatchStorageError,
    FileProblem,
)
from ._html import JournalReader, write_html_report
from ._html_store import write_html_report_to_store
from ._jobs import Job, example_pipeline, load_jobs
from ._journal import Journal, SQLiteJournal, journal_location, open_journal
from ._journal_base import SCHEMA_VERSION, STATES, BatchJournal, JobRow
from ._journal_postgres import PostgresJournal
from ._report import JOURNAL_NAME, REPORT_NAME, BatchSummary, ReportRow, merge_reports, read_report
from ._runner import DEFAULT_CONCURRENCY, BatchStoppedError, arun_batch, run_batch
from ._scheduler import BatchEvent
from ._shard import Shard
from ._storage import ObjectStore
from ._submit import SubmitSummary, submit_batch
from ._worker import WorkerSummary, arun_worker, run_worker

__all__ = [
    "DEFAULT_CONCURRENCY",
    "JOURNAL_NAME",
    "REPORT_NAME",
    "SCHEMA_VERSION",
    "STATES",
    "AsyncBatchClient",
    "BatchClient",
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
    "JobRow",
    "Journal",
    "JournalReader",
    "ObjectStore",
    "PostgresJournal",
    "ReportRow",
    "SQLiteJournal",
    "Shard",
    "SubmitSummary",
    "WorkerSummary",
    "arun_batch",
    "arun_worker",
    "example_pipeline",
    "journal_location",
    "load_jobs",
    "merge_reports",
    "open_journal",
    "read_report",
    "run_batch",
    "run_worker",
    "submit_batch",
    "write_html_report",
    "write_html_report_to_store",
]

_INTERNAL = {
    "JobGraph": _graph,
    "Reference": _jobs,
    "declared_outputs": _jobs,
    "jobs_from_mappings": _jobs,
    "parse_jobs": _jobs,
    "batch_id_for": _keys,
    "idempotency_key": _keys,
    "report_rows": _report,
    "summarize": _report,
    "write_report": _report,
    "LiveHtmlReport": _html_live,
    "previews_note": _previews,
}
"""Internals this package exported before it kept ``__all__`` to the public names."""


def __getattr__(name: str) -> Any:
    module = _INTERNAL.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"cannon_studio.batch.{name} is internal and will be removed from cannon_studio.batch; "
        f"import it from {module.__name__} if you must",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(module, name)
