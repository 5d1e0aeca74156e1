"""The ``cannon-studio`` command line (extra ``[cli]``: click + rich).

``main`` is the console-script entry point (``cannon_studio.cli:main``). The commands live in
:mod:`cannon_studio.cli._app`; ``cannon_studio.cli.cli`` is the click group (for ``CliRunner``).

Exit codes: 0 success, 1 request failed, 2 usage error, 3 API error, 4 timeout
(see :class:`cannon_studio.cli._exit_codes.ExitCode`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click

__all__ = ["cli", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``cannon-studio`` with ``argv`` (default ``sys.argv[1:]``); exits the process.

    Raises:
        SystemExit: always, with the command's exit code (2 when click or rich is missing).
    """
    try:
        from cannon_studio.cli._app import cli as group
    except ImportError as exc:  # the [cli] extra is not installed
        if exc.name not in ("click", "rich") and not str(exc.name).startswith(("click.", "rich.")):
            raise
        sys.stderr.write(
            f"cannon-studio needs the [cli] extra, which is not installed ({exc.name} is "
            "missing): pip install 'cannon-studio[cli]'\n"
        )
        raise SystemExit(2) from None
    group.main(args=list(argv) if argv is not None else None, prog_name="cannon-studio")


def __getattr__(name: str) -> Any:
    if name == "cli":
        from cannon_studio.cli._app import cli as group

        return group
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    cli: click.Group
