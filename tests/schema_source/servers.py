"""Small hostile servers on loopback for the schema-source tests.

``Recorder`` answers GETs from a route table (``path -> (status, headers, body)``; paths not in
the table get 404) and records each request's path and headers, so a test can see where the API
key went and whether anything was fetched at all. With ``tls`` it serves https with a
certificate made by :func:`self_signed` (``openssl``), which a test trusts through
``SSL_CERT_FILE`` or leaves untrusted.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Route = tuple[int, dict[str, str], bytes]


@dataclass
class Hit:
    """One request a :class:`Recorder` received."""

    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up (or refused our certificate) is not a test failure


class Recorder:
    """A loopback HTTP(S) server answering from ``routes`` and recording every request.

    Attributes:
        origin: ``http(s)://127.0.0.1:<port>``.
        hits: each request received, in order.
    """

    def __init__(self, routes: dict[str, Route] | None = None, tls: ssl.SSLContext | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.hits: list[Hit] = []
        hits, table = self.hits, self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = table.get(self.path, (404, {}, b"{}"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = _Quiet(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.origin = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.origin + path

    def serve(self, path: str, body: bytes, status: int = 200) -> str:
        """Answer ``path`` with ``body``; return its URL."""
        self.routes[path] = (status, {"content-type": "application/json"}, body)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``location``; return its URL."""
        self.routes[path] = (status, {"location": location}, b"")
        return self.url(path)

    def __enter__(self) -> Recorder:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def self_signed(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A certificate for 127.0.0.1 (``openssl``), and a server context using it.

    Returns:
        The certificate file (to trust through ``SSL_CERT_FILE``) and the server's context.
    """
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
