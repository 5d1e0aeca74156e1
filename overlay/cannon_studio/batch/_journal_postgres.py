"""The PostgreSQL journal (``PostgresJournal``, a ``BatchJournal``): the same rows, meta and
history as the SQLite file, in a database every machine can reach (``--journal
postgresql://...``), so ``batch status`` and ``batch report`` read it from anywhere, live.

psycopg 3 (the ``postgres`` extra), one connection behind a lock, each change its own
transaction. Tables ``cannon_batch_meta``, ``cannon_batch_jobs`` and ``cannon_batch_events`` in
the connection's schema (one journal per schema: pick it with ``options=-csearch_path=...``).

One driver at a time: a run holds the journal's driver lease (``acquire_lease``), a row
claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and renewed well before it ends; another run
is refused with one sentence while the lease is live, and takes it over once a dead holder's
lease has expired. Times come from the database's ``now()`` only (no clock skew between
machines).
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from ._errors import BatchJournalError, BatchLockedError, BatchStorageError
from ._journal_base import (
    COLUMNS,
    JOBS_TABLE_COLUMNS,
    SCHEMA_VERSION,
    UPDATABLE,
    JobRow,
    check_schema_version,
    sql_value,
)

__all__ = ["DEFAULT_LEASE_S", "PostgresJournal", "is_postgres_url", "public_location"]

DEFAULT_LEASE_S = 60.0
"""How long a driver lease lasts without renewal (SECONDS); renewed every third of it."""

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS cannon_batch_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS cannon_batch_jobs ({JOBS_TABLE_COLUMNS})",
    """CREATE TABLE IF NOT EXISTS cannon_batch_events (
        seq BIGSERIAL PRIMARY KEY,
        at DOUBLE PRECISION NOT NULL,
        job_id TEXT NOT NULL,
        state TEXT NOT NULL,
        request_id TEXT,
        detail TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS cannon_batch_lease (
        name TEXT PRIMARY KEY,
        holder TEXT,
        until TIMESTAMPTZ NOT NULL
    )""",
)

_EVENT_NAMES = ("seq", "at", "job_id", "state", "request_id", "detail")


def is_postgres_url(where: str) -> bool:
    """``postgresql://`` or ``postgres://`` (pure)."""
    return where.startswith(("postgresql://", "postgres://"))


def public_location(url: str) -> str:
    """The URL without its password and query, for messages and logs (pure)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise BatchJournalError(
            "a PostgreSQL journal needs psycopg: pip install 'cannon-studio[postgres]'"
        ) from None
    return psycopg


class PostgresJournal:
    """A batch journal in PostgreSQL. Thread-safe (one connection behind a lock).

    Args:
        url: ``postgresql://user:password@host:port/database`` (any libpq connection URL).
        readonly: read only (``batch status``); the tables must exist.
        connect_timeout: SECONDS to wait for the server.

    Raises:
        BatchJournalError: psycopg is missing, the tables hold another schema version, or
            (``readonly``) there is no journal there.
        BatchStorageError: the server cannot be reached, or refuses a write (disk full,
            read-only transaction); every write method raises it too.
    """

    def __init__(self, url: str, *, readonly: bool = False, connect_timeout: float = 10.0) -> None:
        self._psycopg = _psycopg()
        self.location = public_location(url)
        self.closed = False
        self._lock = threading.RLock()
        self._lease: tuple[str, float] | None = None
        self._lost: str | None = None
        self._renewer: threading.Thread | None = None
        self._stop_renewing = threading.Event()
        try:
            self._db = self._psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, int(connect_timeout))
            )
        except self._psycopg.Error as exc:
            raise BatchStorageError(self.location, _reason(exc)) from None
        try:
            if not readonly:
                with self._writing(), self._db.transaction():
                    # one creator at a time: CREATE TABLE IF NOT EXISTS races otherwise
                    self._db.execute("SELECT pg_advisory_xact_lock(hashtext('cannon_batch'))")
                    for statement in _SCHEMA:
                        self._db.execute(statement)
            elif not self._exists():
                raise BatchJournalError(f"no journal at {self.location}")
            version = self.meta().get("schema_version")
            check_schema_version(version, self.location)
            if version is None and not readonly:
                self.set_meta({"schema_version": str(SCHEMA_VERSION)})
        except BaseException:
            self._db.close()
            raise

    def _exists(self) -> bool:
        row = self._db.execute("SELECT to_regclass('cannon_batch_jobs') IS NOT NULL").fetchone()
        return bool(row and row[0])

    def _check_lease(self) -> None:
        """A run whose lease was lost writes nothing more (another run may drive the jobs now)."""
        if self._lost is not None:
            raise BatchStorageError(self.location, self._lost)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg.Error as exc:
            raise BatchStorageError(self.location, _reason(exc)) from None

    # -- meta ------------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """The ``meta`` entries (batch id, shard, source file, schema version)."""
        with self._lock, self._writing():
            rows = self._db.execute("SELECT key, value FROM cannon_batch_meta").fetchall()
        return {str(key): str(value) for key, value in rows}

    def set_meta(self, values: Mapping[str, str]) -> None:
        """Write ``meta`` entries (one transaction)."""
        self._check_lease()
        with self._lock, self._writing(), self._db.transaction(), self._db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO cannon_batch_meta(key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- jobs ------------------------------------------------------------------------------------

    def rows(self) -> dict[str, JobRow]:
        """Every job row, by id, in file order."""
        with self._lock, self._writing():
            records = self._db.execute(
                f"SELECT {', '.join(COLUMNS)} FROM cannon_batch_jobs ORDER BY seq"
            ).fetchall()
        return {row.id: row for row in map(JobRow.from_sql, records)}

    def add(self, rows: Iterable[JobRow]) -> None:
        """Insert new job rows (one transaction)."""
        self._check_lease()
        now = time.time()
        values = [(*(sql_value(c, getattr(row, c)) for c in COLUMNS[:-1]), now) for row in rows]
        marks = ", ".join(["%s"] * len(COLUMNS))
        sql = f"INSERT INTO cannon_batch_jobs({', '.join(COLUMNS)}) VALUES ({marks})"
        with self._lock, self._writing(), self._db.transaction(), self._db.cursor() as cursor:
            cursor.executemany(sql, values)

    def update(
        self, job_id: str, *, detail: str | None = None, durable: bool = True, **values: Any
    ) -> None:
        """Change a job's columns; a state change (or a ``detail``) also appends an event, in
        the same transaction, committed before this returns (``durable`` is accepted for the
        ``BatchJournal`` interface: every change here is its own transaction). Does nothing
        once the journal is closed; raises ``BatchStorageError`` once this run's driver lease
        was lost."""
        unknown = set(values) - UPDATABLE
        if unknown:
            raise ValueError(f"not journal columns: {sorted(unknown)}")
        self._check_lease()
        values["updated_at"] = time.time()
        names = list(values)
        params = [sql_value(n, values[n]) for n in names]
        with self._lock, self._writing():
            if self.closed:
                return
            with self._db.transaction():
                old = self._db.execute(
                    "SELECT state FROM cannon_batch_jobs WHERE id = %s FOR UPDATE", (job_id,)
                ).fetchone()
                row = self._db.execute(
                    f"UPDATE cannon_batch_jobs SET {', '.join(f'{n} = %s' for n in names)} "
                    "WHERE id = %s RETURNING state, request_id",
                    [*params, job_id],
                ).fetchone()
                if row is not None and (detail is not None or old is None or old[0] != row[0]):
                    self._db.execute(
                        "INSERT INTO cannon_batch_events(at, job_id, state, request_id, detail) "
                        "VALUES (%s, %s, %s, %s, %s)",
                        (values["updated_at"], job_id, row[0], row[1], detail),
                    )

    def events(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The change history, oldest first (the last ``limit`` when given)."""
        query = f"SELECT {', '.join(_EVENT_NAMES)} FROM cannon_batch_events ORDER BY seq"
        if limit is not None:
            query = (
                f"SELECT * FROM (SELECT {', '.join(_EVENT_NAMES)} FROM cannon_batch_events "
                f"ORDER BY seq DESC LIMIT {int(limit)}) AS last ORDER BY seq"
            )
        with self._lock, self._writing():
            records = self._db.execute(query).fetchall()
        return [dict(zip(_EVENT_NAMES, r, strict=True)) for r in records]

    # -- the driver lease ---------------------------------------------------------------------------

    def acquire_lease(self, *, lease_s: float = DEFAULT_LEASE_S, holder: str | None = None) -> str:
        """Become the journal's one driver: claim the lease row (``FOR UPDATE SKIP LOCKED``),
        taking it over only when it has expired; renew it every ``lease_s / 3`` SECONDS in a
        thread until ``release_lease`` (or ``close``). Returns the holder id.

        Raises:
            BatchLockedError: a live lease is held by another run (or being claimed right now).
            BatchStorageError: the database refused the write.
        """
        me = holder or f"{uuid.uuid4().hex[:12]}"
        with self._lock, self._writing(), self._db.transaction():
            self._db.execute(
                "INSERT INTO cannon_batch_lease(name, holder, until) "
                "VALUES ('driver', NULL, now()) ON CONFLICT (name) DO NOTHING"
            )
            row = self._db.execute(
                "SELECT holder, until > now(), ceil(extract(epoch FROM until - now())) "
                "FROM cannon_batch_lease WHERE name = 'driver' FOR UPDATE SKIP LOCKED"
            ).fetchone()
            if row is None:
                raise BatchLockedError(self.location, "another run is claiming it right now")
            if row[0] is not None and row[0] != me and row[1]:
                raise BatchLockedError(
                    self.location, f"driver {row[0]}, its lease ends in {int(row[2])} s"
                )
            self._db.execute(
                "UPDATE cannon_batch_lease SET holder = %s, "
                "until = now() + make_interval(secs => %s) WHERE name = 'driver'",
                (me, lease_s),
            )
        self._lease = (me, lease_s)
        self._lost = None
        self._stop_renewing.clear()
        self._renewer = threading.Thread(
            target=self._renew_until_stopped, name="journal-lease", daemon=True
        )
        self._renewer.start()
        return me

    def claim_driver(self) -> None:
        """Become the journal's one driver until ``close``: ``acquire_lease`` with its defaults.

        Raises:
            BatchLockedError: another run holds the lease.
            BatchJournalError: the journal holds a batch loaded by ``batch submit``, which its
                workers drive job by job (a whole-run driver beside them would drive every job
                a second time).
        """
        if "queue_version" in self.meta():
            raise BatchJournalError(
                f"{self.location} holds a batch loaded with batch submit: run its jobs with "
                "cannon-studio batch worker --journal URL --out DIR"
            )
        self.acquire_lease()

    def renew_lease(self) -> bool:
        """Extend the lease by its length from now; False when it is no longer ours."""
        if self._lease is None:
            return False
        me, lease_s = self._lease
        with self._lock, self._writing():
            if self.closed:
                return False
            row = self._db.execute(
                "UPDATE cannon_batch_lease SET until = now() + make_interval(secs => %s) "
                "WHERE name = 'driver' AND holder = %s RETURNING holder",
                (lease_s, me),
            ).fetchone()
        return row is not None

    def _renew_until_stopped(self) -> None:
        """Renew every third of the lease; a lease taken over, or not renewed for its whole
        length (the database unreachable), is lost: later writes raise ``BatchStorageError``."""
        assert self._lease is not None
        lease_s = self._lease[1]
        renewed = time.monotonic()
        while not self._stop_renewing.wait(lease_s / 3.0):
            try:
                if not self.renew_lease():
                    if self._lease is not None:
                        self._lost = "another run took this run's lease on the journal over"
                    return
                renewed = time.monotonic()
            except BatchStorageError:
                if time.monotonic() - renewed > lease_s:
                    self._lost = "this run's lease on the journal expired (no renewal reached it)"
                    return

    def release_lease(self) -> None:
        """Stop renewing and give the lease up (another run may take it at once)."""
        self._stop_renewing.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5.0)
            self._renewer = None
        if self._lease is None:
            return
        me = self._lease[0]
        self._lease = None
        with contextlib.suppress(BatchStorageError), self._lock, self._writing():
            if not self.closed:
                self._db.execute(
                    "UPDATE cannon_batch_lease SET holder = NULL, until = now() "
                    "WHERE name = 'driver' AND holder = %s",
                    (me,),
                )

    def close(self) -> None:
        """Give up the lease (if held) and close the connection (later updates are ignored)."""
        self.release_lease()
        with self._lock:
            if not self.closed:
                self.closed = True
                self._db.close()

    def __enter__(self) -> PostgresJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(exc: BaseException) -> str:
    """The server's message (first line), never the connection string."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
