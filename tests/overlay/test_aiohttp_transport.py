"""``AiohttpTransport`` (httpx2 over aiohttp) against small servers on loopback.

What reaches the server is the request's own headers and body (aiohttp adds none of its own,
keeps no cookies); bodies come back whole or streamed; aiohttp's errors come out as httpx2's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx2
import pytest

pytest.importorskip("aiohttp")

from cannon_studio._aiohttp_transport import EAGER_BODY_MAX, AiohttpTransport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _serve(handler: Handler) -> tuple[asyncio.Server, str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def _head(reader: asyncio.StreamReader) -> list[bytes]:
    lines = []
    while (line := await reader.readline()) not in (b"\r\n", b""):
        lines.append(line.rstrip(b"\r\n"))
    return lines


def _answer(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%b\r\n%b" % (len(body), extra, body)


async def test_sends_the_requests_headers_and_no_cookies() -> None:
    seen: list[list[bytes]] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while head := await _head(reader):
            seen.append(head)
            lengths = [int(h.split(b":")[1]) for h in head if h.lower().startswith(b"content-l")]
            await reader.readexactly(sum(lengths))
            writer.write(_answer(b'{"ok":true}', b"set-cookie: a=b\r\n"))
            await writer.drain()
        writer.close()

    server, base = await _serve(handler)
    transport = AiohttpTransport()
    post = httpx2.Request("POST", f"{base}/p", headers={"x-api-key": "k"}, json={"a": 1})
    get = httpx2.Request("GET", f"{base}/g", headers={"x-api-key": "k"})
    for request in (post, get):  # the second would carry the cookie if the transport kept it
        response = await transport.handle_async_request(request)
        assert await response.aread() == b'{"ok":true}'
    await transport.aclose()
    server.close()
    for request, head in zip((post, get), seen, strict=True):
        assert head[1:] == [b"%b: %b" % pair for pair in request.headers.raw]


async def test_large_bodies_stream_and_small_ones_arrive_whole() -> None:
    big = b"x" * (EAGER_BODY_MAX + 1)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _head(reader)
        writer.write(_answer(big))
        await writer.drain()
        writer.close()

    server, base = await _serve(handler)
    client = httpx2.AsyncClient(transport=AiohttpTransport())
    async with client, client.stream("GET", f"{base}/big") as response:
        chunks = [chunk async for chunk in response.aiter_raw()]
    server.close()
    assert b"".join(chunks) == big


@pytest.mark.parametrize("encoded", [False, True], ids=["identity", "gzip"])
async def test_a_whole_body_reads_the_same_with_or_without_the_known_content(
    encoded: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    from cannon_studio import _aiohttp_transport

    text = b'{"id":"req_1","status":"succeeded","note":"' + b"z" * 300 + b'"}'
    wire = gzip.compress(text) if encoded else text

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await _head(reader):
            writer.write(_answer(wire, b"content-encoding: gzip\r\n" if encoded else b""))
            await writer.drain()
        writer.close()

    async def read_all() -> list[tuple[bytes, object, bytes]]:
        server, base = await _serve(handler)
        transport = AiohttpTransport()
        seen = []
        for whole in (True, False):
            request = httpx2.Request("GET", f"{base}/r")
            if whole:
                response = await transport.handle_within(request, 5.0)
            else:
                response = await transport.handle_async_request(request)
            content = await response.aread()
            again = b"".join([part async for part in response.aiter_bytes()])
            seen.append((content, response.json(), again))
            await response.aclose()
        await transport.aclose()
        server.close()
        return seen

    known = await read_all()
    monkeypatch.setattr(_aiohttp_transport, "_known_content", lambda response, body: None)
    streamed = await read_all()
    assert known == streamed
    assert all(content == again == text for content, _, again in known)


async def test_errors_are_httpx2s() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _head(reader)
        writer.close()

    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _head(reader)
        await asyncio.sleep(5)

    server, base = await _serve(hang_up)
    async with httpx2.AsyncClient(transport=AiohttpTransport()) as client:
        with pytest.raises(httpx2.RemoteProtocolError):
            await client.get(f"{base}/")
    server.close()
    await server.wait_closed()
    async with httpx2.AsyncClient(transport=AiohttpTransport()) as client:
        with pytest.raises(httpx2.ConnectError):
            await client.get(base)  # nothing listens there any more
    server, base = await _serve(stall)
    async with httpx2.AsyncClient(transport=AiohttpTransport(), timeout=0.2) as client:
        with pytest.raises(httpx2.ReadTimeout):
            await client.get(f"{base}/")
    server.close()
