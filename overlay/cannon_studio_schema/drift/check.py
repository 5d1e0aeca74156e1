"""Reading schemas from files or URLs and comparing them: what ``cannon-studio schema`` runs.

:func:`check_installed` compares a live document with the snapshot the installed client was
generated from (``cannon_studio_api/openapi.json``, found without importing the client);
:func:`compare_sources` compares any two sources. Both need only the core install. Fetching (where
the key may go, redirects, limits, external references refused) is
:func:`cannon_studio_schema.source.read_source`, the one reader of every schema source.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from ..canonical import canonical_spelling
from ..errors import SchemaError
from ..model import embedded_schema_path
from ..normalise import normalise
from ..placement import strip_filled
from ..source import LIVE_API_ORIGIN, parse_text, read_file, read_source
from ..upgrade import version_of
from .changes import Change
from .checks import BREAKING
from .endpoints import diff_documents
from .report import DriftReport

LIVE_SCHEMA_URL = "https://www.cannonstudio.app/api/v1/openapi"
"""The live schema (whether it needs a key is not documented; ``$CANNON_API_KEY`` is sent)."""

LIVE_ORIGIN = LIVE_API_ORIGIN
"""The only origin an API key is sent to unless the caller names another (see
:func:`cannon_studio_schema.source.key_allowed`)."""

INSTALLED = "the installed client's schema"
"""How reports name the snapshot embedded in ``cannon_studio_api``."""

NoteSink = Callable[[str], object]
"""Where a fetch's note goes (a key withheld from a URL off the API origin), e.g. stderr."""


def resolve_source(arg: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The schema source: ``arg``, else ``$CANNON_OPENAPI_URL``, else :data:`LIVE_SCHEMA_URL`."""
    return arg or environ.get("CANNON_OPENAPI_URL") or LIVE_SCHEMA_URL


def _text(source: str, api_key: str | None, key_origin: str, on_note: NoteSink | None) -> str:
    fetched = read_source(source, api_key=api_key, api_base_url=key_origin)
    if fetched.note and on_note is not None:
        on_note(fetched.note)
    return fetched.text


def prepare(document: Mapping[str, Any]) -> dict[str, Any]:
    """The form both sides of a comparison take: the canonical spelling that ``make regenerate``
    writes (:func:`cannon_studio_schema.canonical_spelling`: OpenAPI 3.1, one spelling per
    nullable style, enum and 3.0 keyword).

    The comparison then reads every schema through :func:`.nodes.view`, which makes what is
    left to a comparison compare equal: ``$ref`` or inline, exact ``allOf``, component names
    and key order.

    Raises:
        SchemaError: the version is not 3.0.x or 3.1.x, or the document is not shaped as
            OpenAPI.
    """
    try:  # the form make regenerate writes (canonical spelling, the contract's names), less
        # what regenerate filled in for parts the source lacks: those are not changes
        return strip_filled(normalise(document, fill=False))
    except SchemaError:  # not placeable (no create or retrieve endpoint...): compare it as spelt
        return canonical_spelling(document)


def load_document(text: str, origin: str) -> dict[str, Any]:
    """Parse ``text`` (JSON or YAML), check it is OpenAPI 3.0 or 3.1, and :func:`prepare` it.

    The check is structural (no OpenAPI validator is needed): an error page, a fragment or an
    unrelated JSON object is "unavailable" with one sentence, never a report of every endpoint
    removed. No create endpoint is needed: any OpenAPI document compares.

    Raises:
        SchemaError: not JSON/YAML, no ``openapi`` field, not 3.0.x/3.1.x, or ``paths``,
            ``webhooks`` or ``components`` present but not objects.
    """
    document = parse_text(text, origin)
    version = version_of(document)
    if not version:
        raise SchemaError(
            f"The document from {origin} has no 'openapi' version field "
            "(a fragment, or not an OpenAPI document)."
        )
    if not version.startswith(("3.0.", "3.1.")):
        raise SchemaError(f"The document from {origin} is OpenAPI {version}, not 3.0 or 3.1.")
    for key in ("paths", "webhooks", "components"):
        if key in document and not isinstance(document[key], dict):
            raise SchemaError(f"The document from {origin} has a '{key}' that is not an object.")
    if version.startswith("3.0.") and not isinstance(document.get("paths"), dict):
        raise SchemaError(f"The document from {origin} has no 'paths' object.")
    return prepare(document)


def compare_documents(
    old: Mapping[str, Any], new: Mapping[str, Any], new_origin: str = "the new schema"
) -> list[Change]:
    """The semantic changes from ``old`` to ``new`` (both :func:`prepare`-d); none when they
    mean the same (descriptions, examples, spellings and key order are not changes).

    Raises:
        SchemaError: the documents could not be compared (e.g. a reference that does not
            resolve or points outside the document).
    """
    try:
        return diff_documents(old, new)
    except SchemaError as exc:
        raise SchemaError(f"Could not compare the schema from {new_origin}: {exc}.") from exc
    except (KeyError, TypeError, AttributeError, ValueError, RecursionError) as exc:
        raise SchemaError(
            f"Could not compare the schema from {new_origin} with the old one "
            f"({type(exc).__name__}: {str(exc)[:120]})."
        ) from exc


def compare_sources(
    old_source: str,
    new_source: str,
    *,
    api_key: str | None = None,
    key_origin: str = LIVE_ORIGIN,
    fail_on: str = BREAKING,
    on_note: NoteSink | None = None,
) -> DriftReport:
    """Compare the schema at ``old_source`` with the one at ``new_source`` (paths or URLs).

    ``api_key`` goes only where :func:`cannon_studio_schema.source.key_allowed` allows, with
    ``key_origin`` the configured API base URL; ``fail_on`` is the lowest level (``breaking``,
    ``warning``, ``info``) that makes the report's exit code 1; ``on_note`` receives one
    sentence per URL the key was withheld from.

    Raises:
        SchemaError: either schema is unavailable, or they could not be compared.
    """
    old = load_document(_text(old_source, api_key, key_origin, on_note), old_source)
    new = load_document(_text(new_source, api_key, key_origin, on_note), new_source)
    changes = tuple(compare_documents(old, new, new_source))
    return DriftReport(old_source, new_source, changes, fail_on)


def installed_schema() -> dict[str, Any]:
    """The snapshot the installed client was generated from (``cannon_studio_api/openapi.json``).

    Raises:
        SchemaError: ``cannon_studio_api`` is not installed or its schema cannot be read.
    """
    return read_file(embedded_schema_path())


def check_installed(
    source: str,
    *,
    api_key: str | None = None,
    key_origin: str = LIVE_ORIGIN,
    fail_on: str = BREAKING,
    on_note: NoteSink | None = None,
) -> DriftReport:
    """Compare the schema at ``source`` (URL or path) with :func:`installed_schema`.

    Args:
        source: where the current schema is, e.g. ``https://HOST/api/v1/openapi``.
        api_key: sent as ``x-api-key``, only where
            :func:`cannon_studio_schema.source.key_allowed` allows (as for :func:`compare_sources`).
        key_origin: the configured API base URL, the one origin the key may be sent to.
        fail_on: the lowest level that makes the report's exit code 1.
        on_note: receives one sentence per URL the key was withheld from.

    Returns:
        The report; ``exit_code`` 1 when a change is at ``fail_on`` or above, else 0.

    Raises:
        SchemaError: the schema is unavailable (exit status 2 for a command).
    """
    new = load_document(_text(source, api_key, key_origin, on_note), source)
    old = prepare(installed_schema())
    changes = tuple(compare_documents(old, new, source))
    return DriftReport(INSTALLED, source, changes, fail_on)
