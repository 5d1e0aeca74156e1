"""The Starlette application: the public API under ``/api/v1``, signed assets under ``/assets``,
and the admin surface under ``/_sandbox`` (kept apart from the public API, never faulted).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import media, outputs, scopes
from .clock import iso_ms
from .config import FaultRule
from .faults import ConnectionDropped
from .guard import BadJson, GuardMiddleware, parse_json
from .parts import SandboxParts
from .storage import NO_SUCH_KEY, XML_CONTENT_TYPE, StorageError


def error(status: int, message: str, code: str, **extra: Any) -> JSONResponse:
    """An ErrorResponse ``{error, code, ...}`` with HTTP ``status``."""
    body: dict[str, Any] = {"error": message, "code": code}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status)


async def unrouted(request: Request, exc: Exception) -> Response:
    """The ErrorResponse for a path no route matches (404) or a method it does not take (405).

    Starlette's own answers are ``text/plain``; the API documents JSON errors on every path, so
    a path such as a request id holding a newline (which ``{requestId}`` does not match) gets
    the envelope too. A 405 keeps its ``Allow`` header.
    """
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = exc.headers if isinstance(exc, HTTPException) else None
    if status == 405:
        response = error(
            405, f"{request.method} is not allowed on {request.url.path!r}", "not_found"
        )
    else:
        response = error(status, f"no route for {request.url.path!r}", "not_found")
    response.headers.update(headers or {})
    return response


class DroppedResponse(Response):
    """Starts a response, then drops the connection (see :mod:`.faults`)."""

    def __init__(self, status_code: int = 500) -> None:
        super().__init__(status_code=status_code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
            }
        )
        raise ConnectionDropped("connection dropped by the sandbox (injected fault)")


async def read_json(request: Request) -> Any:
    """The request body parsed as strict JSON (see ``guard.parse_json``). Raises ``BadJson``."""
    return parse_json(await request.body())


MAX_CLOCK_MS = 253_402_300_799_999
"""The last millisecond of year 9999: the sandbox clock never goes past what dates can show."""


def _finite_number(value: object, name: str, limit: float) -> float:
    """``value`` if it is a finite JSON number in ``[0, limit]`` (not a bool or a string), else
    ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number")
    if not 0 <= value <= limit:
        raise ValueError(f"{name} must be between 0 and {limit:.0f}")
    return float(value)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def storage_error(problem: StorageError) -> Response:
    """A cloud-storage style XML error (see :mod:`.storage`)."""
    return Response(problem.xml(), status_code=problem.status, media_type=XML_CONTENT_TYPE)


