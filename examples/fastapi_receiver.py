"""A FastAPI receiver for Cannon Studio webhooks: needs only the signing secret, no API key.

Run it:   CANNON_WEBHOOK_SECRET=whsec_... python examples/fastapi_receiver.py
          (or: uvicorn --app-dir examples fastapi_receiver:app --port 8788)
then give ``webhook_url="http://<this host>:8788/hooks/cannon"`` to a create.

Bodies over ``webhooks.max_body_bytes`` (1 MiB) are refused with 413 before they are read whole:
by their ``Content-Length``, or, for a chunked body, as soon as the count passes the limit.
"""

from __future__ import annotations

import os

import uvicorn
from cannon_studio import WebhookReplayError, Webhooks, WebhookVerificationError
from cannon_studio.webhooks import MemoryDedupeStore
from fastapi import FastAPI, HTTPException, Request, Response

# Reads CANNON_WEBHOOK_SECRET. With several workers, pass a shared dedupe store (Redis, a table).
webhooks = Webhooks(dedupe=MemoryDedupeStore())
app = FastAPI()


def handle_event(event: object) -> None:
    """Your code: store the result, download the assets, notify someone..."""
    print("received", event)


async def bounded_body(request: Request, limit: int) -> bytes:
    """The raw body, or 413 as soon as it is known to be over ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise HTTPException(status_code=413, detail=f"body over {limit} bytes")
    body, more = bytearray(), True
    while more:  # the ASGI body messages, counted as they arrive (a chunked body too)
        message = await request.receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > limit:
            raise HTTPException(status_code=413, detail=f"body over {limit} bytes")
    return bytes(body)


@app.post("/hooks/cannon", status_code=204)
async def cannon_webhook(request: Request) -> Response:
    body = await bounded_body(request, webhooks.max_body_bytes)
    try:  # verify the raw body bytes, exactly as received
        event = webhooks.verify(body, request.headers)
    except WebhookReplayError:  # a repeat delivery (at least once): handled already, ack it
        return Response(status_code=204)
    except WebhookVerificationError as exc:  # bad signature, stale timestamp, bad headers...
        raise HTTPException(status_code=400, detail=str(exc)) from None
    handle_event(event)
    return Response(status_code=204)  # answer 2xx quickly; failed deliveries are retried


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8788")))
