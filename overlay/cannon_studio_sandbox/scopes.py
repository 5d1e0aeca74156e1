"""API-key scopes: which scope each endpoint needs, and which scopes a key has.

Documented: the status response lists a key's scopes, ``requests:write`` and ``requests:read``.
Assumed (the docs do not say which endpoint needs which scope): creating a request
(``POST /api/v1/requests``) needs ``requests:write``; reading one
(``GET /api/v1/requests/{id}``) needs ``requests:read``; ``GET /api/v1/status`` only checks the
key (any valid key may call it and sees its own scopes); ``GET /api/v1/openapi`` needs no key.
A key without the needed scope gets ``403`` with the error envelope, code ``forbidden``, before
anything is validated, created or charged.
"""

from __future__ import annotations

from collections.abc import Mapping

WRITE = "requests:write"
READ = "requests:read"
#: Scopes of a key the configuration says nothing about (the status page example: both).
ALL_SCOPES: tuple[str, ...] = (WRITE, READ)
#: Scopes of a key given with ``--read-only-key``.
READ_ONLY: tuple[str, ...] = (READ,)

#: Scope needed per endpoint name (``None``: any valid key).
REQUIRED: dict[str, str | None] = {"status": None, "create": WRITE, "get": READ}


def scopes_of(key: str, key_scopes: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The scopes of API key ``key``: its entry in ``key_scopes``, else :data:`ALL_SCOPES`."""
    return tuple(key_scopes.get(key, ALL_SCOPES))


def missing_scope(endpoint: str, scopes: tuple[str, ...]) -> str | None:
    """The scope ``endpoint`` needs that ``scopes`` lacks, or ``None`` when the call is allowed."""
    needed = REQUIRED.get(endpoint)
    if needed is None or needed in scopes:
        return None
    return needed


def validate_key_scopes(key_scopes: Mapping[str, tuple[str, ...]]) -> None:
    """Check a ``key_scopes`` mapping (config).

    Raises:
        ValueError: a scope other than ``requests:write`` / ``requests:read``.
    """
    for scopes in key_scopes.values():
        unknown = sorted(set(scopes) - set(ALL_SCOPES))
        if unknown:
            raise ValueError(
                f"unknown scope(s) {', '.join(unknown)}; allowed: {', '.join(ALL_SCOPES)}"
            )
