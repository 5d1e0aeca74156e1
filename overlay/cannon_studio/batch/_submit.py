"""``submit_batch``: validate a job file line by line and load it into a shared journal once.

Memory does not grow with the file: each line is parsed and checked against the schema on its
own (``_jobs``' per-line checks), then sent with ``COPY`` into a temporary table on the
server. Everything that needs the whole file is asked of PostgreSQL: derived ids, duplicate
ids, references to unknown jobs or to undeclared output fields, cycles (peeled level by level
in the database, Kahn's algorithm), the default batch id (read back in file order). Only then,
in the same transaction, are the jobs, their work rows and the budget written: a refused file
leaves nothing behind.

The same file submitted again finds its batch id in the journal and loads nothing (a new
``max_credits`` is applied and the jobs it held are reopened); another batch is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._claims import QUEUE_META, QUEUE_SCHEMA, QUEUE_VERSION, check_queue_version
from ._errors import BatchFileError, BatchJournalError, BatchStorageError, FileProblem
from ._jobs import MAX_PROBLEMS, Reference, _output_problem, _problems_of_line, canonical_json
from ._journal_base import COLUMNS, REFERENCES_META
from ._journal_postgres import PostgresJournal, _psycopg, _reason, is_postgres_url

__all__ = ["SubmitSummary", "submit_batch"]

_STAGING = """CREATE TEMP TABLE cannon_submit (
    seq INTEGER NOT NULL,
    line INTEGER NOT NULL,
    given TEXT,
    base TEXT NOT NULL,
    operation TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    refs TEXT,
    deps TEXT NOT NULL,
    id TEXT,
    waiting INTEGER NOT NULL DEFAULT 0,
    peeled BOOLEAN NOT NULL DEFAULT false
) ON COMMIT DROP"""

_PEEL = """DO $$
BEGIN
  CREATE TEMP TABLE cannon_frontier ON COMMIT DROP AS
    SELECT id FROM cannon_submit WHERE waiting = 0;
  CREATE TEMP TABLE cannon_next (id TEXT) ON COMMIT DROP;
  LOOP
    EXIT WHEN NOT EXISTS (SELECT 1 FROM cannon_frontier);
    UPDATE cannon_submit s SET peeled = true FROM cannon_frontier f WHERE s.id = f.id;
    WITH moved AS (
      UPDATE cannon_submit s SET waiting = s.waiting - c.n
      FROM (SELECT e.job_id, count(*) AS n FROM cannon_submit_edges e
            JOIN cannon_frontier f ON e.from_id = f.id GROUP BY e.job_id) c
      WHERE s.id = c.job_id RETURNING s.id, s.waiting
    )
    INSERT INTO cannon_next SELECT id FROM moved WHERE waiting = 0;
    DELETE FROM cannon_frontier;
    INSERT INTO cannon_frontier SELECT id FROM cannon_next;
    DELETE FROM cannon_next;
  END LOOP;
