"""Schema documents and a schema server for the drift-check tests of every test folder.

- ``without_last_operation``: a copy of a document whose create body no longer offers its last
  operation (by the schema model's reading), for "an operation removed is BREAKING";
- ``SchemaServer``: a loopback HTTP server answering every GET with one body and status, and
  recording each request's headers (to see where the API key goes).
"""

from __future__ import annotations

import copy
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cannon_studio_schema import ApiSchema

__all__ = ["SchemaServer", "without_last_operation"]


def without_last_operation(document: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A copy of ``document`` whose create body no longer offers its last operation (by the
    schema model's reading), and that operation's id."""
    op = ApiSchema(document).operations[-1]
    changed = copy.deepcopy(document)
    body = changed["components"]["schemas"]["CreateRequestBody"]
    body["oneOf"] = [v for v in body["oneOf"] if v.get("$ref") != op.envelope_pointer]
    body.get("discriminator", {}).get("mapping", {}).pop(op.id, None)
    return changed, op.id


class SchemaServer:
    """A loopback HTTP server (127.0.0.1, free port) answering every GET with ``body`` (JSON)
    and ``status``; ``seen`` holds each request's headers, lower-cased. Serves while entered.

    Attributes:
        origin: ``http://127.0.0.1:<port>``.
        url: the schema's address there, ``<origin>/api/v1/openapi``.
        seen: one dict of request headers per GET received.
    """

    def __init__(self, body: bytes, status: int = 200) -> None:
        seen: list[dict[str, str]] = []
        self.seen = seen

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.origin}/api/v1/openapi"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SchemaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
