"""The per-operation command builder: ``run OPERATION``, one click command per operation.

The operations and their input fields come from :func:`cannon_studio.cli._fields.load_operations`
(the operation registry and ``cannon_studio_schema``; nothing here reads the document). Each
field becomes a kebab-case option that converts its value to the schema type; the options every
operation shares (``--input``, ``--no-wait``, ``--max-wait`` ...) follow. What running one does
is the ``action`` given to :class:`RunGroup` (``cannon_studio.cli._request_commands``).
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from cannon_studio.cli._exit_codes import EXIT_CODES_HELP, DetailedBadParameter, DetailedUsageError
from cannon_studio.cli._fields import (
    FieldInfo,
    FieldValueError,
    OperationInfo,
    convert_value,
    load_operations,
)
from cannon_studio.cli._state import deprecated_timeout_option, shared_params

__all__ = [
    "RunAction",
    "RunGroup",
    "describe_field",
    "operation_input",
    "rerun_argv",
    "unknown_operation",
]


def unknown_operation(name: str) -> click.UsageError:
    """The usage error (exit 2) for an operation id the schema does not know: names the
    closest known id and lists them all (``allowed`` in the ``--json`` error details)."""
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


def _param_name(field: FieldInfo) -> str:
    """The click parameter name of a field's option (``aspect_ratio`` -> ``field_aspect_ratio``)."""
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


def operation_input(op: OperationInfo, params: dict[str, Any]) -> dict[str, Any]:
    """The ``input`` object of one ``run OPERATION``: ``--input FILE``'s fields, then the field
    flags given (which win).

    Args:
        op: the operation.
        params: the command's parsed parameters (``param name -> value``).

    Raises:
        click.BadParameter: ``--input`` cannot be read or is not a JSON object.
        DetailedUsageError: a required field is missing (every missing one is named).
    """
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
    return payload


def describe_field(op: OperationInfo) -> Callable[[str], str]:
    """A ``describe_field`` for :func:`translate_errors`: an error's field path
    (``input.aspect_ratio``) -> its flag and name (``--aspect-ratio (aspect_ratio)``)."""

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
        deprecated_timeout_option(),
        *shared_params(api=True),
    ]


RunAction = Callable[[OperationInfo, dict[str, Any]], None]
"""What ``run OPERATION`` does with the operation and its parsed options (``param name -> value``)."""


def _build_run_command(op: OperationInfo, action: RunAction) -> click.Command:
    field_params = [_field_option(f) for f in op.fields_required_first]
    taken = {n for p in field_params for n in p.opts}
    common = [p for p in _common_run_options() if not (set(p.opts) & taken)]

    def callback(**params: Any) -> None:
        action(op, params)

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


def rerun_argv(op: OperationInfo) -> list[str]:
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


class RunGroup(click.Group):
    """``run``: one sub-command per operation, built from the schema on demand; each runs
    ``action``."""

    def __init__(self, *args: Any, action: RunAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(load_operations())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        op = load_operations().get(cmd_name)
        return _build_run_command(op, self.action) if op else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in load_operations():
            raise unknown_operation(name)
        return super().resolve_command(ctx, args)
