"""Cannon Studio Python client: ``Cannon`` / ``AsyncCannon`` over the generated client.

Every public name is imported here once, at module top, and listed in ``__all__``, except
``Output``, built on first access (it is the union of every output model). Importing
the package loads the client (it is what every user needs first); what is heavy and not always
needed stays out of ``import cannon_studio``: the generated models and endpoint modules load per
name on first use, ``jsonschema`` on the first create. The sandbox
is a separate top-level package, ``cannon_studio_sandbox``; neither imports the other.
"""

from typing import TYPE_CHECKING, Any

from . import _outputs
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
from ._version import __version__ as __version__
from .webhooks import Webhooks

if TYPE_CHECKING:
    from ._outputs import Output

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


def __getattr__(name: str) -> Any:
    # The one name not bound at import: ``Output`` needs every output model, which a client that
    # only polls never loads (see ``_outputs``); it is built on first access.
    if name == "Output":
        return _outputs.Output
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
