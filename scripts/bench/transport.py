"""httpx2's own transport vs the aiohttp one under ``AsyncCannon``: same fan-out, same run.

Context for the choice of the default (``cannon_studio.transports``): the 1,000-request
fan-out of ``fanout`` (same seeded jobs) once more with ``transport=httpx2_transport(64)``,
beside the fan-out round's own run on the default transport (reused, not repeated). Compared:
client CPU per request and wall time. No goal: each transport's baseline is the bare client of
that transport (the oracle is pure aiohttp).
"""

from __future__ import annotations

from .fanout import measure
from .report import Context, Row

__all__ = ["run"]

N = 1000


def run(ctx: Context) -> list[Row]:
    """The transport round (needs the fan-out round's run of 1,000, else runs it)."""
    fanout = ctx.results.get("fanout", {})
    default = fanout.get(f"ours_{N}") or measure(
        ctx.sandbox, "scripts.bench.child", "ours-async", N
    )
    other = measure(ctx.sandbox, "scripts.bench.child", "ours-async", N, transport="httpx2")
    ctx.results["transport"] = {"default": default, "httpx2": other}
    section = (
        f"transport (AsyncCannon fan-out x{N:,}; default sends through {default['transport']})"
    )
    return [
        Row(section, "CPU per request on httpx2's transport", other["cpu_ms_per_request"], "ms",
            default["cpu_ms_per_request"], "default transport",
            note=f"wall {other['wall_s']:.2f} vs {default['wall_s']:.2f} s"),
    ]  # fmt: skip
