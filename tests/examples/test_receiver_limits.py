"""The example receivers refuse a 100 MB unsigned POST with 413 before reading it whole.

Each receiver runs as its own server process (``python examples/<name>.py`` on a free loopback
port); the test sends 100 MB (declared with ``Content-Length``, or chunked with no length) from
a raw socket, stops sending once the answer arrives, and compares the server's resident memory
(psutil) before and after: it must grow by less than 10 MiB.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY_BYTES = 100 * 1024 * 1024
GROWTH_LIMIT = 10 * 1024 * 1024
CHUNK = b"x" * (256 * 1024)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["fastapi_receiver.py", "flask_receiver.py"])
def receiver(request: pytest.FixtureRequest) -> Iterator[tuple[psutil.Process, int]]:
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CANNON_") and key != "PORT"
    }
    env.update({"CANNON_WEBHOOK_SECRET": SECRET, "PORT": str(port)})
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / request.param)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{request.param} did not start") from None
                time.sleep(0.1)
        yield psutil.Process(server.pid), port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _status(head: bytes) -> int:
    return int(head.split(b" ", 2)[1])


def _post_100_mb(port: int, *, chunked: bool) -> tuple[int, int]:
    """POST 100 MB (or until the server answers); the status and the bytes sent."""
    length = b"transfer-encoding: chunked" if chunked else b"content-length: %d" % BODY_BYTES
    head = (
        b"POST /hooks/cannon HTTP/1.1\r\nhost: 127.0.0.1\r\n"
        b"content-type: application/json\r\n" + length + b"\r\n\r\n"
    )
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(head)
        answer = b""
        while sent < BODY_BYTES:
            readable, _, _ = select.select([conn], [], [], 0)
            if readable:
                break
            piece = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if chunked else CHUNK
            try:
                conn.sendall(piece)
            except OSError:  # the server answered and closed while we were sending
                break
            sent += len(CHUNK)
        conn.settimeout(10)
        try:
            while b"\r\n" not in answer:
                data = conn.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    return _status(answer), sent


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_100_mb_unsigned_post_is_refused_unread(
    receiver: tuple[psutil.Process, int], chunked: bool
) -> None:
    process, port = receiver
    before = process.memory_info().rss
    status, sent = _post_100_mb(port, chunked=chunked)
    time.sleep(0.5)
    growth = process.memory_info().rss - before
    assert status == 413, status
    assert sent < BODY_BYTES  # refused before the body was all sent
    assert growth < GROWTH_LIMIT, f"receiver grew by {growth / 2**20:.1f} MiB"
