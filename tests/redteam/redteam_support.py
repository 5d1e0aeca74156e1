"""Shared pieces of the red-team suite: the per-area tally and small hostile servers.

Every red-team test records the cases it tried and how many the library held (answered with
the documented behaviour); ``conftest.py`` prints the table at the end of the run.
"""

from __future__ import annotations

import socket
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

TALLY: dict[str, list[int]] = defaultdict(lambda: [0, 0])
"""area -> [cases tried, cases held]."""

API_KEY = "cs_test_redteam_key_0123456789abcdef"
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def record(area: str, held: bool) -> bool:
    """Count one case of ``area``; returns ``held`` so asserts can use it."""
    TALLY[area][0] += 1
    TALLY[area][1] += int(held)
    return held


@contextmanager
def raw_server(reply: Callable[[socket.socket, bytes], None]) -> Iterator[str]:
    """A tiny hostile HTTP server on 127.0.0.1 (ephemeral port): ``reply(conn, request_head)``
    writes whatever bytes it wants and the connection is closed. Yields ``http://127.0.0.1:PORT``.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                head = b""
                try:
                    while b"\r\n\r\n" not in head:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        head += chunk
                    reply(conn, head)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def canned(data: bytes) -> Callable[[socket.socket, bytes], None]:
    """A ``raw_server`` reply that writes ``data`` and closes."""

    def reply(conn: socket.socket, head: bytes) -> None:
        conn.sendall(data)

    return reply


async def asgi_call(
    app: Any, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> int:
    """One request straight into an ASGI app (no HTTP client: cheap enough for a soak);
    returns the response status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("sandbox.test", 80),
    }
    sent = False
    status = [0]

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status[0] = message["status"]

    await app(scope, receive, send)
    return status[0]
