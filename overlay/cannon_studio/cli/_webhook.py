"""``cannon-studio webhook verify``: check a delivery's Standard Webhooks signature and show its
event (for debugging receivers). Exit 0 verified, 1 not verified, 2 without a secret."""

from __future__ import annotations

from typing import Any

import click
from rich.text import Text

from cannon_studio.cli._render import echo_json, model_dict
from cannon_studio.cli._state import current_state, shared_options
from cannon_studio.webhooks import verify as verify_webhook

__all__ = ["webhook"]


@click.group()
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
    state = current_state()
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
