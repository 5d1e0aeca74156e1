"""Light load: our polling beside each peer's default policy, on the same seeded jobs.

Each policy gets the light mix at seed 0 on a freshly reset sandbox (the same job durations in
the same creation order: requests created one after the other, ``RATE`` per second), in its own
process. The peers are re-implemented over pure aiohttp (``baselines``, nothing from the
client): replicate 0.5 s, fal 0.1 s, openai (a GET at once, then ``openai-poll-after-ms`` or
1 s). Ours (``AsyncCannon``, ``handle.wait``) first runs a round on FRESH jobs from the same
distribution (seed 1: never the jobs it is measured on) and learns their durations; then the
sandbox goes back to seed 0 and the measured round runs on the peers' jobs, which this client
has never seen (the steady state of a long-lived client). Goals: fewer GETs per request than
every peer, AND a lower mean notice latency than replicate's.
"""

from __future__ import annotations

import statistics
from typing import Any

from .report import Context, Row
from .sandbox_process import CONTROL_HEADERS, SandboxProcess, run_child

__all__ = ["PEERS", "run"]

PEERS = ("replicate", "fal", "openai")
RATE = 20.0
"""Creates per second: light load (at most ~65 requests in flight)."""
LEARN_SEED = 1


def _run(sandbox: SandboxProcess, policy: str, n: int) -> dict[str, Any]:
    sandbox.prepare()
    args = {"scenario": "light", "policy": policy, "n": n, "rate": RATE,
            "base_url": sandbox.base_url, "api_key": sandbox.api_key}  # fmt: skip
    if policy == "ours":
        args |= {"learn_seed": LEARN_SEED, "seed": 0, "control_headers": CONTROL_HEADERS}
        data = run_child(args, timeout_s=240 + n)
    else:
        data = run_child(args, timeout_s=120 + n, module="scripts.bench.baselines")
    data["gets_per_request"] = data["gets"] / n
    data["latency_mean_s"] = statistics.fmean(data.pop("latencies"))
    return data


def run(ctx: Context) -> list[Row]:
    """Ours (learned) and every peer on the same jobs; raw runs in ``ctx.results["polling"]``."""
    n = 40 if ctx.quick else 100
    runs = {policy: _run(ctx.sandbox, policy, n) for policy in ("ours", *PEERS)}
    ctx.results["polling"] = runs
    section = f"light load ({n} requests, {RATE:g}/s, jobs 1.2-3.2 s, seed 0)"
    ours, cold = runs["ours"], runs["ours"]["cold"]
    rows = [
        Row(section, f"GETs per request vs {peer}", ours["gets_per_request"], "GETs/req",
            runs[peer]["gets_per_request"], peer, 1.0, strict=True,
            note=f"{peer}: mean notice latency {runs[peer]['latency_mean_s']:.3f} s")
        for peer in PEERS
    ]  # fmt: skip
    rows += [
        Row(section, "mean notice latency vs replicate", ours["latency_mean_s"], "s",
            runs["replicate"]["latency_mean_s"], "replicate", 1.0, strict=True,
            note=f"learned {ours['learned_samples']} durations from seed-{LEARN_SEED} jobs"),
        Row(section, "no history (seed-1 jobs): GETs per request", cold["gets"] / n, "GETs/req",
            note=f"mean notice latency {cold['latency_mean_s']:.3f} s (context)"),
    ]  # fmt: skip
    where = [
        f"{name}: last GET sent +{runs[name]['last_get_sent_after_p50_s']:.3f} s after the job "
        f"completed, answered in {runs[name]['last_get_round_trip_p50_s']:.3f} s (medians); "
        f"{runs[name]['gets_per_request']:.2f} GETs/request"
        for name in ("ours", *PEERS)
    ]
    for row in rows:
        if row.ok is False:
            row.profile = ["where the notice latency goes (poll spacing, then the answer):", *where]
    return rows