class Api:
    """Route handlers bound to one sandbox's :class:`~.parts.SandboxParts` (``self.sb``)."""

    def __init__(self, parts: SandboxParts) -> None:
        self.sb = parts

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def api_key(request: Request) -> str | None:
        """The key in ``x-api-key`` (wins) or ``Authorization: Bearer``."""
        key = request.headers.get("x-api-key")
        if key is None:
            auth = request.headers.get("authorization", "")
            scheme, _, token = auth.partition(" ")
            key = token.strip() if scheme.lower() == "bearer" else None
        return key

    def account(self, request: Request) -> str | None:
        """Account of the request's API key, or ``None`` when the key is missing or unknown."""
        return self.sb.state.account_for_key(self.api_key(request))

    @staticmethod
    def unauthorized() -> JSONResponse:
        return error(401, "missing, invalid or revoked API key", "unauthorized")

    def authorize(self, request: Request, endpoint: str) -> str | Response:
        """The account of an authorised call, or its rejection.

        In order: ``401`` (missing or unknown key), ``429`` (the key's rate limit, with
        ``Retry-After``), ``403`` (the key lacks the scope ``endpoint`` needs). Then applies
        what fell due on the clock (refunds, the retention sweep).
        """
        key = self.api_key(request)
        account = self.sb.state.account_for_key(key)
        if key is None or account is None:
            return self.unauthorized()
        cfg = self.sb.config
        retry_after = self.sb.rate_limiter.check(
            key, account, cfg.rate_limit_per_s, request.url.path
        )
        if retry_after is not None:
            limited = error(
                429,
                f"rate limit of {cfg.rate_limit_per_s:g} requests per second for this API key "
                f"exceeded; retry after {retry_after} s",
                "rate_limited",
            )
            limited.headers["Retry-After"] = str(retry_after)
            return limited
        missing = scopes.missing_scope(endpoint, scopes.scopes_of(key, cfg.key_scopes))
        if missing is not None:
            return error(403, f"this API key lacks the {missing} scope", "forbidden")
        self.sb.state.tick()
        return account

    async def fault(
        self, request: Request, endpoint: str, skip: tuple[str, ...] = ()
    ) -> Response | None:
        """The response of an injected fault for this call, or ``None`` to serve normally.

        ``drop_after_commit`` is never answered here: the create handler asks for it only once
        a request was committed, so a rejected or replayed create does not use the rule up.
        """
        rule = self.sb.faults.pick(
            endpoint, request.method, request.url.path, skip=("drop_after_commit", *skip)
        )
        if rule is None:
            return None
        if rule.kind == "slow":
            await asyncio.sleep(rule.delay_s)
            return None
        if rule.kind == "drop_before":
            return DroppedResponse()
        status = int(rule.kind)
        headers = {"Retry-After": str(rule.retry_after_s)} if status in (429, 503) else None
        code = "rate_limited" if status == 429 else "server_error"
        message = (
            "rate limited (injected fault)" if status == 429 else f"HTTP {status} (injected fault)"
        )
        response = error(status, message, code)
        if headers:
            response.headers.update(headers)
        return response

    # -- public API ---------------------------------------------------------------------------

    async def status(self, request: Request) -> Response:
        """``GET /api/v1/status`` (status page): key check and live credit balance."""
        if (faulted := await self.fault(request, "status")) is not None:
            return faulted
        account = self.authorize(request, "status")
        if isinstance(account, Response):
            return account
        remaining = self.sb.state.credits_remaining(account)
        cfg = self.sb.config
        key_scopes = list(scopes.scopes_of(self.api_key(request) or "", cfg.key_scopes))
        key_name = "Sandbox Key" if scopes.WRITE in key_scopes else "Sandbox Read-only Key"
        return JSONResponse(
            {
                "ok": True,
                "status": "ok",
                "message": "Your API key is properly wired.",
                "creditsRemaining": remaining,
                "credits": {"remaining": remaining},
                "account": {
                    "email": cfg.account_email.format(account=account),
                    "plan": cfg.account_plan,
                },
                "apiKey": {"name": key_name, "scopes": key_scopes},
                "serverTime": iso_ms(self.sb.state.clock_ms()),
            }
        )

    async def openapi(self, request: Request) -> Response:
        """``GET /api/v1/openapi``: the schema the sandbox validates with (no key needed)."""
        if (faulted := await self.fault(request, "openapi")) is not None:
            return faulted
        return Response(self.sb.schema.raw_bytes, media_type="application/json")

    async def create(self, request: Request) -> Response:
        """``POST /api/v1/requests``: validate, dedupe by idempotency key, charge, create (202)."""
        if (faulted := await self.fault(request, "create")) is not None:
            return faulted
        account = self.authorize(request, "create")
        if isinstance(account, Response):
            return account
        key = request.headers.get("x-idempotency-key")
        if key is not None and (bad := self.sb.schema.validate_idempotency_key(key)) is not None:
            return JSONResponse(bad.to_json(), status_code=bad.status)
        try:
            body = await read_json(request)
        except BadJson as exc:
            return error(400, str(exc), "validation_error")
        invalid = self.sb.schema.validate_create(body)
        if invalid is not None:
            return JSONResponse(invalid.to_json(), status_code=invalid.status)
        outcome = self.sb.state.create(account, body, key, _base_url(request))
        if outcome.error is not None:
            status, code, message = outcome.error
            return error(status, message, code)
        record = outcome.record
        assert record is not None
        if not outcome.replayed:
            self.sb.webhooks.register(record)
            if record.webhook_url:
                self.sb.webhooks.ensure_ticker()
            dropped = self.sb.faults.pick(
                "create", request.method, request.url.path, kinds=("drop_after_commit",)
            )
            if dropped is not None:
                return DroppedResponse(202)
        # Sandbox only (not part of the API): when the seeded job will finish, so a benchmark's
        # oracle can poll each request exactly once, when it is due (scripts/bench).
        due = {"x-sandbox-completes-at-ms": str(record.completed_at_ms)}
        return JSONResponse(record.accepted, status_code=202, headers=due)

    async def get_request(self, request: Request) -> Response:
        """``GET /api/v1/requests/{requestId}``: the request object (404 for other accounts)."""
        if (faulted := await self.fault(request, "get")) is not None:
            return faulted
        account = self.authorize(request, "get")
        if isinstance(account, Response):
            return account
        request_id = request.path_params["request_id"]
        record = self.sb.state.get(account, request_id)
        if record is None:
            return error(404, f"no request {request_id!r} for this API key", "not_found")
        view = self.sb.state.view(record)
        if record.webhook_url and view["status"] in ("succeeded", "failed"):
            self.sb.webhooks.dispatch_due()
        return JSONResponse(view)

    async def asset(self, request: Request) -> Response:
        """``GET /assets/{requestId}/{name}?expires=&signature=``: a signed asset file.

        Rejections answer like cloud storage (XML ``ExpiredToken``, ``SignatureDoesNotMatch``,
        ``NoSuchKey``; see :mod:`.storage`), not with the API's error envelope.
        """
        if (faulted := await self.fault(request, "assets")) is not None:
            return faulted
        request_id = request.path_params["request_id"]
        name = request.path_params["name"]
        problem = self.sb.state.signer.check(
            request_id,
            name,
            request.query_params.get("expires", ""),
            request.query_params.get("signature", ""),
            self.sb.state.clock_ms() / 1000,
        )
        if problem is not None:
            return storage_error(problem)
        record = self.sb.state.requests.get(request_id)
        if record is None or name not in outputs.asset_names(record.operation):
            return storage_error(NO_SUCH_KEY)
        if record.status(self.sb.state.clock_ms()) != "succeeded":
            return storage_error(NO_SUCH_KEY)
        spec = self.sb.state.asset_specs(record).get(name)
        if spec is None:
            return storage_error(NO_SUCH_KEY)
        data = await run_in_threadpool(media.render, spec)
        return Response(data, media_type=media.content_type(name))

    # -- admin (/_sandbox) --------------------------------------------------------------------

    async def admin_ledger(self, request: Request) -> Response:
        """``GET /_sandbox/ledger``: created count, credits charged, entries, balances."""
        state = self.sb.state
        accounts = sorted(set(self.sb.config.api_keys.values()))
        return JSONResponse(
            {
                "created_count": state.created_count(),
                "credits_charged": state.credits_charged(),
                "entries": state.ledger_entries(),
                "accounts": {
                    a: {
                        "created_count": state.created_count(a),
                        "credits_charged": state.credits_charged(a),
                        "credits_remaining": state.credits_remaining(a),
                    }
                    for a in accounts
                },
            }
        )

    async def admin_reset(self, request: Request) -> Response:
        """``POST /_sandbox/reset``: requests, ledger, credits, faults and deliveries."""
        self.sb.reset()
        return JSONResponse({"ok": True})

    async def admin_faults(self, request: Request) -> Response:
        """``GET`` (rules + log), ``POST`` (add one rule or ``{"rules": [...]}``), ``DELETE`` (clear)."""
        if request.method == "DELETE":
            self.sb.faults.clear()
        elif request.method == "POST":
            try:
                data = await read_json(request)
                items = data["rules"] if isinstance(data, dict) and "rules" in data else [data]
                rules = [FaultRule.from_dict(item) for item in items]
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                return error(400, f"invalid fault rule: {exc}", "validation_error")
            for rule in rules:
                self.sb.faults.add(rule)
        return JSONResponse({"rules": self.sb.faults.rules(), "log": self.sb.faults.log()})

    async def admin_webhooks(self, request: Request) -> Response:
        """``GET /_sandbox/webhooks``: the delivery log."""
        return JSONResponse({"deliveries": self.sb.webhooks.deliveries()})

    async def admin_config(self, request: Request) -> Response:
        """``GET`` the config (secrets masked); ``POST`` a partial update, e.g. timing, failure_rate."""
        if request.method == "POST":
            try:
                updates = await read_json(request)
                if not isinstance(updates, dict):
                    raise ValueError("expected a JSON object")
                self.sb.update_config(**updates)
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                return error(400, f"invalid config: {exc}", "validation_error")
        return JSONResponse(self.sb.config.public_dict())

    async def admin_clock(self, request: Request) -> Response:
        """``GET`` the sandbox clock; ``POST {"advance_s": n}`` or ``{"now_ms": n}`` moves it
        forward (requests finish, refunds are paid, logs are swept, URLs expire as if that much
        time had passed). A ``POST`` answers with the time the clock was moved to."""
        if request.method != "POST":
            return JSONResponse(self.sb.clock.to_dict())
        try:
            data = await read_json(request)
            if not isinstance(data, dict) or len(data) != 1:
                raise ValueError('expected {"advance_s": seconds} or {"now_ms": epoch_ms}')
            if "advance_s" in data:
                limit_s = (MAX_CLOCK_MS - self.sb.state.clock_ms()) / 1000
                now = self.sb.advance_clock(_finite_number(data["advance_s"], "advance_s", limit_s))
            elif "now_ms" in data:
                now = self.sb.set_clock(int(_finite_number(data["now_ms"], "now_ms", MAX_CLOCK_MS)))
            else:
                raise ValueError('expected {"advance_s": seconds} or {"now_ms": epoch_ms}')
        except (ValueError, TypeError, OverflowError) as exc:
            return error(400, f"invalid clock update: {exc}", "validation_error")
        if self.sb.webhooks.has_pending():
            self.sb.webhooks.ensure_ticker()
        return JSONResponse(
            {"now_ms": now, "now": iso_ms(now), "offset_ms": self.sb.clock.offset_ms}
        )

    async def admin_rate_limits(self, request: Request) -> Response:
        """``GET /_sandbox/rate-limits``: the configured limit and every call answered 429."""
        return JSONResponse(
            {"rate_limit_per_s": self.sb.config.rate_limit_per_s, "log": self.sb.rate_limiter.log()}
        )

    async def admin_credits(self, request: Request) -> Response:
        """``POST /_sandbox/credits`` ``{"account": ..., "credits": n}``: set a balance."""
        try:
            data = await read_json(request)
            if not isinstance(data, dict):
                raise TypeError("expected a JSON object")
            account = data["account"]
            credits = data["credits"]
            if not isinstance(account, str) or account not in self.sb.config.api_keys.values():
                raise ValueError(f"unknown account {account!r}")
            if (
                not isinstance(credits, int)
                or isinstance(credits, bool)
                or not 0 <= credits < 10**15
            ):
                raise ValueError("credits must be an integer in [0, 10**15)")
        except (ValueError, TypeError, KeyError) as exc:
            return error(400, f"invalid credits update: {exc}", "validation_error")
        self.sb.state.set_credits(account, credits)
        return JSONResponse({"account": account, "credits_remaining": credits})


