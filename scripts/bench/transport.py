"""httpx2's default transport vs httpx-aiohttp's, under ``AsyncCannon``, same fan-out, same run.

Both are sized to the client's in-flight limit (``cannon_studio.transports``); the run is the
1,000-request fan-out of ``fanout`` (reset sandbox, same seeded jobs), once per transport, in
alternating order over ``rounds``. Compared: client CPU per HTTP call and wall time. The
default is kept where it measures better; the other stays selectable. When the fan-out section
already ran that very scenario on one of the transports (the default), its run is reused for
that transport instead of being repeated (one run each, ~8 s saved).
"""

from __future__ import annotations

import statistics
from typing import Any

from .report import Figure
from .sandbox_process import LIGHT_MIX, SandboxProcess, run_child

__all__ = ["bench_transport"]


_LABELS = {"AiohttpTransport": "aiohttp", "AsyncHTTPTransport": "httpx2"}
"""The transport class a fan-out run reports -> this section's name for it."""


def bench_transport(
    sandbox: SandboxProcess,
    n: int,
    rounds: int,
    bare_cpu_ms: float | None = None,
    fanout_run: dict[str, Any] | None = None,
) -> tuple[list[Figure], dict[str, Any]]:
    """Run both transports ``rounds`` times each; return the figures and the raw runs.

    Args:
        bare_cpu_ms: bare async httpx2's CPU per call in the same run's fan-out of ``n``
            (for the like-for-like ratio of ours on httpx2), if measured.
        fanout_run: the same run's ``AsyncCannon`` fan-out of ``n`` (default transport), reused
            as that transport's sample when ``rounds`` is 1.
    """
    runs: dict[str, list[dict[str, Any]]] = {"httpx2": [], "aiohttp": []}
    reused = _LABELS.get(str((fanout_run or {}).get("transport"))) if rounds == 1 else None
    if reused is not None and fanout_run is not None:
        runs[reused].append(fanout_run)
    for r in range(rounds):
        for name in ("httpx2", "aiohttp") if r % 2 == 0 else ("aiohttp", "httpx2"):
            if name == reused:
                continue
            sandbox.reset()
            sandbox.configure(**LIGHT_MIX)
            args = {"scenario": "ours-async", "n": n, "transport": name,
                    "base_url": sandbox.base_url, "api_key": sandbox.api_key}  # fmt: skip
            data = run_child(args, timeout_s=300)
            data["cpu_ms_per_call"] = data["cpu_s"] / (data["posts"] + data["gets"]) * 1000
            del data["latencies"]
            runs[name].append(data)
    cpu = {k: statistics.median(d["cpu_ms_per_call"] for d in v) for k, v in runs.items()}
    wall = {k: statistics.median(d["wall_s"] for d in v) for k, v in runs.items()}
    section = f"transport (AsyncCannon fan-out x{n:,}, {rounds} runs each" + (
        f"; {reused}: the fan-out section's run)" if reused else ")"
    )
    better = min(cpu, key=lambda k: cpu[k])
    like_for_like = []
    if bare_cpu_ms:
        like_for_like.append(
            Figure(section, "ours on httpx2 / bare async httpx2, CPU per call",
                   cpu["httpx2"] / bare_cpu_ms, "x",
                   baseline=f"{cpu['httpx2']:.2f} vs {bare_cpu_ms:.2f} ms (bare: fan-out x{n:,})")
        )  # fmt: skip
    return [
        *like_for_like,
        Figure(section, "client CPU per call, httpx2 transport", cpu["httpx2"], "ms",
               baseline=f"wall {wall['httpx2']:.2f} s"),
        Figure(section, "client CPU per call, httpx-aiohttp", cpu["aiohttp"], "ms",
               baseline=f"wall {wall['aiohttp']:.2f} s"),
        Figure(section, "aiohttp / httpx2 CPU per call", cpu["aiohttp"] / cpu["httpx2"], "x",
               baseline=f"lower CPU: {better}"),
    ], runs  # fmt: skip
