"""Webhook-driven waiting: ``WebhookReceiver`` listens for deliveries and wakes the waits.

The API sends a webhook when a request reaches a terminal state (lifecycle page). A receiver
listens on a host and port, is reached at the ``public_url`` the user gives, verifies every
delivery with ``Webhooks`` (Standard Webhooks signature, timestamp tolerance, dedupe on
``webhook-id``) and hands what it says to the handles waiting for that request id. While a
receiver is running, creates of its client carry ``webhook_url=public_url`` and their waits
listen instead of polling; polling stays on as a safety net (``_polling.safety_interval``).

What a verified delivery is worth. Assumed (the docs do not describe the payload): the event's
``data`` is the request object as ``GET /api/v1/requests/{id}`` returns it at completion. A
delivery whose ``data`` has the request id, a terminal ``status``, ``completedAtMs`` and, for
``succeeded``, an ``output`` (for ``failed``, an ``errorMessage``) resolves the wait without a
GET; any other verified delivery is a hint, and the wait GETs the request once at once. A
duplicate delivery is acknowledged and ignored (the dedupe store), and one that slipped past
it changes nothing: a handle's terminal state is set once. A dropped delivery is found by the
safety-net poll. So no delivery, dropped or doubled, loses or doubles a result.

The server is an ``asyncio.Protocol`` in the client's own event loop around ``h11``, the
sans-I/O HTTP/1.1 parser httpx2's own core stands on (``_DeliveryProtocol``): a delivery is
parsed, verified, handed to the waits and answered inside the ``data_received`` call that
brought its last byte, with no task or queue between the socket and the waits (an HTTP
framework would add two turns of a busy event loop there). ``h11`` bounds request lines and
headers (``RECEIVER_MAX_HEAD_BYTES``); this module adds the rest of the hostile-input rules:

- only ``POST`` on the receiver's path (405 otherwise; other paths 404);
- a ``Content-Length`` over ``max_body_bytes`` is refused before the body is read (413), a
  chunked body once it grows past it (413);
- a request that does not arrive whole within ``RECEIVER_READ_TIMEOUT_S`` is dropped (408),
  a connection idle for ``RECEIVER_IDLE_TIMEOUT_S`` closed;
- a request that is not HTTP/1.1 as ``h11`` reads it is answered 400 and its connection
  closed;
- more than ``RECEIVER_MAX_CONCURRENT`` deliveries at once are answered 503 with
  ``Retry-After: 1`` (the sender retries);
- a bad signature or timestamp is 401 and resolves nothing, a malformed delivery 400;
- every refusal is logged as one line with its reason (never a traceback, a body, a
  signature or the secret).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from ._constants import (
    RECEIVER_MAX_CONCURRENT,
    RECEIVER_MAX_NOTICES,
    RECEIVER_READ_TIMEOUT_S,
    RECEIVER_SAFETY_DEFAULT_S,
    RECEIVER_SAFETY_FACTOR,
    RECEIVER_SAFETY_MAX_S,
    RECEIVER_SAFETY_MIN_S,
)
from ._errors import (
    ConfigurationError,
    WebhookPayloadTooLargeError,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookVerificationError,
)
from ._logging import logger, safe_url
from ._polling import safety_interval
from .webhooks import MemoryDedupeStore, Webhooks

if TYPE_CHECKING:
    import h11
    from cannon_studio_api.models import RequestObject

__all__ = ["Notice", "ReceiverStats", "WebhookReceiver", "full_record"]

_TERMINAL = frozenset({"succeeded", "failed"})
_INSTALL_HINT = "the webhook receiver needs h11: pip install 'cannon-studio[webhooks]'"
RECEIVER_MAX_HEAD_BYTES = 16 * 1024
"""Largest request line plus headers a delivery may send, BYTES (h11's default; 400 beyond)."""
RECEIVER_IDLE_TIMEOUT_S = 75.0
"""SECONDS a kept-alive connection may stay idle before the receiver closes it."""
RECEIVER_LINGER_S = 5.0
RECEIVER_LINGER_BYTES = 16 * 1024 * 1024
"""After refusing a request whose body is still coming, the receiver reads and drops up to
that many SECONDS and BYTES of it before closing, so the sender reads the refusal instead of
a reset connection."""


class _Answer(NamedTuple):
    """The HTTP answer to one delivery: status code, plain-text body, extra headers."""

    status: int
    text: str = ""
    headers: tuple[tuple[str, str], ...] = ()


def _expire(waiter: asyncio.Future[Notice | None]) -> None:
    """A ``next_notice`` wait ran out of time: it ends with ``None``."""
    if not waiter.done():
        waiter.set_result(None)


def _present(value: object) -> bool:
    """True for a value the payload carried (not the generated client's ``UNSET``, not None)."""
    return value is not None and type(value).__name__ != "Unset"


def full_record(record: RequestObject) -> bool:
    """True when a delivered request object carries the whole terminal result (see the module
    docstring: id, terminal status, ``completedAtMs``, and ``output`` or ``errorMessage``)."""
    status = str(getattr(record, "status", ""))
    if status not in _TERMINAL or not isinstance(getattr(record, "id", None), str):
        return False
    completed = getattr(record, "completed_at_ms", None)
    if isinstance(completed, bool) or not isinstance(completed, int):
        return False
    if status == "succeeded":
        return _present(getattr(record, "output", None))
    return isinstance(getattr(record, "error_message", None), str)


class Notice:
    """What a verified delivery said about one request.

    Attributes:
        request_id: the request the delivery was about.
        record: the delivered request object when it carries the whole terminal result, else
            ``None`` (a hint: GET the request).
        seq: a number that grows with every notice this receiver takes (a wait takes each once).
    """

    __slots__ = ("record", "request_id", "seq")

    def __init__(self, request_id: str, record: RequestObject | None, seq: int) -> None:
        self.request_id = request_id
        self.record = record
        self.seq = seq

    def __repr__(self) -> str:
        kind = "record" if self.record is not None else "hint"
        return f"Notice({self.request_id!r}, {kind}, seq={self.seq})"


class ReceiverStats:
    """Counters of one receiver (for logs, tests and benchmarks; plain ints).

    Attributes:
        accepted: deliveries verified and taken (first copies).
        duplicates: verified copies of a ``webhook-id`` already taken (acknowledged, ignored).
        hints: accepted deliveries without the whole terminal result (the wait GETs once).
        refused: deliveries refused (401, 400, 404, 405, 408, 413, 503), by status code.
    """

    def __init__(self) -> None:
        self.accepted = 0
        self.duplicates = 0
        self.hints = 0
        self.refused: dict[int, int] = {}

    def refuse(self, status: int) -> None:
        self.refused[status] = self.refused.get(status, 0) + 1

    def __repr__(self) -> str:
        return (
            f"ReceiverStats(accepted={self.accepted}, duplicates={self.duplicates}, "
            f"hints={self.hints}, refused={self.refused})"
        )


class WebhookReceiver:
    """An HTTP endpoint for the API's terminal webhooks that resolves the waits of a client.

    Made by ``AsyncCannon.webhook_receiver(...)`` (bound to that client) or directly. Use it as
    an async context manager (or ``start()`` / ``close()``): while it runs, the bound client's
    creates carry ``webhook_url=public_url`` and their waits (``handle.wait``, ``run``,
    ``batch``) are woken by deliveries; each wait also polls once every safety-net interval
    (``safety_interval``), so a delivery that never comes costs latency, never the result.

    Args:
        webhooks: verifies deliveries (its secret, tolerance and body limit). Without a
            ``dedupe`` store of its own, the receiver dedupes in memory.
        public_url: the absolute ``http(s)`` URL the API must POST to (what creates carry); it
            must reach this process (a reverse proxy or tunnel in front of ``host:port``).
            ``None``: ``http://HOST:PORT/PATH`` of the bound socket (loopback, the sandbox).
        host: interface to listen on (default ``127.0.0.1``; ``0.0.0.0`` for every one).
        port: TCP port (default 0: a free port, see ``port`` after ``start``).
        path: the URL path deliveries are POSTed to (default: the path of ``public_url``, or
            ``/webhooks/cannon``).
        attach: called with the receiver when it starts and with ``None`` when it stops (the
            client's hook that makes its creates carry ``public_url``).
        safety_factor, safety_min_s, safety_max_s, safety_default_s: the safety-net interval
            rule, SECONDS (see ``_polling.safety_interval``).
        max_concurrent: deliveries handled at once (503 beyond).
        read_timeout_s: SECONDS a delivery has to arrive whole, head and body (408 after).
        max_notices: request ids whose last delivery is remembered (oldest dropped first).

    Raises:
        ConfigurationError: ``public_url`` is not an absolute http(s) URL, or a number is out
            of range. ``start`` raises it when h11 is not installed.
    """

    def __init__(
        self,
        webhooks: Webhooks,
        *,
        public_url: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str | None = None,
        attach: Callable[[WebhookReceiver | None], None] | None = None,
        safety_factor: float = RECEIVER_SAFETY_FACTOR,
        safety_min_s: float = RECEIVER_SAFETY_MIN_S,
        safety_max_s: float = RECEIVER_SAFETY_MAX_S,
        safety_default_s: float = RECEIVER_SAFETY_DEFAULT_S,
        max_concurrent: int = RECEIVER_MAX_CONCURRENT,
        read_timeout_s: float = RECEIVER_READ_TIMEOUT_S,
        max_notices: int = RECEIVER_MAX_NOTICES,
    ) -> None:
        if not isinstance(webhooks, Webhooks):
            raise ConfigurationError("webhooks must be a cannon_studio.Webhooks")
        if public_url is not None:
            parts = urlsplit(public_url) if isinstance(public_url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigurationError(
                    "public_url must be an absolute http(s) URL the API can reach, "
                    f"got {safe_url(str(public_url))!r}"
                )
            path = path or parts.path or "/"
        path = path or "/webhooks/cannon"
        if not path.startswith("/"):
            raise ConfigurationError(f"path must start with '/', got {path!r}")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ConfigurationError(f"port must be an integer in [0, 65535], got {port!r}")
        for name, value in (
            ("safety_factor", safety_factor),
            ("safety_min_s", safety_min_s),
            ("safety_max_s", safety_max_s),
            ("safety_default_s", safety_default_s),
            ("read_timeout_s", read_timeout_s),
        ):
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ConfigurationError(f"{name} must be a number > 0, got {value!r}")
        if safety_min_s > safety_max_s:
            raise ConfigurationError("safety_min_s must not be larger than safety_max_s")
        for name, count in (("max_concurrent", max_concurrent), ("max_notices", max_notices)):
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ConfigurationError(f"{name} must be an integer >= 1, got {count!r}")
        self.webhooks = webhooks
        self.host = host
        self.path = path
        self._port = port
        self._public_url = public_url
        self._attach = attach
        self._safety = (
            float(safety_factor),
            float(safety_min_s),
            float(safety_max_s),
            float(safety_default_s),
        )
        self._max_concurrent = max_concurrent
        self._read_timeout_s = float(read_timeout_s)
        self._max_notices = max_notices
        self._dedupe = webhooks.dedupe if webhooks.dedupe is not None else MemoryDedupeStore()
        self._notices: OrderedDict[str, Notice] = OrderedDict()
        self._waiters: dict[str, list[asyncio.Future[Notice | None]]] = {}
        self._subscribers: dict[str, list[Callable[[Notice | None], None]]] = {}
        self._seq = itertools.count(1)
        self._busy = 0
        self._logged_at = float("-inf")
        self._unlogged = 0
        self._server: asyncio.Server | None = None
        self._connections: set[_DeliveryProtocol] = set()
        self.stats = ReceiverStats()

    # ------------------------------------------------------------------ lifecycle
    @property
    def running(self) -> bool:
        """True between ``start`` and ``close``."""
        return self._server is not None

    @property
    def port(self) -> int:
        """The bound TCP port once started (the given one before)."""
        return self._port

    @property
    def public_url(self) -> str:
        """The URL creates carry as ``webhook_url`` (see ``public_url`` in the class docs)."""
        if self._public_url is not None:
            return self._public_url
        host = self.host if self.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self._port}{self.path}"

    async def start(self) -> WebhookReceiver:
        """Bind ``host:port`` and serve; return ``self``. A second call does nothing.

        Raises:
            ConfigurationError: h11 is not installed (the ``[webhooks]`` extra), or the
                webhook secret is missing.
            OSError: the address cannot be bound (in use, not local, no permission).
        """
        if self._server is not None:
            return self
        try:
            import h11
        except ImportError:
            raise ConfigurationError(_INSTALL_HINT) from None
        if not getattr(self.webhooks, "_secret", None):
            raise ConfigurationError(
                "no webhook secret: pass webhook_secret= to the client or set CANNON_WEBHOOK_SECRET"
            )
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: _DeliveryProtocol(self, h11), self.host, self._port, backlog=1024
        )
        sockets = server.sockets
        if sockets:
            self._port = int(sockets[0].getsockname()[1])
        self._server = server
        if self._attach is not None:
            self._attach(self)
        logger.info("webhook receiver on %s:%d (public %s)", self.host, self._port, self.path)
        return self

    async def close(self) -> None:
        """Stop serving; waits still listening poll at once and go on polling. Idempotent."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        if self._attach is not None:
            self._attach(None)
        for waiters in self._waiters.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
        self._waiters.clear()
        subscribers, self._subscribers = self._subscribers, {}
        for callbacks in subscribers.values():
            for callback in callbacks:
                callback(None)
        for connection in list(self._connections):
            connection.close()
        await server.wait_closed()

    async def __aenter__(self) -> WebhookReceiver:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return (
            f"WebhookReceiver({state}, listen={self.host}:{self._port}, "
            f"public_url={safe_url(self.public_url)!r})"
        )

    # ------------------------------------------------------------------ waiting
    def safety_interval(self, samples: Sequence[float]) -> float:
        """SECONDS between safety-net polls for an operation whose observed durations (sorted,
        SECONDS) are ``samples`` (``_polling.safety_interval`` with this receiver's rule)."""
        factor, low, high, default = self._safety
        return safety_interval(samples, factor=factor, min_s=low, max_s=high, default_s=default)

    async def next_notice(self, request_id: str, after: int, timeout_s: float) -> Notice | None:
        """The first notice about ``request_id`` newer than ``after`` (its ``seq``), waiting up
        to ``timeout_s`` SECONDS for one; ``None`` on timeout or when the receiver stops.

        The delivery's handler resolves the future this call awaits (no task, no
        ``wait_for`` in between): the wait resumes on the next turn of the event loop."""
        notice = self._notices.get(request_id)
        if notice is not None and notice.seq > after:
            return notice
        if self._server is None:
            return None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Notice | None] = loop.create_future()
        waiters = self._waiters.setdefault(request_id, [])
        waiters.append(waiter)
        timer = loop.call_later(max(0.0, timeout_s), _expire, waiter)
        try:
            return await waiter
        finally:
            timer.cancel()
            waiters = self._waiters.get(request_id, [])
            if waiter in waiters:
                waiters.remove(waiter)
            if not waiters:
                self._waiters.pop(request_id, None)

    def subscribe(
        self, request_id: str, callback: Callable[[Notice | None], None], *, after: int = 0
    ) -> Notice | None:
        """Call ``callback(notice)`` for every notice about ``request_id`` taken from now on,
        from the delivery's request handler (it must not block or raise), and
        ``callback(None)`` once if the receiver stops first. Returns the last notice already
        taken about it if newer than ``after`` (its ``seq``), else ``None``. ``as_completed``
        follows its requests this way (one callback per request, no task)."""
        self._subscribers.setdefault(request_id, []).append(callback)
        notice = self._notices.get(request_id)
        return notice if notice is not None and notice.seq > after else None

    def unsubscribe(self, request_id: str, callback: Callable[[Notice | None], None]) -> None:
        """Undo ``subscribe`` (no-op when ``callback`` is not subscribed to ``request_id``)."""
        callbacks = self._subscribers.get(request_id)
        if callbacks is not None and callback in callbacks:
            callbacks.remove(callback)
            if not callbacks:
                del self._subscribers[request_id]

    def _take(self, record: RequestObject) -> None:
        """Remember a verified delivery and wake the waits for its request."""
        request_id = record.id
        complete = full_record(record)
        if not complete:
            self.stats.hints += 1
        notice = Notice(request_id, record if complete else None, next(self._seq))
        self._notices[request_id] = notice
        self._notices.move_to_end(request_id)
        while len(self._notices) > self._max_notices:
            self._notices.popitem(last=False)
        for waiter in self._waiters.pop(request_id, ()):
            if not waiter.done():
                waiter.set_result(notice)
        for callback in tuple(self._subscribers.get(request_id, ())):
            callback(notice)

    # ------------------------------------------------------------------ HTTP
    def _refuse(self, status: int, reason: str, *headers: tuple[str, str]) -> _Answer:
        self.stats.refuse(status)
        now = time.monotonic()
        if now - self._logged_at >= 1.0:  # a flood of refusals is one line a second
            more = f" ({self._unlogged} more refused since the last line)" if self._unlogged else ""
            logger.warning("webhook delivery refused (%d): %s%s", status, reason, more)
            self._logged_at, self._unlogged = now, 0
        else:
            self._unlogged += 1
        return _Answer(status, reason + "\n", headers)

    def _verify(self, body: bytes, headers: Mapping[str, str]) -> _Answer:
        """Verify one delivery's body and headers and take it; the HTTP answer."""
        try:
            event = self.webhooks.verify(body, headers, dedupe=self._dedupe)
        except WebhookReplayError:
            self.stats.duplicates += 1
            return _Answer(200, "duplicate\n")
        except WebhookPayloadTooLargeError as exc:
            return self._refuse(413, str(exc))
        except (WebhookSignatureError, WebhookTimestampError) as exc:
            return self._refuse(401, str(exc))
        except WebhookVerificationError as exc:
            return self._refuse(400, str(exc))
        except Exception as exc:  # a payload no model fits: one line, never a traceback
            return self._refuse(400, f"delivery not understood ({type(exc).__name__})")
        record = event.data
        if not isinstance(getattr(record, "id", None), str) or not record.id:
            return self._refuse(400, "verified delivery names no request id")
        self.stats.accepted += 1
        self._take(record)
        return _Answer(204)


