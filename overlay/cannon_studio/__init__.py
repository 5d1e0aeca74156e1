"""Cannon Studio Python client: ``Cannon`` / ``AsyncCannon`` over the generated client.

Every public name is listed in ``__all__`` and imported on first access (PEP 562), so ``from
cannon_studio import Cannon`` loads the sync client and what its calls need, not the async
client's machinery (asyncio, the webhook receiver, the ``as_completed`` schedulers), the typed
wrappers or the webhook verifier: each loads with the first name or call that uses it.
``jsonschema`` loads on the first create, the generated models per name on first use, and
``Output`` (the union of every output model) on first access. Type checkers see every name
through the imports under ``TYPE_CHECKING``. The sandbox is a separate top-level package,
``cannon_studio_sandbox``; neither imports the other.
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__ as __version__

if TYPE_CHECKING:
    from ._api_response import APIResponse
    from ._asset_policy import DownloadPolicy
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
        DownloadRefusedError,
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
        WebhookPayloadTooLargeError,
        WebhookReplayError,
        WebhookSignatureError,
        WebhookTimestampError,
        WebhookVerificationError,
    )
    from ._handles import AsyncRequestHandle, RequestHandle
    from ._namespaces import AsyncUpdateCallback, UpdateCallback
    from ._operations import OperationRegistry, OperationSpec
    from ._outputs import Output
    from ._polling import PollPolicy
    from ._raw import (
        AsyncCannonWithRawResponse,
        AsyncRequestsWithRawResponse,
        CannonWithRawResponse,
        RequestsWithRawResponse,
    )
    from ._receiver import WebhookReceiver
    from ._requests import AsyncRequests, Requests
    from ._types import NOT_GIVEN, InputData, NotGiven, TimeoutTypes
    from .webhooks import Webhooks

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AssetDownloadError",
    "AsyncCannon",
    "AsyncCannonWithRawResponse",
    "AsyncRequestHandle",
    "AsyncRequests",
    "AsyncRequestsWithRawResponse",
    "AsyncUpdateCallback",
    "AuthenticationError",
    "BadRequestError",
    "Cannon",
    "CannonError",
    "CannonWithRawResponse",
    "ConfigurationError",
    "ConflictError",
    "DownloadPolicy",
    "DownloadRefusedError",
    "InputData",
    "InputValidationError",
    "InsufficientCreditsError",
    "NotFoundError",
    "NotGiven",
    "OperationRegistry",
    "OperationSpec",
    "Output",
    "PermissionDeniedError",
    "PollPolicy",
    "RateLimitError",
    "RequestFailedError",
    "RequestHandle",
    "RequestNotSucceededError",
    "Requests",
    "RequestsWithRawResponse",
    "ServerError",
    "TimeoutTypes",
    "UpdateCallback",
    "WaitTimeoutError",
    "WebhookHeaderError",
    "WebhookPayloadTooLargeError",
    "WebhookReceiver",
    "WebhookReplayError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookVerificationError",
    "Webhooks",
]

# The module that defines each public name (relative to this package), imported on first access.
_MODULE_OF: dict[str, str] = {
    "NOT_GIVEN": "._types",
    "APIConnectionError": "._errors",
    "APIResponse": "._api_response",
    "APIResponseValidationError": "._errors",
    "APIStatusError": "._errors",
    "APITimeoutError": "._errors",
    "AssetDownloadError": "._errors",
    "AsyncCannon": "._client",
    "AsyncCannonWithRawResponse": "._raw",
    "AsyncRequestHandle": "._handles",
    "AsyncRequests": "._requests",
    "AsyncRequestsWithRawResponse": "._raw",
    "AsyncUpdateCallback": "._namespaces",
    "AuthenticationError": "._errors",
    "BadRequestError": "._errors",
    "Cannon": "._client",
    "CannonError": "._errors",
    "CannonWithRawResponse": "._raw",
    "ConfigurationError": "._errors",
    "ConflictError": "._errors",
    "DownloadPolicy": "._asset_policy",
    "DownloadRefusedError": "._errors",
    "InputData": "._types",
    "InputValidationError": "._errors",
    "InsufficientCreditsError": "._errors",
    "NotFoundError": "._errors",
    "NotGiven": "._types",
    "OperationRegistry": "._operations",
    "OperationSpec": "._operations",
    "Output": "._outputs",
    "PermissionDeniedError": "._errors",
    "PollPolicy": "._polling",
    "RateLimitError": "._errors",
    "RequestFailedError": "._errors",
    "RequestHandle": "._handles",
    "RequestNotSucceededError": "._errors",
    "Requests": "._requests",
    "RequestsWithRawResponse": "._raw",
    "ServerError": "._errors",
    "TimeoutTypes": "._types",
    "UpdateCallback": "._namespaces",
    "WaitTimeoutError": "._errors",
    "WebhookHeaderError": "._errors",
    "WebhookPayloadTooLargeError": "._errors",
    "WebhookReceiver": "._receiver",
    "WebhookReplayError": "._errors",
    "WebhookSignatureError": "._errors",
    "WebhookTimestampError": "._errors",
    "WebhookVerificationError": "._errors",
    "Webhooks": ".webhooks",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups are plain module attributes
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
