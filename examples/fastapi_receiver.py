"""A FastAPI receiver for Cannon Studio webhooks: needs only the signing secret, no API key.

Run it:   CANNON_WEBHOOK_SECRET=whsec_... python examples/fastapi_receiver.py
          (or: uvicorn --app-dir examples fastapi_receiver:app --port 8788)
then give ``webhook_url="http://<this host>:8788/hooks/cannon"`` to a create.
"""

from __future__ import annotations

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


@app.post("/hooks/cannon", status_code=204)
async def cannon_webhook(request: Request) -> Response:
    try:  # verify the raw body bytes, exactly as received
        event = webhooks.verify(await request.body(), request.headers)
    except WebhookReplayError:  # a repeat delivery (at least once): handled already, ack it
        return Response(status_code=204)
    except WebhookVerificationError as exc:  # bad signature, stale timestamp, bad headers...
        raise HTTPException(status_code=400, detail=str(exc)) from None
    handle_event(event)
    return Response(status_code=204)  # answer 2xx quickly; failed deliveries are retried


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8788)
