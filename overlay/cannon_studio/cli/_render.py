"""Human and JSON rendering of what the commands print.

Human output goes through rich (tables, colours on a terminal, plain text in a pipe); JSON output
is plain ``json.dumps`` on stdout and keeps the API's own spelling (camelCase request-object
fields, snake_case media outputs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from cannon_studio.cli._fields import FieldInfo, OperationInfo
from cannon_studio.cli._progress import status_style

__all__ = [
    "echo_json",
    "file_rows",
    "human_size",
    "model_dict",
    "render_downloads",
    "render_operation",
    "render_operations",
    "render_request",
    "render_status",
    "request_dict",
]


def echo_json(data: Any, *, lines: bool = False) -> None:
    """Print ``data`` as JSON on stdout (indented, or one compact line with ``lines=True``)."""
    if lines:
        click.echo(json.dumps(data, default=str, separators=(",", ":")))
    else:
        click.echo(json.dumps(data, default=str, indent=2))


def model_dict(model: Any) -> Any:
    """A generated model (``to_dict()``), a mapping, or ``None``, as JSON-ready data."""
    if model is None:
        return None
    to_dict = getattr(model, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(model, Mapping):
        return dict(model)
    return model


def request_dict(handle: Any) -> dict[str, Any]:
    """The request object of a handle as the API spells it (``billableCredits``...).

    Falls back to the handle's own fields (``id``, ``status``, ``operation``) while only the
    ``202 Accepted`` body is known.
    """
    data = model_dict(getattr(handle, "request", None))
    if isinstance(data, dict):
        return data
    return {
        "id": handle.id,
        "operation": handle.operation,
        "status": str(getattr(handle.status, "value", handle.status)),
    }


def human_size(size: int) -> str:
    """``1536`` -> ``1.5 kB`` (decimal units)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"  # pragma: no cover - loop always returns


