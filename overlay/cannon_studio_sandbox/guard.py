"""What keeps the sandbox safe to run as a local server: the control token, the ``Host`` check,
body and JSON limits (standard library only apart from the ASGI types).

- **Control token.** ``/_sandbox/*`` (the control API: ledger, reset, faults, config, credits,
  clock) answers ``401`` without the header ``x-sandbox-token: <token>``. The token is random per
  sandbox (printed at start; ``--control-token`` sets it). A custom header also means a web page
  cannot send the call without a CORS preflight, which the sandbox never grants.
- **JSON only.** A control-API request with a body must be ``Content-Type: application/json``
  (``415`` otherwise), so an HTML form or a ``text/plain`` fetch cannot reach it.
- **Host check (DNS rebinding).** Once bound to a socket, every route answers ``421`` unless
  ``Host`` names the bound port and a host that cannot be rebound: a loopback name or address
  for a loopback bind; any IP literal (or a name given with ``allowed_hosts``) otherwise.
- **Limits.** Bodies over ``MAX_BODY_BYTES`` (API) / ``MAX_CONTROL_BODY_BYTES`` (control API)
  answer ``413``; JSON nested deeper than ``MAX_JSON_DEPTH``, ``NaN`` / ``Infinity``, numbers that
  overflow a float and strings that cannot be encoded (lone surrogates) answer ``400``.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTROL_PREFIX = "/_sandbox/"
CONTROL_TOKEN_HEADER = "x-sandbox-token"
MAX_BODY_BYTES = 1 << 20
"""Largest request body of the public API, in bytes (1 MiB; a create envelope is ~1 KiB)."""
MAX_CONTROL_BODY_BYTES = 64 << 10
"""Largest control-API request body, in bytes (64 KiB)."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects accepted in a JSON body."""
LOOPBACK_NAMES = frozenset({"localhost"})

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)


class BadJson(ValueError):
    """A body that is not acceptable JSON; ``str(exc)`` says why (for a 400)."""


def new_control_token() -> str:
    """A fresh random control token (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a presented control token (any text) with ``expected``."""
    if given is None:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "replace"))


def json_depth(raw: bytes) -> int:
    """Deepest nesting of ``[`` / ``{`` in a JSON text, strings skipped (pure, linear)."""
    depth = deepest = 0
    for byte in _STRINGS.sub(b'""', raw):
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _reject_constant(name: str) -> Any:
    raise BadJson(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BadJson(f"number {text[:40]} does not fit a 64-bit float")
    return value


def parse_json(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a request body as strict JSON.

    Raises:
        BadJson: not UTF-8 JSON, nested deeper than ``max_depth``, ``NaN``/``Infinity``, a number
            that overflows a float or an integer too long to convert, or a string holding a lone
            surrogate (it could never be encoded back).
    """
    if json_depth(raw) > max_depth:
        raise BadJson(f"JSON nested deeper than {max_depth} levels")
    try:
        data = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    except BadJson:
        raise
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadJson("request body is not valid JSON") from exc
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadJson("request body holds a string that is not valid Unicode") from None
    return data


def _host_allowed(host_header: str, bound_host: str, port: int, extra: Iterable[str]) -> bool:
    """True when ``Host`` names the bound ``port`` and a host that cannot be DNS-rebound."""
    value = host_header.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        given_port = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, given_port = value.partition(":")
    if (given_port or "80") != str(port):
        return False
    if name in {h.lower() for h in extra}:
        return True
    loopback_bind = _is_loopback(bound_host)
    if name in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # a DNS name: exactly what a rebinding attack uses
    return address.is_loopback if loopback_bind else True


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``)."""
    return _is_loopback(host)


def _json_response(status: int, message: str, code: str) -> tuple[int, bytes]:
    return status, json.dumps({"error": message, "code": code}).encode()


class GuardMiddleware:
    """ASGI middleware applying the checks of this module before the app sees a request.

    Args:
        app: the Starlette application.
        guard: the ``SandboxGuard`` holding the token, the bound address and the limits.
    """

    def __init__(self, app: ASGIApp, guard: SandboxGuard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope.get("path", "")
        control = path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/")
        problem = self.guard.check(scope["method"], headers, control)
        if problem is None:
            limit = MAX_CONTROL_BODY_BYTES if control else MAX_BODY_BYTES
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                problem = _json_response(413, f"request body over {limit} bytes", "too_large")
            else:
                body, too_large = await _read_body(receive, limit)
                if too_large:
                    problem = _json_response(413, f"request body over {limit} bytes", "too_large")
                else:
                    problem = self.guard.check_body(headers, control, body)
                    receive = _replay(body)
        if problem is not None:
            status, payload = problem
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(payload)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": payload})
            return
        await self.app(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class SandboxGuard:
    """The security settings of one sandbox.

    Args:
        control_token: the control-API token (default: a fresh random one).

    Attributes:
        control_token: the token every ``/_sandbox/*`` call must carry in ``x-sandbox-token``.
        bound: ``(host, port)`` once served on a socket (``None`` in-process: no ``Host`` check,
            the app is not reachable from a network).
        allowed_hosts: extra host names accepted in ``Host`` (for a non-loopback bind).
    """

    def __init__(self, control_token: str | None = None) -> None:
        if control_token is not None and (len(control_token) < 16 or not control_token.isascii()):
            raise ValueError("control_token must be at least 16 ASCII characters")
        self.control_token = control_token or new_control_token()
        self.bound: tuple[str, int] | None = None
        self.allowed_hosts: tuple[str, ...] = ()

    def bind(self, host: str, port: int, allowed_hosts: Iterable[str] = ()) -> None:
        """Record the address the sandbox is served on (turns the ``Host`` check on)."""
        self.bound = (host, port)
        self.allowed_hosts = tuple(allowed_hosts)

    def check(
        self, method: str, headers: dict[str, str], control: bool
    ) -> tuple[int, bytes] | None:
        """``(status, JSON body)`` of the rejection of a request, or ``None`` to serve it."""
        if self.bound is not None:
            host, port = self.bound
            if not _host_allowed(headers.get("host", ""), host, port, self.allowed_hosts):
                return _json_response(
                    421, "the Host header does not name this sandbox", "misdirected_request"
                )
        if not control:
            return None
        if not token_matches(self.control_token, headers.get(CONTROL_TOKEN_HEADER)):
            return _json_response(
                401,
                f"the control API needs the {CONTROL_TOKEN_HEADER} header (printed at start)",
                "unauthorized",
            )
        return None

    @staticmethod
    def check_body(headers: dict[str, str], control: bool, body: bytes) -> tuple[int, bytes] | None:
        """The rejection of a control-API body that is not ``application/json``, or ``None``."""
        if not control or not body:
            return None
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            return _json_response(
                415, "the control API accepts only application/json", "unsupported_media_type"
            )
        return None

    @property
    def headers(self) -> dict[str, str]:
        """The header that authorises control-API calls: ``{"x-sandbox-token": token}``."""
        return {CONTROL_TOKEN_HEADER: self.control_token}

    def __repr__(self) -> str:
        return f"SandboxGuard(bound={self.bound!r}, control_token='***')"
