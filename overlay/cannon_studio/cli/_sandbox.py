"""``cannon-studio sandbox``: run the local reference server.

The sandbox is reached through the distribution's ``cannon_studio.commands`` entry point, never
imported: ``cannon_studio`` does not depend on ``cannon_studio_sandbox`` (an import contract in
``make lint`` checks it). Without the ``[sandbox]`` extra it names the extra and exits 2.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from importlib.metadata import entry_points

import click

from cannon_studio.cli._exit_codes import CliError, ExitCode

__all__ = ["SANDBOX_EXTRA_MODULES", "sandbox"]

SANDBOX_EXTRA_MODULES = ("starlette", "uvicorn", "jsonschema", "PIL", "av", "pygltflib")
"""What ``cannon-studio sandbox`` imports (the ``[sandbox]`` extra)."""


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sandbox(args: Sequence[str]) -> None:
    """Run the local reference server (all arguments go to it; see `cannon-studio sandbox --help`).

    \b
        cannon-studio sandbox --host 127.0.0.1 --port 8787 [--api-key KEY] [--instant]
            [--webhook-secret S]
    """
    missing = [name for name in SANDBOX_EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise CliError(
            f"cannon-studio sandbox needs the [sandbox] extra, which is not installed "
            f"({missing[0]} is missing): pip install 'cannon-studio[sandbox]'",
            ExitCode.USAGE,
            details={"type": "MissingExtra", "extra": "sandbox", "missing": missing},
        )
    # Through the distribution's entry point, never an import: cannon_studio does not depend
    # on cannon_studio_sandbox (an import contract in `make lint` checks it).
    found = entry_points(group="cannon_studio.commands", name="sandbox")
    try:
        command = next(iter(found)).load()
    except (ImportError, StopIteration) as exc:
        raise CliError(
            f"cannot load the sandbox ({type(exc).__name__}: {exc}); "
            "reinstall with pip install 'cannon-studio[sandbox]'",
            ExitCode.USAGE,
        ) from None
    code = command(list(args))
    click.get_current_context().exit(int(code or 0))
