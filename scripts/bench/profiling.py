"""Where the async client's CPU goes: cProfile of a fan-out run, by package and by function.

The child process of ``fanout`` (``ours-async``) runs under cProfile; the report groups its own
time by package (overlay, generated, httpx2, httpcore2, h11, asyncio, jsonschema...) and lists
the top functions. Printed after the table; docs/benchmarks.md quotes it where a goal is missed.
"""

from __future__ import annotations

import pstats
import tempfile
from pathlib import Path
from typing import Any

from .sandbox_process import LIGHT_MIX, SandboxProcess, run_child

__all__ = ["print_profile", "profile_fanout"]

_PACKAGES = ("cannon_studio_api", "cannon_studio", "httpcore2", "httpx2", "h11", "anyio",
             "asyncio", "jsonschema", "attr", "json", "selectors")  # fmt: skip


def _bucket(filename: str) -> str:
    for name in _PACKAGES:
        if f"/{name}/" in filename or f"/{name}." in filename:
            return {"cannon_studio_api": "generated", "cannon_studio": "overlay"}.get(name, name)
    if filename.startswith("~") or "{" in filename:
        return "builtins (socket, select, ...)"
    return "stdlib/other"


def profile_fanout(sandbox: SandboxProcess, n: int) -> dict[str, Any]:
    """Profile ``AsyncCannon`` creating and following ``n`` requests; return the summary."""
    sandbox.reset()
    sandbox.configure(**LIGHT_MIX)
    with tempfile.TemporaryDirectory(prefix="cannon-bench-prof-") as tmp:
        path = Path(tmp) / "fanout.prof"
        data = run_child({"scenario": "ours-async", "n": n, "base_url": sandbox.base_url,
                          "api_key": sandbox.api_key, "profile": str(path)}, timeout_s=300)  # fmt: skip
        stats = pstats.Stats(str(path))
    raw = stats.stats  # type: ignore[attr-defined]
    calls = data["posts"] + data["gets"]
    total = sum(entry[2] for entry in raw.values())
    buckets: dict[str, float] = {}
    for (file, _line, _func), entry in raw.items():
        key = _bucket(file)
        buckets[key] = buckets.get(key, 0.0) + entry[2]
    top = sorted(raw.items(), key=lambda kv: -kv[1][2])[:14]
    return {
        "requests": n,
        "http_calls": calls,
        "profiled_cpu_ms_per_call": total / calls * 1000,
        "share_pct": {
            k: round(v / total * 100, 1) for k, v in sorted(buckets.items(), key=lambda kv: -kv[1])
        },
        "top_own_time": [
            {
                "function": f"{Path(file).name}:{line}({func})",
                "own_us_per_call": entry[2] / calls * 1e6,
                "calls_per_http_call": entry[1] / calls,
            }
            for (file, line, func), entry in top
        ],
    }


def print_profile(profile: dict[str, Any]) -> None:
    """Print the summary of ``profile_fanout``."""
    print(
        f"\nprofile: AsyncCannon fan-out x{profile['requests']:,} under cProfile "
        f"({profile['http_calls']:,} HTTP calls, {profile['profiled_cpu_ms_per_call']:.2f} ms "
        "per call under the profiler)"
    )
    print(
        "  own time by package: " + ", ".join(f"{k} {v}%" for k, v in profile["share_pct"].items())
    )
    print("  top functions by own time, per HTTP call:")
    for row in profile["top_own_time"]:
        print(
            f"    {row['own_us_per_call']:7.1f} us  x{row['calls_per_http_call']:<5.2f} {row['function']}"
        )
