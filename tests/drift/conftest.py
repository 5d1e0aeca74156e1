"""Fixtures of the drift-check tests: the snapshot and modified copies of it.

``import check_drift`` / ``import regenerate`` work because pytest puts ``scripts/`` on the
import path (``pythonpath`` in pyproject's ``[tool.pytest.ini_options]``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"


@pytest.fixture(scope="session")
def snapshot_doc() -> dict[str, Any]:
    """The committed snapshot, parsed (do not mutate: take ``copy.deepcopy``)."""
    document: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def modified_schema(
    snapshot_doc: dict[str, Any], tmp_path: Path
) -> Callable[[Callable[[dict[str, Any]], None]], Path]:
    """Return ``write(mutate)``: apply ``mutate`` to a copy of the snapshot, write it, return the path."""

    def write(mutate: Callable[[dict[str, Any]], None]) -> Path:
        document = copy.deepcopy(snapshot_doc)
        mutate(document)
        path = tmp_path / "modified-openapi.json"
        path.write_text(json.dumps(document, indent=1), encoding="utf-8")
        return path

    return write
