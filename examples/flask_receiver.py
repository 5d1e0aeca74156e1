"""A Flask receiver for Cannon Studio webhooks: needs only the signing secret, no API key.

Run it:   CANNON_WEBHOOK_SECRET=whsec_... python examples/flask_receiver.py
then give ``webhook_url="http://<this host>:8788/hooks/cannon"`` to a create.
"""

from __future__ import annotations

from cannon_studio import WebhookReplayError, Webhooks, WebhookVerificationError
from cannon_studio.webhooks import MemoryDedupeStore
from flask import Flask, request

# Reads CANNON_WEBHOOK_SECRET. With several workers, pass a shared dedupe store (Redis, a table).
webhooks = Webhooks(dedupe=MemoryDedupeStore())
app = Flask(__name__)


def handle_event(event: object) -> None:
    """Your code: store the result, download the assets, notify someone..."""
    print("received", event)


@app.post("/hooks/cannon")
def cannon_webhook() -> tuple[str, int]:
    try:  # verify the raw body bytes, exactly as received
        event = webhooks.verify(request.get_data(), request.headers)
    except WebhookReplayError:  # a repeat delivery (at least once): handled already, ack it
        return "", 204
    except WebhookVerificationError as exc:  # bad signature, stale timestamp, bad headers...
        return str(exc), 400
    handle_event(event)
    return "", 204  # answer 2xx quickly; failed deliveries are retried


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8788)
