"""The ``cannon-studio`` root group: the global options, and every command group added to it.

The commands live one group per module: ``_request_commands`` (run, get, wait, download),
``_info_commands`` (status, operations), ``_webhook``, ``_sandbox``, ``_batch``, ``_schema``;
their shared state is ``_state``, the per-operation ``run`` commands are built by
``_operation_commands``.

Every command accepts ``--json`` (machine-readable stdout); human output otherwise. Progress
goes to stderr, results to stdout. Library errors are translated by
:func:`cannon_studio.cli._exit_codes.translate_errors` into one-line messages and exit codes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from cannon_studio.cli._batch import batch
from cannon_studio.cli._batch_shared import shared_journal_commands
from cannon_studio.cli._exit_codes import EXIT_CODES_HELP, CliError, click_error_details, json_error
from cannon_studio.cli._info_commands import operations, status
from cannon_studio.cli._request_commands import download, get, run, wait
from cannon_studio.cli._sandbox import sandbox
from cannon_studio.cli._schema import schema
from cannon_studio.cli._state import JSON_HELP, AppState, configure_logging
from cannon_studio.cli._webhook import webhook

__all__ = ["cli"]


def _wants_json(argv: Sequence[str]) -> bool:
    """``--json`` among the arguments (before a ``--``), wherever it stands."""
    head = list(argv)
    if "--" in head:
        head = head[: head.index("--")]
    return "--json" in head


class _CliGroup(click.Group):
    """The ``cannon-studio`` group: with ``--json`` every user error, click's own usage errors
    included, also prints the documented ``{"error": {...}}`` object on stdout."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        wants_json = _wants_json(argv)
        try:
            result = super().main(argv, prog_name, complete_var, False, **extra)
        except CliError as exc:  # decides itself: results (a failed request) are JSON already
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            if wants_json:
                click.echo(
                    json_error(exc.format_message(), exc.exit_code, click_error_details(exc))
                )
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            if wants_json:
                click.echo(json_error("aborted", 1, {"type": "Abort"}))
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(
    cls=_CliGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP,
)
@click.option(
    "--base-url",
    envvar="CANNON_BASE_URL",
    show_envvar=True,
    metavar="URL",
    help="API base URL (default https://www.cannonstudio.app; the sandbox prints its own).",
)
@click.option(
    "--api-key",
    envvar="CANNON_API_KEY",
    show_envvar=True,
    metavar="KEY",
    help="API key (prefer the environment variable: flags end up in shell history).",
)
@click.option("--json", "json_output", is_flag=True, help=JSON_HELP)
@click.option("-v", "--verbose", is_flag=True, help="Log HTTP calls and retries to stderr.")
@click.version_option(package_name="cannon-studio", prog_name="cannon-studio")
@click.pass_context
def cli(
    ctx: click.Context, base_url: str | None, api_key: str | None, json_output: bool, verbose: bool
) -> None:
    """Drive the Cannon Studio async media-generation API from a shell.

    \b
    Examples:
      cannon-studio status
      cannon-studio operations image.generate
      cannon-studio run image.generate --prompt "A lighthouse at dusk" --aspect-ratio 16:9 --download out/
      cannon-studio run video.generate --prompt "..." --no-wait --json
      cannon-studio wait req_1 req_2 --max-wait 600
      cannon-studio sandbox --port 8787
    """
    state = ctx.ensure_object(AppState)
    state.base_url = base_url or None
    state.api_key = api_key or None
    state.json = state.json or json_output
    state.verbose = verbose
    ctx.call_on_close(configure_logging(state))
    ctx.call_on_close(state.close)


for _batch_command in shared_journal_commands:
    batch.add_command(_batch_command)

for _command in (status, operations, run, get, wait, download, webhook, sandbox, batch, schema):
    cli.add_command(_command)
