"""The exception hierarchy and the HTTP status -> exception map.

::

    CannonError
     +-- APIStatusError (status_code, message, body, response, error)
     |    +-- BadRequestError (400, 422)     +-- AuthenticationError (401)
     |    +-- InsufficientCreditsError (402) +-- PermissionDeniedError (403)
     |    +-- NotFoundError (404)            +-- ConflictError (409)
     |    +-- RateLimitError (429)           +-- ServerError (5xx)
     +-- APIResponseValidationError (status_code, body)
     +-- APIConnectionError
     |    +-- APITimeoutError
     +-- RequestFailedError (request, error_message)
     +-- WaitTimeoutError (request_id, request_ids)
     +-- InputValidationError (also ValueError; operation, field, allowed)
     +-- ConfigurationError
     +-- AssetDownloadError
     |    +-- RequestNotSucceededError (request_id, status)
     |    +-- DownloadRefusedError (the download policy)
     +-- WebhookVerificationError
          +-- WebhookSignatureError  +-- WebhookTimestampError
          +-- WebhookHeaderError     +-- WebhookReplayError
          +-- WebhookPayloadTooLargeError

Error bodies follow the schema's ``ErrorResponse`` ``{error, code?, field?, allowed?, request_id?}``
(Assumed: the docs do not document error bodies). A body that is not JSON still gives a clear
error: the message then quotes the start of the body text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx2
from cannon_studio_api.models.error_response import ErrorResponse

from ._constants import REQUEST_ID_HEADER
from ._headers import parse_retry_after
from ._logging import redact, safe_url

if TYPE_CHECKING:
    from cannon_studio_api.models import RequestObject


class CannonError(Exception):
    """Base class of every error raised by ``cannon_studio``.

    Attributes:
        idempotency_key: set on every error raised from a create (``requests.create``, ``run``
            and the operation wrappers): the ``x-idempotency-key`` the create was sent with.
            When the outcome is unknown (connection lost, 5xx, unreadable answer) the request
            may exist and be charged; create again with ``idempotency_key=exc.idempotency_key``
            and the API returns that request instead of charging a second one. ``None`` for
            errors of other calls.
        request_id: the request's id when one was seen (error body, handle), else ``None``.
    """

    idempotency_key: str | None = None
    request_id: str | None = None


class APIStatusError(CannonError):
    """The API answered with a non-success HTTP status.

    Attributes:
        status_code: HTTP status (int).
        message: human-readable message (the body's ``error`` when present).
        body: the decoded JSON body (usually a dict), or the body text when it is not JSON.
        response: the raw ``httpx2.Response`` (already read).
        error: the body parsed as the generated ``ErrorResponse`` model, or ``None``.
        code, field, allowed, request_id: the optional ``ErrorResponse`` fields, or ``None``.
        x_request_id: the response's ``x-request-id`` header (the server's id of this HTTP
            exchange, for support), or ``None`` when it sent none.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx2.Response,
        body: object = None,
        error: ErrorResponse | None = None,
    ) -> None:
        self.status_code = response.status_code
        self.message = message
        self.body = body
        self.response = response
        self.error = error
        data = body if isinstance(body, dict) else {}
        self.code: str | None = _opt_str(data.get("code"))
        self.field: str | None = _opt_str(data.get("field"))
        allowed = data.get("allowed")
        self.allowed: list[Any] | None = list(allowed) if isinstance(allowed, list) else None
        self.request_id: str | None = _opt_str(data.get("request_id"))
        super().__init__(message)

    @property
    def x_request_id(self) -> str | None:
        """The ``x-request-id`` response header, if the API sent one."""
        value = self.response.headers.get(REQUEST_ID_HEADER)
        return value if isinstance(value, str) else None

    def __str__(self) -> str:
        return f"HTTP {self.status_code}: {self.message}"


class BadRequestError(APIStatusError):
    """400 or 422: the request or its input was rejected; ``field``/``allowed`` name the culprit."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, invalid or revoked (status page)."""


