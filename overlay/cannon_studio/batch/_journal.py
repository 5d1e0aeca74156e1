"""The SQLite journal (``SQLiteJournal``, a ``BatchJournal``): every job's key, state, request
id, credits, output and files, in one file beside the outputs.

Standard-library ``sqlite3`` in WAL mode (readers such as ``cannon-studio batch status`` never
block the runner) with ``synchronous=NORMAL``. The intent to create is committed, with the
idempotency key, before the create is sent (``update(..., durable=True)``, the default). The
runner's other changes (request id, status, credits, output, files) are committed together at
most ``GROUP_COMMIT_S`` after the first of them, or with the next durable one: a killed process
(``kill -9`` included) loses at most that last fraction of a second of them, and nothing that
could send or charge a create twice (a lost request id is found again by re-sending the create
with its committed key; a lost output or file list by fetching the request again). A power cut
may lose the last few commits (SQLite's documented WAL trade-off). Every change is also
appended to ``events``: the client-side request history the API does not keep.

WAL mode needs every reader and writer on one host (its index is shared memory): the journal
must not sit on NFS or another network file system.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ._errors import BatchJournalError, BatchStorageError
from ._journal_base import (
    COLUMNS,
    JOBS_TABLE_COLUMNS,
    REFERENCES_META,
    SCHEMA_VERSION,
    STATES,
    UPDATABLE,
    BatchJournal,
    JobRow,
    check_schema_version,
    sql_value,
)
from ._journal_postgres import PostgresJournal, is_postgres_url, public_location
from ._lock import DirectoryLock

__all__ = [
    "GROUP_COMMIT_S",
    "REFERENCES_META",
    "SCHEMA_VERSION",
    "STATES",
    "JobRow",
    "Journal",
    "SQLiteJournal",
    "journal_location",
    "open_journal",
]

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs ({JOBS_TABLE_COLUMNS});
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    job_id TEXT NOT NULL,
    state TEXT NOT NULL,
    request_id TEXT,
    detail TEXT
);
CREATE TRIGGER IF NOT EXISTS jobs_history AFTER UPDATE ON jobs
WHEN NEW.state IS NOT OLD.state OR NEW.detail IS NOT NULL
BEGIN
    INSERT INTO events(at, job_id, state, request_id, detail)
    VALUES (NEW.updated_at, NEW.id, NEW.state, NEW.request_id, NEW.detail);
END;
"""

GROUP_COMMIT_S = 0.05
"""SECONDS a change written with ``durable=False`` may wait for its commit (the commit of the
changes gathered meanwhile, or of the next durable one)."""

_NOT_A_JOURNAL = ("SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_FORMAT")
"""SQLite error names that are about the file's content; every other error opening a journal
(``SQLITE_FULL``, ``SQLITE_IOERR``, ``SQLITE_READONLY``, ``SQLITE_CANTOPEN``...) is storage."""


