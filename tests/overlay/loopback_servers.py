"""Small HTTP servers on 127.0.0.1 (ephemeral ports) for the client-surface tests.

- ``SlowAPI``: answers the three API endpoints, waiting ``delay_s`` first when the request
  carries ``x-test-delay: 1``; sends ``x-request-id`` on every answer; counts TCP connections
  and the GETs of ``/api/v1/requests/*`` in flight at once (polls are held until
  ``hold_until_in_flight`` are in flight at once, then all pass; so concurrency is observed,
  not timed).
- ``ForwardProxy``: a minimal HTTP forward proxy: absolute-form requests are relayed to their
  target and recorded; ``CONNECT`` is recorded and refused with 502.
- ``DripAPI``: a hostile API and asset host: creates are accepted at once; polls (``poll``:
  ``"drip"``) send their headers and then one body byte every ``interval_s``, or (``"429"``)
  answer 429 with ``Retry-After: 30``, or (``"done"``) a succeeded request whose asset is
  ``/assets/video.mp4`` on the same server, which drips too.
"""

from __future__ import annotations

import http.client
import itertools
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from overlay_mock_api import accepted, request_object

STATUS_BODY = {"ok": True, "status": "ok", "creditsRemaining": 42}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out closes its socket: writing to it fails; that is expected."""


class SlowAPI:
    """See the module docstring. Use as a context manager; ``base_url`` is set inside."""

    def __init__(self, delay_s: float = 0.6, *, tls: ssl.SSLContext | None = None) -> None:
        self.delay_s = delay_s
        self._tls = tls
        self.connections: set[tuple[str, int]] = set()
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.polls_in_flight = 0
        self.peak_polls_in_flight = 0
        self.hold_until_in_flight = 0
        self.hold_max_s = 5.0
        self._released = False
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self.base_url = ""
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("x-request-id", f"xr_{next(api._ids)}")
                self.end_headers()
                self.wfile.write(data)

            def _begin(self) -> None:
                with api._lock:
                    api.connections.add(self.client_address)
                    api.paths.append(f"{self.command} {self.path}")
                    api.headers.append({k.lower(): v for k, v in self.headers.items()})
                if self.headers.get("x-test-delay") == "1":
                    time.sleep(api.delay_s)

            def do_POST(self) -> None:
                self._begin()
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                self._answer(202, accepted("req_slow", poll_after_ms=0))

            def do_GET(self) -> None:
                self._begin()
                if self.path == "/api/v1/status":
                    self._answer(200, STATUS_BODY)
                    return
                request_id = self.path.rsplit("/", 1)[-1]
                with api._lock:
                    api.polls_in_flight += 1
                    api.peak_polls_in_flight = max(api.peak_polls_in_flight, api.polls_in_flight)
                    if api.polls_in_flight >= api.hold_until_in_flight:
                        api._released = True  # the peak was seen: let every poll through
                        api._lock.notify_all()
                    api._lock.wait_for(lambda: api._released, timeout=api.hold_max_s)
                    api.polls_in_flight -= 1
                self._answer(200, request_object(request_id, "succeeded"))

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> SlowAPI:
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.base_url = f"{'https' if self._tls else 'http'}://{host}:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class ForwardProxy:
    """See the module docstring. ``url`` (``http://127.0.0.1:<port>``) is set inside."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.url = ""
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_CONNECT(self) -> None:
                proxy.seen.append(f"CONNECT {self.path}")
                self.send_response(502)
                self.send_header("content-length", "0")
                self.end_headers()
                self.close_connection = True

            def _relay(self) -> None:
                proxy.seen.append(f"{self.command} {self.path}")
                target = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection",)
                }
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
                try:
                    path = target.path + (f"?{target.query}" if target.query else "")
                    upstream.request(self.command, path, body=body, headers=headers)
                    reply = upstream.getresponse()
                    data = reply.read()
                finally:
                    upstream.close()
                self.send_response(reply.status)
                for name, value in reply.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _relay
            do_POST = _relay

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class DripAPI:
    """See the module docstring. ``base_url`` is set inside; ``hits`` counts the GETs."""

    def __init__(self, poll: str = "drip", interval_s: float = 0.5) -> None:
        self.poll = poll
        self.interval_s = interval_s
        self.hits: list[str] = []
        self.base_url = ""
        self._stop = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _head(self, status: int, length: int, **headers: str) -> None:
                self.send_response(status)
                self.send_header("content-length", str(length))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                self.wfile.flush()

            def _drip(self, length: int) -> None:
                for _ in range(length):
                    if api._stop.wait(api.interval_s):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                data = json.dumps(accepted("req_drip", poll_after_ms=0)).encode()
                self._head(202, len(data), content_type="application/json")
                self.wfile.write(data)

            def do_GET(self) -> None:
                api.hits.append(self.path)
                if self.path.startswith("/assets/"):
                    self._head(200, 10_000, content_type="video/mp4")
                    self._drip(10_000)
                    return
                if api.poll == "429":
                    self._head(429, 2, content_type="application/json", retry_after="30")
                    self.wfile.write(b"{}")
                    return
                if api.poll == "done":
                    body = request_object("req_drip", "succeeded")
                    body["output"]["video_url"] = f"{api.base_url}/assets/video.mp4"
                    data = json.dumps(body).encode()
                    self._head(200, len(data), content_type="application/json")
                    self.wfile.write(data)
                    return
                self._head(200, 10_000, content_type="application/json")
                self._drip(10_000)

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> DripAPI:
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def slow_api(delay_s: float = 0.6) -> Iterator[SlowAPI]:
    with SlowAPI(delay_s) as api:
        yield api