END $$"""
"""Kahn's algorithm in the database: mark the jobs whose references are all resolved, level by
level; a job never marked is on (or after) a cycle."""


@dataclass(frozen=True)
class SubmitSummary:
    """What ``submit_batch`` did.

    Attributes:
        batch_id: the batch id (the idempotency keys derive from it).
        journal: where the journal is (no password).
        jobs: jobs in the file.
        loaded: jobs written to the journal now (0 when the batch was submitted before).
        chained: jobs taking values from other jobs.
        max_credits: the batch's budget (``None``: none).
        already_submitted: the journal already held this batch; nothing was loaded.
        elapsed_s: SECONDS it took.
    """

    batch_id: str
    journal: str
    jobs: int
    loaded: int
    chained: int
    max_credits: int | None
    already_submitted: bool
    elapsed_s: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "batch_id": self.batch_id,
            "journal": self.journal,
            "jobs": self.jobs,
            "loaded": self.loaded,
            "chained": self.chained,
            "max_credits": self.max_credits,
            "already_submitted": self.already_submitted,
            "elapsed_s": round(self.elapsed_s, 3),
        }


def _lines(path: Path) -> Iterator[tuple[int, Any, FileProblem | None]]:
    with path.open(encoding="utf-8") as handle:
        for line_no, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield line_no, json.loads(text), None
            except ValueError as exc:
                yield line_no, None, FileProblem(line_no, None, f"not valid JSON ({exc})")
            except RecursionError:
                yield line_no, None, FileProblem(line_no, None, "nested too deeply")


def _items(jobs: Iterable[Mapping[str, Any]]) -> Iterator[tuple[int, Any, FileProblem | None]]:
    for n, item in enumerate(jobs, start=1):
        yield n, dict(item), None


def _copy_lines(
    items: Iterator[tuple[int, Any, FileProblem | None]], copy: Any, problems: list[FileProblem]
) -> int:
    """Check each line and ``COPY`` the good ones; the number of good ones."""
    seq = 0
    for line_no, data, problem in items:
        if len(problems) >= MAX_PROBLEMS:
            break
        if problem is not None:
            problems.append(problem)
            continue
        checked = _problems_of_line(line_no, data, problems)
        if checked is None:
            continue
        given, operation, input_, webhook_url, refs = checked
        body: dict[str, Any] = {"operation": operation, "input": input_}
        if webhook_url is not None:
            body["webhook_url"] = webhook_url
        text = canonical_json(body)
        digest = hashlib.sha256(text.encode()).hexdigest()
        copy.write_row(
            (
                seq,
                line_no,
                given,
                f"job-{digest[:12]}",
                operation,
                digest,
                text,
                json.dumps([[r.job_id, r.output, r.field] for r in refs]) if refs else None,
                json.dumps(list(dict.fromkeys(r.job_id for r in refs))),
            )
        )
        seq += 1
    return seq


def _sql_problems(db: Any) -> list[FileProblem]:
    """Ids, references and cycles, checked in the database."""
    problems: list[FileProblem] = []
    db.execute("UPDATE cannon_submit SET id = given WHERE given IS NOT NULL")
    db.execute(
        "UPDATE cannon_submit s SET id = CASE WHEN d.n = 1 THEN s.base ELSE s.base || '-' || d.n "
        "END FROM (SELECT seq, row_number() OVER (PARTITION BY base ORDER BY seq) AS n "
        "FROM cannon_submit WHERE given IS NULL) d WHERE s.seq = d.seq"
    )
    db.execute("CREATE INDEX ON cannon_submit (id)")
    for line, job_id, first in db.execute(
        "SELECT line, id, first FROM (SELECT line, id, min(line) OVER (PARTITION BY lower(id)) "
        "AS first FROM cannon_submit) x WHERE line <> first ORDER BY line LIMIT %s",
        (MAX_PROBLEMS,),
    ).fetchall():
        problems.append(
            FileProblem(
                line,
                "id",
                f"duplicate job id {job_id!r} (first on line {first}; ids must differ in more "
                "than letter case, they name directories)",
                job_id,
            )
        )
    db.execute(
        "CREATE TEMP TABLE cannon_submit_refs ON COMMIT DROP AS "
        "SELECT s.line, s.id AS job_id, r->>0 AS from_id, r->>1 AS output, r->>2 AS field "
        "FROM cannon_submit s, jsonb_array_elements(s.refs::jsonb) r WHERE s.refs IS NOT NULL"
    )
    for line, field, from_id, job_id in db.execute(
        "SELECT r.line, r.field, r.from_id, r.job_id FROM cannon_submit_refs r "
        "LEFT JOIN cannon_submit s ON s.id = r.from_id WHERE s.id IS NULL "
        "ORDER BY r.line LIMIT %s",
        (MAX_PROBLEMS,),
    ).fetchall():
        problems.append(FileProblem(line, f"{field}.from", f"unknown job id {from_id!r}", job_id))
    pairs = db.execute(
        "SELECT DISTINCT s.operation, r.output FROM cannon_submit_refs r "
        "JOIN cannon_submit s ON s.id = r.from_id"
    ).fetchall()
    for operation, output in pairs:
        if _output_problem(Reference("x", output, ()), operation) is None:
            continue
        for line, field, from_id, job_id in db.execute(
            "SELECT r.line, r.field, r.from_id, r.job_id FROM cannon_submit_refs r "
            "JOIN cannon_submit s ON s.id = r.from_id WHERE s.operation = %s AND r.output = %s "
            "ORDER BY r.line LIMIT %s",
            (operation, output, MAX_PROBLEMS),
        ).fetchall():
            message = _output_problem(Reference(from_id, output, ()), operation)
            problems.append(FileProblem(line, f"{field}.output", message or "", job_id))
    if problems:
        return problems
    db.execute(
        "CREATE TEMP TABLE cannon_submit_edges ON COMMIT DROP AS "
        "SELECT DISTINCT from_id, job_id FROM cannon_submit_refs"
    )
    db.execute("CREATE INDEX ON cannon_submit_edges (from_id)")
    db.execute(
        "UPDATE cannon_submit s SET waiting = c.n FROM (SELECT job_id, count(*) AS n "
        "FROM cannon_submit_edges GROUP BY job_id) c WHERE s.id = c.job_id"
    )
    db.execute(_PEEL)
    left = db.execute("SELECT id FROM cannon_submit WHERE NOT peeled LIMIT 1").fetchone()
    if left is not None:
        problems.append(_cycle(db, left[0]))
    return problems


def _cycle(db: Any, start: str) -> FileProblem:
    """Follow references among the unpeeled jobs from ``start`` until one repeats: the cycle,
    named at the line and field of the reference that closes it."""
    path = [start]
    while True:
        row = db.execute(
            "SELECT e.from_id FROM cannon_submit_edges e JOIN cannon_submit s "
            "ON s.id = e.from_id WHERE e.job_id = %s AND NOT s.peeled LIMIT 1",
            (path[-1],),
        ).fetchone()
        nxt = row[0]
        if nxt in path:
            cycle = [*path[path.index(nxt) :], nxt]
            break
        path.append(nxt)
    closing, target = cycle[-2], cycle[-1]
    line, field = db.execute(
        "SELECT line, field FROM cannon_submit_refs WHERE job_id = %s AND from_id = %s LIMIT 1",
        (closing, target),
    ).fetchone()
    return FileProblem(
        line, f"{field}.from", "the references form a cycle: " + " -> ".join(cycle), closing
    )


def _default_batch_id(db: Any) -> str:
    """``batch_id_for`` over the jobs in file order, read back in pages (constant memory)."""
    digest = hashlib.sha256()
    with db.cursor(name="cannon_submit_ids") as cursor:
        cursor.itersize = 10_000
        cursor.execute("SELECT id, content_hash FROM cannon_submit ORDER BY seq")
        for job_id, content_hash in cursor:
            digest.update(f"{job_id}\0{content_hash}\n".encode())
    return digest.hexdigest()[:24]


def _load(db: Any, batch_id: str, source: str, jobs: int, max_credits: int | None) -> None:
    """Write the jobs, their work rows, the edges, the meta and the budget."""
    now = time.time()
    names = ", ".join(COLUMNS)
    db.execute(
        f"INSERT INTO cannon_batch_jobs ({names}) SELECT id, seq, line, operation, "
        "content_hash, 'pending', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, %s "
        "FROM cannon_submit",
        (now,),
    )
    db.execute(
        "INSERT INTO cannon_batch_work (id, seq, body, deps, waiting, stage) "
        "SELECT id, seq, body, ARRAY(SELECT jsonb_array_elements_text(deps::jsonb)), "
        "jsonb_array_length(deps::jsonb), 'fresh' FROM cannon_submit"
    )
    db.execute("INSERT INTO cannon_batch_edges SELECT from_id, job_id FROM cannon_submit_edges")
    meta = {
        "batch_id": batch_id,
        "shard": "all",
        "source": source,
        "jobs_in_file": str(jobs),
        "rerun_of": "",
        QUEUE_META: str(QUEUE_VERSION),
    }
    db.cursor().executemany(
        "INSERT INTO cannon_batch_meta(key, value) VALUES (%s, %s) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(meta.items()),
    )
    db.execute(
        "INSERT INTO cannon_batch_meta(key, value) SELECT %s, "
        "coalesce(json_object_agg(id, refs::json ORDER BY seq), '{}')::text "
        "FROM cannon_submit WHERE refs IS NOT NULL "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (REFERENCES_META,),
    )
    db.execute(
        "INSERT INTO cannon_batch_budget(name, max_credits, charged) VALUES ('batch', %s, 0)",
        (max_credits,),
    )


def _again(db: Any, max_credits: int | None) -> None:
    """The batch was submitted before: a given ``max_credits`` replaces the budget, and the jobs
    it held go back to pending."""
    if max_credits is None:
        return
    db.execute(
        "UPDATE cannon_batch_budget SET max_credits = %s WHERE name = 'batch'", (max_credits,)
    )
    db.execute(
        "UPDATE cannon_batch_jobs SET state = 'pending', updated_at = %s WHERE state = 'held'",
        (time.time(),),
    )


def submit_batch(
    jobs: str | os.PathLike[str] | Iterable[Mapping[str, Any]],
    journal: str,
    *,
    batch_id: str | None = None,
    max_credits: int | None = None,
) -> SubmitSummary:
    """Validate a job file line by line and load its jobs into a shared journal, once.

    Workers (``run_worker``, ``cannon-studio batch worker``) on any machine then claim and run
    them. Nothing is sent to the API here. Memory stays flat whatever the file's length: the
    checks that need the whole file run in the database.

    Args:
        jobs: a JSON Lines job file (path), or the jobs as mappings (``{"id"?, "operation",
            "input", "webhook_url"?}``, numbered from 1 like lines).
        journal: the journal's URL (``postgresql://user@host:port/db``; one batch per
            database or schema, chosen with ``options=-csearch_path=...``).
        batch_id: the id the idempotency keys derive from (default: a hash of every job's id
            and content, so the same file gives the same id on any machine).
        max_credits: the batch's budget in credits, enforced across all workers (``None``:
            none). Submitting the same file again with a new value replaces it.

    Returns:
        ``SubmitSummary`` (``already_submitted`` and ``loaded == 0`` when the journal held
        this batch already).

    Raises:
        BatchFileError: lines refused (line and field named, at most 50), duplicate ids,
            unknown references, a cycle; nothing is written.
        BatchJournalError: not a PostgreSQL URL, the journal holds another batch, another
            journal or queue format, psycopg missing.
        BatchStorageError: the server cannot be reached or refused the write.
        ValueError: a negative ``max_credits``.
    """
    started = time.monotonic()
    if not is_postgres_url(journal):
        raise BatchJournalError(
            "batch submit loads a shared PostgreSQL journal (postgresql://...); on one "
            "machine run cannon-studio batch FILE --out DIR"
        )
    if max_credits is not None and (isinstance(max_credits, bool) or max_credits < 0):
        raise ValueError("max_credits must be a number of credits >= 0")
    from_file = isinstance(jobs, str | os.PathLike)
    source = os.fspath(jobs) if isinstance(jobs, str | os.PathLike) else "<mappings>"
    with PostgresJournal(journal) as base:  # creates the journal's tables, checks its version
        location = base.location
    psycopg = _psycopg()
    try:
        db = psycopg.connect(journal, connect_timeout=10)
    except psycopg.Error as exc:
        raise BatchStorageError(location, _reason(exc)) from None
    try:
        with db:
            return _submit(db, jobs, from_file, source, location, batch_id, max_credits, started)
    except psycopg.Error as exc:
        raise BatchStorageError(location, _reason(exc)) from None
    finally:
        db.close()


def _submit(
    db: Any,
    jobs: str | os.PathLike[str] | Iterable[Mapping[str, Any]],
    from_file: bool,
    source: str,
    location: str,
    batch_id: str | None,
    max_credits: int | None,
    started: float,
) -> SubmitSummary:
    db.execute("SELECT pg_advisory_xact_lock(hashtext('cannon_batch'))")
    for statement in QUEUE_SCHEMA:
        db.execute(statement)
    meta = dict(db.execute("SELECT key, value FROM cannon_batch_meta").fetchall())
    check_queue_version(meta.get(QUEUE_META), location)
    db.execute(_STAGING)
    problems: list[FileProblem] = []
    items = _lines(Path(source)) if from_file else _items(jobs)  # type: ignore[arg-type]
    try:
        with db.cursor().copy(
            "COPY cannon_submit (seq, line, given, base, operation, content_hash, body, refs, "
            "deps) FROM STDIN"
        ) as copy:
            count = _copy_lines(items, copy, problems)
    except OSError as exc:
        raise BatchFileError(
            [FileProblem(0, None, f"cannot read the file: {exc.strerror or exc}")], source=source
        ) from None
    except UnicodeDecodeError as exc:
        raise BatchFileError(
            [FileProblem(0, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")],
            source=source,
        ) from None
    if len(problems) < MAX_PROBLEMS:
        problems += _sql_problems(db)
    if not count and not problems:
        problems.append(FileProblem(0, None, "no jobs (the file is empty)"))
    if problems:
        problems.sort(key=lambda p: p.line)
        raise BatchFileError(problems[:MAX_PROBLEMS], source=source)
    chosen = batch_id or _default_batch_id(db)
    chained = db.execute("SELECT count(*) FROM cannon_submit WHERE refs IS NOT NULL").fetchone()[0]
    old = meta.get("batch_id")
    if old is not None:
        if old != chosen or QUEUE_META not in meta:
            raise BatchJournalError(
                f"{location} already holds batch {old} ({meta.get('jobs_in_file', '?')} jobs "
                f"from {meta.get('source', '?')}); one journal holds one batch, so give this "
                "one another database (or schema: options=-csearch_path=NAME)"
            )
        _again(db, max_credits)
        budget = db.execute(
            "SELECT max_credits FROM cannon_batch_budget WHERE name = 'batch'"
        ).fetchone()
        return SubmitSummary(
            chosen,
            location,
            count,
            0,
            int(chained),
            None if budget is None or budget[0] is None else int(budget[0]),
            True,
            time.monotonic() - started,
        )
    _load(db, chosen, source, count, max_credits)
    return SubmitSummary(
        chosen,
        location,
        count,
        count,
        int(chained),
        max_credits,
        False,
        time.monotonic() - started,
    )
