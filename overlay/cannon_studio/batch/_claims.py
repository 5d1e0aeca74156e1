"""Per-job claims on a shared PostgreSQL journal: the work queue that ``batch worker`` reads.

``batch submit`` loads a file into the journal once; any number of workers, on any machines,
then claim ready jobs from it. The tables beside the journal's own (``_journal_postgres``):

- ``cannon_batch_work``: one row per job: its content (``body``), the jobs it takes values
  from (``deps``) and how many of them have not succeeded yet (``waiting``), its ``stage``
  (``fresh``: not created yet; ``started``: its key is journaled; ``done``: finished), and the
  claim: ``holder`` (a worker id) and ``lease_until`` (database time).
- ``cannon_batch_edges``: ``(from_id, job_id)``, job takes values from from_id, for releasing
  and skipping dependents.
- ``cannon_batch_budget``: one row: ``max_credits``, ``charged`` (the sum of the jobs'
  ``billableCredits``) and ``unpriced`` (the one job whose create may be charged but whose
  price is not known yet).

A claim is ``SELECT ... ORDER BY lease_until, seq LIMIT n FOR UPDATE SKIP LOCKED`` on a partial
index per stage, so its cost does not grow with the number of pending jobs: leased rows sit past
``now()`` in the index and locked ones are skipped. A worker renews its leases every third of
their length; a dead worker's jobs are claimed again once their lease has expired. Every write a
worker makes about a job checks in the same transaction that it still holds the job
(``LeaseLostError`` otherwise), so a worker that was paused past its lease changes nothing.

The budget: with ``max_credits``, a job is created only while ``charged < max_credits`` and no
other job is unpriced; the claim that starts it marks it ``unpriced`` in the same transaction,
and the price (read right after the create) clears it. So at most one create is in the window
where its price is unknown, across all workers: the total charged stays below ``max_credits``
plus the price of one job.

Times come from the database's ``now()`` only (no clock skew between machines).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._errors import BatchJournalError, BatchStorageError
from ._jobs import Job, MissingOutputError, Reference, _find_references, resolve_input
from ._journal_base import COLUMNS, UPDATABLE, JobRow, sql_value
from ._journal_postgres import _psycopg, _reason, public_location
from ._keys import idempotency_key
from ._scheduler import Action

__all__ = [
    "QUEUE_META",
    "QUEUE_SCHEMA",
    "QUEUE_VERSION",
    "BudgetState",
    "ClaimQueue",
    "LeaseLostError",
    "check_queue_version",
    "job_from_body",
]

QUEUE_VERSION = 1
"""Format of the work-queue tables (meta ``queue_version``). Another format is refused."""

QUEUE_META = "queue_version"

QUEUE_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS cannon_batch_work (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        deps TEXT[] NOT NULL,
        waiting INTEGER NOT NULL,
        stage TEXT NOT NULL,
        holder TEXT,
        lease_until TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
    )""",
    "CREATE INDEX IF NOT EXISTS cannon_batch_work_fresh ON cannon_batch_work "
    "(lease_until, seq) WHERE stage = 'fresh' AND waiting = 0",
    "CREATE INDEX IF NOT EXISTS cannon_batch_work_started ON cannon_batch_work "
    "(lease_until, seq) WHERE stage = 'started'",
    "CREATE INDEX IF NOT EXISTS cannon_batch_work_holder ON cannon_batch_work (holder) "
    "WHERE holder IS NOT NULL",
    """CREATE TABLE IF NOT EXISTS cannon_batch_edges (
        from_id TEXT NOT NULL,
        job_id TEXT NOT NULL,
        PRIMARY KEY (from_id, job_id)
    )""",
    """CREATE TABLE IF NOT EXISTS cannon_batch_budget (
        name TEXT PRIMARY KEY,
        max_credits BIGINT,
        charged BIGINT NOT NULL DEFAULT 0,
        unpriced TEXT
    )""",
)
"""The work-queue tables, created by ``batch submit``."""

