"""Fixtures of the bad-input matrix: the schema-derived cases and a request recorder."""

from __future__ import annotations

# The case builder lives next to these tests (``cannon_schema_cases``); tests/faults imports it
# rootdir-relative, as ``tests.bad_input.cannon_schema_cases``.
