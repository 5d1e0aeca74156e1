"""The drift engine: the semantic diff of two OpenAPI documents, each change classified.

What ``cannon-studio schema diff OLD NEW`` and ``cannon-studio schema check [--url URL]`` run, and
what ``scripts/check_drift.py`` (``make check-drift``) builds on; it needs only the core install.
Changes cover operations, input fields (added, removed, renamed, retyped, required), enum values,
constraints, response shapes and output variants, endpoints, parameters and headers, security,
webhooks and servers. Each is *breaking* when a client built from the old document can fail
because of it (the rules follow oasdiff's: narrowing what a client sends, or widening what it
parses, is breaking).

- :func:`diff_documents`: two parsed documents in, the changes out (pure).
- :func:`compare_documents`: the same, none when both serialise to the same snapshot text.
- :func:`check_installed` / :func:`compare_sources`: read files or URLs, return a
  :class:`DriftReport` (``exit_code`` 0 same, 1 drift); :class:`~cannon_studio_schema.SchemaError`
  when a schema is unavailable (exit status 2 for the commands).

Modules, bottom to top: :mod:`.changes` (the :class:`Change` record), :mod:`.nodes` (reading
schema nodes), :mod:`.schemas` (schema against schema), :mod:`.operations`, :mod:`.endpoints`
(the whole document), :mod:`.report` and :mod:`.check` (sources).
"""

from .changes import REQUEST, RESPONSE, Change
from .check import (
    FETCH_TIMEOUT_S,
    INSTALLED,
    LIVE_ORIGIN,
    LIVE_SCHEMA_URL,
    check_installed,
    compare_documents,
    compare_sources,
    installed_schema,
    load_document,
    origin,
    read_source,
    resolve_source,
)
from .endpoints import diff_documents
from .operations import operations
from .report import NO_DRIFT, DriftReport

__all__ = [
    "FETCH_TIMEOUT_S",
    "INSTALLED",
    "LIVE_ORIGIN",
    "LIVE_SCHEMA_URL",
    "NO_DRIFT",
    "REQUEST",
    "RESPONSE",
    "Change",
    "DriftReport",
    "check_installed",
    "compare_documents",
    "compare_sources",
    "diff_documents",
    "installed_schema",
    "load_document",
    "operations",
    "origin",
    "read_source",
    "resolve_source",
]
