"""``python -m scripts.bench [--json PATH] [--quick] [--only ROUND ...]`` (``make bench``).

Every round is a function ``run(ctx: Context) -> list[Row]`` listed in ``ROUNDS`` (in the
order they run); a new round is a module with such a function and one line here. The sandbox
runs in its own process; every client and baseline run is a fresh child process. Prints the
table (each client figure beside its same-run baseline, the ratio, the goal, ok/MISS, and under
it the profile of every miss), with the date, the machine and the load. Exit status 0 even when
a goal is missed: the benchmark measures, it does not gate.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from . import batch, fanout, imports, per_call, polling, regeneration, transport, webhooks
from .report import (
    Context,
    Round,
    Row,
    load_line,
    machine,
    markdown_lines,
    print_table,
    step,
    write_json,
)
from .sandbox_process import SandboxProcess

ROUNDS: dict[str, Round] = {
    "per-call": per_call.run,
    "fanout": fanout.run,
    "webhooks": webhooks.run,
    "transport": transport.run,
    "polling": polling.run,
    "import": imports.run,
    "batch": batch.run,
    "regeneration": regeneration.run,
}
"""Round name -> ``run(ctx)``; ``--only`` picks by name. Later rounds may read what earlier
ones stored in ``ctx.results`` (``transport`` reuses the fan-out's run of 1,000)."""


def header(quick: bool) -> str:
    """The run's first line: date, machine, load."""
    info = machine()
    sizes = ", ".join(f"{n:,}" for n in fanout.sizes(quick))
    return (
        f"make bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {info['cpu'] or 'cpu ?'}, "
        f"{info['cores']} cores, {info['memory_gib']} GiB, Python {info['python']}; "
        f"{load_line()} before the run; fan-out sizes {sizes}"
        + (" (--quick: small samples, not comparable with the goals)" if quick else "")
    )


def main(argv: list[str] | None = None) -> int:
    """Run the chosen rounds, print the table, optionally write JSON."""
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--json", metavar="PATH", help="also write every row as JSON to PATH")
    parser.add_argument(
        "--markdown",
        metavar="PATH",
        help="also write the table (and the misses' profiles) as Markdown",
    )
    parser.add_argument("--quick", action="store_true", help="small samples (a smoke run)")
    parser.add_argument("--only", nargs="+", choices=list(ROUNDS), help="run only these rounds")
    args = parser.parse_args(argv)
    chosen = [name for name in ROUNDS if name in set(args.only or ROUNDS)]
    header_line = header(args.quick)
    print(header_line, flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    with SandboxProcess(instant=True) as sandbox:
        ctx = Context(sandbox, quick=args.quick)
        print(f"[bench] sandbox process {sandbox.proc.pid} on {sandbox.base_url}", flush=True)
        for name in chosen:
            with step(name):
                try:
                    found = ROUNDS[name](ctx)
                except Exception as exc:  # one broken round must not lose the others' rows
                    traceback.print_exc()
                    found = [Row(name, f"round failed: {type(exc).__name__}: {exc}"[:160],
                                 float("nan"), "", limit=0.0)]  # fmt: skip
            for row in found:  # a miss says the load it was measured under
                if row.ok is False:
                    row.note = f"{row.note}; {load_line()} at the round's end".lstrip("; ")
            rows += found
    total = time.perf_counter() - started
    print_table(rows)
    missed = [r for r in rows if r.ok is False]
    print(
        f"\n{len(missed)} of {sum(r.ok is not None for r in rows)} goals missed; run took "
        f"{total:.0f} s; {load_line()} after the run. The machine may be shared: the ratios "
        "compare runs of the same minutes, the absolute times move with the load."
    )
    if args.markdown:
        text = [header_line, "", *markdown_lines(rows), ""]
        for row in missed:
            if row.profile:
                text += [
                    f"MISS {row.section} / {row.name}:",
                    "",
                    "```text",
                    *row.profile,
                    "```",
                    "",
                ]
        Path(args.markdown).write_text("\n".join(text), encoding="utf-8")
        print(f"table written to {args.markdown}")
    if args.json:
        write_json(Path(args.json), rows, run_s=total, quick=args.quick, extra=ctx.results)
        print(f"rows written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
