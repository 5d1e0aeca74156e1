"""The ``Row`` record, the round ``Context``, the printed table and the JSON document of a run.

A row is one figure of the subject (the client) beside the same-run baseline it is compared
with, the ratio of the two and the goal. The table marks a goal ``ok`` or ``MISS``; a missed row
carries the profile lines that explain it, printed under the table.
"""

from __future__ import annotations

import json
import math
import os
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sandbox_process import SandboxProcess

__all__ = [
    "Context",
    "Round",
    "Row",
    "load_line",
    "machine",
    "markdown_lines",
    "print_table",
    "step",
    "table_lines",
    "versions",
    "write_json",
]


@dataclass
class Row:
    """One figure of the client beside its same-run baseline, the ratio and the goal.

    Attributes:
        section: the round it belongs to (the table groups by it).
        name: what was measured.
        value: the client's figure, in ``unit``.
        unit: ``ms``, ``s``, ``us``, ``MB``, ``KB``, ``GETs/req``, ``jobs/s``, ``x``...
        base: the same-run baseline's figure in the same unit, or None (no baseline: the goal
            then applies to ``value`` itself).
        base_name: what the baseline is (``pure-aiohttp oracle``, ``bare httpx2``...).
        limit: the goal: ``value / base <= limit`` (or ``value <= limit`` without a base);
            ``>=`` with ``at_least``. None for a context row.
        at_least: the goal is a floor, not a ceiling.
        strict: ``<`` (``>``) instead of ``<=`` (``>=``): "fewer than", not "at most".
        note: how it was measured, the load when it explains a miss, raw numbers.
        profile: lines that explain a miss (cProfile / py-spy summary), printed under the table.
        detail: raw numbers for the JSON document.
    """

    section: str
    name: str
    value: float
    unit: str
    base: float | None = None
    base_name: str = ""
    limit: float | None = None
    at_least: bool = False
    strict: bool = False
    note: str = ""
    profile: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """``value / base``, or None without a (non-zero) baseline."""
        if self.base is None or self.base == 0 or math.isnan(self.base):
            return None
        return self.value / self.base

    @property
    def ok(self) -> bool | None:
        """True/False against the goal, None for a context row (or an unmeasured figure)."""
        if self.limit is None:
            return None
        checked = self.ratio if self.base is not None else self.value
        if checked is None or math.isnan(checked):
            return False
        if self.strict:
            return checked > self.limit if self.at_least else checked < self.limit
        return checked >= self.limit if self.at_least else checked <= self.limit

    def goal(self) -> str:
        """The goal as text: ``<= 1.5x pure-aiohttp oracle``, ``<= 0.1 GETs/req``, or ``-``."""
        if self.limit is None:
            return "-"
        sign = (">" if self.at_least else "<") + ("" if self.strict else "=")
        if self.base is not None:
            return f"{sign} {self.limit:g}x"
        return f"{sign} {self.limit:g} {self.unit}"

    def result(self) -> str:
        """``ok``, ``MISS`` or empty (context)."""
        return {True: "ok", False: "MISS", None: ""}[self.ok]


def shown(value: float | None, unit: str) -> str:
    """A value with its unit, rounded for the table."""
    if value is None:
        return "-"
    if value != value:  # NaN
        return "n/a"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "us" or abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    if abs(value) >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.3f} {unit}" if abs(value) < 1 else f"{value:.2f} {unit}"


@dataclass
class Context:
    """What a round gets: the sandbox, the run's size and what earlier rounds measured.

    Attributes:
        sandbox: the sandbox process (``base_url``, ``api_key``, ``reset()``, ``configure()``).
        quick: small samples (a smoke run, figures not comparable with the goals).
        results: raw measurements by round name, for later rounds and the JSON document
            (``results["fanout"]["oracle_10000"]["latency_p50_s"]``...).
    """

    sandbox: SandboxProcess
    quick: bool = False
    results: dict[str, Any] = field(default_factory=dict)


Round = Callable[[Context], list[Row]]
"""A benchmark round: ``def run(ctx: Context) -> list[Row]``, listed in ``__main__.ROUNDS``."""


def load_line() -> str:
    """``load 3.10 / 2.80 / 2.50 on 2 cores``: the machine's load averages (1, 5, 15 min)."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def machine() -> dict[str, Any]:
    """Cores, memory (GiB), CPU model, platform, Python and load average of this machine."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def versions() -> dict[str, str]:
    """Installed versions of the distributions the figures depend on."""
    found = {}
    for dist in ("cannon-studio", "httpx2", "httpcore2", "aiohttp", "h11",
                 "uvicorn", "starlette", "jsonschema"):  # fmt: skip
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "missing"
    return found


HEAD = ("figure", "client", "baseline (same run)", "ratio", "goal", "result", "note")


def table_lines(rows: list[Row]) -> list[str]:
    """The table as text lines, grouped by section, then the profile of every missed row."""
    cells = [
        (r.name, shown(r.value, r.unit),
         f"{shown(r.base, r.unit)} {r.base_name}".strip() if r.base is not None else "-",
         shown(r.ratio, "x") if r.ratio is not None else "-", r.goal(), r.result(), r.note)
        for r in rows
    ]  # fmt: skip
    widths = [max(len(c[i]) for c in [HEAD, *cells]) for i in range(len(HEAD) - 1)]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, [*widths, 0], strict=True)).rstrip()

    out = [line(HEAD)]
    section = None
    for row, cell in zip(rows, cells, strict=True):
        if row.section != section:
            section = row.section
            out.append(f"-- {section}")
        out.append(line(cell))
    for row in rows:
        if row.ok is False:
            out.append("")
            out.append(f"MISS {row.section} / {row.name}: {row.goal()} {row.base_name}".rstrip())
            out += [f"    {p}" for p in row.profile] or ["    (no profile for this row)"]
    return out


def markdown_lines(rows: list[Row]) -> list[str]:
    """The table as Markdown (one table, a bold section line before each group), for the docs."""
    out = ["| figure | client | same-run baseline | ratio | goal | result | note |",
           "|---|---|---|---|---|---|---|"]  # fmt: skip
    section = None
    for r in rows:
        if r.section != section:
            section = r.section
            out.append(f"| **{section}** | | | | | | |")
        base = f"{shown(r.base, r.unit)} {r.base_name}".strip() if r.base is not None else "-"
        ratio = shown(r.ratio, "x") if r.ratio is not None else "-"
        result = "**MISS**" if r.ok is False else r.result()
        cells = [r.name, shown(r.value, r.unit), base, ratio, r.goal(), result, r.note]
        out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return out


def print_table(rows: list[Row]) -> None:
    """Print ``table_lines(rows)``."""
    print()
    print("\n".join(table_lines(rows)))


def write_json(path: Path, rows: list[Row], *, run_s: float, quick: bool,
               extra: dict[str, Any]) -> None:  # fmt: skip
    """Write every row (with its ratio and verdict), date, machine and versions to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "run_s": round(run_s, 1),
        "machine": machine(),
        "versions": versions(),
        "rows": [{**asdict(r), "ratio": r.ratio, "ok": r.ok, "goal": r.goal()} for r in rows],
        **extra,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")


@contextmanager
def step(name: str) -> Iterator[None]:
    """Print ``[bench] name ...`` and its wall time (and the load) around a block."""
    t0 = time.perf_counter()
    print(f"[bench] {name} ... ({load_line()})", flush=True)
    yield
    print(f"[bench] {name}: {time.perf_counter() - t0:.1f} s", flush=True)
