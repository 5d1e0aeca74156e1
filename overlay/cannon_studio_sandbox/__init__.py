"""The Cannon Studio sandbox: a local reference server implementing the API contract.

Like stripe-mock: a real ASGI server (Starlette + uvicorn) that validates requests against the
OpenAPI schema, simulates the async request lifecycle, charges credits, hosts real asset files,
signs webhooks and injects faults on demand. It imports nothing from the client side.

Names are loaded lazily (module ``__getattr__``) so that importing this package, or its pytest
plugin, does not import Starlette, uvicorn, Pillow or PyAV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import (
    DEFAULT_ACCOUNT,
    DEFAULT_API_KEY,
    DEFAULT_WEBHOOK_SECRET,
    FaultRule,
    SandboxConfig,
)

if TYPE_CHECKING:
    from .control import Sandbox
    from .server import ServerHandle, main

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_API_KEY",
    "DEFAULT_WEBHOOK_SECRET",
    "FaultRule",
    "Sandbox",
    "SandboxConfig",
    "ServerHandle",
    "main",
]


def __getattr__(name: str) -> Any:
    if name == "Sandbox":
        from .control import Sandbox

        return Sandbox
    if name in ("main", "ServerHandle"):
        from . import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
