"""``cannon-studio schema``: is the API still the one this client was generated from?

\b
cannon-studio schema check [--url URL] [--fail-on LEVEL] [--format FMT]   live vs installed
cannon-studio schema diff OLD NEW [--fail-on LEVEL] [--format FMT]        any two schemas

The drift engine is :mod:`cannon_studio_schema.drift`; these commands need only the ``[cli]``
extra, so a team that installs cannon-studio from PyPI can gate its own CI on them.

Exit codes: 0 no change at the ``--fail-on`` level or above (default ``breaking``); 1 a change
at that level or above (every change is printed with its check id and level); 2 a schema could
not be fetched, read or compared (one sentence on stderr), or bad usage.
"""

from __future__ import annotations

import click
from cannon_studio_schema import SchemaError
from cannon_studio_schema.drift import (
    BREAKING,
    FORMATS,
    INFO,
    WARNING,
    DriftReport,
    check_installed,
    compare_sources,
    resolve_source,
)

from cannon_studio._constants import DEFAULT_BASE_URL
from cannon_studio.cli._exit_codes import CliError, ExitCode
from cannon_studio.cli._render import echo_json
from cannon_studio.cli._state import current_state

__all__ = ["schema"]

EXIT_CODES = """\b
Exit codes:
  0  no change at the --fail-on level or above (changes below it are still printed)
  1  a change at the --fail-on level or above (breaking by default)
  2  a schema could not be fetched, read or compared; or bad usage
"""


def _api_key() -> tuple[str | None, str]:
    """The API key (``--api-key`` / ``CANNON_API_KEY``) and the only origin it may go to:
    ``--base-url`` / ``CANNON_BASE_URL`` (default the live API), over https or http on loopback
    (``cannon_studio_schema.source.key_allowed``). A schema URL on another origin is fetched
    without the key (a note on stderr says so), and no redirect leaves the URL's origin."""
    state = current_state()
    return state.api_key, state.base_url or DEFAULT_BASE_URL


def _note(text: str) -> None:
    click.echo(f"note: {text}", err=True)


def _emit(report: DriftReport, fmt: str | None, json_flag: bool) -> None:
    if fmt is None:
        fmt = "json" if json_flag or current_state().json else "text"
    if fmt == "json":
        echo_json(report.to_json())
    else:
        click.echo(report.render(fmt))
    click.get_current_context().exit(report.exit_code)


def _unavailable(exc: SchemaError) -> CliError:
    # 2 is also click's usage status; both mean "nothing was compared".
    return CliError(str(exc), ExitCode.USAGE, json_output=current_state().json)


_JSON = click.option(
    "--json", "json_flag", is_flag=True, help="Print the report as JSON (same as --format json)."
)
_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="text (default), json, markdown (a CI job summary) or github (Actions annotations).",
)
_FAIL_ON = click.option(
    "--fail-on",
    type=click.Choice((BREAKING, WARNING, INFO)),
    default=BREAKING,
    show_default=True,
    help="The lowest level of change that makes the exit code 1.",
)


@click.group(epilog=EXIT_CODES)
def schema() -> None:
    """Compare API schemas: the live one with the installed client's, or any two."""


@schema.command("check", epilog=EXIT_CODES)
@click.option(
    "--url",
    metavar="URL",
    help="The schema to check, a URL or a file (default: $CANNON_OPENAPI_URL, else "
    "https://www.cannonstudio.app/api/v1/openapi).",
)
@_FAIL_ON
@_FORMAT
@_JSON
def check(url: str | None, fail_on: str, fmt: str | None, json_flag: bool) -> None:
    """Compare a live schema with the one the installed client was generated from."""
    source = resolve_source(url)
    try:
        key, key_origin = _api_key()
        report = check_installed(
            source, api_key=key, key_origin=key_origin, fail_on=fail_on, on_note=_note
        )
    except SchemaError as exc:
        raise _unavailable(exc) from None
    _emit(report, fmt, json_flag)


@schema.command("diff", epilog=EXIT_CODES)
@click.argument("old")
@click.argument("new")
@_FAIL_ON
@_FORMAT
@_JSON
def diff(old: str, new: str, fail_on: str, fmt: str | None, json_flag: bool) -> None:
    """Compare schema OLD with schema NEW (files or URLs; JSON or YAML; OpenAPI 3.0 or 3.1).

    Any two OpenAPI documents compare, by meaning: spellings, key order, component names and
    descriptions are not changes.
    """
    try:
        key, key_origin = _api_key()
        report = compare_sources(
            old, new, api_key=key, key_origin=key_origin, fail_on=fail_on, on_note=_note
        )
    except SchemaError as exc:
        raise _unavailable(exc) from None
    _emit(report, fmt, json_flag)
