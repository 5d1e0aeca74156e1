"""Where ``cannon-studio batch --out`` points: a local directory or ``s3://bucket/prefix``.

``--out`` keeps an ``s3://`` URL as it is (a ``Path`` would fold its ``//``) and checks a local
directory as before; ``--storage-option KEY=VALUE`` (repeatable) goes to the object store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from cannon_studio.batch._storage import Output, is_remote, parse_storage_options

__all__ = [
    "OUT_HELP",
    "STORAGE_OPTION_HELP",
    "out_value",
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
