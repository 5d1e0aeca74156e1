"""The Cannon Studio sandbox: a local reference server implementing the API contract.

Like stripe-mock: a real ASGI server (Starlette + uvicorn) that validates requests against the
OpenAPI schema, simulates the async request lifecycle, charges credits, hosts real asset files,
signs webhooks and injects faults on demand. A top-level package of its own (extra
``[sandbox]``): it imports nothing from ``cannon_studio``, and ``cannon_studio`` imports nothing
from it (the ``cannon-studio sandbox`` command runs it through its ``cannon-studio-sandbox``
entry point); both stand on the schema package ``cannon_studio_schema``. ``make lint`` checks
that with an import contract.

Floors, bottom to top: config, clock, scopes, pricing, storage, media and the other parts;
:mod:`.parts` (the parts wired together); :mod:`.app` (the routes; takes the parts);
:mod:`.server` (uvicorn; serves any ASGI app); :mod:`.control` (the :class:`Sandbox` facade);
:mod:`.pytest_plugin` and :mod:`.__main__` (the command line, ``python -m cannon_studio_sandbox``)
on top. Importing this package imports Starlette, uvicorn, Pillow and PyAV. Without the
``[sandbox]`` extra it still imports, and using any of its names raises an ``ImportError``
whose message is one sentence naming the extra (:mod:`.extra`).
"""

from __future__ import annotations

from .extra import missing_extra_sentence

try:
    from .config import (
        DEFAULT_ACCOUNT,
        DEFAULT_API_KEY,
        DEFAULT_WEBHOOK_SECRET,
        FaultRule,
        SandboxConfig,
    )
    from .control import Sandbox, ServerHandle
except ModuleNotFoundError as missing:
    _SENTENCE = missing_extra_sentence(missing)
    if _SENTENCE is None:
        raise

    def __getattr__(name: str) -> object:
        """Any name of the package, without the extra: the sentence that says what to install."""
        raise ImportError(_SENTENCE, name=__name__)


__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_API_KEY",
    "DEFAULT_WEBHOOK_SECRET",
    "FaultRule",
    "Sandbox",
    "SandboxConfig",
    "ServerHandle",
]
