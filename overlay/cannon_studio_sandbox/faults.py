"""Fault injection: seeded, per-endpoint rules for 429, 5xx, dropped connections and slow responses.

How a dropped connection looks to a client:

- Over a real socket (``Sandbox.serve()`` / ``python -m cannon_studio_sandbox``), the app starts a
  response (status line and headers with a ``content-length`` it never sends) and then raises
  :class:`ConnectionDropped`; uvicorn closes the socket, and an httpx2 client sees
  ``httpx2.RemoteProtocolError`` (a ``httpx2.TransportError``) while reading the response.
- In-process (``httpx2.ASGITransport(sandbox.app)``), the same exception propagates out of the
  transport. :class:`ConnectionDropped` subclasses ``httpx2.RemoteProtocolError``, so the client
  sees the same exception type either way.
"""

from __future__ import annotations

import logging
import random
import threading
from typing import Any

import httpx2

from .config import WEBHOOK_FAULT_KINDS, FaultRule


class ConnectionDropped(httpx2.RemoteProtocolError):
    """Raised by the app to drop the connection on purpose (an injected fault)."""


class FaultInjector:
    """Holds the fault rules, decides (with a seeded generator) which call they hit, logs hits.

    Args:
        seed: seed of the generator that draws against each rule's ``rate``.
        clock_ms: time source in epoch milliseconds.
    """

    def __init__(self, seed: int, clock_ms: Any) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._clock_ms = clock_ms
        self.clear()

    def clear(self, seed: int | None = None) -> None:
        """Remove every rule and the log; reseed the generator."""
        with self._lock:
            if seed is not None:
                self._seed = seed
            self._rules: list[tuple[FaultRule, list[int]]] = []  # (rule, [fired count])
            self._log: list[dict[str, Any]] = []
            self._rng = random.Random(self._seed)

    def add(self, rule: FaultRule) -> None:
        """Add a rule; rules are tried in the order they were added."""
        with self._lock:
            self._rules.append((rule, [0]))

    def rules(self) -> list[dict[str, Any]]:
        """The rules with how many times each has fired."""
        with self._lock:
            return [{**rule.to_dict(), "fired": fired[0]} for rule, fired in self._rules]

    def log(self) -> list[dict[str, Any]]:
        """One entry per injected fault: kind, endpoint, method, path, at_ms."""
        with self._lock:
            return [dict(entry) for entry in self._log]

    def pick(
        self,
        endpoint: str,
        method: str,
        path: str,
        kinds: tuple[str, ...] | None = None,
        skip: tuple[str, ...] = (),
    ) -> FaultRule | None:
        """The rule that hits this call, if any (and record the hit: only then is it used up).

        Args:
            endpoint: ``status``, ``create``, ``get``, ``openapi``, ``assets`` or ``webhooks``.
            method, path: logged with the hit (for webhooks: ``POST`` and the request id).
            kinds: only rules of these kinds are tried (``None``: all).
            skip: rules of these kinds are not tried (and their draws not taken).
        """
        webhook = endpoint == "webhooks"
        with self._lock:
            for rule, fired in self._rules:
                if rule.endpoint not in ("*", endpoint):
                    continue
                if (rule.kind in WEBHOOK_FAULT_KINDS) != webhook:
                    continue
                if (kinds is not None and rule.kind not in kinds) or rule.kind in skip:
                    continue
                if rule.kind == "drop_after_commit" and endpoint != "create":
                    continue
                if rule.count is not None and fired[0] >= rule.count:
                    continue
                if rule.rate < 1.0 and self._rng.random() >= rule.rate:
                    continue
                fired[0] += 1
                self._log.append(
                    {
                        "kind": rule.kind,
                        "endpoint": endpoint,
                        "method": method,
                        "path": path,
                        "at_ms": self._clock_ms(),
                    }
                )
                return rule
        return None


class _DropFilter(logging.Filter):
    """Hides uvicorn's traceback for connections the sandbox dropped on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped)


_FILTER = _DropFilter()


def quiet_uvicorn_drops() -> None:
    """Install the filter on uvicorn's error logger (idempotent)."""
    logger = logging.getLogger("uvicorn.error")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
