"""The OpenAPI document this package was generated from.

Written by scripts/regenerate.py next to ``openapi.json``; do not edit.
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMA_SHA256 = "2503ca474cc6133cbd810eef168be94464489978693124006c9cc8aaf0291d65"
"""SHA-256 of ``openapi.json`` (the normalised snapshot), as hex."""


@cache
def load_schema() -> dict[str, Any]:
    """Return the OpenAPI document (parsed once, then cached; do not mutate it)."""
    text = files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document
