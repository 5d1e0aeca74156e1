"""What every command shares: the global options' state, the client factory, the output mode."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar, cast

import click
from rich.console import Console
from rich.logging import RichHandler

from cannon_studio import Cannon
from cannon_studio._logging import RedactingFilter
from cannon_studio.cli._exit_codes import (
    translate_errors,
)
from cannon_studio.cli._progress import RequestProgress

PLAIN_WIDTH = 10_000
"""Columns given to rich when the output is not a terminal: nothing is wrapped."""


class _PlainLines(io.TextIOBase):
    """A text stream for rich when the output is a pipe or file: trailing spaces (rich's cell
    padding) are cut from each line; the lines go to ``sys.stdout``/``sys.stderr`` as they are
    at write time."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._pending = ""

    def _target(self) -> Any:
        return sys.stderr if self._stderr else sys.stdout

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        if lines:
            self._target().write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target().write(self._pending)
            self._pending = ""
        self._target().flush()


def make_console(*, stderr: bool = False) -> Console:
    """A rich console: as rich sets it up on a terminal; otherwise no wrapping (very wide) and
    no trailing padding, so piped output (asset URLs, JSON-like values) stays whole."""
    console = Console(stderr=stderr, highlight=False)
    if console.is_terminal:
        return console
    plain = cast(IO[str], _PlainLines(stderr=stderr))
    return Console(file=plain, width=PLAIN_WIDTH, highlight=False)


@dataclass
class AppState:
    """Options shared by every command (set on the ``cannon-studio`` group)."""

    base_url: str | None = None
    api_key: str | None = None
    json: bool = False
    verbose: bool = False
    out: Console = field(default_factory=make_console)
    err: Console = field(default_factory=lambda: make_console(stderr=True))
    _client: Cannon | None = None

    def client(self) -> Cannon:
        """The (lazily created) ``Cannon`` client for the global options and environment."""
        if self._client is None:
            self._client = Cannon(api_key=self.api_key, base_url=self.base_url)
        return self._client

    def close(self) -> None:
        """Close the client's HTTP connections, if one was made."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def errors(
        self, describe_field: Callable[[str], str] | None = None
    ) -> AbstractContextManager[None]:
        """Translate library errors into exit codes (see :func:`translate_errors`)."""
        return translate_errors(json_output=self.json, describe_field=describe_field)

    @property
    def live_progress(self) -> bool:
        """Draw the live progress display: not with ``--json``, and only when stderr is a TTY."""
        return not self.json and self.err.is_terminal

    def progress(self) -> RequestProgress:
        """A progress tracker drawing on stderr (live on a terminal, status lines otherwise)."""
        return RequestProgress(self.err, live=self.live_progress)


def _state() -> AppState:
    return click.get_current_context().ensure_object(AppState)


def _set_json(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(AppState).json = True


def _set_state(attr: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value:
            setattr(ctx.ensure_object(AppState), attr, value)

    return callback


def _shared_params(*, api: bool) -> list[click.Option]:
    """``--json`` (and ``--base-url``/``--api-key`` for commands that call the API), accepted
    after the command name too; same effect as the global options."""
    params = [
        click.Option(
            ["--json", "json_flag"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_json,
            help="Print machine-readable JSON on stdout.",
        )
    ]
    if api:
        params += [
            click.Option(
                ["--base-url", "base_url_flag"],
                metavar="URL",
                expose_value=False,
                is_eager=True,
                callback=_set_state("base_url"),
                help="API base URL (as the global option; env CANNON_BASE_URL).",
            ),
            click.Option(
                ["--api-key", "api_key_flag"],
                metavar="KEY",
                expose_value=False,
                is_eager=True,
                callback=_set_state("api_key"),
                help="API key (as the global option; env CANNON_API_KEY).",
            ),
        ]
    return params


C = TypeVar("C", bound=click.Command)


def shared_options(*, api: bool = True) -> Callable[[C], C]:
    """Decorate a command (place it above ``@cli.command``) with :func:`_shared_params`."""

    def decorate(command: C) -> C:
        command.params.extend(_shared_params(api=api))
        return command

    return decorate


def _configure_logging(state: AppState) -> Callable[[], None]:
    """With ``--verbose``, log the client's calls and retries (DEBUG) and httpx2's request lines
    (INFO) to stderr, secrets redacted. ``CANNON_LOG`` is applied by the client itself.

    Returns the function that undoes it (run when the command ends).
    """
    if not state.verbose:
        return lambda: None
    handler = RichHandler(console=state.err, show_path=False, rich_tracebacks=False)
    handler.addFilter(RedactingFilter())
    levels = {"cannon_studio": logging.DEBUG, "httpx2": logging.INFO}
    loggers = [logging.getLogger(name) for name in levels]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(levels[logger.name])

    def undo() -> None:
        for logger, old in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(old)

    return undo


def _deprecated_timeout_option() -> click.Option:
    """``--timeout``: the old name of ``--max-wait`` (hidden; says so on stderr)."""
    return click.Option(
        ["--timeout", "timeout_alias"],
        metavar="SECONDS",
        type=click.FloatRange(min=0, min_open=True),
        hidden=True,
        help="Deprecated: use --max-wait.",
    )


def _max_wait(max_wait: float | None, timeout_alias: float | None) -> float | None:
    if timeout_alias is not None:
        click.echo(
            "cannon-studio: --timeout is deprecated, use --max-wait SECONDS (the wait deadline)",
            err=True,
        )
    return max_wait if max_wait is not None else timeout_alias
