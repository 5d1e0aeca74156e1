"""Writes the Python generators' documents of the corpus. Usage: python emit.py OUT_DIR"""

import json
import sys
from pathlib import Path

import fastapi_app
import litestar_app


def write(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    out = Path(sys.argv[1])
    write(out / "fastapi-default-ids.json", fastapi_app.build().openapi())
    write(out / "fastapi-custom-ids.json", fastapi_app.build(custom_ids=True).openapi())
    write(out / "litestar.json", litestar_app.build().openapi_schema.to_schema())


if __name__ == "__main__":
    main()
