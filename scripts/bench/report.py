"""The ``Figure`` record, the printed table and the JSON document of a benchmark run."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["Figure", "machine", "print_table", "step", "versions", "write_json"]


@dataclass
class Figure:
    """One measured figure, beside its same-run baseline and its goal.

    Attributes:
        section: the benchmark it belongs to (the table groups by it).
        name: what was measured.
        value: the measurement, in ``unit``.
        unit: ``x`` (a ratio), ``s``, ``ms``, ``us``, ``MB``, ``KB``, ``GETs/req``...
        goal: the goal as text (``<= 1.5``), empty for context figures.
        ok: True/False against the goal, None when there is no goal.
        baseline: the same-run baseline or a note.
        detail: raw numbers for the JSON document.
    """

    section: str
    name: str
    value: float
    unit: str
    goal: str = ""
    ok: bool | None = None
    baseline: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> str:
        """The value with its unit, rounded for the table."""
        if self.value != self.value:  # NaN
            return "n/a"
        if self.unit == "x":
            return f"{self.value:.2f}x"
        if self.unit in ("s", "MB", "GETs/req", "ms", "KB"):
            return (
                f"{self.value:.2f} {self.unit}"
                if self.value < 100
                else f"{self.value:.0f} {self.unit}"
            )
        if self.unit == "us":
            return f"{self.value:.0f} us"
        return f"{self.value:g} {self.unit}"


def goal_figure(
    section: str,
    name: str,
    value: float,
    limit: float,
    *,
    unit: str = "x",
    baseline: str = "",
    detail: dict[str, Any] | None = None,
    less_is_better: bool = True,
) -> Figure:
    """A figure with a numeric goal ``<= limit`` (or ``>= limit``)."""
    ok = value <= limit if less_is_better else value >= limit
    sign = "<=" if less_is_better else ">="
    shown_limit = f"{limit:g}{'' if unit == 'x' else ' ' + unit}"
    return Figure(section, name, value, unit, f"{sign} {shown_limit}", ok, baseline, detail or {})


def machine() -> dict[str, Any]:
    """Cores, memory (GiB), platform and Python of this machine."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def versions() -> dict[str, str]:
    """Installed versions of the distributions the figures depend on."""
    found = {}
    for dist in ("cannon-studio", "httpx2", "httpcore2", "httpx-aiohttp", "aiohttp", "attrs",
                 "uvicorn", "starlette", "jsonschema"):  # fmt: skip
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "missing"
    return found


def print_table(figures: list[Figure]) -> None:
    """Print the figures grouped by section: measured, goal, PASS/MISS, baseline."""
    head = ("figure", "measured", "goal", "result", "baseline / note")
    rows = [
        (f.name, f.shown(), f.goal or "-", {True: "PASS", False: "MISS", None: ""}[f.ok],
         f.baseline)
        for f in figures
    ]  # fmt: skip
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
    section = None
    print()
    print("  ".join(h.ljust(w) for h, w in zip(head, [*widths, 0], strict=True)).rstrip())
    for fig, row in zip(figures, rows, strict=True):
        if fig.section != section:
            section = fig.section
            print(f"-- {section}")
        print("  ".join(str(c).ljust(w) for c, w in zip(row, [*widths, 0], strict=True)).rstrip())


def write_json(path: Path, figures: list[Figure], *, run_s: float, quick: bool,
               extra: dict[str, Any]) -> None:  # fmt: skip
    """Write every figure with date, machine and versions to ``path`` (JSON)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "run_s": round(run_s, 1),
        "machine": machine(),
        "versions": versions(),
        "figures": [asdict(f) for f in figures],
        **extra,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")


@contextmanager
def step(name: str) -> Iterator[None]:
    """Print ``[bench] name ...`` and its wall time around a block."""
    t0 = time.perf_counter()
    print(f"[bench] {name} ...", flush=True)
    yield
    print(f"[bench] {name}: {time.perf_counter() - t0:.1f} s", flush=True)
