"""Fan-out: ``AsyncCannon`` beside the pure-aiohttp oracle on the same seeded jobs, same run.

For each size the sandbox gets the light mix (0.2 s queued + U[1, 3] s, ``poll_after_ms``
2000, seed 0) and is reset, so both runs get the same jobs, then two fresh processes run one
after the other: the ORACLE (``baselines``: pure aiohttp, the transport ``AsyncCannon`` sends
through, 64 in flight, one GET per request when its job is due) and OURS (``AsyncCannon``:
pending creates into ``as_completed``). Rows (goals checked at the largest size; smaller sizes
are context):

- client CPU per request (process CPU of the run / requests), ours vs the oracle: <= 1.5x;
- wall vs the server-timestamp lower bound: the shorter of the two runs' server spans (last
  ``completedAtMs`` - first ``createdAtMs``) plus one idle round trip. A run cannot end before
  its last job completes and the answer comes back, so ours can never beat it: <= 1.2x;
- notice latency p50 and GETs per request beside the oracle's (context: no poller can reach
  1.5x of the oracle; that goal belongs to waiting on webhooks);
- peak client RSS <= 100 MB, RSS above the pre-run baseline <= 3 KB per request.

When the CPU or the wall goal is missed, the row gets what explains it (printed under the table):
the CPU of one call at each layer of the client beside raw aiohttp's, measured without a
profiler (``layer_costs``), then ours once more under cProfile (CPU time, 1,000 requests), its
own time by package and its top functions.
"""

from __future__ import annotations

import statistics
from typing import Any

from .layer_costs import layer_lines, measure_layers
from .profiling import profile_lines
from .report import Context, Row
from .sandbox_process import SandboxProcess, run_child

__all__ = ["run", "sizes"]

CPU_GOAL, WALL_GOAL = 1.5, 1.2


def sizes(quick: bool) -> list[int]:
    """The fan-out sizes: the goal is checked at the largest."""
    return [300, 1000] if quick else [1000, 10_000]


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(
    sandbox: SandboxProcess, module: str, scenario: str, n: int, **options: Any
) -> dict[str, Any]:
    """One run of ``scenario`` (``module``: child or baselines) on freshly reset seeded jobs.

    ``options`` go to the child with the scenario (e.g. ``transport="httpx2"``).
    """
    sandbox.prepare()
    cpu0 = sandbox.cpu_seconds()
    data = run_child(
        {
            "scenario": scenario,
            "n": n,
            "base_url": sandbox.base_url,
            "api_key": sandbox.api_key,
            **options,
        },
        timeout_s=120 + n * 0.1,
        module=module,
    )
    data["sandbox_cpu_s"] = sandbox.cpu_seconds() - cpu0
    done = sum(data["statuses"].values())
    if done != n:
        raise RuntimeError(f"{scenario} x{n}: {done} of {n} requests seen terminal")
    data["calls"] = data["posts"] + data["gets"]
    data["cpu_ms_per_request"] = data["cpu_s"] / n * 1000
    data["cpu_ms_per_call"] = data["cpu_s"] / data["calls"] * 1000
    latencies = data.pop("latencies")
    data["latency_p50_s"] = statistics.median(latencies)
    data["latency_p90_s"] = _p(latencies, 0.9)
    data["latency_max_s"] = max(latencies)
    return data


def _split(run: dict[str, Any]) -> str:
    return (
        f"last GET sent +{run['last_get_sent_after_p50_s']:.3f} s after completion, "
        f"answered in {run['last_get_round_trip_p50_s']:.3f} s"
    )


def rows_for(n: int, ours: dict[str, Any], oracle: dict[str, Any], goal: bool) -> list[Row]:
    """The rows of one size (``goal``: check the goals, else context)."""
    section = f"fan-out x{n:,} (jobs 1.2-3.2 s, 64 in flight; AsyncCannon on {ours['transport']})"
    bound = min(ours["server_span_s"], oracle["server_span_s"]) + oracle["rtt_s"]
    return [
        Row(section, "client CPU per request", ours["cpu_ms_per_request"], "ms",
            oracle["cpu_ms_per_request"], "pure-aiohttp oracle", CPU_GOAL if goal else None,
            note=f"{ours['calls'] / n:.2f} vs {oracle['calls'] / n:.2f} calls/request; "
            f"{ours['cpu_ms_per_call']:.3f} vs {oracle['cpu_ms_per_call']:.3f} ms/call; sandbox "
            f"CPU {ours['sandbox_cpu_s']:.1f} vs {oracle['sandbox_cpu_s']:.1f} s"),
        Row(section, "wall", ours["wall_s"], "s", bound, "server-timestamp bound",
            WALL_GOAL if goal else None,
            note=f"bound = min server span ({ours['server_span_s']:.2f} ours, "
            f"{oracle['server_span_s']:.2f} oracle) + RTT {oracle['rtt_s'] * 1000:.1f} ms; "
            f"creates {ours['create_s']:.2f} vs {oracle['create_s']:.2f} s"),
        Row(section, "wall, the oracle itself (context)", oracle["wall_s"], "s", bound,
            "server-timestamp bound", note="what the best poller reaches on this machine now"),
        Row(section, "notice latency p50", ours["latency_p50_s"], "s", oracle["latency_p50_s"],
            "pure-aiohttp oracle",
            note=f"p90 {ours['latency_p90_s']:.2f} vs {oracle['latency_p90_s']:.2f} s; ours "
            f"{_split(ours)}; oracle {_split(oracle)} (a poller's floor; webhooks rows)"),
        Row(section, "GETs per request", ours["gets"] / n, "GETs/req", oracle["gets"] / n,
            "pure-aiohttp oracle"),
        Row(section, "peak client RSS", ours["rss_peak_mb"], "MB", None, "",
            100 if goal else None, note=f"{ours['rss_before_mb']:.0f} MB before the creates; "
            f"oracle peak {oracle['rss_peak_mb']:.0f} MB"),
        Row(section, "RSS above baseline per request",
            (ours["rss_peak_mb"] - ours["rss_before_mb"]) * 1024 / n, "KB", None, "",
            3 if goal else None),
    ]  # fmt: skip


def run(ctx: Context) -> list[Row]:
    """The fan-out round (stores every run in ``ctx.results["fanout"]``)."""
    raw: dict[str, Any] = {"sizes": sizes(ctx.quick)}
    ctx.results["fanout"] = raw
    rows: list[Row] = []
    largest = max(raw["sizes"])
    for n in raw["sizes"]:
        oracle = measure(ctx.sandbox, "scripts.bench.baselines", "oracle", n)
        ours = measure(ctx.sandbox, "scripts.bench.child", "ours-async", n)
        raw[f"oracle_{n}"], raw[f"ours_{n}"] = oracle, ours
        print(
            f"[bench]   x{n:,}: oracle {oracle['wall_s']:.1f} s, ours {ours['wall_s']:.1f} s",
            flush=True,
        )
        rows += rows_for(n, ours, oracle, n == largest)
    missed = [r for r in rows if r.ok is False and r.name in ("client CPU per request", "wall")]
    if missed:
        layers = measure_layers(ctx.sandbox)
        raw["layers"] = layers
        lines = [*layer_lines(layers), *profile_lines(ctx.sandbox, min(largest, 1000))]
        for row in missed:
            row.profile = lines
    return rows
