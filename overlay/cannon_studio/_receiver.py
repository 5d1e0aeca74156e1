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

The server is ``aiohttp.web`` (the ``[webhooks]`` extra), the asyncio HTTP server that the
``[aiohttp]`` transport already brings: its parser bounds request lines and headers, and
``client_max_size`` bounds bodies. This module adds the rest of the hostile-input rules:

- only ``POST`` on the receiver's path (405 otherwise; other paths 404);
- a ``Content-Length`` over ``max_body_bytes`` is refused before the body is read (413), a
  chunked body once it grows past it (413);
- a body that does not arrive within ``RECEIVER_READ_TIMEOUT_S`` is dropped (408);
- more than ``RECEIVER_MAX_CONCURRENT`` deliveries at once are answered 503 with
  ``Retry-After: 1`` (the sender retries);
- a bad signature or timestamp is 401 and resolves nothing, a malformed delivery 400;
- every refusal is logged as one line with its reason (never a traceback, a body, a
  signature or the secret).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
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
    from aiohttp import web
    from cannon_studio_api.models import RequestObject

__all__ = ["Notice", "ReceiverStats", "WebhookReceiver", "full_record"]

_TERMINAL = frozenset({"succeeded", "failed"})
_INSTALL_HINT = "the webhook receiver needs aiohttp: pip install 'cannon-studio[webhooks]'"


class _OneLine(logging.Filter):
    """Makes the HTTP server's own error records one line: the exception's type and its first
    line, no traceback (a garbage request must not print aiohttp's parser internals)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            exc = record.exc_info[1]
            first = str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else ""
            record.msg = f"{record.getMessage()}: {type(exc).__name__} {first}".rstrip()
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


_SERVER_LOG = logging.getLogger("cannon_studio.receiver")
_SERVER_LOG.addFilter(_OneLine())


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
        read_timeout_s: SECONDS a delivery has to send its body (408 after).
        max_notices: request ids whose last delivery is remembered (oldest dropped first).

    Raises:
        ConfigurationError: ``public_url`` is not an absolute http(s) URL, or a number is out
            of range. ``start`` raises it when aiohttp is not installed.
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
        self._runner: web.AppRunner | None = None
        self.stats = ReceiverStats()

    # ------------------------------------------------------------------ lifecycle
    @property
    def running(self) -> bool:
        """True between ``start`` and ``close``."""
        return self._runner is not None

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
            ConfigurationError: aiohttp is not installed (the ``[webhooks]`` extra), or the
                webhook secret is missing.
            OSError: the address cannot be bound (in use, not local, no permission).
        """
        if self._runner is not None:
            return self
        try:
            from aiohttp import web
        except ImportError:
            raise ConfigurationError(_INSTALL_HINT) from None
        if not getattr(self.webhooks, "_secret", None):
            raise ConfigurationError(
                "no webhook secret: pass webhook_secret= to the client or set CANNON_WEBHOOK_SECRET"
            )
        app = web.Application(client_max_size=self.webhooks.max_body_bytes)
        app.router.add_route("*", self.path, self._handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, logger=_SERVER_LOG)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self._port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        addresses: Sequence[Any] = runner.addresses
        if addresses:
            self._port = int(addresses[0][1])
        self._runner = runner
        if self._attach is not None:
            self._attach(self)
        logger.info("webhook receiver on %s:%d (public %s)", self.host, self._port, self.path)
        return self

    async def close(self) -> None:
        """Stop serving; waits still listening poll at once and go on polling. Idempotent."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
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
        await runner.cleanup()

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
        if self._runner is None:
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
    def _refuse(self, status: int, reason: str, **headers: str) -> web.Response:
        from aiohttp import web

        self.stats.refuse(status)
        now = time.monotonic()
        if now - self._logged_at >= 1.0:  # a flood of refusals is one line a second
            more = f" ({self._unlogged} more refused since the last line)" if self._unlogged else ""
            logger.warning("webhook delivery refused (%d): %s%s", status, reason, more)
            self._logged_at, self._unlogged = now, 0
        else:
            self._unlogged += 1
        return web.Response(status=status, text=reason + "\n", headers=headers or None)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if request.method != "POST":
            return self._refuse(405, "only POST is accepted", Allow="POST")
        limit = self.webhooks.max_body_bytes
        if request.content_length is not None and request.content_length > limit:
            return self._refuse(413, f"body larger than {limit} bytes")
        if self._busy >= self._max_concurrent:
            return self._refuse(503, "too many deliveries at once", **{"Retry-After": "1"})
        self._busy += 1
        try:
            try:
                async with asyncio.timeout(self._read_timeout_s):
                    body = await request.read()
            except web.HTTPRequestEntityTooLarge:
                return self._refuse(413, f"body larger than {limit} bytes")
            except TimeoutError:
                return self._refuse(408, "body not received in time")
            return self._verify(body, request.headers)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            logger.warning("webhook delivery broke off: %s", type(exc).__name__)
            return web.Response(status=400)
        finally:
            self._busy -= 1

    def _verify(self, body: bytes, headers: Mapping[str, str]) -> web.Response:
        """Verify one delivery's body and headers and take it; the HTTP answer."""
        from aiohttp import web

        try:
            event = self.webhooks.verify(body, headers, dedupe=self._dedupe)
        except WebhookReplayError:
            self.stats.duplicates += 1
            return web.Response(status=200, text="duplicate\n")
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
        return web.Response(status=204)
