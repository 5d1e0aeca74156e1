"""The journal interface: the SQLite journal is a ``BatchJournal``; schema versions other than
its own are refused with a sentence, never migrated by guess; storage failures are not "not a
journal"; a URL of a database without a backend is refused."""

from __future__ import annotations

import sqlite3
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
