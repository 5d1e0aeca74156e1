"""The read-only commands: ``status`` (the API key and credit balance, spends nothing) and
``operations`` (what the schema offers; needs no API key)."""

from __future__ import annotations

import click

from cannon_studio.cli._fields import load_operations
from cannon_studio.cli._operation_commands import unknown_operation
from cannon_studio.cli._render import (
    echo_json,
    model_dict,
    render_operation,
    render_operations,
    render_status,
)
from cannon_studio.cli._state import current_state, shared_options

__all__ = ["operations", "status"]


@shared_options()
@click.command()
def status() -> None:
    """Check the API key and show the credit balance (GET /api/v1/status; spends nothing)."""
    state = current_state()
    with state.errors():
        client = state.client()
        result = client.status()
    data = model_dict(result)
    if state.json:
        echo_json(data)
        return
    base_url = getattr(client, "base_url", None)
    render_status(state.out, data, str(base_url) if base_url else state.base_url)


@shared_options(api=False)
@click.command()
@click.argument("operation_id", required=False, metavar="[OPERATION]")
def operations(operation_id: str | None) -> None:
    """List every operation with its input fields (types, required, known values).

    With OPERATION, show that one in full: field descriptions, bounds and an example command.
    Read from the schema the client was generated from; needs no API key.
    """
    state = current_state()
    ops = load_operations()
    if operation_id is None:
        if state.json:
            echo_json([op.to_dict() for op in ops.values()])
        else:
            render_operations(state.out, ops.values())
        return
    op = ops.get(operation_id)
    if op is None:
        raise unknown_operation(operation_id)
    if state.json:
        echo_json(op.to_dict())
    else:
        render_operation(state.out, op)
