"""Where one call's CPU goes, layer by layer, measured without a profiler.

cProfile charges its own cost to every Python call it sees, so a function made of many small
calls (``isinstance``, ``dict.get``) looks several times dearer than it is. This measure runs
no profiler: the same GET (of one request, ``n`` times, ``IN_FLIGHT`` in flight) entered at each
layer of ``AsyncCannon`` in turn, each figure its process CPU per call (``child`` scenario
``layers``: interleaved passes over the layers), beside raw aiohttp's GET and create on the same
sandbox (``baselines`` scenario ``per-call``, which imports nothing from the client). Rounds
alternate the two children; each figure is the median. Printed under a missed CPU or wall row
of the fan-out.
"""

from __future__ import annotations

import statistics
from typing import Any

from .measure import IN_FLIGHT
from .report import load_line
from .sandbox_process import SandboxProcess, run_child

__all__ = ["layer_lines", "measure_layers"]

CALLS = 2000
"""GETs per layer and pass (the child makes ``child.LAYER_PASSES`` passes), creates per round."""

ROUNDS = 2
"""Rounds of both children; the figures are medians over them."""


def measure_layers(sandbox: SandboxProcess, n: int = CALLS, rounds: int = ROUNDS) -> dict[str, Any]:
    """Both children ``rounds`` times on a freshly reset sandbox each; the medians.

    Returns:
        ``{"aiohttp_get_us", "aiohttp_create_us", "create_us": float, "layers": [[name, us]],
        "calls": n, "rounds": rounds}``, microseconds of process CPU per call.
    """
    ours: list[dict[str, Any]] = []
    floor: list[dict[str, Any]] = []
    for _ in range(rounds):
        for module, scenario, into in (
            ("scripts.bench.baselines", "per-call", floor),
            ("scripts.bench.child", "layers", ours),
        ):
            sandbox.prepare()
            args = {"scenario": scenario, "n": n, "base_url": sandbox.base_url,
                    "api_key": sandbox.api_key}  # fmt: skip
            into.append(run_child(args, timeout_s=120 + n * 0.02, module=module))
    names = [name for name, _ in ours[0]["layers"]]
    return {
        "aiohttp_get_us": statistics.median(r["get_cpu_us"] for r in floor),
        "aiohttp_create_us": statistics.median(r["create_cpu_us"] for r in floor),
        "create_us": statistics.median(r["create_cpu_us"] for r in ours),
        "layers": [
            [name, statistics.median(r["layers"][i][1] for r in ours)]
            for i, name in enumerate(names)
        ],
        "calls": n,
        "rounds": rounds,
    }


def layer_lines(data: dict[str, Any]) -> list[str]:
    """``measure_layers``' figures as the lines printed under a missed row."""
    floor = data["aiohttp_get_us"]
    lines = [
        f"CPU per call by layer, no profiler ({data['calls']:,} calls a pass, {IN_FLIGHT} in flight, "
        f"median of {data['rounds']} rounds; steps of a few us are noise; {load_line()}):",
        f"  {'GET, raw aiohttp (baseline: imports nothing from the client)':58} {floor:6.0f} us",
    ]
    below = floor
    for name, us in data["layers"]:
        lines.append(f"  {name:58} {us:6.0f} us  {us - below:+5.0f}")
        below = us
    lines.append(f"  {'create, raw aiohttp (baseline)':58} {data['aiohttp_create_us']:6.0f} us")
    lines.append(
        f"  {'create, requests.create (validated, idempotency key, handle)':58} "
        f"{data['create_us']:6.0f} us  {data['create_us'] - data['aiohttp_create_us']:+5.0f}"
    )
    return lines