CLAIM_FRESH = (
    "SELECT id FROM cannon_batch_work WHERE stage = 'fresh' AND waiting = 0 "
    "AND lease_until < now() ORDER BY lease_until, seq LIMIT %s FOR UPDATE SKIP LOCKED"
)
"""Jobs not created yet whose inputs are all known, unclaimed or with an expired lease."""

CLAIM_STARTED = (
    "SELECT id FROM cannon_batch_work WHERE stage = 'started' "
    "AND lease_until < now() ORDER BY lease_until, seq LIMIT %s FOR UPDATE SKIP LOCKED"
)
"""Jobs already started (key journaled) whose lease expired or was given back: take-overs."""

_GIVE_BACK = (
    "UPDATE cannon_batch_work SET holder = NULL, lease_until = '-infinity' "
    "WHERE holder = %s AND stage <> 'done'"
)
"""This worker's claims, given back: claimable at once by any worker."""

TERMINAL = frozenset({"succeeded", "failed", "skipped"})


def check_queue_version(found: str | None, location: str) -> None:
    """Refuse a work queue of another format (pure).

    Raises:
        BatchJournalError: the journal's ``queue_version`` is not ``QUEUE_VERSION``.
    """
    if found is None or found == str(QUEUE_VERSION):
        return
    raise BatchJournalError(
        f"{location} holds a work queue of format {found!r}, and this cannon-studio reads "
        f"format {QUEUE_VERSION}; use the cannon-studio version that submitted it"
    )


class LeaseLostError(Exception):
    """This worker no longer holds the job (its lease expired and another worker claimed it):
    the job's work here stops, and nothing more is written about it."""


def job_from_body(job_id: str, line: int, content_hash: str, body: str) -> Job:
    """A ``Job`` from its stored content (``{"operation", "input", "webhook_url"?}``, JSON).

    Raises:
        BatchJournalError: the stored content is not a job (the journal was edited by hand).
    """
    try:
        data = json.loads(body)
        operation, input_ = data["operation"], data["input"]
        refs: list[Reference] = []
        problems: list[tuple[str, str]] = []
        _find_references(input_, (), refs, problems)
    except (ValueError, KeyError, TypeError) as exc:
        raise BatchJournalError(f"job {job_id}'s stored content is not a job ({exc})") from None
    return Job(job_id, operation, input_, data.get("webhook_url"), line, tuple(refs), content_hash)


@dataclass(frozen=True)
class BudgetState:
    """The batch's credit budget as the database holds it.

    Attributes:
        max_credits: the budget (``None``: none).
        charged: credits charged so far (sum of the jobs' ``billableCredits``).
        unpriced: the job whose price is not known yet, if any.
    """

    max_credits: int | None
    charged: int
    unpriced: str | None

    @property
    def exhausted(self) -> bool:
        """No job may be created any more (the budget is spent and nothing is unpriced)."""
        return (
            self.max_credits is not None
            and self.unpriced is None
            and self.charged >= self.max_credits
        )


