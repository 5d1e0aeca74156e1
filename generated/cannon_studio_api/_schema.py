"""The OpenAPI document this package was generated from.

Written by scripts/regenerate.py next to ``openapi.json``; do not edit.
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMA_SHA256 = "40b444873b5c0a6bddfb6a2074ce4dc5bb81c31d0be0eec16e6c53a0aa4d13f6"
"""SHA-256 of ``openapi.json`` (the normalised snapshot), as hex."""


@cache
def load_schema() -> dict[str, Any]:
    """Return the OpenAPI document (parsed once, then cached; do not mutate it)."""
    text = files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document
