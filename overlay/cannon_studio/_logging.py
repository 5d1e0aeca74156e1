"""Logging for the client: one logger, ``cannon_studio``, and secret redaction.

``CANNON_LOG=debug`` (or ``info``) attaches a stderr handler at that level, as openai-python does
with ``OPENAI_LOG``. Every registered secret (API keys, webhook secrets) is replaced by
``[REDACTED]`` in records of this logger, so a key never reaches a log file.
"""

from __future__ import annotations

import logging
import os
import re

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


def redact_chain(exc: BaseException | None) -> BaseException | None:
    """Redact, in place, the string arguments of ``exc`` and of every exception chained to it
    (``__cause__`` / ``__context__``), so a server that reflects the key into an error message
    cannot put it into a traceback. Returns ``exc``.
    """
    seen: set[int] = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _secrets and any(isinstance(arg, str) for arg in current.args):
            current.args = tuple(
                safe_url(redact(arg)) if isinstance(arg, str) else arg for arg in current.args
            )
        current = current.__cause__ or current.__context__
    return exc


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]*@")


def safe_url(url: str) -> str:
    """``url`` (or any text holding URLs) with the ``user:password@`` part of each URL removed."""
    return _USERINFO.sub(r"\1", url)


MASK_PREFIX_CHARS = 8
"""At most this many leading characters of a secret are shown (``cs_live_`` / ``cs_test_``)."""


def mask(secret: str | None) -> str:
    """A display form of a secret for ``repr``: a fixed short prefix, whatever the key's shape.

    At most ``MASK_PREFIX_CHARS`` (8) characters and never more than a quarter of the secret are
    shown, e.g. ``'cs_test_***'`` for a 40-character sandbox key, ``'ab***'`` for an odd
    10-character one.
    """
    if not secret:
        return "None"
    shown = secret[: min(MASK_PREFIX_CHARS, len(secret) // 4)]
    return f"'{shown}***'"


class RedactingFilter(logging.Filter):
    """Replaces every registered secret in a record's message by ``[REDACTED]``.

    Attached to the package logger here, and by the CLI to its ``--verbose`` handler (which
    also shows httpx2's records): the one copy of the redaction rule for log records.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = record.getMessage()
            clean = redact(message)
            if clean != message:
                record.msg = clean
                record.args = None
        return True


logger.addFilter(RedactingFilter())


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