class InsufficientCreditsError(APIStatusError):
    """402: not enough credits for the request (Assumed status)."""


class PermissionDeniedError(APIStatusError):
    """403: the key lacks the scope for this call (Assumed status)."""


class NotFoundError(APIStatusError):
    """404: unknown request id (get-request page) or missing asset."""


class ConflictError(APIStatusError):
    """409: the idempotency key was used with a different body (Assumed status)."""


class RateLimitError(APIStatusError):
    """429: rate limited. ``retry_after`` holds the server's ``Retry-After`` in seconds, if any."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.response.headers)


class ServerError(APIStatusError):
    """Any 5xx status (retried automatically before it is raised)."""


class APIResponseValidationError(CannonError):
    """A success response that does not fit the schema (undocumented status or unparseable body).

    Attributes:
        status_code: HTTP status; body: the body text (first 500 characters).
    """

    def __init__(self, message: str, *, status_code: int, body: str) -> None:
        self.status_code = status_code
        self.body = body
        super().__init__(redact(message))


class APIConnectionError(CannonError):
    """The HTTP call failed without a response (DNS, refused, reset, protocol error)."""


class APITimeoutError(APIConnectionError):
    """The HTTP call timed out (connect, read, write or pool timeout)."""


class RequestFailedError(CannonError):
    """A request ended with status ``failed``.

    Attributes:
        request: the generated ``RequestObject`` in its final state.
        request_id: its id.
        error_message: the request's ``errorMessage`` (may be ``None``).
    """

    def __init__(self, request: RequestObject) -> None:
        self.request = request
        self.request_id: str = request.id
        raw = request.error_message
        self.error_message: str | None = raw if isinstance(raw, str) else None
        detail = self.error_message or "no errorMessage given"
        super().__init__(f"request {request.id} ({request.operation}) failed: {redact(detail)}")


class WaitTimeoutError(CannonError):
    """The overall wait deadline passed before the request became terminal.

    The request keeps running server-side (the docs document no cancel); retrieve it later
    with ``client.requests.retrieve(request_id)``.

    Attributes:
        request_id: id of the (first) request still pending.
        request_ids: ids of every request still pending (``as_completed`` / ``wait_all``).
        timeout: the deadline that passed, in seconds.
    """

    def __init__(self, request_ids: Sequence[str], timeout: float) -> None:
        self.request_ids = list(request_ids)
        self.request_id: str = self.request_ids[0] if self.request_ids else ""
        self.timeout = timeout
        more = f" (+{len(self.request_ids) - 1} more)" if len(self.request_ids) > 1 else ""
        super().__init__(
            f"request {self.request_id}{more} still pending after {timeout:g} s; it keeps "
            "running server-side, retrieve it later by id"
        )


class InputValidationError(CannonError, ValueError):
    """The input was rejected client-side, before anything was sent (nothing charged).

    Attributes:
        operation: the operation id (or the unknown id that was given).
        field: JSON path of the offending field, e.g. ``input.aspect_ratio`` (``None`` if n/a).
        allowed: allowed values for an enum or unknown operation, else ``None``.
        errors: every problem found, as ``(field, message)`` pairs.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        field: str | None = None,
        allowed: Sequence[Any] | None = None,
        errors: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.operation = operation
        self.field = field
        self.allowed = list(allowed) if allowed is not None else None
        self.errors = list(errors)
        super().__init__(message)


class ConfigurationError(CannonError):
    """The client is misconfigured (missing API key, bad base URL, missing webhook secret...)."""


class AssetDownloadError(CannonError):
    """An asset download failed: size mismatch or over ``max_bytes``, unsafe target, unusable
    URL, a broken transfer (short body, bad encoding, redirect loop, bad ``Location``) or a local
    write error. Nothing is left on disk.

    Attributes:
        url: the asset URL without credentials and query (``None`` when not known).
        errno: the ``errno`` of a local write error (``ENOSPC`` for a full disk, ``EROFS``...),
            ``None`` for every other failure.
    """

    def __init__(self, message: str, *, url: str | None = None, errno: int | None = None) -> None:
        self.url = _public_url(url) if url is not None else None
        self.errno = errno
        super().__init__(redact(message))


