"""The Starlette application: the public API under ``/api/v1``, signed assets under ``/assets``,
and the admin surface under ``/_sandbox`` (kept apart from the public API, never faulted).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import media, outputs
from .config import FaultRule
from .faults import ConnectionDropped

if TYPE_CHECKING:
    from .control import Sandbox

#: Scopes every sandbox key has (status page example).
SCOPES = ["requests:write", "requests:read"]


def error(status: int, message: str, code: str, **extra: Any) -> JSONResponse:
    """An ErrorResponse ``{error, code, ...}`` with HTTP ``status``."""
    body: dict[str, Any] = {"error": message, "code": code}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status)


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


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


class Api:
    """Route handlers bound to one :class:`~cannon_studio.sandbox.control.Sandbox`."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox

    # -- helpers ------------------------------------------------------------------------------

    def account(self, request: Request) -> str | None:
        """Account of the key in ``x-api-key`` (wins) or ``Authorization: Bearer``."""
        key = request.headers.get("x-api-key")
        if key is None:
            auth = request.headers.get("authorization", "")
            scheme, _, token = auth.partition(" ")
            key = token.strip() if scheme.lower() == "bearer" else None
        return self.sb.state.account_for_key(key)

    @staticmethod
    def unauthorized() -> JSONResponse:
        return error(401, "missing, invalid or revoked API key", "unauthorized")

    async def fault(self, request: Request, endpoint: str) -> Response | None:
        """The response of an injected fault for this call, or ``None`` to serve normally.

        ``drop_after_commit`` is not answered here: the create handler applies it after commit.
        """
        rule = self.sb.faults.pick(endpoint, request.method, request.url.path)
        if rule is None:
            return None
        if rule.kind == "slow":
            await asyncio.sleep(rule.delay_s)
            return None
        if rule.kind == "drop_before":
            return DroppedResponse()
        if rule.kind == "drop_after_commit":
            request.state.drop_after_commit = True
            return None
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
        account = self.account(request)
        if account is None:
            return self.unauthorized()
        remaining = self.sb.state.credits_remaining(account)
        cfg = self.sb.config
        now = datetime.now(tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
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
                "apiKey": {"name": "Sandbox Key", "scopes": SCOPES},
                "serverTime": now,
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
        account = self.account(request)
        if account is None:
            return self.unauthorized()
        key = request.headers.get("x-idempotency-key")
        if key is not None and (bad := self.sb.schema.validate_idempotency_key(key)) is not None:
            return JSONResponse(bad.to_json(), status_code=bad.status)
        raw = await request.body()
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return error(400, "request body is not valid JSON", "validation_error")
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
        if getattr(request.state, "drop_after_commit", False):
            return DroppedResponse(202)
        return JSONResponse(record.accepted, status_code=202)

    async def get_request(self, request: Request) -> Response:
        """``GET /api/v1/requests/{requestId}``: the request object (404 for other accounts)."""
        if (faulted := await self.fault(request, "get")) is not None:
            return faulted
        account = self.account(request)
        if account is None:
            return self.unauthorized()
        request_id = request.path_params["request_id"]
        record = self.sb.state.get(account, request_id)
        if record is None:
            return error(404, f"no request {request_id!r} for this API key", "not_found")
        view = self.sb.state.view(record)
        if record.webhook_url and view["status"] in ("succeeded", "failed"):
            self.sb.webhooks.dispatch_due()
        return JSONResponse(view)

    async def asset(self, request: Request) -> Response:
        """``GET /assets/{requestId}/{name}?expires=&signature=``: a signed asset file."""
        if (faulted := await self.fault(request, "assets")) is not None:
            return faulted
        request_id = request.path_params["request_id"]
        name = request.path_params["name"]
        reason = self.sb.state.signer.check(
            request_id,
            name,
            request.query_params.get("expires", ""),
            request.query_params.get("signature", ""),
            self.sb.state.clock_ms() / 1000,
        )
        if reason is not None:
            return error(403, f"asset URL rejected: {reason}", "forbidden")
        record = self.sb.state.requests.get(request_id)
        if record is None or name not in outputs.asset_names(record.operation):
            return error(404, "no such asset", "not_found")
        if record.status(self.sb.state.clock_ms()) != "succeeded":
            return error(404, "asset not ready", "not_found")
        text = outputs.caption(record.input)
        duration = record.input.get("duration")
        seconds = (
            float(duration) if isinstance(duration, int | float) and 0 < duration < 3600 else None
        )
        data = await run_in_threadpool(media.render, name, text, seconds)
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
            self.sb.clear_faults()
        elif request.method == "POST":
            try:
                data = await request.json()
                items = data["rules"] if isinstance(data, dict) and "rules" in data else [data]
                rules = [FaultRule.from_dict(item) for item in items]
            except (ValueError, TypeError, KeyError) as exc:
                return error(400, f"invalid fault rule: {exc}", "validation_error")
            for rule in rules:
                self.sb.add_fault(rule)
        return JSONResponse({"rules": self.sb.faults.rules(), "log": self.sb.fault_log()})

    async def admin_webhooks(self, request: Request) -> Response:
        """``GET /_sandbox/webhooks``: the delivery log."""
        return JSONResponse({"deliveries": self.sb.webhook_deliveries()})

    async def admin_config(self, request: Request) -> Response:
        """``GET`` the config (secrets masked); ``POST`` a partial update, e.g. timing, failure_rate."""
        if request.method == "POST":
            try:
                updates = await request.json()
                if not isinstance(updates, dict):
                    raise ValueError("expected a JSON object")
                self.sb.update_config(**updates)
            except (ValueError, TypeError) as exc:
                return error(400, f"invalid config: {exc}", "validation_error")
        return JSONResponse(self.sb.config.public_dict())

    async def admin_credits(self, request: Request) -> Response:
        """``POST /_sandbox/credits`` ``{"account": ..., "credits": n}``: set a balance."""
        try:
            data = await request.json()
            account = str(data["account"])
            credits = int(data["credits"])
        except (ValueError, TypeError, KeyError) as exc:
            return error(400, f"invalid credits update: {exc}", "validation_error")
        self.sb.set_credits(account, credits)
        return JSONResponse({"account": account, "credits_remaining": credits})


def build_app(sandbox: Sandbox) -> Starlette:
    """The ASGI application of ``sandbox``."""
    api = Api(sandbox)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ticker = asyncio.get_running_loop().create_task(sandbox.webhooks.run(persistent=True))
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
    ]
    return Starlette(routes=routes, lifespan=lifespan)
