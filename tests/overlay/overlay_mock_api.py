"""A scripted ``httpx2.MockTransport`` API for unit tests (no sandbox needed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2

Reply = httpx2.Response | Exception | Callable[[httpx2.Request], httpx2.Response]


def request_object(
    request_id: str = "req_1",
    status: str = "queued",
    operation: str = "video.generate",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": request_id,
        "operation": operation,
        "status": status,
        "createdAtMs": 1_700_000_000_000,
    }
    if status == "succeeded":
        body["output"] = {
            "asset_type": "video",
            "video_url": f"https://assets.test/{request_id}/video.mp4",
            "status": "succeeded",
        }
        body["billableCredits"] = 20
    if status == "failed":
        body["errorMessage"] = "provider rejected the prompt"
    body.update(extra)
    return body


def accepted(request_id: str = "req_1", poll_after_ms: int = 2000) -> dict[str, Any]:
    return {
        "id": request_id,
        "status": "queued",
        "operation": "video.generate",
        "poll_after_ms": poll_after_ms,
        "urls": {"get": f"https://api.test/api/v1/requests/{request_id}"},
    }


class MockAPI:
    """Routes ``(method, path)`` to a queue of replies; records every request."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.calls: list[httpx2.Request] = []

    def add(self, method: str, path: str, *replies: Reply) -> None:
        self.routes.setdefault((method, path), []).extend(replies)

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.calls.append(request)
        queue = self.routes.get((request.method, request.url.path))
        if not queue:
            return httpx2.Response(404, json={"error": f"no route {request.url.path}"})
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, httpx2.Response):
            return reply(request)
        return httpx2.Response(reply.status_code, headers=reply.headers, content=reply.content)

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handler)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(c.content) for c in self.calls if c.method == "POST"]


def ok(body: Any, status: int = 200, **headers: str) -> httpx2.Response:
    return httpx2.Response(status, json=body, headers=headers)
