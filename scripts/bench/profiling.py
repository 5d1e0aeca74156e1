"""Where the async client's CPU goes: cProfile of a fan-out run, by package and by function.

The child process of ``fanout`` (``ours-async``) runs under cProfile timed by the process's CPU
time (waiting costs nothing); the summary groups its own time by package (overlay, generated,
httpx2, aiohttp, asyncio, jsonschema...) and lists the top functions. Printed under a missed row.
"""

from __future__ import annotations

import pstats
import tempfile
from pathlib import Path
from typing import Any

from .report import load_line
from .sandbox_process import SandboxProcess, run_child

__all__ = ["bucket", "print_profile", "profile_fanout", "profile_lines", "summary"]

_PACKAGES = ("cannon_studio_api", "cannon_studio", "aiohttp", "yarl",
             "multidict", "httpcore2", "httpx2", "h11", "anyio", "asyncio", "jsonschema", "attr",
             "json", "selectors")  # fmt: skip


def bucket(filename: str) -> str:
    """The package a profiled function's file belongs to (``overlay``, ``generated``, ``httpx2``...)."""
    for name in _PACKAGES:
        if f"/{name}/" in filename or f"/{name}." in filename:
            return {"cannon_studio_api": "generated", "cannon_studio": "overlay"}.get(name, name)
    if filename.startswith("~") or "{" in filename:
        return "builtins (socket, select, ...)"
    return "stdlib/other"


def profile_fanout(sandbox: SandboxProcess, n: int) -> dict[str, Any]:
    """Profile ``AsyncCannon`` creating and following ``n`` requests; return the summary."""
    sandbox.prepare()
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
        key = bucket(file)
        buckets[key] = buckets.get(key, 0.0) + entry[2]
    top = sorted(raw.items(), key=lambda kv: -kv[1][2])[:10]
    return {
        "load": load_line(),
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


def profile_lines(sandbox: SandboxProcess, n: int) -> list[str]:
    """``profile_fanout`` as the lines printed under a missed row."""
    return summary(profile_fanout(sandbox, n))


def print_profile(profile: dict[str, Any]) -> None:
    """Print the summary of ``profile_fanout``."""
    print("\n".join(summary(profile)))


def summary(profile: dict[str, Any]) -> list[str]:
    """The summary of ``profile_fanout``: own time by package, then the top functions."""
    lines = [
        f"cProfile: AsyncCannon fan-out x{profile['requests']:,} under cProfile "
        f"({profile['http_calls']:,} HTTP calls, {profile['profiled_cpu_ms_per_call']:.2f} ms "
        f"per call under the profiler; {profile['load']})",
        "own time by package: " + ", ".join(f"{k} {v}%" for k, v in profile["share_pct"].items()),
        "top functions by own time, per HTTP call:",
    ]
    lines += [
        f"  {row['own_us_per_call']:7.1f} us  x{row['calls_per_http_call']:<5.2f} {row['function']}"
        for row in profile["top_own_time"]
    ]
    return lines