def _open_error(path: Path, exc: sqlite3.DatabaseError, readonly: bool) -> Exception:
    """The error for a failure opening ``path``: a full disk or a read-only directory is a
    ``BatchStorageError`` (the file is fine; free space and run again), never "not a journal"."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(_NOT_A_JOURNAL) or (
        not name and not isinstance(exc, sqlite3.OperationalError)
    ):
        return BatchJournalError(f"{path} is not a batch journal ({exc})")
    if readonly:
        return BatchJournalError(f"cannot read the journal {path}: {exc}")
    return BatchStorageError(str(path), str(exc))


class SQLiteJournal:
    """A batch journal in one SQLite file. Thread-safe (one connection behind a lock).

    Args:
        path: the database file (created with its directory when missing, unless ``readonly``).
        readonly: open for reading only (``batch status`` while a run is going).

    Raises:
        BatchJournalError: the file is not a journal, or is of a newer format.
        BatchStorageError: the file or its directory cannot be created or written (full disk,
            read-only directory); never reported as "not a batch journal". Every write method
            raises it too, after rolling its transaction back.
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self._driver: DirectoryLock | None = None
        self._lock = threading.RLock()
        self.closed = False
        self._gathering = threading.Event()  # set while changes wait for their commit
        self._committer: threading.Thread | None = None
        self._commit_error: BatchStorageError | None = None
        try:
            if readonly:
                if not self.path.is_file():
                    raise BatchJournalError(f"no journal at {self.path}")
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10.0)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(
                    self.path, check_same_thread=False, timeout=30.0, isolation_level=None
                )
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
            version = self.meta().get("schema_version")
        except OSError as exc:  # the directory cannot be made (read-only, full)
            raise BatchStorageError(str(self.path.parent), exc.strerror or str(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise _open_error(self.path, exc, readonly) from None
        try:
            check_schema_version(version, self.location)
        except BaseException:
            self._db.close()
            raise
        if version is None and not readonly:
            self.set_meta({"schema_version": str(SCHEMA_VERSION)})

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Around one write (the caller holds ``_lock``): an SQLite error rolls the open
        transaction back and becomes ``BatchStorageError`` (full disk, read-only file...); so
        does an earlier failed commit of gathered changes."""
        if self._commit_error is not None:
            raise self._commit_error
        try:
            yield
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            raise BatchStorageError(str(self.path), str(exc)) from None

    def _commit_gathered(self) -> None:
        """Commit the changes gathered so far, if any (the caller holds ``_lock``)."""
        self._gathering.clear()
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def _committing(self) -> None:
        """The committer thread: each gathering of changes is committed ``GROUP_COMMIT_S``
        after its first change, unless a durable write committed it first."""
        while self._gathering.wait():
            time.sleep(GROUP_COMMIT_S)
            with self._lock:
                if self.closed:
                    return
                try:
                    self._commit_gathered()
                except sqlite3.Error as exc:
                    with contextlib.suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                    self._commit_error = BatchStorageError(str(self.path), str(exc))

    # -- meta ------------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """The ``meta`` table (batch id, shard, source file, schema version)."""
        with self._lock:
            return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, values: Mapping[str, str]) -> None:
        """Write ``meta`` entries (one transaction)."""
        with self._lock, self._writing():
            self._commit_gathered()
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                list(values.items()),
            )
            self._db.execute("COMMIT")

    # -- jobs ------------------------------------------------------------------------------------

    def rows(self) -> dict[str, JobRow]:
        """Every job row, by id, in file order."""
        with self._lock:
            cursor = self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM jobs ORDER BY seq")
            return {row.id: row for row in map(JobRow.from_sql, cursor.fetchall())}

    def add(self, rows: Iterable[JobRow]) -> None:
        """Insert new job rows (one transaction)."""
        now = time.time()
        with self._lock, self._writing():
            self._commit_gathered()
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                f"INSERT INTO jobs({', '.join(COLUMNS)}) VALUES({', '.join('?' * len(COLUMNS))})",
                [(*(sql_value(c, getattr(row, c)) for c in COLUMNS[:-1]), now) for row in rows],
            )
            self._db.execute("COMMIT")

    def update(
        self, job_id: str, *, detail: str | None = None, durable: bool = True, **values: Any
    ) -> None:
        """Change a job's columns; a state change (or a ``detail``) also appends an event.

        One statement (a trigger writes the event with it), committed before this returns
        together with any changes gathered before it; with ``durable=False`` it joins the
        changes gathered for one commit within ``GROUP_COMMIT_S`` (visible at once in this
        process, to other readers once committed).

        Args:
            job_id: the job.
            detail: free text for the event (an error message, "retry"...).
            durable: commit before returning (``False``: within ``GROUP_COMMIT_S`` SECONDS).
            values: columns to set (``state``, ``request_id``, ``credits``, ``output``...).

        Does nothing once the journal is closed (a runner thread still finishing after Ctrl-C).

        Raises:
            BatchStorageError: the change, or gathered ones before it, could not be written
                (none of those was kept).
        """
        unknown = set(values) - UPDATABLE
        if unknown:
            raise ValueError(f"not journal columns: {sorted(unknown)}")
        values["updated_at"] = time.time()
        values["detail"] = detail
        names = list(values)
        sql = f"UPDATE jobs SET {', '.join(f'{n}=?' for n in names)} WHERE id=?"
        params = [*(sql_value(n, values[n]) for n in names), job_id]
        with self._lock, self._writing():
            if self.closed:
                return
            if not durable and not self._db.in_transaction:
                self._db.execute("BEGIN IMMEDIATE")
                self._gathering.set()
                if self._committer is None:
                    self._committer = threading.Thread(
                        target=self._committing, name="cannon-journal-commit", daemon=True
                    )
                    self._committer.start()
            self._db.execute(sql, params)  # outside a gathering: autocommit, its own commit
            if durable:
                self._commit_gathered()

    def events(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The change history, oldest first (the last ``limit`` when given)."""
        with self._lock:
            query = "SELECT seq, at, job_id, state, request_id, detail FROM events ORDER BY seq"
            if limit is not None:
                query = (
                    "SELECT * FROM (SELECT seq, at, job_id, state, request_id, detail FROM events "
                    f"ORDER BY seq DESC LIMIT {int(limit)}) ORDER BY seq"
                )
            names = ("seq", "at", "job_id", "state", "request_id", "detail")
            return [dict(zip(names, r, strict=True)) for r in self._db.execute(query)]

    def claim_driver(self) -> None:
        """Hold ``.<journal name>.lock`` beside the file until ``close`` (``BatchLockedError``
        while another run holds it)."""
        lock = DirectoryLock(self.path.with_name(f".{self.path.name}.lock"))
        self._driver = lock.acquire()

    def close(self) -> None:
        """Commit the gathered changes, close the connection (later ``update`` calls are
        ignored) and give up the driver lock (idempotent)."""
        with self._lock:
            if not self.closed:
                self.closed = True
                try:
                    self._commit_gathered()
                except sqlite3.Error:  # lost: at most GROUP_COMMIT_S of non-durable changes
                    with contextlib.suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                self._gathering.set()  # the committer sees ``closed`` and ends
                self._db.close()
            if self._driver is not None:
                self._driver.release()
                self._driver = None

    def __enter__(self) -> SQLiteJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Journal = SQLiteJournal
"""The SQLite journal under its first name (``Journal(path, readonly=True)`` reads one)."""


def open_journal(where: str | os.PathLike[str], *, readonly: bool = False) -> BatchJournal:
    """Open the journal at ``where``: a file path (SQLite, the default) or a ``postgresql://``
    URL (``PostgresJournal``; needs the ``postgres`` extra).

    Args:
        where: a path (``out_dir/journal.sqlite``) or a PostgreSQL connection URL.
        readonly: open for reading only (``batch status`` while a run is going).

    Raises:
        BatchJournalError: a database URL, not a journal, or another schema version.
        BatchStorageError: the file or its directory cannot be created or written.
    """
    text = os.fspath(where)
    if is_postgres_url(text):
        return PostgresJournal(text, readonly=readonly)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise BatchJournalError(
            f"journals at {scheme}:// URLs are not supported; give a file path (SQLite) or a "
            "postgresql:// URL"
        )
    return SQLiteJournal(text, readonly=readonly)


def journal_location(where: str | os.PathLike[str]) -> str:
    """``where`` as it may be shown or printed: a path as it is, a database URL without its
    password or query (pure)."""
    text = os.fspath(where)
    return public_location(text) if is_postgres_url(text) else text
