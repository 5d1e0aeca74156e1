"""Light load: our polling beside each peer's default policy, on the same seeded jobs.

Each policy gets a freshly reset sandbox (same seed, same job durations in the same creation
order: requests are created one after the other, ``RATE`` per second) with the light mix, in its
own client process. Peers are re-implemented over bare async httpx2 (``child._peer_schedule``):
replicate 0.5 s, fal 0.1 s, openai (a GET at once, then ``openai-poll-after-ms`` or 1 s), a naive
1 s loop. Ours runs twice in one client: first with no history (today's policy), then, after a
reset, on the same jobs with what the first round taught it (the steady state of a long-lived
client). Goal: fewer GETs per request than every peer AND a lower mean notice latency than
replicate's.
"""

from __future__ import annotations

import statistics
from typing import Any

from .report import Figure
from .sandbox_process import CONTROL_HEADERS, LIGHT_MIX, SandboxProcess, run_child

__all__ = ["PEERS", "bench_polling"]

PEERS = ("replicate", "fal", "openai", "naive")
RATE = 20.0
"""Creates per second: light load (at most ~65 requests in flight)."""


def _run(sandbox: SandboxProcess, policy: str, n: int) -> dict[str, Any]:
    sandbox.reset()
    sandbox.configure(**LIGHT_MIX)
    args = {"scenario": "light", "policy": policy, "n": n, "rate": RATE, "warm": policy == "ours",
            "base_url": sandbox.base_url, "api_key": sandbox.api_key,
            "control_headers": CONTROL_HEADERS}  # fmt: skip
    data = run_child(args, timeout_s=120 + n)
    data["gets_per_request"] = data["gets"] / n
    data["latency_mean_s"] = statistics.fmean(data["latencies"])
    del data["latencies"]
    return data


def bench_polling(sandbox: SandboxProcess, n: int) -> tuple[list[Figure], dict[str, Any]]:
    """Run ours and every peer on ``n`` requests; return the figures and the raw runs."""
    runs = {policy: _run(sandbox, policy, n) for policy in ("ours", *PEERS)}
    section = f"polling, light load ({n} requests, {RATE:g}/s, jobs 1.2-3.2 s)"
    ours = runs["ours"]
    cold = ours["cold"]
    figures = [
        Figure(
            section,
            f"{name}: GETs/request, mean notice latency",
            data["gets_per_request"],
            "GETs/req",
            baseline=f"mean notice latency {data['latency_mean_s']:.3f} s",
        )
        for name, data in (
            ("ours, no history", {**cold, "gets_per_request": cold["gets"] / n}),
            *((f"peer {p}", runs[p]) for p in PEERS),
        )
    ]  # fmt: skip
    fewest_peer = min(PEERS, key=lambda p: runs[p]["gets_per_request"])
    fewer = ours["gets_per_request"] < runs[fewest_peer]["gets_per_request"]
    faster = ours["latency_mean_s"] < runs["replicate"]["latency_mean_s"]
    figures += [
        Figure(
            section,
            "ours (learned): GETs/request",
            ours["gets_per_request"],
            "GETs/req",
            f"< {runs[fewest_peer]['gets_per_request']:.2f} (fewest peer: {fewest_peer})",
            fewer,
            f"{ours['learned_samples']} durations learned in the first round",
        ),
        Figure(
            section,
            "ours (learned): mean notice latency",
            ours["latency_mean_s"],
            "s",
            f"< {runs['replicate']['latency_mean_s']:.3f} s (replicate)",
            faster,
            f"fal {runs['fal']['latency_mean_s']:.3f} s, openai "
            f"{runs['openai']['latency_mean_s']:.3f} s, naive {runs['naive']['latency_mean_s']:.3f} s",
        ),
    ]
    return figures, runs