def file_rows(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """``[{"path": "...", "bytes": n}]`` for downloaded files (JSON output)."""
    return [{"path": str(p), "bytes": p.stat().st_size} for p in paths]


def render_status(console: Console, data: Mapping[str, Any], base_url: str | None) -> None:
    """Print ``GET /api/v1/status`` (key check, account, scopes, credits) as a small table."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    ok = bool(data.get("ok"))
    table.add_row("Status", Text(str(data.get("status", "")), style="green" if ok else "red"))
    if data.get("message"):
        table.add_row("Message", str(data["message"]))
    if base_url:
        table.add_row("API", base_url)
    credits = data.get("creditsRemaining")
    if credits is None and isinstance(data.get("credits"), Mapping):
        credits = data["credits"].get("remaining")
    table.add_row("Credits", Text(str(credits), style="bold cyan"))
    account = data.get("account") or {}
    if account:
        table.add_row("Account", f"{account.get('email', '')} (plan: {account.get('plan', '?')})")
    key = data.get("apiKey") or {}
    if key:
        table.add_row(
            "API key", f"{key.get('name', '')}  scopes: {', '.join(key.get('scopes', []))}"
        )
    if data.get("serverTime"):
        table.add_row("Server time", str(data["serverTime"]))
    console.print(table)


def _seconds(data: Mapping[str, Any]) -> str:
    created, completed = data.get("createdAtMs"), data.get("completedAtMs")
    if isinstance(created, int) and isinstance(completed, int):
        return f"{(completed - created) / 1000:.1f} s"
    return ""


def _value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "" if value is None else str(value)


def render_request(
    console: Console,
    data: Mapping[str, Any],
    *,
    assets: Sequence[str] = (),
    downloads: Sequence[Path] = (),
) -> None:
    """Print one request: a status line, the output fields, asset URLs and downloaded files.

    Args:
        data: the request object as the API spells it (see :func:`request_dict`).
        assets: hosted asset URLs of the output (printed whole, never wrapped).
        downloads: local files written by a download.
    """
    status = str(data.get("status", ""))
    head = Text.assemble(
        (
            "✓ " if status == "succeeded" else "✗ " if status == "failed" else "… ",
            status_style(status),
        ),
        (str(data.get("id", "")), "bold"),
        "  ",
        (str(data.get("operation", "")), "blue"),
        "  ",
        (status, status_style(status)),
    )
    credits = data.get("billableCredits")
    if credits is not None:
        head.append(f"  {credits} credit{'' if credits == 1 else 's'}", style="dim")
    seconds = _seconds(data)
    if seconds:
        head.append(f"  {seconds}", style="dim")
    console.print(head, highlight=False, soft_wrap=True)
    if data.get("errorMessage"):
        console.print(Text(f"  error: {data['errorMessage']}", style="red"), soft_wrap=True)
    output = data.get("output")
    if isinstance(output, Mapping) and output:
        prompt = output.get("enhancedPrompt")
        if prompt:
            console.print(Text("  enhanced prompt:", style="bold"))
            console.print(Padding(Text(str(prompt)), (0, 0, 0, 4), expand=False))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column(overflow="fold")
        for key, value in output.items():
            items = value if isinstance(value, list) else [value]
            if key == "enhancedPrompt" or (items and all(v in assets for v in items)):
                continue  # asset URLs are listed whole below
            table.add_row(f"  {key}", _value(value))
        if table.row_count:
            console.print(table)
    if assets:
        console.print(Text("  assets:", style="bold"))
        for url in assets:
            console.print(Text(f"    {url}"), soft_wrap=True, highlight=False)
    if downloads:
        render_downloads(console, downloads)


def render_downloads(console: Console, paths: Sequence[Path]) -> None:
    """Print downloaded files with their sizes."""
    console.print(Text("  downloaded:", style="bold"))
    for path in paths:
        console.print(
            Text.assemble(
                ("    " + str(path), "green"), (f"  ({human_size(path.stat().st_size)})", "dim")
            ),
            soft_wrap=True,
            highlight=False,
        )


def _values_text(field: FieldInfo) -> str:
    if field.enum is not None:
        return " | ".join(str(v) for v in field.enum)
    if field.examples:
        return "e.g. " + ", ".join(str(v) for v in field.examples)
    return ""


def _field_label(field: FieldInfo) -> Text:
    """``aspect_ratio`` (flag obvious), or ``aspectRatio --aspect-ratio`` when it is not."""
    label = Text(field.name)
    if field.flag != "--" + field.name.replace("_", "-"):
        label.append(f" {field.flag}", style="cyan")
    return label


def _type_text(field: FieldInfo) -> str:
    def one(kind: str | None, fmt: Any) -> str:
        return "url" if fmt == "uri" else (kind or "any")

    if field.type == "array":
        return one(field.item_type, field.constraints.get("items.format")) + "[]"
    return one(field.type, field.constraints.get("format"))


def _fields_table(op: OperationInfo) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("field", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("required", no_wrap=True)
    table.add_column("values", overflow="fold")
    for field in op.fields_required_first:
        table.add_row(
            _field_label(field),
            _type_text(field),
            Text("required", style="bold yellow") if field.required else Text(""),
            _values_text(field),
        )
    return table


def _op_heading(op: OperationInfo) -> Text:
    heading = Text.assemble(
        (op.id, "bold blue"),
        "  ",
        (op.display_name, "bold"),
        (f"  group: {op.group}  credits: {op.credits}  output: {op.output}", "dim"),
    )
    if op.deprecated:
        heading.append("  deprecated", style="yellow")
    if op.assumed:
        heading.append("  assumed (undocumented)", style="magenta")
    return heading


def render_operations(console: Console, ops: Iterable[OperationInfo]) -> None:
    """Print every operation with its fields (name, type, required, known values).

    Flags are the field names in kebab-case (``aspect_ratio`` -> ``--aspect-ratio``); camelCase
    names show their flag next to them.
    """
    blocks: list[RenderableType] = [
        Text(
            "Flags are the field names in kebab-case: aspect_ratio -> --aspect-ratio.\n",
            style="dim",
        )
    ]
    for op in ops:
        blocks += [_op_heading(op), _fields_table(op), Text("")]
    console.print(Group(*blocks))


def render_operation(console: Console, op: OperationInfo) -> None:
    """Print one operation in full: description, each field with type, bounds and description,
    and an example command.
    """
    console.print(_op_heading(op))
    console.print(Text(op.description), soft_wrap=False)
    console.print()
    for field in op.fields_required_first:
        line = Text.assemble((field.flag, "bold cyan"), " ", (f"({field.name})", "dim"), "  ")
        line.append(_type_text(field))
        if field.required:
            line.append("  required", style="bold yellow")
        values = _values_text(field)
        if values:
            line.append(f"  {values}", style="green")
        bounds = ", ".join(
            f"{k}={v}" for k, v in field.constraints.items() if k not in ("format", "items.format")
        )
        if bounds:
            line.append(f"  [{bounds}]", style="dim")
        console.print(line)
        if field.description:
            console.print(Padding(Text(field.description, style="dim"), (0, 0, 0, 4), expand=False))
    example = " ".join(f"{f.flag} {_example_value(f)}" for f in op.fields if f.required)
    console.print(
        Text(f"\nexample: cannon-studio run {op.id} {example}".rstrip(), style="dim"),
        soft_wrap=True,
    )


def _example_value(field: FieldInfo) -> str:
    if field.enum:
        return str(field.enum[0])
    if field.examples:
        return str(field.examples[0])
    if "uri" in (field.constraints.get("format"), field.constraints.get("items.format")):
        return "https://example.com/source"
    return {"integer": "1", "number": "1.0", "boolean": "true", "object": "'{}'"}.get(
        field.type, "'...'"
    )
