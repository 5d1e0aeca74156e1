"""The journal interface: the SQLite journal is a ``BatchJournal``; schema versions other than
its own are refused with a sentence, never migrated by guess; storage failures are not "not a
journal"; a URL of a database without a backend is refused."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cannon_studio.batch import (
    SCHEMA_VERSION,
    BatchJournal,
    BatchJournalError,
    JobRow,
    Journal,
    SQLiteJournal,
    open_journal,
)
from cannon_studio.batch._journal import GROUP_COMMIT_S
from cannon_studio.batch._report import report_rows


def _set_version(path: Path, version: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (version,))


def test_the_sqlite_journal_is_a_batch_journal(tmp_path: Path) -> None:
    with open_journal(tmp_path / "journal.sqlite") as journal:
        assert isinstance(journal, BatchJournal)
        assert isinstance(journal, SQLiteJournal)
        assert Journal is SQLiteJournal
        assert journal.meta()["schema_version"] == str(SCHEMA_VERSION)
        journal.add([JobRow("a", 0, 1, "image.generate", "h")])
        journal.update("a", state="creating", idempotency_key="k", detail="first")
        assert journal.rows()["a"].idempotency_key == "k"
        assert [e["state"] for e in journal.events()] == ["creating"]
        assert [row.id for row in report_rows(journal)] == ["a"]
        with pytest.raises(ValueError, match="not journal columns"):
            journal.update("a", seq=3)
    with open_journal(tmp_path / "journal.sqlite", readonly=True) as reader:
        assert reader.rows()["a"].state == "creating"


def _committed_state(path: Path, job_id: str) -> str:
    """The job's state as another connection sees it (committed changes only)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return str(db.execute("SELECT state FROM jobs WHERE id=?", (job_id,)).fetchone()[0])


def test_gathered_changes_are_committed_together_within_the_gathering_time(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal(path) as journal:
        journal.add(
            [JobRow(job_id, n, n + 1, "image.generate", "h") for n, job_id in enumerate("abc")]
        )
        journal.update("a", state="creating", idempotency_key="ka")  # durable: visible at once
        assert _committed_state(path, "a") == "creating"
        journal.update("a", durable=False, state="queued", request_id="req_a")
        assert journal.rows()["a"].state == "queued", "this process sees it at once"
        deadline = time.monotonic() + 5.0  # GROUP_COMMIT_S, with room for a loaded machine
        while _committed_state(path, "a") != "queued":
            assert time.monotonic() < deadline, "a gathered change was never committed"
            time.sleep(GROUP_COMMIT_S / 5)
        # a durable change commits the changes gathered before it, in order, with it
        journal.update("b", durable=False, state="creating", idempotency_key="kb")
        journal.update("c", state="creating", idempotency_key="kc")
        assert _committed_state(path, "b") == "creating"
        assert _committed_state(path, "c") == "creating"
        journal.update("b", durable=False, state="queued", request_id="req_b")
    assert _committed_state(path, "b") == "queued", "closing commits what was gathered"
    with Journal(path, readonly=True) as reader:
        history = [(e["job_id"], e["state"]) for e in reader.events()]
    assert history == [
        ("a", "creating"),
        ("a", "queued"),
        ("b", "creating"),
        ("c", "creating"),
        ("b", "queued"),
    ]


def test_a_process_killed_while_changes_are_gathered_keeps_every_durable_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite"
    script = f"""
import os, signal
from cannon_studio.batch import JobRow, Journal
journal = Journal({str(path)!r})
journal.add([JobRow(f"j{{n}}", n, n + 1, "image.generate", "h") for n in range(50)])
for n in range(50):
    journal.update(f"j{{n}}", state="creating", idempotency_key=f"k{{n}}")
    journal.update(f"j{{n}}", durable=False, state="queued", request_id=f"req_{{n}}")
os.kill(os.getpid(), signal.SIGKILL)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with Journal(path, readonly=True) as reader:
        rows = reader.rows()
    assert len(rows) == 50
    # every intent to create survived; a queued change is at most the gathering time behind
    assert all(rows[f"j{n}"].idempotency_key == f"k{n}" for n in range(50))
    assert all(rows[f"j{n}"].state in ("creating", "queued") for n in range(50))
    assert all(rows[f"j{n}"].state == "queued" for n in range(49)), (
        "each durable write commits those before it"
    )


@pytest.mark.parametrize(
    ("version", "says"),
    [
        (str(SCHEMA_VERSION + 1), "written by a newer cannon-studio"),
        ("0", "no migration is known"),
        ("two", "is not a batch journal"),
    ],
)
def test_another_schema_version_is_refused_not_migrated(
    tmp_path: Path, version: str, says: str
) -> None:
    path = tmp_path / "journal.sqlite"
    with open_journal(path) as journal:
        journal.add([JobRow("a", 0, 1, "image.generate", "h")])
    _set_version(path, version)
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(BatchJournalError, match=says):
            open_journal(path, readonly=readonly)
    assert path.read_bytes() == before, "a refused journal is not rewritten"


def test_a_file_that_is_not_a_journal_says_so(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    path.write_bytes(b"these are not the pages of a database " * 200)
    with pytest.raises(BatchJournalError, match="is not a batch journal"):
        open_journal(path)


def test_an_unknown_database_url_is_refused_with_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(BatchJournalError, match="give a file path") as caught:
        open_journal("mysql://user:secret@127.0.0.1:1/batch")
    assert "secret" not in str(caught.value)