class _DeliveryProtocol(asyncio.Protocol):
    """One connection to a ``WebhookReceiver``: HTTP/1.1 through ``h11``, keep-alive and
    pipelining included. Each request is refused as soon as its head shows it must be (path
    404, method 405, ``Content-Length`` 413, too many at once 503), its body is bounded as it
    grows (413), and a whole one is verified and answered in the same ``data_received`` call
    (``WebhookReceiver._verify``). A refusal before the body is read closes the connection.
    """

    def __init__(self, receiver: WebhookReceiver, h11_module: Any) -> None:
        self._receiver = receiver
        self._h11 = h11_module
        self._conn: h11.Connection = h11_module.Connection(
            h11_module.SERVER, max_incomplete_event_size=RECEIVER_MAX_HEAD_BYTES
        )
        self._transport: asyncio.Transport | None = None
        self._body = bytearray()
        self._headers: dict[str, str] = {}
        self._in_request = False  # bytes of a request arrived, its answer not yet sent
        self._counted = False  # counted in the receiver's deliveries at once
        self._timer: asyncio.TimerHandle | None = None
        self._lingering = -1  # bytes dropped after a refusal (-1: not lingering)

    # -- asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._receiver._connections.add(self)
        self._arm(RECEIVER_IDLE_TIMEOUT_S)

    def connection_lost(self, exc: Exception | None) -> None:
        self._receiver._connections.discard(self)
        self._uncount()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._transport = None

    def data_received(self, data: bytes) -> None:
        if self._transport is None or self._transport.is_closing():
            return
        if self._lingering >= 0:  # refused: drop what is still coming, up to a bound
            self._lingering += len(data)
            if self._lingering > RECEIVER_LINGER_BYTES:
                self.close()
            return
        if not self._in_request:
            self._in_request = True
            self._arm(self._receiver._read_timeout_s)
        try:
            self._conn.receive_data(data)
            self._events()
        except Exception as exc:  # never asyncio's traceback from inside the receiver
            logger.warning("webhook connection dropped: %s", type(exc).__name__)
            self.close()

    def eof_received(self) -> bool | None:
        if self._lingering >= 0:
            self.close()
            return None
        if self._transport is not None and not self._transport.is_closing():
            self._conn.receive_data(b"")
            self._events()
        return None

    # -- the HTTP exchange
    def _events(self) -> None:
        h11 = self._h11
        receiver = self._receiver
        while self._transport is not None and not self._transport.is_closing():
            try:
                event = self._conn.next_event()
            except h11.RemoteProtocolError as exc:
                self._finish(receiver._refuse(400, f"not a valid HTTP/1.1 request ({exc})"))
                return
            if event is h11.NEED_DATA:
                return
            if event is h11.PAUSED:  # the answer went out: the next request on this connection
                if not self._next_cycle():
                    return
                continue
            if isinstance(event, h11.Request):
                refusal = self._check_head(event)
                if refusal is not None:
                    self._finish(refusal)
                    return
                if self._conn.they_are_waiting_for_100_continue:
                    continue_ = h11.InformationalResponse(status_code=100, headers=[])
                    self._transport.write(self._conn.send(continue_))
            elif isinstance(event, h11.Data):
                self._body += event.data
                limit = receiver.webhooks.max_body_bytes
                if len(self._body) > limit:
                    self._finish(receiver._refuse(413, f"body larger than {limit} bytes"))
                    return
            elif isinstance(event, h11.EndOfMessage):
                body, self._body = bytes(self._body), bytearray()
                self._uncount()
                self._finish(receiver._verify(body, self._headers), keep_alive=True)
            else:  # ConnectionClosed
                self.close()
                return

    def _check_head(self, request: h11.Request) -> _Answer | None:
        """The refusal a request's head already earns, else ``None`` (and count it)."""
        receiver = self._receiver
        path = bytes(request.target).split(b"?", 1)[0].decode("latin-1")
        if path != receiver.path:
            return receiver._refuse(404, "no such path")
        if request.method != b"POST":
            return receiver._refuse(405, "only POST is accepted", ("Allow", "POST"))
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in request.headers
        }
        limit = receiver.webhooks.max_body_bytes
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return receiver._refuse(413, f"body larger than {limit} bytes")
        if receiver._busy >= receiver._max_concurrent:
            return receiver._refuse(503, "too many deliveries at once", ("Retry-After", "1"))
        receiver._busy += 1
        self._counted = True
        self._headers = headers
        return None

    def _finish(self, answer: _Answer, keep_alive: bool = False) -> None:
        """Send ``answer``; keep the connection for the next request only when ``keep_alive``
        and both sides may go on (else close it once the answer is written)."""
        h11 = self._h11
        transport = self._transport
        if transport is None:
            return
        self._uncount()
        body = answer.text.encode()
        headers = [("content-type", "text/plain; charset=utf-8")] if body else []
        headers += [("content-length", str(len(body))), *answer.headers]
        if not keep_alive:
            headers.append(("connection", "close"))
        try:
            phrase = HTTPStatus(answer.status).phrase.encode()
            out = self._conn.send(
                h11.Response(status_code=answer.status, headers=headers, reason=phrase)
            )
            if body:
                out += self._conn.send(h11.Data(data=body))
            out += self._conn.send(h11.EndOfMessage())
        except h11.LocalProtocolError:  # the exchange cannot carry an answer any more
            self.close()
            return
        transport.write(out)
        if keep_alive and self._conn.our_state is h11.DONE:
            return
        if self._conn.their_state in (h11.SEND_BODY, h11.IDLE) and transport.can_write_eof():
            transport.write_eof()  # the answer is whole; the rest of the request is dropped
            self._lingering = 0
            self._in_request = False
            self._arm(RECEIVER_LINGER_S)
            return
        self.close()

    def _next_cycle(self) -> bool:
        """Start the next request of a kept-alive connection; False when it must close."""
        h11 = self._h11
        if self._conn.our_state is h11.DONE and self._conn.their_state is h11.DONE:
            self._conn.start_next_cycle()
            self._headers = {}
            self._in_request = bool(self._conn.trailing_data[0])
            self._arm(
                self._receiver._read_timeout_s if self._in_request else RECEIVER_IDLE_TIMEOUT_S
            )
            return True
        self.close()
        return False

    def _uncount(self) -> None:
        if self._counted:
            self._counted = False
            self._receiver._busy -= 1

    def _arm(self, delay_s: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(delay_s, self._expired)

    def _expired(self) -> None:
        """The read timeout (mid-request: 408) or the idle timeout (close) ran out."""
        self._timer = None
        if self._transport is None or self._transport.is_closing():
            return
        if self._in_request:
            self._finish(self._receiver._refuse(408, "request not received in time"))
        else:
            self.close()

    def close(self) -> None:
        """Close the connection (what was written is flushed first)."""
        transport = self._transport
        if transport is not None and not transport.is_closing():
            transport.close()
