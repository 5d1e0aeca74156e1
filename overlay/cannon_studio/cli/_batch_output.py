"""Where ``cannon-studio batch --out`` points: a local directory or ``s3://bucket/prefix``.

``--out`` keeps an ``s3://`` URL as it is (a ``Path`` would fold its ``//``) and checks a local
directory as before; ``--storage-option KEY=VALUE`` (repeatable) goes to the object store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from cannon_studio.batch import BatchJournalError, BatchStorageError, open_journal
from cannon_studio.batch._html_store import write_html_report_to_store
from cannon_studio.batch._storage import ObjectStore, Output, is_remote, parse_storage_options
from cannon_studio.cli._exit_codes import CliError, ExitCode

__all__ = [
    "OUT_HELP",
    "STORAGE_OPTION",
    "STORAGE_OPTION_HELP",
    "out_value",
    "report_page_in_store",
    "resume_storage_words",
    "storage_options",
]

OUT_HELP = (
    "Directory for the files (DIR/<job id>/), the journal and report.jsonl; or s3://BUCKET/PREFIX "
    "for the files and the report (needs cannon-studio[s3] and --journal)."
)

STORAGE_OPTION_HELP = (
    "KEY=VALUE for the s3:// output's file system (repeatable), e.g. "
    "endpoint_url=http://127.0.0.1:9000 for an S3-compatible server; credentials come from the "
    "AWS environment or ~/.aws, never from here."
)

STORAGE_OPTION = click.option(
    "--storage-option",
    "storage_option",
    multiple=True,
    metavar="KEY=VALUE",
    help=STORAGE_OPTION_HELP,
)
"""The ``--storage-option KEY=VALUE`` flag (repeatable) of the commands that take an s3:// place."""

_SECRET_NAMES = ("key", "secret", "token", "password")
"""Option names never echoed back in a resume command (they hold credentials)."""


def out_value(ctx: click.Context, param: click.Parameter, value: str) -> str | Path:
    """``--out``'s callback: an ``s3://`` URL kept as text, else a local directory (``Path``,
    checked as ``click.Path(file_okay=False)`` checks it)."""
    if is_remote(value):
        return value
    path: Path = click.Path(file_okay=False, path_type=Path).convert(value, param, ctx)
    return path


def storage_options(pairs: Sequence[str], out: str | Path) -> dict[str, str] | None:
    """The ``--storage-option`` pairs as a dict (None when none were given).

    Raises:
        click.BadParameter: a pair without ``=``, or options with a local ``--out``.
    """
    if not pairs:
        return None
    if not is_remote(out):
        raise click.BadParameter("applies to s3:// outputs only", param_hint="--storage-option")
    try:
        return parse_storage_options(pairs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--storage-option") from None


def resume_storage_words(options: Mapping[str, str] | None) -> list[str]:
    """``--storage-option KEY=VALUE`` words for the resume command; options whose name says
    they hold a credential are left out (the user gives them again)."""
    words: list[str] = []
    for key, value in (options or {}).items():
        if not any(secret in key.lower() for secret in _SECRET_NAMES):
            words += ["--storage-option", f"{key}={value}"]
    return words


def report_place(out: Output) -> str:
    """Where ``report.jsonl`` of an output is, for the messages."""
    return f"{out}/report.jsonl" if not isinstance(out, Path) else str(out / "report.jsonl")


def report_page_in_store(
    store: ObjectStore, journal: str | None, page: Path, *, json_output: bool
) -> str:
    """Write the HTML report of an object-store output under its prefix, named as ``page``'s
    file name (so its relative links reach the job folders); its ``s3://`` URL.

    ``journal``: the run's journal (a file or a ``postgresql://`` URL), or None to read the
    store's ``report.jsonl``.

    Raises:
        CliError: the journal cannot be read or the store refused (exit code 2).
    """
    try:
        if journal is None:
            return write_html_report_to_store(store, None, page=page.name)
        with open_journal(journal, readonly=True) as reader:
            return write_html_report_to_store(store, reader, page=page.name)
    except (BatchJournalError, BatchStorageError, OSError, ValueError) as exc:
        raise CliError(
            f"cannot write the HTML report into {store}: {exc}",
            ExitCode.USAGE,
            json_output=json_output,
        ) from None
