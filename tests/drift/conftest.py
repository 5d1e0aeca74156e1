"""Fixtures of the drift-check tests: the snapshot, modified copies of it, the script's module."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"

# The scripts are not a package: make ``import check_drift`` / ``import regenerate`` work.
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


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
