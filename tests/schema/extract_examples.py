"""Extract the JSON examples of the Cannon Studio fact sheet into ``fact_sheet_examples.json``.

Usage: python tests/schema/extract_examples.py [PATH_TO_SHARED]

The fact sheet (``shared/reference/cannon-studio-api.md``) quotes every JSON example of the public
docs in fenced ``json`` blocks. The stored copies of the video-generate and image-generate pages cut
off their success outputs; the original page documents in ``shared/seeds/`` have them whole, so
those two are taken from there. The test suite checks the committed fixture still matches the sheet
when ``../shared`` is present, so the fixture cannot silently go stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fact_sheet_examples.json"
FENCE = re.compile(r"```json\n(.*?)\n```", re.DOTALL)
SEED_OUTPUT = re.compile(r"Success output\s*\n\s*\n(\{.*?\n\})", re.DOTALL)


def extract(shared: Path) -> list[dict[str, Any]]:
    """Return the examples as ``[{"source": ..., "example": <json>}]`` in document order."""
    sheet = (shared / "reference" / "cannon-studio-api.md").read_text(encoding="utf-8")
    found = [
        {"source": f"fact sheet block {i}", "example": json.loads(block)}
        for i, block in enumerate(FENCE.findall(sheet), start=1)
    ]
    for seed in sorted((shared / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for i, block in enumerate(SEED_OUTPUT.findall(text), start=1):
            found.append(
                {"source": f"{seed.name} success output {i}", "example": json.loads(block)}
            )
    return found


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared"
    examples = extract(shared)
    FIXTURE.write_text(json.dumps(examples, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(examples)} examples to {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
