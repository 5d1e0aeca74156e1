"""The ``cannon-studio`` commands (click), wired to the client overlay.

Every command accepts ``--json`` (machine-readable stdout); human output otherwise. Progress
goes to stderr, results to stdout. Library errors are translated by
:func:`cannon_studio.cli._exit_codes.translate_errors` into one-line messages and exit codes.
"""

from __future__ import annotations

import difflib
import importlib.util
import io
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.text import Text

from cannon_studio import Cannon, NotFoundError, RequestFailedError
from cannon_studio._logging import RedactingFilter
from cannon_studio.cli._batch import batch
from cannon_studio.cli._exit_codes import (
    CliError,
    DetailedBadParameter,
    DetailedUsageError,
    ExitCode,
    click_error_details,
    json_error,
    remember_rerun,
    translate_errors,
)
from cannon_studio.cli._fields import (
    FieldInfo,
    FieldValueError,
    OperationInfo,
    convert_value,
    load_operations,
)
from cannon_studio.cli._progress import RequestProgress
from cannon_studio.cli._render import (
    echo_json,
    file_rows,
    human_size,
    model_dict,
    render_downloads,
    render_operation,
    render_operations,
    render_request,
    render_status,
    request_dict,
)
from cannon_studio.cli._schema import schema
from cannon_studio.webhooks import verify as verify_webhook

__all__ = ["cli"]

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  request failed (or, for download, has not succeeded); webhook did not verify
  2  usage error: bad flags, unknown operation, bad field value, missing API key
  3  API error: the API answered 4xx/5xx, or could not be reached
  4  timeout: --max-wait passed while waiting, or an HTTP call timed out
  130  interrupted (Ctrl-C; the request keeps running, `wait` resumes it)
