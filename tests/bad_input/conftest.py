"""Fixtures of the bad-input matrix: the schema-derived cases and a request recorder."""

from __future__ import annotations

import sys
from pathlib import Path

# The case builder lives next to these tests and is shared with tests/faults (distinct module name,
# so it cannot collide with another directory's helpers on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))
