"""Reading an OpenAPI document from text or a file: JSON or YAML.

JSON is tried first (its errors carry a line number); anything else is parsed as YAML with
PyYAML's safe loader (no Python object tags), imported only then: the embedded snapshot is JSON,
and ``import yaml`` costs 20-40 ms that a client's first call would otherwise pay. Fetching over HTTP stays with the callers
(``scripts/regenerate.py``), which hand the text over.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import SchemaError


def parse_text(text: str, origin: str) -> dict[str, Any]:
    """Parse ``text`` (JSON or YAML) into a document.

    Args:
        text: the document text.
        origin: where it came from (a path or URL), used in error messages only.

    Returns:
        The parsed document (a new dict the caller owns).

    Raises:
        SchemaError: neither valid JSON nor valid YAML, or not a mapping at the top.
    """
    stripped = text.lstrip()
    document: Any
    if stripped.startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemaError(
                f"The schema from {origin} is not valid JSON (line {exc.lineno})."
            ) from exc
    else:
        import yaml  # third-party, only for YAML documents (see the module docstring)

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise SchemaError(f"The schema from {origin} is neither JSON nor YAML{where}.") from exc
    if not isinstance(document, dict):
        raise SchemaError(f"The schema from {origin} is not a JSON object (nor a YAML mapping).")
    return document


def read_file(path: Path | str) -> dict[str, Any]:
    """Read and parse the document at ``path`` (JSON or YAML, UTF-8).

    Raises:
        SchemaError: the file cannot be read or parsed.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SchemaError(f"Could not read the schema file {path}: {reason}.") from exc
    return parse_text(text, str(path))
