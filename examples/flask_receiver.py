"""A Flask receiver for Cannon Studio webhooks: needs only the signing secret, no API key.

Run it:   CANNON_WEBHOOK_SECRET=whsec_... python examples/flask_receiver.py
then give ``webhook_url="http://<this host>:8788/hooks/cannon"`` to a create.

Bodies over ``webhooks.max_body_bytes`` (1 MiB) are refused with 413 before they are read whole:
by their ``Content-Length``, or, for a chunked body, as soon as the count passes the limit.
"""

from __future__ import annotations

import os

from cannon_studio import WebhookReplayError, Webhooks, WebhookVerificationError
from cannon_studio.webhooks import MemoryDedupeStore
from flask import Flask, abort, request

# Reads CANNON_WEBHOOK_SECRET. With several workers, pass a shared dedupe store (Redis, a table).
webhooks = Webhooks(dedupe=MemoryDedupeStore())
app = Flask(__name__)


def bounded_body(limit: int) -> bytes:
    """The raw body, or 413 as soon as it is known to be over ``limit`` bytes."""
    if request.content_length is not None and request.content_length > limit:
        abort(413)
    if "chunked" not in request.headers.get("transfer-encoding", "").lower():
        return request.get_data()  # no more than its Content-Length (none: empty)
    body = request.environ["wsgi.input"].read(limit + 1)  # dechunked by the server, counted
    if len(body) > limit:
        abort(413)
    return body


def handle_event(event: object) -> None:
    """Your code: store the result, download the assets, notify someone..."""
    print("received", event)


@app.post("/hooks/cannon")
def cannon_webhook() -> tuple[str, int]:
    try:  # verify the raw body bytes, exactly as received
        event = webhooks.verify(bounded_body(webhooks.max_body_bytes), request.headers)
    except WebhookReplayError:  # a repeat delivery (at least once): handled already, ack it
        return "", 204
    except WebhookVerificationError as exc:  # bad signature, stale timestamp, bad headers...
        return str(exc), 400
    handle_event(event)
    return "", 204  # answer 2xx quickly; failed deliveries are retried


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8788")))