class ClaimQueue:
    """One worker's connection to the work queue: claims, lease renewal and fenced writes.

    Thread-safe (one connection behind a lock; every method is one transaction).

    Args:
        url: the journal's PostgreSQL URL.
        holder: this worker's id (written into the claims).
        lease_s: how long a claim lasts without renewal, in SECONDS.
        connect_timeout: SECONDS to wait for the server.

    Raises:
        BatchJournalError: psycopg missing, no submitted batch there, or another format.
        BatchStorageError: the server cannot be reached.
    """

    def __init__(
        self, url: str, *, holder: str, lease_s: float, connect_timeout: float = 10.0
    ) -> None:
        self._psycopg = _psycopg()
        self._url = url  # for the give-back on a fresh connection; never shown
        self.location = public_location(url)
        self.holder = holder
        self.lease_s = float(lease_s)
        self._lock = threading.RLock()
        self.closed = False
        try:
            self._db = self._psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, int(connect_timeout))
            )
        except self._psycopg.Error as exc:
            raise BatchStorageError(self.location, _reason(exc)) from None
        try:
            meta = self.meta()
            if QUEUE_META not in meta:
                raise BatchJournalError(
                    f"no submitted batch at {self.location}; load one first with "
                    "cannon-studio batch submit FILE --journal URL"
                )
            check_queue_version(meta.get(QUEUE_META), self.location)
            self.batch_id = meta.get("batch_id", "")
        except BaseException:
            self._db.close()
            raise

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Any]:
        """One transaction (under the lock); database errors become ``BatchStorageError``."""
        with self._lock:
            if self.closed:
                raise BatchStorageError(self.location, "the worker's connection is closed")
            try:
                with self._db.transaction():
                    yield self._db
            except self._psycopg.Error as exc:
                raise BatchStorageError(self.location, _reason(exc)) from None

    def meta(self) -> dict[str, str]:
        """The journal's ``meta`` entries."""
        with self._tx() as db:
            if db.execute("SELECT to_regclass('cannon_batch_meta')").fetchone()[0] is None:
                return {}
            rows = db.execute("SELECT key, value FROM cannon_batch_meta").fetchall()
        return {str(k): str(v) for k, v in rows}

    def budget(self) -> BudgetState:
        """The budget row now."""
        with self._tx() as db:
            row = db.execute(
                "SELECT max_credits, charged, unpriced FROM cannon_batch_budget WHERE name = 'batch'"
            ).fetchone()
        if row is None:
            return BudgetState(None, 0, None)
        return BudgetState(
            None if row[0] is None else int(row[0]), int(row[1]), None if row[2] is None else row[2]
        )

    # -- claiming ----------------------------------------------------------------------------

    def claim(self, limit: int) -> list[Action]:
        """Claim up to ``limit`` jobs for this worker and return what to do with each.

        Taken-over jobs (started, lease expired) come first; then jobs not created yet whose
        inputs are known: each is journaled ``creating`` with its idempotency key in the same
        transaction as its claim (with a budget: one at a time, while the budget allows). A job
        whose reference cannot be filled fails here (nothing sent).
        """
        actions: list[Action] = []
        if limit <= 0:
            return actions
        lease = self.lease_s
        with self._tx() as db:
            ids = [r[0] for r in db.execute(CLAIM_STARTED, (limit,)).fetchall()]
            if ids:
                db.execute(
                    "UPDATE cannon_batch_work SET holder = %s, "
                    "lease_until = now() + make_interval(secs => %s) WHERE id = ANY(%s)",
                    (self.holder, lease, ids),
                )
                rows = self._rows(db, ids)
                for job_id in ids:
                    action = self._resume(db, rows[job_id])
                    if action is not None:
                        actions.append(action)
        if len(actions) < limit:
            actions.extend(self._claim_fresh(limit - len(actions)))
        return actions

    def _claim_fresh(self, limit: int) -> list[Action]:
        actions: list[Action] = []
        with self._tx() as db:
            budget = db.execute(
                "SELECT max_credits, charged, unpriced FROM cannon_batch_budget "
                "WHERE name = 'batch' FOR UPDATE"
            ).fetchone()
            limited = budget is not None and budget[0] is not None
            if limited and (budget[2] is not None or budget[1] >= budget[0]):
                return actions
            ids = [r[0] for r in db.execute(CLAIM_FRESH, (1 if limited else limit,)).fetchall()]
            if not ids:
                return actions
            rows = self._rows(db, ids)
            deps = self._upstream(db, ids)
            for job_id in ids:
                row, body = rows[job_id]
                job = job_from_body(job_id, row.line, row.content_hash, body)
                outputs = {d: deps[d].output or {} for d in job.depends_on if d in deps}
                try:
                    resolved = resolve_input(job, outputs)
                except MissingOutputError as exc:
                    self._write(db, job_id, {"state": "failed", "error": str(exc)}, None)
                    self._finish(db, job_id, succeeded=False)
                    continue
                upstream = [deps[d].request_id or "" if d in deps else "" for d in job.depends_on]
                key = idempotency_key(self.batch_id, job, row.attempt, upstream)
                self._write(db, job_id, {"state": "creating", "idempotency_key": key}, None)
                db.execute(
                    "UPDATE cannon_batch_work SET stage = 'started', holder = %s, "
                    "lease_until = now() + make_interval(secs => %s) WHERE id = %s",
                    (self.holder, self.lease_s, job_id),
                )
                if limited:
                    db.execute(
                        "UPDATE cannon_batch_budget SET unpriced = %s WHERE name = 'batch'",
                        (job_id,),
                    )
                actions.append(Action("create", job, key=key, input=resolved, fresh=True))
        return actions

    def _rows(self, db: Any, ids: Sequence[str]) -> dict[str, Any]:
        records = db.execute(
            f"SELECT {', '.join('j.' + c for c in COLUMNS)}, w.body FROM cannon_batch_jobs j "
            "JOIN cannon_batch_work w ON w.id = j.id WHERE j.id = ANY(%s)",
            (list(ids),),
        ).fetchall()
        return {r[0]: (JobRow.from_sql(tuple(r[:-1])), r[-1]) for r in records}

    def _upstream(self, db: Any, ids: Sequence[str]) -> dict[str, JobRow]:
        """The journal rows of every job the given jobs take values from."""
        records = db.execute(
            f"SELECT {', '.join('j.' + c for c in COLUMNS)} FROM cannon_batch_jobs j "
            "WHERE j.id IN (SELECT unnest(deps) FROM cannon_batch_work WHERE id = ANY(%s))",
            (list(ids),),
        ).fetchall()
        return {row.id: row for row in map(JobRow.from_sql, records)}

    def _resume(self, db: Any, found: tuple[JobRow, str]) -> Action | None:
        """The action that continues a started job from its journaled state."""
        row, body = found
        job = job_from_body(row.id, row.line, row.content_hash, body)
        if row.state in ("queued", "processing") and row.request_id:
            return Action("attach", job, request_id=row.request_id)
        if row.state == "downloading" and row.request_id:
            return Action("download", job, request_id=row.request_id, output=row.output or {})
        if row.state == "creating" and row.idempotency_key:
            deps = self._upstream(db, [row.id])
            outputs = {d: deps[d].output or {} for d in job.depends_on if d in deps}
            try:
                resolved = resolve_input(job, outputs)
            except MissingOutputError as exc:
                self._write(db, row.id, {"state": "failed", "error": str(exc)}, None)
                self._finish(db, row.id, succeeded=False)
                return None
            return Action("create", job, key=row.idempotency_key, input=resolved)
        if row.state in TERMINAL:
            self._finish(db, row.id, succeeded=row.state == "succeeded")
            return None
        # pending/held with stage 'started' (cannot normally happen): create it afresh
        db.execute(
            "UPDATE cannon_batch_work SET stage = 'fresh', holder = NULL, "
            "lease_until = '-infinity' WHERE id = %s",
            (row.id,),
        )
        return None

    # -- writes about a claimed job -----------------------------------------------------------

    def record(self, job_id: str, values: Mapping[str, Any], detail: str | None = None) -> str:
        """Write a claimed job's new journal values (and renew its lease), in one transaction
        that first checks this worker still holds the job. A state change or a ``detail`` is
        also an event; a credits change moves the budget's ``charged``; a known price (or an
        end) clears the job as the budget's unpriced one; a terminal state releases the jobs
        waiting for it (succeeded) or skips them (failed). Returns the previous state.

        Raises:
            LeaseLostError: another worker holds the job now.
            BatchStorageError: the database refused the write.
        """
        unknown = set(values) - UPDATABLE
        if unknown:
            raise ValueError(f"not journal columns: {sorted(unknown)}")
        with self._tx() as db:
            held = db.execute(
                "SELECT 1 FROM cannon_batch_work WHERE id = %s AND holder = %s FOR UPDATE",
                (job_id, self.holder),
            ).fetchone()
            if held is None:
                raise LeaseLostError(job_id)
            db.execute(
                "UPDATE cannon_batch_work SET lease_until = now() + make_interval(secs => %s) "
                "WHERE id = %s",
                (self.lease_s, job_id),
            )
            previous = self._write(db, job_id, values, detail)
            state = values.get("state")
            if state in TERMINAL:
                self._finish(db, job_id, succeeded=state == "succeeded")
            elif state == "pending":  # a re-run answer: back to not created, key dropped
                db.execute(
                    "UPDATE cannon_batch_work SET stage = 'fresh', holder = NULL, "
                    "lease_until = '-infinity' WHERE id = %s",
                    (job_id,),
                )
                self._priced(db, job_id)
            elif values.get("credits") is not None:
                self._priced(db, job_id)
        return previous

    def priced(self, job_id: str) -> None:
        """The job's price is known (or it will not be charged): it is no longer unpriced."""
        with self._tx() as db:
            self._priced(db, job_id)

    def _priced(self, db: Any, job_id: str) -> None:
        db.execute(
            "UPDATE cannon_batch_budget SET unpriced = NULL WHERE name = 'batch' AND unpriced = %s",
            (job_id,),
        )

    def _write(self, db: Any, job_id: str, values: Mapping[str, Any], detail: str | None) -> str:
        """Update a job's journal row (and append its event); returns the previous state."""
        old = db.execute(
            "SELECT state, credits FROM cannon_batch_jobs WHERE id = %s FOR UPDATE", (job_id,)
        ).fetchone()
        if old is None:
            raise BatchJournalError(f"job {job_id} is not in the journal at {self.location}")
        changes = dict(values)
        changes["updated_at"] = time.time()
        names = list(changes)
        row = db.execute(
            f"UPDATE cannon_batch_jobs SET {', '.join(f'{n} = %s' for n in names)} "
            "WHERE id = %s RETURNING state, request_id",
            [*(sql_value(n, changes[n]) for n in names), job_id],
        ).fetchone()
        if detail is not None or old[0] != row[0]:
            db.execute(
                "INSERT INTO cannon_batch_events(at, job_id, state, request_id, detail) "
                "VALUES (%s, %s, %s, %s, %s)",
                (changes["updated_at"], job_id, row[0], row[1], detail),
            )
        if "credits" in values:
            delta = (values["credits"] or 0) - (old[1] or 0)
            if delta:
                db.execute(
                    "UPDATE cannon_batch_budget SET charged = charged + %s WHERE name = 'batch'",
                    (delta,),
                )
        return str(old[0])

    def _finish(self, db: Any, job_id: str, *, succeeded: bool) -> None:
        """A job ended: release (succeeded) or skip (otherwise) the jobs waiting for it."""
        db.execute(
            "UPDATE cannon_batch_work SET stage = 'done', holder = NULL WHERE id = %s", (job_id,)
        )
        self._priced(db, job_id)
        if succeeded:
            db.execute(
                "UPDATE cannon_batch_work w SET waiting = w.waiting - 1 FROM cannon_batch_edges e "
                "WHERE e.from_id = %s AND w.id = e.job_id",
                (job_id,),
            )
            return
        skipped = db.execute(
            """WITH RECURSIVE down(id) AS (
                   SELECT job_id FROM cannon_batch_edges WHERE from_id = %s
                   UNION SELECT e.job_id FROM cannon_batch_edges e JOIN down d ON e.from_id = d.id
               )
               UPDATE cannon_batch_work w SET stage = 'done', holder = NULL
               FROM down WHERE w.id = down.id AND w.stage = 'fresh' RETURNING w.id""",
            (job_id,),
        ).fetchall()
        for (dependent,) in skipped:
            self._write(db, dependent, {"state": "skipped", "error": f"job {job_id} failed"}, None)

    def release(self, job_id: str) -> None:
        """Give a job's claim back (its work here stopped): another worker may take it now."""
        with self._tx() as db:
            db.execute(
                "UPDATE cannon_batch_work SET holder = NULL, lease_until = '-infinity' "
                "WHERE id = %s AND holder = %s AND stage <> 'done'",
                (job_id, self.holder),
            )

    def renew(self) -> set[str]:
        """Extend every lease this worker holds by its length from now; the ids still held."""
        with self._tx() as db:
            rows = db.execute(
                "UPDATE cannon_batch_work SET lease_until = now() + make_interval(secs => %s) "
                "WHERE holder = %s AND stage <> 'done' RETURNING id",
                (self.lease_s, self.holder),
            ).fetchall()
        return {r[0] for r in rows}

    def idle(self) -> bool:
        """Nothing is left that any worker could still do: no started job, and no job left to
        create (or the budget is spent)."""
        with self._tx() as db:
            started, fresh = db.execute(
                "SELECT EXISTS (SELECT 1 FROM cannon_batch_work WHERE stage = 'started'), "
                "EXISTS (SELECT 1 FROM cannon_batch_work WHERE stage = 'fresh' AND waiting = 0)"
            ).fetchone()
        if started:
            return False
        return not fresh or self.budget().exhausted

    def hold_unstarted(self) -> int:
        """The budget is spent: journal the jobs not created as ``held``; their count."""
        with self._tx() as db:
            rows = db.execute(
                "SELECT j.id FROM cannon_batch_jobs j JOIN cannon_batch_work w ON w.id = j.id "
                "WHERE w.stage = 'fresh' AND j.state = 'pending' FOR UPDATE OF j SKIP LOCKED"
            ).fetchall()
            for (job_id,) in rows:
                self._write(db, job_id, {"state": "held", "error": None}, None)
        return len(rows)

    def close(self) -> None:
        """Give back every claim still held, and close the connection (idempotent).

        A signal can end the worker while its connection is mid-query (psycopg leaves it busy,
        not idle); the claims are then given back on a fresh connection, so another worker can
        take them at once instead of after the lease. Best effort: when the server cannot be
        reached either, the leases expire as usual.
        """
        with self._lock:
            if self.closed:
                return
            self.closed = True
            given_back = False
            idle = self._psycopg.pq.TransactionStatus.IDLE
            if self._db.info.transaction_status == idle:
                with contextlib.suppress(self._psycopg.Error):
                    self._db.execute(_GIVE_BACK, (self.holder,))
                    given_back = True
            with contextlib.suppress(self._psycopg.Error):
                self._db.close()
            if not given_back:
                with (
                    contextlib.suppress(self._psycopg.Error),
                    self._psycopg.connect(self._url, autocommit=True, connect_timeout=5) as db,
                ):
                    # the old connection's transaction may still hold the rows for a moment
                    db.execute("SET lock_timeout = '5s'")
                    db.execute(_GIVE_BACK, (self.holder,))

    def __enter__(self) -> ClaimQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def queue_status(url: str) -> dict[str, Any] | None:
    """The shared part of a submitted batch's state, read-only: ``{"budget": {"max_credits",
    "charged", "unpriced"}, "workers": {holder: jobs held}}``; ``None`` when the journal holds
    no submitted batch.

    Raises:
        BatchStorageError: the server cannot be reached.
    """
    psycopg = _psycopg()
    location = public_location(url)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as db:
            if db.execute("SELECT to_regclass('cannon_batch_budget')").fetchone()[0] is None:
                return None
            budget = db.execute(
                "SELECT max_credits, charged, unpriced FROM cannon_batch_budget WHERE name = 'batch'"
            ).fetchone()
            holders = db.execute(
                "SELECT holder, count(*) FROM cannon_batch_work WHERE holder IS NOT NULL "
                "AND stage <> 'done' AND lease_until > now() GROUP BY holder ORDER BY holder"
            ).fetchall()
    except psycopg.Error as exc:
        raise BatchStorageError(location, _reason(exc)) from None
    if budget is None:
        return None
    return {
        "budget": {"max_credits": budget[0], "charged": int(budget[1]), "unpriced": budget[2]},
        "workers": {str(h): int(n) for h, n in holders},
    }
