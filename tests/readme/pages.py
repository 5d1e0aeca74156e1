"""The user-facing pages whose code blocks the suite runs: README.md and every page under docs/.

One place that finds them and their blocks, so a new page is covered the moment it is added.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def blocks(language: str) -> list[tuple[str, str]]:
    """``(page, block)`` for every fenced block of ``language`` (```` ```python ````, ...)."""
    fence = re.compile(rf"^```{re.escape(language)}\n(.*?)^```", re.DOTALL | re.MULTILINE)
    found = []
    for page in PAGES:
        for block in fence.findall(page.read_text(encoding="utf-8")):
            found.append((page.relative_to(ROOT).as_posix(), block))
    return found


def block_id(page: str, block: str) -> str:
    """A readable test id: the page and the block's first non-blank line."""
    first = next(line for line in block.splitlines() if line.strip())
    return f"{page}: {first.strip()[:50]}"
