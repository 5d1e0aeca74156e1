"""The arguments of ``client.requests`` calls, checked before anything is sent (no I/O here).

Shared by the sync and async halves: the wait deadline (``max_wait`` in SECONDS, with
``timeout=`` as its deprecated old spelling), ``max_concurrency``, a given idempotency key, and
the create envelope (validated against the schema). A fresh key is made by the create itself
(``_requests``), not here. Also how a create's error is tagged with the key it was sent with.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ._backoff import check_seconds
from ._constants import DEFAULT_MAX_WAIT_S
from ._errors import CannonError, InputValidationError
from ._types import InputData, NotGiven

__all__ = [
    "caller_stacklevel",
    "check_concurrency",
    "check_idempotency_key",
    "create_errors_tagged",
    "errors_named",
    "max_wait_seconds",
    "prepare_create",
    "tag_create_error",
    "wait_limit",
]


def wait_limit(max_wait: object) -> float:
    """The overall wait deadline in SECONDS: ``max_wait`` checked, or the default (pure).

    Raises:
        ConfigurationError: ``max_wait`` is not a finite number >= 0 (``nan`` would never end).
    """
    checked = check_seconds(max_wait, "max_wait", allow_none=True)
    return DEFAULT_MAX_WAIT_S if checked is None else checked


def tag_create_error(exc: CannonError, key: str | None) -> None:
    """Attach the create's idempotency key to ``exc`` (kept when one is already set)."""
    if exc.idempotency_key is None:
        exc.idempotency_key = key


@contextmanager
def create_errors_tagged(key: str) -> Iterator[None]:
    """Around a create's I/O: a ``CannonError`` leaving it carries ``key`` (see
    ``tag_create_error``), so the caller can re-send the create under the same key."""
    try:
        yield
    except CannonError as exc:
        tag_create_error(exc, key)
        raise


@contextmanager
def errors_named(request_id: str, key: str | None) -> Iterator[None]:
    """While a created request is waited for: a ``CannonError`` leaving the block names the
    request (``request_id``, kept when set) and the key it was created with."""
    try:
        yield
    except CannonError as exc:
        tag_create_error(exc, key)
        if exc.request_id is None:
            exc.request_id = request_id
        raise


def caller_stacklevel() -> int:
    """``stacklevel`` pointing at the first frame outside this package (for warnings)."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("cannon_studio."):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def max_wait_seconds(max_wait: float | None, timeout: float | NotGiven | None, what: str) -> float:
    """The wait deadline in SECONDS; ``timeout=`` is its deprecated old spelling here.

    Raises:
        ConfigurationError: the deadline is not a finite number >= 0.
    """
    if not isinstance(timeout, NotGiven):
        warnings.warn(
            f"{what}(timeout=...) is deprecated: the wait deadline is now max_wait= (seconds); "
            "timeout= means the HTTP timeout of a call everywhere else",
            DeprecationWarning,
            stacklevel=caller_stacklevel(),
        )
        if max_wait is None:
            max_wait = timeout
    return wait_limit(max_wait)


def check_idempotency_key(operation: str, key: str | None) -> None:
    """Refuse a key that is not 1-255 visible ASCII characters (``None``: one is made later).

    Raises:
        InputValidationError: naming the field ``idempotency_key``.
    """
    if key is None:
        return
    # isascii + isprintable is 0x20-0x7E; without the space, exactly the visible characters.
    if not (1 <= len(key) <= 255 and key.isascii() and key.isprintable()) or " " in key:
        raise InputValidationError(
            f"{operation}: idempotency_key must be 1-255 visible ASCII characters",
            operation=operation,
            field="idempotency_key",
        )


def check_concurrency(value: int | None, default: int) -> int:
    """``max_concurrency`` (polls in flight at once) checked, or ``default`` when ``None``.

    Raises:
        InputValidationError: not an integer >= 1.
    """
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputValidationError(
            "max_concurrency must be an integer >= 1",
            operation="as_completed",
            field="max_concurrency",
        )
    return value


def prepare_create(
    operation: str,
    input: InputData,
    webhook_url: str | None,
    idempotency_key: str | None,
    extra_input: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> tuple[str, Any]:
    """Everything a create needs before it is sent: ``(operation id, envelope)``.

    The envelope is validated against the schema (unless ``validate=False``) and
    ``idempotency_key``, when given, checked. Warns ``DeprecationWarning`` for an operation the
    API deprecates.

    Raises:
        InputValidationError: bad input, unknown field or operation, bad key (nothing sent).
    """
    from ._validation import build_envelope  # deferred: the registry and jsonschema, at a create

    spec, envelope = build_envelope(
        operation, input, webhook_url, extra_input=extra_input, validate=validate
    )
    op_id = spec.id if spec is not None else str(operation)
    check_idempotency_key(op_id, idempotency_key)
    if spec is not None and spec.deprecated:
        warnings.warn(
            f"operation {spec.id} is deprecated by the API ({spec.description.split('.')[0]})",
            DeprecationWarning,
            stacklevel=caller_stacklevel(),
        )
    return op_id, envelope
