#!/usr/bin/env python3
"""The screenshot of the HTML report in the docs: the demo pipeline as a batch, on the sandbox.

Usage::

    python scripts/report_screenshot.py [--out docs/img/batch-report.png] [--width 1100]

Runs the example pipeline (``cannon-studio batch example``) against a local sandbox (short realistic timings,
so seconds and wall time are not zero), writes ``cannon-studio batch report DIR --html`` into a
temporary directory, opens it in Debian's headless chromium (``scripts/chromium_cdp.py``) and
saves a palette PNG of the whole page (small enough to commit).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from cannon_studio import Cannon
from cannon_studio.batch import write_html_report
from cannon_studio_sandbox import Sandbox, SandboxConfig
from chromium_cdp import chromium
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
DEMO_JOBS = ROOT / "overlay" / "cannon_studio" / "batch" / "example-pipeline.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "batch-report.png")
    parser.add_argument("--width", type=int, default=1100)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="report-screenshot-"))
    try:
        sandbox = Sandbox(SandboxConfig(job_duration_s=(0.5, 2.5), queue_delay_s=0.2))
        with (
            sandbox.serve() as server,
            Cannon(api_key=sandbox.api_key, base_url=server.base_url) as client,
        ):
            # Relative, as a user would type it (the page names the job file).
            client.batch(os.path.relpath(DEMO_JOBS), work / "run")
        page = write_html_report(work / "run", work / "report.html", title="demo pipeline")
        shot = work / "shot.png"
        with chromium(width=args.width, height=800) as tab:
            tab.open(page.as_uri())
            tab.js("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
            tab.screenshot(shot)
            if tab.errors:
                raise SystemExit(f"the page logged errors: {tab.errors}")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(shot) as image:
            image.convert("RGB").quantize(colors=128).save(args.out, optimize=True)
        print(f"{args.out} ({args.out.stat().st_size // 1024} KB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
