"""What every batch journal is: the job states, one job's row, and the interface the runner,
``batch status`` and ``batch report`` use (``BatchJournal``), whatever holds the data.

The SQLite file (``_journal.SQLiteJournal``) is the embedded default. A backend keeps a
versioned schema and refuses a journal of another version (``check_schema_version``) rather
than guess a migration.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, runtime_checkable

from ._errors import BatchJournalError

__all__ = [
    "COLUMNS",
    "JOBS_TABLE_COLUMNS",
    "REFERENCES_META",
    "SCHEMA_VERSION",
    "STATES",
    "UPDATABLE",
    "BatchJournal",
    "JobRow",
    "check_schema_version",
    "sql_value",
]

SCHEMA_VERSION = 1
"""Format of the journal tables. A journal of another format is refused, never rewritten: a
newer one was written by a newer cannon-studio; an older one has no migration yet."""

REFERENCES_META = "references"
"""The ``meta`` entry with the batch's chains, JSON ``{job id: [[from job id, output field,
input field], ...]}`` for every job that takes values from others (readers of the journal
alone, such as the HTML report, show the chains from it)."""

STATES = (
    "pending",
    "held",
    "creating",
    "queued",
    "processing",
    "downloading",
    "succeeded",
    "failed",
    "skipped",
)
"""Job states, in the order a job normally passes through them.

``pending``: not started (waiting for a slot or for the jobs it takes values from);
``held``: not created because the credit budget was reached; ``creating``: the create is (or
may have been) sent, its key is journaled; ``queued``/``processing``: the request exists (its id
is journaled); ``downloading``: the request succeeded, its files are being fetched;
``succeeded``: request succeeded and every file is on disk; ``failed``: the request failed or its
create was refused; ``skipped``: a job it takes values from failed or was skipped.
"""

COLUMNS = (
    "id",
    "seq",
    "line",
    "operation",
    "content_hash",
    "state",
    "attempt",
    "idempotency_key",
    "request_id",
    "credits",
    "seconds",
    "output",
    "error",
    "files",
    "updated_at",
)
UPDATABLE = frozenset(COLUMNS) - {"id", "seq", "line", "operation"}


@dataclass
class JobRow:
    """One job as the journal holds it.

    Attributes:
        id: the job id.
        seq: position in the file.
        line: the line number in the file.
        operation: the operation id.
        content_hash: the hash of the job's content.
        state: the job's state (see ``STATES``).
        attempt: 1, then 2... with ``retry_failed``.
        idempotency_key: the key of the attempt's create.
        request_id: the API's request id, once created.
        credits: the request's ``billableCredits``.
        seconds: the request's ``completedAtMs - createdAtMs``, in SECONDS.
        output: the output, in JSON form.
        error: why it failed (text).
        files: ``[{"name", "bytes"}]``.
        updated_at: Unix time of the last change, in SECONDS.
    """

    id: str
    seq: int
    line: int
    operation: str
    content_hash: str
    state: str = "pending"
    attempt: int = 1
    idempotency_key: str | None = None
    request_id: str | None = None
    credits: int | None = None
    seconds: float | None = None
    output: dict[str, Any] | None = None
    error: str | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    updated_at: float = 0.0

    @classmethod
    def from_sql(cls, values: tuple[Any, ...]) -> JobRow:
        data = dict(zip(COLUMNS, values, strict=True))
        data["output"] = json.loads(data["output"]) if data["output"] else None
        data["files"] = json.loads(data["files"]) if data["files"] else []
        return cls(**data)


JOBS_TABLE_COLUMNS = """
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    line INTEGER NOT NULL,
    operation TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 1,
    idempotency_key TEXT,
    request_id TEXT,
    credits INTEGER,
    seconds DOUBLE PRECISION,
    output TEXT,
    error TEXT,
    files TEXT,
    updated_at DOUBLE PRECISION NOT NULL,
    detail TEXT
"""
"""The jobs table's columns as SQL both backends read (``DOUBLE PRECISION`` is SQLite's REAL):
``COLUMNS`` plus ``detail``, the text of the change's event."""


def sql_value(name: str, value: Any) -> Any:
    """A column's value as stored: ``output`` and ``files`` as compact JSON text (pure)."""
    if name in ("output", "files"):
        return None if value is None else json.dumps(value, separators=(",", ":"))
    return value


def check_schema_version(found: str | None, location: str) -> None:
    """Refuse a journal whose schema version is not ``SCHEMA_VERSION`` (pure).

    Args:
        found: the version the journal records (``None``: a new, empty journal).
        location: where the journal is, for the message.

    Raises:
        BatchJournalError: another version, or not a version at all.
    """
    if found is None or found == str(SCHEMA_VERSION):
        return
    if not found.isdigit():
        raise BatchJournalError(f"{location} is not a batch journal (schema version {found!r})")
    if int(found) > SCHEMA_VERSION:
        raise BatchJournalError(
            f"{location} was written by a newer cannon-studio (journal format {found}, this "
            f"one reads {SCHEMA_VERSION}); resume it with that version"
        )
    raise BatchJournalError(
        f"{location} has journal format {found}, older than this cannon-studio's "
        f"{SCHEMA_VERSION}, and no migration is known; resume it with the version that wrote it"
    )


@runtime_checkable
class BatchJournal(Protocol):
    """A batch journal: the jobs' rows, the batch's ``meta`` and the change history.

    The runner writes every change here before acting on it; ``batch status`` and ``batch
    report`` read it while a run is going. Each write method is one transaction (changes
    written with ``update(..., durable=False)`` may share one). Implementations:
    ``SQLiteJournal`` (a file beside the outputs), ``PostgresJournal`` (a database any machine
    can reach).

    Attributes:
        location: where the journal is, for messages (a path; never a password).
        closed: ``close`` was called (later ``update`` calls are ignored).
    """

    location: str
    closed: bool

    def meta(self) -> dict[str, str]:
        """The ``meta`` entries (``batch_id``, ``shard``, ``source``, ``schema_version``...)."""
        ...

    def set_meta(self, values: Mapping[str, str]) -> None:
        """Write ``meta`` entries (one transaction). Raises ``BatchStorageError``."""
        ...

    def rows(self) -> dict[str, JobRow]:
        """Every job row, by id, in file order."""
        ...

    def add(self, rows: Iterable[JobRow]) -> None:
        """Insert new job rows (one transaction). Raises ``BatchStorageError``."""
        ...

    def update(
        self, job_id: str, *, detail: str | None = None, durable: bool = True, **values: Any
    ) -> None:
        """Change a job's columns (``UPDATABLE``); a state change or a ``detail`` also appends
        an event. Committed before returning; ``durable=False`` allows the commit to wait a
        moment and gather other changes (``SQLiteJournal``: ``GROUP_COMMIT_S``). Raises
        ``BatchStorageError``; ``ValueError`` for an unknown column."""
        ...

    def events(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The change history, oldest first (the last ``limit``): ``{"seq", "at" (Unix time,
        SECONDS), "job_id", "state", "request_id", "detail"}``."""
        ...

    def claim_driver(self) -> None:
        """Become the journal's one driver until ``close`` (a lock file beside a SQLite
        journal, a renewed lease in PostgreSQL). Raises ``BatchLockedError`` while another run
        drives it, ``BatchStorageError`` when the claim cannot be written."""
        ...

    def close(self) -> None:
        """Give up the driver claim, if any, and release the journal (idempotent)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...
