"""One helper for the calls of the generated client (``cannon_studio_api``).

Every API call of the cores goes through here: a hostile body or a broken connection that
escapes a generated parser becomes a typed error (never a traceback from deep inside), every
response is offered to ``with_raw_response`` (``_raw.record``), and a success is returned only
as the model the call expects, with the fields a handle needs.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from ._errors import APIConnectionError, APIResponseValidationError, CannonError
from ._logging import redact, redact_chain

if TYPE_CHECKING:
    from cannon_studio_api.models import RequestObject
    from cannon_studio_api.types import Response

__all__ = ["HOSTILE", "expect", "get_request_api", "parse_failure"]

_T = TypeVar("_T")


def expect(response: Response[Any], model: type[_T]) -> _T:
    """The parsed model of a success response; a typed error for anything else.

    Models with an ``id`` (``AcceptedRequest``, ``RequestObject``) must carry a non-empty string
    ``id``, ``operation`` and ``status``: a handle is never built on ``id: null``.
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


@functools.cache
def get_request_api() -> tuple[Any, type[RequestObject]]:
    """The generated ``get_request`` module and ``RequestObject`` (imported once, lazily)."""
    from cannon_studio_api.api.requests import get_request
    from cannon_studio_api.models.request_object import RequestObject

    return get_request, RequestObject


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