def build_app(parts: SandboxParts) -> Starlette:
    """The ASGI application serving ``parts`` (the public API, assets and ``/_sandbox``).

    Its lifespan runs the webhook ticker (``parts.webhooks``) while the server is up.
    """
    api = Api(parts)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ticker = asyncio.get_running_loop().create_task(parts.webhooks.run(persistent=True))
        try:
            yield
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker

    routes = [
        Route("/api/v1/status", api.status, methods=["GET"]),
        Route("/api/v1/openapi", api.openapi, methods=["GET"]),
        Route("/api/v1/requests", api.create, methods=["POST"]),
        Route("/api/v1/requests/{request_id:path}", api.get_request, methods=["GET"]),
        Route("/assets/{request_id}/{name}", api.asset, methods=["GET"]),
        Route("/_sandbox/ledger", api.admin_ledger, methods=["GET"]),
        Route("/_sandbox/reset", api.admin_reset, methods=["POST"]),
        Route("/_sandbox/faults", api.admin_faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/webhooks", api.admin_webhooks, methods=["GET"]),
        Route("/_sandbox/config", api.admin_config, methods=["GET", "POST"]),
        Route("/_sandbox/credits", api.admin_credits, methods=["POST"]),
        Route("/_sandbox/clock", api.admin_clock, methods=["GET", "POST"]),
        Route("/_sandbox/rate-limits", api.admin_rate_limits, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={404: unrouted, 405: unrouted},
        middleware=[Middleware(GuardMiddleware, guard=parts.guard)],
    )