\b
Environment: CANNON_API_KEY, CANNON_BASE_URL (default https://www.cannonstudio.app),
CANNON_WEBHOOK_SECRET, CANNON_LOG=debug|info.
"""


PLAIN_WIDTH = 10_000
"""Columns given to rich when the output is not a terminal: nothing is wrapped."""

SANDBOX_EXTRA_MODULES = ("starlette", "uvicorn", "jsonschema", "PIL", "av", "pygltflib")
"""What ``cannon-studio sandbox`` imports (the ``[sandbox]`` extra)."""


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


def _unknown_operation(name: str) -> click.UsageError:
    known = list(load_operations())
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return DetailedUsageError(
        f"Unknown operation {name!r}.{hint} Known operations: {', '.join(known)}",
        type="InputValidationError",
        operation=name,
        field="operation",
        allowed=known,
    )


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
@click.option("--json", "json_output", is_flag=True, help="Print machine-readable JSON on stdout.")
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
    ctx.call_on_close(_configure_logging(state))
    ctx.call_on_close(state.close)


cli.add_command(batch)
cli.add_command(schema)


# --------------------------------------------------------------------------------------- status
@shared_options()
@cli.command()
def status() -> None:
    """Check the API key and show the credit balance (GET /api/v1/status; spends nothing)."""
    state = _state()
    with state.errors():
        client = state.client()
        result = client.status()
    data = model_dict(result)
    if state.json:
        echo_json(data)
        return
    base_url = getattr(client, "base_url", None)
    render_status(state.out, data, str(base_url) if base_url else state.base_url)


# ----------------------------------------------------------------------------------- operations
@shared_options(api=False)
@cli.command()
@click.argument("operation_id", required=False, metavar="[OPERATION]")
def operations(operation_id: str | None) -> None:
    """List every operation with its input fields (types, required, known values).

    With OPERATION, show that one in full: field descriptions, bounds and an example command.
    Read from the schema the client was generated from; needs no API key.
    """
    state = _state()
    ops = load_operations()
    if operation_id is None:
        if state.json:
            echo_json([op.to_dict() for op in ops.values()])
        else:
            render_operations(state.out, ops.values())
        return
    op = ops.get(operation_id)
    if op is None:
        raise _unknown_operation(operation_id)
    if state.json:
        echo_json(op.to_dict())
    else:
        render_operation(state.out, op)


# ------------------------------------------------------------------------------------------ run
def _param_name(field: FieldInfo) -> str:
    return "field_" + "".join(c if c.isalnum() else "_" for c in field.name)


def _first_sentence(text: str) -> str:
    head, sep, _ = text.partition(". ")
    return head + ("." if sep else "")


def _field_help(field: FieldInfo) -> str:
    parts = [_first_sentence(field.description)] if field.description else []
    if field.required:
        parts.append("Required.")
    if field.enum is not None:
        parts.append("One of: " + ", ".join(str(v) for v in field.enum) + ".")
    elif field.examples:
        parts.append("Known: " + ", ".join(str(v) for v in field.examples) + ".")
    if field.type == "array":
        parts.append("Repeatable.")
    if field.type == "object" or field.item_type == "object":
        parts.append("JSON object.")
    return " ".join(parts)


def _metavar(field: FieldInfo) -> str:
    kind = field.item_type if field.type == "array" else field.type
    if field.enum is not None:
        return "CHOICE"
    fmt = field.constraints.get("format") or field.constraints.get("items.format")
    if fmt == "uri":
        return "URL"
    return {
        "integer": "INT",
        "number": "NUMBER",
        "boolean": "[true|false]",
        "object": "JSON",
        "any": "JSON",
    }.get(kind or "", "TEXT")


def _field_option(field: FieldInfo) -> click.Option:
    def convert(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        try:
            if param.multiple:
                return [convert_value(field, v) for v in value] or None
            return None if value is None else convert_value(field, value)
        except FieldValueError as exc:
            op_name = ctx.command.name if ctx.command is not None else None
            raise DetailedBadParameter(
                f"{exc} (field {field.name})",
                ctx=ctx,
                param=param,
                type="InputValidationError",
                operation=op_name,
                field=f"input.{field.name}",
                allowed=exc.allowed,
            ) from None

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        values = field.enum or field.examples
        return [str(v) for v in values if str(v).startswith(incomplete)]

    extra: dict[str, Any] = {}
    if field.type == "boolean":  # `--watermark` alone means true; `--watermark false` works too
        extra = {"is_flag": False, "flag_value": "true"}
    return click.Option(
        [field.flag, _param_name(field)],
        multiple=field.type == "array",
        metavar=_metavar(field),
        help=_field_help(field),
        callback=convert,
        shell_complete=complete,
        **extra,
    )


def _read_input_file(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {path}: {exc.strerror}", param_hint="--input"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{path} is not JSON: {exc}", param_hint="--input") from None
    if not isinstance(data, dict):
        raise click.BadParameter(
            f"{path} must hold a JSON object of input fields", param_hint="--input"
        )
    # A whole envelope ({"operation": ..., "input": {...}}) is accepted too.
    if isinstance(data.get("input"), dict) and "operation" in data:
        data = data["input"]
    return dict(data)


def _describe_field(op: OperationInfo) -> Callable[[str], str]:
    def describe(path: str) -> str:
        name = (
            path.removeprefix("input").lstrip("./[]'\"").split(".")[0].split("/")[0].split("[")[0]
        )
        info = op.field(name)
        return f"{info.flag} ({info.name})" if info else path

    return describe


def _common_run_options() -> list[click.Option]:
    return [
        click.Option(
            ["--input", "input_file"],
            metavar="FILE",
            help="JSON object of input fields ('-' reads stdin); flags override its keys.",
        ),
        click.Option(
            ["--webhook-url"],
            metavar="URL",
            help="Ask for terminal delivery to this URL (webhook_url).",
        ),
        click.Option(
            ["--idempotency-key"],
            metavar="KEY",
            help="Sent as x-idempotency-key (the client makes one up when omitted).",
        ),
        click.Option(
            ["--no-wait"], is_flag=True, help="Print the accepted request and return at once."
        ),
        click.Option(
            ["--download", "download_dir"],
            metavar="DIR",
            type=click.Path(file_okay=False, writable=True, path_type=Path),
            help="Download the output assets into DIR once the request succeeds.",
        ),
        click.Option(
            ["--max-wait", "max_wait"],
            metavar="SECONDS",
            type=click.FloatRange(min=0, min_open=True),
            help="Give up waiting after SECONDS (exit code 4; the request keeps running).",
        ),
        _deprecated_timeout_option(),
        *_shared_params(api=True),
    ]


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


def _build_run_command(op: OperationInfo) -> click.Command:
    field_params = [_field_option(f) for f in op.fields_required_first]
    taken = {n for p in field_params for n in p.opts}
    common = [p for p in _common_run_options() if not (set(p.opts) & taken)]

    def callback(**params: Any) -> None:
        _run(op, params)

    return _RunCommand(
        op.id,
        params=[*field_params, *common],
        callback=callback,
        help=f"{op.description}\n\nFields come from the schema; `cannon-studio operations {op.id}` describes them.",
        short_help=op.display_name,
        deprecated=op.deprecated,
        epilog=EXIT_CODES_HELP,
    )


_ARGS_META_KEY = "cannon_studio.run_args"
_DROPPED_ON_RERUN = ("--idempotency-key", "--api-key")
"""Options left out of the suggested re-run command: the key is appended with the value the
client sent; an API key given as a flag is never printed (it comes from the environment)."""


class _RunCommand(click.Command):
    """One ``run OPERATION`` command; remembers its raw arguments for the re-run hint."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_ARGS_META_KEY] = list(args)
        return super().parse_args(ctx, args)


def _without_options(args: Sequence[str], names: Sequence[str]) -> list[str]:
    """``args`` with every ``--name value`` / ``--name=value`` of ``names`` removed (pure)."""
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in names:
            skip = True
            continue
        if any(arg.startswith(name + "=") for name in names):
            continue
        out.append(arg)
    return out


def _rerun_argv(op: OperationInfo) -> list[str]:
    """The arguments (after ``cannon-studio``) that repeat this ``run`` exactly, minus the key."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    prefix: list[str] = []
    source = root.get_parameter_source("base_url")
    if source == click.core.ParameterSource.COMMANDLINE and root.params.get("base_url"):
        prefix += ["--base-url", str(root.params["base_url"])]
    if root.params.get("json_output"):
        prefix.append("--json")
    if root.params.get("verbose"):
        prefix.append("--verbose")
    own = _without_options(ctx.meta.get(_ARGS_META_KEY, []), _DROPPED_ON_RERUN)
    return [*prefix, "run", op.id, *own]


class _RunGroup(click.Group):
    """``run``: one sub-command per operation, built from the schema on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(load_operations())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        op = load_operations().get(cmd_name)
        return _build_run_command(op) if op else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in load_operations():
            raise _unknown_operation(name)
        return super().resolve_command(ctx, args)


@cli.group(cls=_RunGroup, epilog=EXIT_CODES_HELP)
def run() -> None:
    """Create a request, follow it with a live progress display, print the output.

    \b
    cannon-studio run OPERATION [--FIELD VALUE ...] [--input FILE.json]
        [--webhook-url URL] [--idempotency-key KEY] [--no-wait] [--download DIR] [--max-wait SECONDS]

    Fields are the operation's input fields as kebab-case flags (aspect_ratio and aspectRatio
    are both --aspect-ratio). Arrays repeat the flag; objects take JSON text.
    `cannon-studio run OPERATION --help` lists them.
    """


def _run(op: OperationInfo, params: dict[str, Any]) -> None:
    state = _state()
    payload: dict[str, Any] = {}
    if params.get("input_file"):
        payload.update(_read_input_file(params["input_file"]))
    for f in op.fields:
        value = params.get(_param_name(f))
        if value is not None:
            payload[f.name] = value
    missing = [f for f in op.fields if f.required and f.name not in payload]
    if missing:
        flags = ", ".join(f"{f.flag} ({f.name})" for f in missing)
        raise DetailedUsageError(
            f"{op.id} needs {flags}",
            type="InputValidationError",
            operation=op.id,
            field=f"input.{missing[0].name}",
            missing=[f"input.{f.name}" for f in missing],
        )

    remember_rerun(click.get_current_context(), _rerun_argv(op))
    with state.errors(describe_field=_describe_field(op)):
        client = state.client()
        handle = client.requests.create(
            op.id,
            payload,
            webhook_url=params.get("webhook_url"),
            idempotency_key=params.get("idempotency_key"),
        )
        if params.get("no_wait"):
            accepted = model_dict(getattr(handle, "accepted", None)) or request_dict(handle)
            if state.json:
                echo_json({"accepted": accepted})
            else:
                render_request(state.out, request_dict(handle))
                state.err.print(f"follow it with: cannon-studio wait {handle.id}", highlight=False)
            return
        _follow_one(
            state,
            handle,
            timeout=_max_wait(params.get("max_wait"), params.get("timeout_alias")),
            download_dir=params.get("download_dir"),
        )


def _wait_kwargs(timeout: float | None, on_update: Callable[[Any], None]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"on_update": on_update}
    if timeout is not None:
        kwargs["max_wait"] = timeout
    return kwargs


def _follow_one(
    state: AppState, handle: Any, *, timeout: float | None, download_dir: Path | None
) -> None:
    """Wait for one request with the progress display, print it, download its assets."""
    progress = state.progress()
    failed = False
    with _interrupt_hint(state, [handle.id]):
        progress.add(handle.id, handle.operation, handle.status)
        with progress:
            try:
                handle.wait(**_wait_kwargs(timeout, progress.update))
            except RequestFailedError:
                failed = True
            progress.update(handle)
        _print_finished(state, handle, download_dir=download_dir, failed=failed)


@contextmanager
def _interrupt_hint(state: AppState, request_ids: Sequence[str]) -> Iterator[None]:
    """Ctrl-C while waiting: exit 130 and say how to pick the requests up again."""
    try:
        yield
    except KeyboardInterrupt:
        raise CliError(
            "interrupted; the request(s) keep running server-side "
            f"(resume with: cannon-studio wait {' '.join(request_ids)})",
            ExitCode.INTERRUPTED,
            json_output=state.json,
        ) from None


def _download(state: AppState, handle: Any, directory: Path, *, spinner: bool = True) -> list[Path]:
    """Download a handle's assets into ``directory`` (a spinner with the byte count on a TTY,
    unless another live display is already running)."""
    directory.mkdir(parents=True, exist_ok=True)
    if not (spinner and state.live_progress):
        return list(handle.download(directory))
    label = f"downloading {handle.id} into {directory}"
    with state.err.status(label + " …") as status:

        def progress(done: int, total: int | None) -> None:
            status.update(
                f"{label}: {human_size(done)}" + (f" of {human_size(total)}" if total else "")
            )

        return list(handle.download(directory, progress=progress))


def _print_finished(
    state: AppState,
    handle: Any,
    *,
    download_dir: Path | None,
    failed: bool,
    lines: bool = False,
    out: Console | None = None,
) -> None:
    data = request_dict(handle)
    failed = failed or data.get("status") == "failed"
    assets = [] if failed else list(handle.asset_urls())
    downloads = (
        _download(state, handle, download_dir, spinner=out is None)
        if (download_dir and not failed)
        else []
    )
    if state.json:
        echo_json(
            {"request": data, "assets": assets, "downloaded": file_rows(downloads)}, lines=lines
        )
    else:
        render_request(out or state.out, data, assets=assets, downloads=downloads)
    if failed and not lines:
        raise CliError(
            f"request {data.get('id')} failed: {data.get('errorMessage') or 'no error message'}",
            ExitCode.REQUEST_FAILED,
        )


# ------------------------------------------------------------------------------ get/wait/download
@shared_options()
@cli.command()
@click.argument("request_id")
def get(request_id: str) -> None:
    """Show a request: status, credits, output, asset URLs (exit code 1 if it failed)."""
    state = _state()
    with state.errors():
        handle = state.client().requests.retrieve(request_id)
        data = request_dict(handle)
        failed = data.get("status") == "failed"
        assets = list(handle.asset_urls()) if data.get("status") == "succeeded" else []
    if state.json:
        echo_json({"request": data, "assets": assets})
    else:
        render_request(state.out, data, assets=assets)
    if failed:
        raise CliError(
            f"request {request_id} failed: {data.get('errorMessage')}", ExitCode.REQUEST_FAILED
        )


@shared_options()
@cli.command()
@click.argument("request_ids", nargs=-1, required=True, metavar="REQUEST_ID...")
@click.option(
    "--max-wait",
    "max_wait",
    metavar="SECONDS",
    type=click.FloatRange(min=0, min_open=True),
    help="Give up after SECONDS for all of them (exit code 4).",
)
@click.option(
    "--download",
    "download_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    help="Download each succeeded request's assets into DIR/<request id>/.",
)
def wait(
    request_ids: Sequence[str],
    max_wait: float | None,
    download_dir: Path | None,
    timeout_alias: float | None = None,
) -> None:
    """Wait for one or more requests, printing each as it completes.

    With --json, prints one JSON object per line (JSON Lines) in completion order.
    Exit code 1 if any of them failed, 4 on timeout.
    """
    state = _state()
    timeout = _max_wait(max_wait, timeout_alias)
    ids = list(dict.fromkeys(request_ids))
    any_failed = False
    unknown: list[str] = []
    with state.errors():
        client = state.client()
        handles = []
        for rid in ids:
            try:
                handles.append(client.requests.retrieve(rid))
            except NotFoundError:
                unknown.append(rid)  # reported after the results of the others
        progress = state.progress()
        for h in handles:
            progress.add(h.id, h.operation, h.status)
        # results go to stdout as they complete; above the live display when both are a terminal
        out = progress.console if (progress.is_live and state.out.is_terminal) else state.out
        with _interrupt_hint(state, ids), progress:
            for handle in _as_completed(client, handles, timeout, progress.update):
                progress.update(handle)
                failed = request_dict(handle).get("status") == "failed"
                any_failed = any_failed or failed
                _print_finished(
                    state,
                    handle,
                    download_dir=download_dir / handle.id if download_dir else None,
                    failed=failed,
                    lines=True,
                    out=out,
                )
    if unknown:
        failed_too = "; at least one other request failed" if any_failed else ""
        raise CliError(
            f"no request {', '.join(repr(rid) for rid in unknown)} for this API key (unknown "
            f"id, or the request belongs to another API key){failed_too}",
            ExitCode.API_ERROR,
            details={"type": "NotFoundError", "status_code": 404, "request_ids": unknown},
            json_output=state.json,
        )
    if any_failed:  # the failed requests are in the output (JSON lines with --json)
        raise CliError("at least one request failed", ExitCode.REQUEST_FAILED)


wait.params.append(_deprecated_timeout_option())


def _as_completed(
    client: Any, handles: list[Any], timeout: float | None, on_update: Callable[[Any], None]
) -> Iterator[Any]:
    yield from client.requests.as_completed(handles, **_wait_kwargs(timeout, on_update))


@shared_options()
@cli.command()
@click.argument("request_id")
@click.argument("directory", type=click.Path(file_okay=False, writable=True, path_type=Path))
def download(request_id: str, directory: Path) -> None:
    """Download the assets of a succeeded request into DIRECTORY (created if missing)."""
    state = _state()
    with state.errors():
        handle = state.client().requests.retrieve(request_id)
        data = request_dict(handle)
        if data.get("status") != "succeeded":
            reason = data.get("errorMessage") if data.get("status") == "failed" else None
            hint = f": {reason}" if reason else f" (wait for it: cannon-studio wait {request_id})"
            raise CliError(
                f"request {request_id} is {data.get('status')}, not succeeded{hint}",
                ExitCode.REQUEST_FAILED,
                json_output=state.json,
                details={"request_id": request_id, "status": data.get("status")},
            )
        paths = _download(state, handle, directory)
    if state.json:
        echo_json({"request_id": request_id, "downloaded": file_rows(paths)})
    elif paths:
        render_downloads(state.out, paths)
    else:
        state.out.print(f"{request_id} has no assets to download")


# -------------------------------------------------------------------------------------- webhook
@cli.group()
def webhook() -> None:
    """Webhook helpers (debugging receivers)."""


@shared_options(api=False)
@webhook.command("verify")
@click.option(
    "--secret",
    envvar="CANNON_WEBHOOK_SECRET",
    show_envvar=True,
    metavar="WHSEC",
    help="Signing secret (whsec_...). Prefer the environment variable.",
)
@click.option("--id", "webhook_id", required=True, metavar="ID", help="The webhook-id header.")
@click.option(
    "--timestamp",
    required=True,
    metavar="SECONDS",
    help="The webhook-timestamp header (Unix seconds).",
)
@click.option(
    "--signature",
    required=True,
    metavar="SIG",
    help="The webhook-signature header ('v1,<base64> ...').",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Accepted clock skew of the timestamp, in seconds.",
)
@click.option(
    "--body",
    "body_file",
    type=click.File("rb"),
    default="-",
    metavar="FILE",
    help="The raw request body (default: stdin).",
)
def webhook_verify(
    secret: str | None,
    webhook_id: str,
    timestamp: str,
    signature: str,
    tolerance: float,
    body_file: Any,
) -> None:
    """Verify a webhook delivery (Standard Webhooks signature) and show its event.

    \b
    cannon-studio webhook verify --id "$ID" --timestamp "$TS" --signature "$SIG" < body.json
    Exit code 0 when it verifies, 1 when it does not, 2 without a secret.
    """
    state = _state()
    if not secret:
        raise click.UsageError("no signing secret: pass --secret or set CANNON_WEBHOOK_SECRET")
    body: bytes = body_file.read()
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature,
    }
    with state.errors():
        event = verify_webhook(body, headers, secret, tolerance=tolerance)
    data = model_dict(event)
    if state.json:
        echo_json({"verified": True, "event": data})
        return
    if not isinstance(data, dict):
        data = {}
    request: dict[str, Any] = data["data"] if isinstance(data.get("data"), dict) else {}
    state.out.print(
        Text.assemble(
            ("✓ verified  ", "green"),
            (str(data.get("type", "")), "bold"),
            f"  event {data.get('id', webhook_id)}  request {request.get('id', '?')}",
            f"  status {request.get('status', '?')}  at {data.get('timestamp', '')}",
        ),
        soft_wrap=True,
    )


# -------------------------------------------------------------------------------------- sandbox
@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sandbox(args: Sequence[str]) -> None:
    """Run the local reference server (all arguments go to it; see `cannon-studio sandbox --help`).

    \b
    cannon-studio sandbox --host 127.0.0.1 --port 8787 [--api-key KEY] [--instant] [--webhook-secret S]
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
