"""The drift engine: the semantic diff of two OpenAPI 3.0/3.1 documents, each change classified.

What ``cannon-studio schema diff OLD NEW`` and ``cannon-studio schema check [--url URL]`` run, and
what ``scripts/check_drift.py`` (``make check-drift``) builds on; it needs only the core install.
Any valid OpenAPI 3.0 or 3.1 document compares: paths (matched by template, parameter names
ignored), operations, parameters, request bodies, responses, headers, security, webhooks and
servers. When both documents have Cannon's create endpoint, its operations are compared by
operation id. Both sides are compared by meaning: 3.0 and 3.1 spellings, nullable styles,
``$ref`` or inline, exact ``allOf``, component names and key order do not count as changes.

Each change has a stable check id (oasdiff's where the meaning is the same) and a level from the
catalogue :data:`CHECKS`: ``breaking`` (a client built from the old document can fail),
``warning`` (it may) or ``info``. Narrowing what a client sends, or widening what it parses, is
breaking.

- :func:`diff_documents`: two prepared documents in, the changes out (pure).
- :func:`compare_documents`: the same, with failures as one-sentence :class:`SchemaError`.
- :func:`check_installed` / :func:`compare_sources`: read files or URLs, return a
  :class:`DriftReport` (``exit_code`` 1 when a change reaches ``fail_on``, else 0; text, JSON,
  Markdown and GitHub annotations); :class:`~cannon_studio_schema.SchemaError` when a schema is
  unavailable (exit status 2 for the commands).

Modules, bottom to top: :mod:`.checks` (the catalogue), :mod:`.changes` (the :class:`Change`
record), :mod:`.nodes` (one meaning per schema), :mod:`.schemas` (schema against schema),
:mod:`.operations` (Cannon's operations), :mod:`.endpoints` (the whole document), :mod:`.report`
and :mod:`.check` (sources).
"""

from ..source import FETCH_TIMEOUT_S, origin, read_source
from .changes import REQUEST, RESPONSE, Change
from .check import (
    INSTALLED,
    LIVE_ORIGIN,
    LIVE_SCHEMA_URL,
    check_installed,
    compare_documents,
    compare_sources,
    installed_schema,
    load_document,
    prepare,
    resolve_source,
)
from .checks import BREAKING, CHECKS, INFO, LEVELS, WARNING, Check
from .endpoints import diff_documents
from .operations import operations
from .report import FORMATS, NO_DRIFT, DriftReport

__all__ = [
    "BREAKING",
    "CHECKS",
    "FETCH_TIMEOUT_S",
    "FORMATS",
    "INFO",
    "INSTALLED",
    "LEVELS",
    "LIVE_ORIGIN",
    "LIVE_SCHEMA_URL",
    "NO_DRIFT",
    "REQUEST",
    "RESPONSE",
    "WARNING",
    "Change",
    "Check",
    "DriftReport",
    "check_installed",
    "compare_documents",
    "compare_sources",
    "diff_documents",
    "installed_schema",
    "load_document",
    "operations",
    "origin",
    "prepare",
    "read_source",
    "resolve_source",
]