class RequestNotSucceededError(AssetDownloadError):
    """``download`` of a request that has not succeeded: it has no assets (yet, or ever).

    Attributes:
        request_id: the request's id.
        status: its status when the download was asked for: ``queued``, ``processing``,
            ``failed``, or ``unknown`` (never polled; ``refresh()`` or ``wait()`` first).
        error_message: the ``errorMessage`` of a failed request, else ``None``.
    """

    def __init__(self, request_id: str, status: str, error_message: str | None = None) -> None:
        self.request_id = request_id
        self.status = status
        self.error_message = error_message
        if status == "failed":
            detail = f" ({redact(error_message)})" if error_message else ""
            message = f"request {request_id} failed{detail}: it has no assets to download"
        else:
            message = (
                f"request {request_id} is {status}, not succeeded: nothing to download yet "
                "(wait() for it first)"
            )
        super().__init__(message)


class DownloadRefusedError(AssetDownloadError):
    """The download policy refused an asset URL or a redirect hop before its body was read:
    not http(s), userinfo in the URL, or a local, private, link-local or multicast address (by
    name, by resolution, or as the connection's peer). See ``cannon_studio.DownloadPolicy``."""


class WebhookVerificationError(CannonError):
    """Base class of webhook verification failures. Messages never contain the secret."""


class WebhookSignatureError(WebhookVerificationError):
    """No ``v1`` signature in ``webhook-signature`` matches the body."""


class WebhookTimestampError(WebhookVerificationError):
    """``webhook-timestamp`` is older or newer than the tolerance allows."""


class WebhookHeaderError(WebhookVerificationError):
    """A ``webhook-*`` header is missing or malformed, or the payload is not a WebhookEvent."""


class WebhookReplayError(WebhookVerificationError):
    """The ``webhook-id`` was seen before by the dedupe store."""


class WebhookPayloadTooLargeError(WebhookVerificationError):
    """The body is larger than ``max_body_bytes`` (checked before it is decoded; a receiver
    answers 413), or nested deeper than a webhook event can be."""


_STATUS_MAP: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitError,
}


def error_class_for(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status (pure; 5xx -> ServerError)."""
    if status_code >= 500:
        return ServerError
    return _STATUS_MAP.get(status_code, APIStatusError)


def make_status_error(response: httpx2.Response) -> APIStatusError:
    """Build the typed error for a read non-success ``response`` (JSON body or not)."""
    text = ""
    try:
        text = response.text
    except (httpx2.ResponseNotRead, UnicodeDecodeError):  # pragma: no cover - always read
        text = ""
    body: object = text
    error_model: ErrorResponse | None = None
    message = ""
    try:
        body = json.loads(text) if text else None
    except (ValueError, RecursionError):  # RecursionError: hostile deep nesting
        body = text
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        message = body["error"]
        try:
            error_model = ErrorResponse.from_dict(body)
        except (KeyError, TypeError, ValueError):
            error_model = None
    if not message:
        phrase = response.reason_phrase or "error"
        snippet = " ".join(text.split())[:200]
        kind = "non-JSON body" if not isinstance(body, dict | list) else "unexpected body"
        message = f"{phrase} ({kind}: {snippet!r})" if snippet else f"{phrase} (empty body)"
    if isinstance(body, dict):
        field = body.get("field")
        allowed = body.get("allowed")
        if isinstance(field, str):
            message += f" [field {field}"
            message += f"; allowed: {allowed}]" if isinstance(allowed, list) else "]"
    cls = error_class_for(response.status_code)
    return cls(redact(message), response=response, body=body, error=error_model)


def _public_url(url: str) -> str:
    """``url`` without userinfo and query string (signed asset URLs carry their signature there)."""
    return redact(safe_url(url).split("?", 1)[0])


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
