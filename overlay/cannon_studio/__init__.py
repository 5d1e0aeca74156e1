"""Cannon Studio Python client: ``Cannon`` / ``AsyncCannon`` over the generated client.

Names are exported lazily (module ``__getattr__``), so ``import cannon_studio`` is cheap. The
sandbox is a separate top-level package, ``cannon_studio_sandbox``; neither imports the other.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import AsyncCannon, Cannon
    from ._errors import (
        APIConnectionError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AssetDownloadError,
        AuthenticationError,
        BadRequestError,
        CannonError,
        ConfigurationError,
        ConflictError,
        InputValidationError,
        InsufficientCreditsError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        RequestFailedError,
        RequestNotSucceededError,
        ServerError,
        WaitTimeoutError,
        WebhookHeaderError,
        WebhookReplayError,
        WebhookSignatureError,
        WebhookTimestampError,
        WebhookVerificationError,
    )
    from ._operations import OperationRegistry, OperationSpec
    from ._raw import APIResponse
    from ._requests import AsyncRequestHandle, RequestHandle
    from ._types import NOT_GIVEN, NotGiven
    from ._version import __version__ as __version__
    from .webhooks import Webhooks


_EXPORTS: dict[str, str] = {
    "Cannon": "._client",
    "AsyncCannon": "._client",
    "RequestHandle": "._requests",
    "AsyncRequestHandle": "._requests",
    "OperationSpec": "._operations",
    "OperationRegistry": "._operations",
    "APIResponse": "._raw",
    "NOT_GIVEN": "._types",
    "NotGiven": "._types",
    "Webhooks": ".webhooks",
    "__version__": "._version",
    **{
        name: "._errors"
        for name in (
            "APIConnectionError",
            "APIResponseValidationError",
            "APIStatusError",
            "APITimeoutError",
            "AssetDownloadError",
            "AuthenticationError",
            "BadRequestError",
            "CannonError",
            "ConfigurationError",
            "ConflictError",
            "InputValidationError",
            "InsufficientCreditsError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "RequestFailedError",
            "RequestNotSucceededError",
            "ServerError",
            "WaitTimeoutError",
            "WebhookHeaderError",
            "WebhookReplayError",
            "WebhookSignatureError",
            "WebhookTimestampError",
            "WebhookVerificationError",
        )
    },
}

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AssetDownloadError",
    "AsyncCannon",
    "AsyncRequestHandle",
    "AuthenticationError",
    "BadRequestError",
    "Cannon",
    "CannonError",
    "ConfigurationError",
    "ConflictError",
    "InputValidationError",
    "InsufficientCreditsError",
    "NotFoundError",
    "NotGiven",
    "OperationRegistry",
    "OperationSpec",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestFailedError",
    "RequestHandle",
    "RequestNotSucceededError",
    "ServerError",
    "WaitTimeoutError",
    "WebhookHeaderError",
    "WebhookReplayError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookVerificationError",
    "Webhooks",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cannon_studio' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
