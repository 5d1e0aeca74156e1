"""The ``cannon-studio`` command line (extra ``[cli]``: click + rich).

``main`` is the console-script entry point (``cannon_studio.cli:main``). The root group lives in
:mod:`cannon_studio.cli._app`, the commands one group per module beside it (``_request_commands``,
``_info_commands``, ``_webhook``, ``_sandbox``, ``_batch``, ``_schema``); ``cannon_studio.cli.cli``
is the click group (for ``CliRunner``). ``RequestProgress`` (the live display of requests the
commands show) and ``status_style`` (the colour of a status) are public for scripts that show
progress the same way.
Without the extra this module still imports, and ``main`` names the missing package.

Exit codes: 0 success, 1 request failed, 2 usage error, 3 API error, 4 timeout
(see :class:`cannon_studio.cli._exit_codes.ExitCode`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["RequestProgress", "cli", "main", "status_style"]

_missing_extra: str | None = None
"""The package of the [cli] extra that is not installed (``click``/``rich``), else ``None``."""

try:
    from cannon_studio.cli._app import cli
    from cannon_studio.cli._progress import RequestProgress, status_style
except ImportError as exc:  # the [cli] extra is not installed: guard of an optional extra
    if exc.name not in ("click", "rich") and not str(exc.name).startswith(("click.", "rich.")):
        raise
    _missing_extra = exc.name


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``cannon-studio`` with ``argv`` (default ``sys.argv[1:]``); exits the process.

    Raises:
        SystemExit: always, with the command's exit code (2 when click or rich is missing).
    """
    if _missing_extra is not None:
        sys.stderr.write(
            f"cannon-studio needs the [cli] extra, which is not installed ({_missing_extra} is "
            "missing): pip install 'cannon-studio[cli]'\n"
        )
        raise SystemExit(2)
    cli.main(args=list(argv) if argv is not None else None, prog_name="cannon-studio")
