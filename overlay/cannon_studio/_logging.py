"""Logging for the client: one logger, ``cannon_studio``, and secret redaction.

``CANNON_LOG=debug`` (or ``info``) attaches a stderr handler at that level, as openai-python does
with ``OPENAI_LOG``. Every registered secret (API keys, webhook secrets) is replaced by
``[REDACTED]`` in records of this logger, so a key never reaches a log file.
"""

from __future__ import annotations

import logging
import os

from ._constants import ENV_LOG

logger = logging.getLogger("cannon_studio")
"""The single logger of the package (its filter redacts secrets; child loggers would bypass it)."""

REDACTED = "[REDACTED]"
_secrets: set[str] = set()
_configured = False


def register_secret(secret: str | None) -> None:
    """Remember ``secret`` so that it is redacted from log records and error texts."""
    if secret and len(secret) >= 4:
        _secrets.add(secret)


def redact(text: str) -> str:
    """Return ``text`` with every registered secret replaced by ``[REDACTED]``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def mask(secret: str | None) -> str:
    """A display form of a secret for ``repr``: its kind prefix only, e.g. ``'cs_test_...'``."""
    if not secret:
        return "None"
    head = secret.split("_", 2)
    prefix = "_".join(head[:2]) + "_" if len(head) > 2 else ""
    return f"'{prefix}***'"


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = record.getMessage()
            clean = redact(message)
            if clean != message:
                record.msg = clean
                record.args = None
        return True


logger.addFilter(_RedactingFilter())


def setup_logging() -> None:
    """Apply ``CANNON_LOG`` (``debug`` or ``info``) once per process; other values are ignored."""
    global _configured
    if _configured:
        return
    _configured = True
    level_name = os.environ.get(ENV_LOG, "").strip().lower()
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(level_name)
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
