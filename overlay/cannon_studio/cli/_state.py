"""What every command shares: the global options' state, the client factory, the output mode,
and the options every command accepts after its name.

The root group (:mod:`cannon_studio.cli._app`) puts one :class:`AppState` on its click context;
every command reads it with :func:`current_state`. ``--json``, ``--base-url`` and ``--api-key``
after a command name (:func:`shared_options`) write to the same state as the global options.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler

from cannon_studio import Cannon
from cannon_studio._logging import RedactingFilter
from cannon_studio.cli._console import make_console
from cannon_studio.cli._exit_codes import translate_errors
from cannon_studio.cli._progress import RequestProgress

__all__ = [
    "JSON_HELP",
    "AppState",
    "configure_logging",
    "current_state",
    "deprecated_timeout_option",
    "resolve_max_wait",
    "shared_options",
    "shared_params",
]

JSON_HELP = "Print machine-readable JSON on stdout."
"""The help of ``--json`` (global, and after most command names)."""


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


def current_state() -> AppState:
    """The :class:`AppState` of the running ``cannon-studio`` command (created if missing)."""
    return click.get_current_context().ensure_object(AppState)


def _state_option(flag: str, attr: str, help: str, **kwargs: Any) -> click.Option:
    """``flag`` after a command name: sets ``AppState.<attr>`` (eagerly, when given) instead of
    passing a value to the command; its parameter name is ``<attr>_flag``."""

    def store(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value:
            setattr(ctx.ensure_object(AppState), attr, value)

    return click.Option(
        [flag, f"{attr}_flag"],
        expose_value=False,
        is_eager=True,
        callback=store,
        help=help,
        **kwargs,
    )


def shared_params(*, api: bool, json_help: str = JSON_HELP) -> list[click.Option]:
    """``--json`` (and ``--base-url``/``--api-key`` for commands that call the API), accepted
    after the command name too; same effect as the global options.

    Args:
        api: add ``--base-url URL`` and ``--api-key KEY``.
        json_help: the help text of ``--json`` (what it prints depends on the command).

    Returns:
        New ``click.Option`` objects (none of them passes a value to the command).
    """
    params = [_state_option("--json", "json", json_help, is_flag=True)]
    if api:
        params += [
            _state_option(
                "--base-url",
                "base_url",
                "API base URL (as the global option; env CANNON_BASE_URL).",
                metavar="URL",
            ),
            _state_option(
                "--api-key",
                "api_key",
                "API key (as the global option; env CANNON_API_KEY).",
                metavar="KEY",
            ),
        ]
    return params


C = TypeVar("C", bound=click.Command)


def shared_options(*, api: bool = True, json_help: str = JSON_HELP) -> Callable[[C], C]:
    """Decorate a command (place it above ``@click.command``) with :func:`shared_params`,
    appended after the command's own options."""

    def decorate(command: C) -> C:
        command.params.extend(shared_params(api=api, json_help=json_help))
        return command

    return decorate


def configure_logging(state: AppState) -> Callable[[], None]:
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


def deprecated_timeout_option() -> click.Option:
    """``--timeout``: the old name of ``--max-wait`` (hidden; says so on stderr)."""
    return click.Option(
        ["--timeout", "timeout_alias"],
        metavar="SECONDS",
        type=click.FloatRange(min=0, min_open=True),
        hidden=True,
        help="Deprecated: use --max-wait.",
    )


def resolve_max_wait(max_wait: float | None, timeout_alias: float | None) -> float | None:
    """The wait deadline in SECONDS from ``--max-wait`` or its deprecated alias ``--timeout``
    (``--max-wait`` wins; the alias says on stderr that it is deprecated). ``None``: no limit
    beyond the client's default."""
    if timeout_alias is not None:
        click.echo(
            "cannon-studio: --timeout is deprecated, use --max-wait SECONDS (the wait deadline)",
            err=True,
        )
    return max_wait if max_wait is not None else timeout_alias
