"""One helper for the calls of the generated client (``cannon_studio_api``), sans I/O.

Each API call of the cores is a ``GeneratedCall``: the generated endpoint's ``sync_detailed`` /
``asyncio_detailed`` with its keyword arguments, the model a success parses to, and what an
error names. Building it and parsing its response are shared; the sync and async cores differ
only in the one line that sends it (as httpx2's ``BaseClient`` and openai-python's
``_build_request`` / ``_process_response`` keep everything but the send in one place)::

    with call.typed_errors():
        response = call.sync_detailed(**call.kwargs)  # or: await call.asyncio_detailed(...)
    return call.parse(response)

A hostile body or a broken connection that escapes a generated parser becomes a typed error
(never a traceback from deep inside), every response is offered to ``with_raw_response``
(``_raw.record``), and a success is returned only as the model the call expects, with the fields
a handle needs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2
from cannon_studio_api import models
from cannon_studio_api.api import requests as request_endpoints
from cannon_studio_api.api import status as status_endpoints
from cannon_studio_api.api.requests import get_request
from cannon_studio_api.client import AuthenticatedClient
from cannon_studio_api.models.request_object import RequestObject
from cannon_studio_api.types import Response

from ._api_response import record
from ._errors import APIConnectionError, APIResponseValidationError, CannonError
from ._logging import redact, redact_chain

if TYPE_CHECKING:
    from cannon_studio_api.models.accepted_request import AcceptedRequest
    from cannon_studio_api.models.status_response import StatusResponse

__all__ = [
    "HOSTILE",
    "GeneratedCall",
    "create_request_call",
    "expect",
    "get_request_call",
    "parse_failure",
    "status_call",
]

_T = TypeVar("_T")

HOSTILE = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OverflowError,
    httpx2.HTTPError,
    httpx2.StreamError,
)
"""What a hostile body or a broken connection can raise inside the generated parsers and httpx2
(``RecursionError``: deep JSON; ``httpx2.DecodingError``: bad gzip; ``TypeError``: wrong types in
known fields). Other exceptions are bugs or the caller's (a test harness) and pass unchanged."""


@dataclass(frozen=True, slots=True)
class GeneratedCall(Generic[_T]):
    """One call of a generated endpoint, built without I/O.

    Attributes:
        sync_detailed / asyncio_detailed: the generated endpoint's two senders (same arguments).
        kwargs: their keyword arguments (``client=`` the generated ``AuthenticatedClient``).
        model: the generated model a success response must parse to.
        what: how errors name the call (``"POST /api/v1/requests"``).
    """

    sync_detailed: Callable[..., Response[Any]]
    asyncio_detailed: Callable[..., Awaitable[Response[Any]]]
    kwargs: Mapping[str, Any]
    model: type[_T]
    what: str

    @contextmanager
    def typed_errors(self) -> Iterator[None]:
        """Around the send: a hostile body's or a stray httpx2 error's exception leaves it as a
        ``CannonError`` (see ``parse_failure``); a ``CannonError`` and anything not in
        ``HOSTILE`` (a bug, or a test harness's) pass unchanged."""
        try:
            yield
        except CannonError:
            raise
        except HOSTILE as exc:  # hostile bodies: never an untyped error from deep inside
            raise parse_failure(exc, self.what) from exc

    def parse(self, response: Response[Any]) -> tuple[_T, Response[Any]]:
        """The parsed model and the response; records it for ``with_raw_response``.

        Raises:
            APIResponseValidationError: the response is not the expected model (``expect``).
        """
        record(response)
        return expect(response, self.model), response


def get_request_call(api: AuthenticatedClient, request_id: str) -> GeneratedCall[RequestObject]:
    """``GET /api/v1/requests/{request_id}`` -> ``RequestObject``."""
    return GeneratedCall(
        get_request.sync_detailed,
        get_request.asyncio_detailed,
        {"request_id": request_id, "client": api},
        RequestObject,
        f"GET request {request_id}",
    )


def create_request_call(
    api: AuthenticatedClient, envelope: Any, idempotency_key: str
) -> GeneratedCall[AcceptedRequest]:
    """``POST /api/v1/requests`` of ``envelope`` (``to_dict()``-able) -> ``AcceptedRequest``.

    The endpoint module is reached through its package, which loads it on first use
    (``openapi/templates/endpoint_init.py.jinja``): it imports all 19 envelope models, which a
    GET never needs (tests/packaging: a first GET loads only the models it parses); the
    ``AcceptedRequest`` model through the models package, likewise.
    """
    create_request = request_endpoints.create_request
    return GeneratedCall(
        create_request.sync_detailed,
        create_request.asyncio_detailed,
        {"client": api, "body": envelope, "x_idempotency_key": idempotency_key},
        models.AcceptedRequest,
        "POST /api/v1/requests",
    )


def status_call(api: AuthenticatedClient) -> GeneratedCall[StatusResponse]:
    """``GET /api/v1/status`` -> ``StatusResponse`` (the endpoint module and the model load on
    first use, through their packages, as in ``create_request_call``)."""
    get_status = status_endpoints.get_status
    return GeneratedCall(
        get_status.sync_detailed,
        get_status.asyncio_detailed,
        {"client": api},
        models.StatusResponse,
        "GET /api/v1/status",
    )


def expect(response: Response[Any], model: type[_T]) -> _T:
    """The parsed model of a success response; a typed error for anything else.

    Models with an ``id`` (``AcceptedRequest``, ``RequestObject``) must carry a non-empty string
    ``id``, ``operation`` and ``status``: a handle is never built on ``id: null``.

    Raises:
        APIResponseValidationError: ``response.parsed`` is not a ``model`` with those fields.
    """
    parsed = response.parsed
    if isinstance(parsed, model) and _has_handle_fields(parsed):
        return parsed
    body = redact(response.content[:500].decode("utf-8", "replace"))
    raise APIResponseValidationError(
        f"unexpected HTTP {int(response.status_code)} response (expected a {model.__name__})",
        status_code=int(response.status_code),
        body=body,
    )


def _has_handle_fields(parsed: object) -> bool:
    if not hasattr(parsed, "id"):
        return True
    return all(
        isinstance(getattr(parsed, name, None), str) and getattr(parsed, name)
        for name in ("id", "operation")
    ) and isinstance(getattr(parsed, "status", None), str)


def parse_failure(exc: BaseException, what: str) -> CannonError:
    """The typed error for anything but a ``CannonError`` escaping a generated call.

    A stray httpx2 error (a body that fails to decode, a protocol error outside the transport)
    is an ``APIConnectionError``; anything else (deep JSON's ``RecursionError``, wrong types in
    known fields) an ``APIResponseValidationError``. The chain is redacted and kept as cause.
    """
    redact_chain(exc)
    if isinstance(exc, httpx2.HTTPError | httpx2.StreamError):
        return APIConnectionError(f"{what} failed: {type(exc).__name__}")
    return APIResponseValidationError(
        f"{what}: the response body does not fit the schema ({type(exc).__name__})",
        status_code=0,
        body="",
    )
