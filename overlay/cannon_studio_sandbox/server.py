"""Serving an ASGI app over real HTTP with uvicorn: in a background thread or in the foreground.

Knows nothing of the :class:`~.control.Sandbox` facade: it serves whatever ASGI app it is given
(the facade passes ``sandbox.app``; :mod:`.__main__` serves it from the command line).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

from .faults import quiet_uvicorn_drops


@dataclass(frozen=True)
class ServerAddress:
    """Where a running server listens.

    Attributes:
        base_url: ``http://HOST:PORT`` (no trailing slash; IPv6 hosts in brackets).
        host: bound interface.
        port: bound TCP port (the chosen one when 0 was asked for).
    """

    base_url: str
    host: str
    port: int


def bind(host: str, port: int) -> socket.socket:
    """A listening, non-blocking TCP socket on ``host``:``port`` (0 picks a free port).

    Raises:
        OSError: the address cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit TCP_NODELAY; without it every response pays a ~40 ms
    # Nagle/delayed-ACK stall (headers and body are written separately).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def base_url(host: str, port: int) -> str:
    """``http://HOST:PORT`` for a bound address (IPv6 hosts in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def uvicorn_server(app: ASGIApp, log_level: str) -> uvicorn.Server:
    """A uvicorn server for ``app`` (h11, asyncio, lifespan on, no access log); not started.

    Args:
        app: the ASGI application.
        log_level: uvicorn's log level name (e.g. ``"warning"``).
    """
    quiet_uvicorn_drops()
    config = uvicorn.Config(
        app,
        http="h11",
        loop="asyncio",
        lifespan="on",
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=2,
        backlog=2048,
        limit_concurrency=None,
    )
    return uvicorn.Server(config)


@contextlib.contextmanager
def run_in_thread(
    app: ASGIApp,
    host: str = "127.0.0.1",
    port: int = 0,
    start_timeout_s: float = 10.0,
    on_bound: Callable[[str, int], None] | None = None,
) -> Iterator[ServerAddress]:
    """Serve ``app`` with uvicorn in a daemon thread until the block exits.

    Args:
        app: the ASGI application to serve.
        host: interface to bind.
        port: TCP port, 0 for a free one.
        start_timeout_s: seconds to wait for the server to accept connections.
        on_bound: called with ``(host, port)`` once the socket is bound, before the first
            request is served (the sandbox's guard turns its ``Host`` check on there).

    Yields:
        The :class:`ServerAddress` the server listens on.

    Raises:
        OSError: the address cannot be bound.
        RuntimeError: the server did not start in time.
    """
    sock = bind(host, port)
    bound_port = sock.getsockname()[1]
    if on_bound is not None:
        on_bound(host, bound_port)
    server = uvicorn_server(app, "warning")

    def target() -> None:
        asyncio.run(server.serve(sockets=[sock]))

    thread = threading.Thread(target=target, name=f"cannon-sandbox-{bound_port}", daemon=True)
    thread.start()
    deadline = start_timeout_s
    waited = 0.0
    while not server.started:
        if not thread.is_alive() or waited > deadline:
            sock.close()
            raise RuntimeError("the sandbox server did not start")
        threading.Event().wait(0.01)
        waited += 0.01
    try:
        yield ServerAddress(base_url(host, bound_port), host, bound_port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve_forever(app: ASGIApp, sock: socket.socket, log_level: str = "warning") -> None:
    """Serve ``app`` on the bound ``sock`` in this thread until interrupted (Ctrl-C / SIGTERM).

    Args:
        app: the ASGI application.
        sock: a socket from :func:`bind` (closed on return).
        log_level: uvicorn's log level name.
    """
    server = uvicorn_server(app, log_level)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(server.serve(sockets=[sock]))
    finally:
        sock.close()
