"""Fan-out at 100 / 1,000 / 10,000 requests: ours beside the oracle, the raw-httpx2 create phase,
the sync client and bare async httpx2, all measured in this run on the same seeded jobs.

For each size the sandbox is reset (same seed, so the same job durations) and set to the light
mix (0.2 s queued + U[1, 3] s, ``poll_after_ms`` 2000), then two client processes run one after
the other: the ORACLE (bare async httpx2, 64 in flight, one GET per request when its job is due)
and OURS (``AsyncCannon``: gather of ``n`` creates, then ``as_completed``). At 1,000 the sync
``Cannon`` also runs (1,000 creates one after the other, then ``as_completed``): the per-call CPU
baseline of the goal "async costs no more per call than sync".

Figures (goals from issue 15, checked at 10,000; smaller sizes are context):
- wall / (raw-httpx2 create phase + longest job)       <= 1.2
- notice latency p50, ours / oracle                     <= 1.5 (p50 and max printed)
- GETs per request (the oracle makes 1)
- client CPU per HTTP call: ours / bare async httpx2    <= 1.1; ours (10,000) / sync (1,000) <= 1.0
- peak client RSS <= 100 MB; RSS above the pre-run baseline per request <= 3 KB
"""

from __future__ import annotations

import functools
import statistics
from typing import Any

from .report import Figure, goal_figure
from .sandbox_process import LIGHT_MIX, SandboxProcess, run_child

__all__ = ["bench_fanout"]


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _split(run: dict[str, Any]) -> str:
    """Where a run's notice latency goes (medians): the last GET sent after the completion,
    then its round trip."""
    return (
        f"+{run['last_get_sent_after_p50_s']:.3f} s, answered in "
        f"{run['last_get_round_trip_p50_s']:.3f} s"
    )


def _figure(
    section: str,
    at_goal: bool,
    largest: int,
    name: str,
    value: float,
    limit: float,
    baseline: str,
    unit: str = "x",
) -> Figure:
    """A figure checked against ``<= limit`` at the largest size, context below it."""
    if at_goal:
        return goal_figure(section, name, value, limit, unit=unit, baseline=baseline)
    return Figure(section, name, value, unit, f"(<= {limit:g} at {largest:,})", None, baseline)


def _run(sandbox: SandboxProcess, scenario: str, n: int, timeout_s: float) -> dict[str, Any]:
    sandbox.reset()
    sandbox.configure(**LIGHT_MIX)
    cpu0 = sandbox.cpu_seconds()
    data = run_child(
        {"scenario": scenario, "n": n, "base_url": sandbox.base_url, "api_key": sandbox.api_key},
        timeout_s=timeout_s,
    )
    data["sandbox_cpu_s"] = sandbox.cpu_seconds() - cpu0
    done = sum(data["statuses"].values())
    if done != n:
        raise RuntimeError(f"{scenario} x{n}: {done} of {n} requests seen terminal")
    data["calls"] = data["posts"] + data["gets"]
    data["cpu_ms_per_call"] = data["cpu_s"] / data["calls"] * 1000
    data["latency_p50_s"] = statistics.median(data["latencies"])
    data["latency_max_s"] = max(data["latencies"])
    data["latency_mean_s"] = statistics.fmean(data["latencies"])
    data["latency_p90_s"] = _p(data["latencies"], 0.9)
    del data["latencies"]
    return data


def bench_fanout(sandbox: SandboxProcess, sizes: list[int]) -> tuple[list[Figure], dict[str, Any]]:
    """Run every size; return the figures and the raw runs (for the JSON document)."""
    figures: list[Figure] = []
    raw: dict[str, Any] = {}
    sync_cpu_per_call: float | None = None
    largest = max(sizes)
    for n in sizes:
        timeout = 120 + n * 0.05
        oracle = _run(sandbox, "oracle", n, timeout)
        ours = _run(sandbox, "ours-async", n, timeout)
        raw[f"oracle_{n}"], raw[f"ours_{n}"] = oracle, ours
        if n == 1000 or (n == min(sizes) and 1000 not in sizes):
            sync = _run(sandbox, "ours-sync", n, timeout)
            raw[f"sync_{n}"] = sync
            sync_cpu_per_call = sync["cpu_ms_per_call"]
        section = f"fan-out x{n:,} (jobs 1.2-3.2 s; AsyncCannon on {ours['transport']})"
        goal = n == largest
        ideal = oracle["create_s"] + oracle["longest_job_s"]
        wall_ratio = ours["wall_s"] / ideal
        lat_ratio = ours["latency_p50_s"] / oracle["latency_p50_s"]
        cpu_ratio = ours["cpu_ms_per_call"] / oracle["cpu_ms_per_call"]
        per_request_kb = (ours["rss_peak_mb"] - ours["rss_before_mb"]) * 1024 / n

        fig = functools.partial(_figure, section, goal, largest)
        figures += [
            fig(
                "wall / (raw-httpx2 create phase + longest job)",
                wall_ratio,
                1.2,
                f"ours {ours['wall_s']:.2f} s; raw creates {oracle['create_s']:.2f} s + "
                f"longest job {oracle['longest_job_s']:.2f} s (ours' creates {ours['create_s']:.2f} s)",
            ),
            fig(
                "notice latency p50, ours / oracle",
                lat_ratio,
                1.5,
                f"p50 {ours['latency_p50_s']:.3f} s vs {oracle['latency_p50_s']:.3f} s; "
                f"max {ours['latency_max_s']:.2f} s vs {oracle['latency_max_s']:.2f} s; last GET "
                f"sent {_split(ours)} vs {_split(oracle)}",
            ),
            Figure(
                section,
                "GETs per request",
                ours["gets"] / n,
                "GETs/req",
                baseline=f"oracle {oracle['gets'] / n:.2f}",
            ),
            fig(
                "client CPU per call, ours / bare async httpx2",
                cpu_ratio,
                1.1,
                f"{ours['cpu_ms_per_call']:.2f} vs {oracle['cpu_ms_per_call']:.2f} ms per HTTP call "
                f"({ours['calls']:,} vs {oracle['calls']:,} calls); sandbox CPU "
                f"{ours['sandbox_cpu_s']:.1f} vs {oracle['sandbox_cpu_s']:.1f} s",
            ),
        ]
        if sync_cpu_per_call is not None:
            figures.append(
                fig(
                    "client CPU per call, ours / sync Cannon (1,000 sequential)",
                    ours["cpu_ms_per_call"] / sync_cpu_per_call,
                    1.0,
                    f"{ours['cpu_ms_per_call']:.2f} vs {sync_cpu_per_call:.2f} ms per HTTP call",
                )
            )
        figures += [
            fig(
                "peak client RSS",
                ours["rss_peak_mb"],
                100,
                f"{ours['rss_before_mb']:.0f} MB before the creates",
                unit="MB",
            ),
            fig(
                "RSS above baseline per request",
                per_request_kb,
                3,
                f"({ours['rss_peak_mb']:.0f} - {ours['rss_before_mb']:.0f} MB) / {n:,}",
                unit="KB",
            ),
        ]
        if n == 1000:
            ours_rate = n / ours["create_s"]
            bare_rate = n / oracle["create_s"]
            figures.append(
                Figure(
                    "per call",
                    "creates/s, AsyncCannon / bare async httpx2 (64 in flight)",
                    ours_rate / bare_rate,
                    "x",
                    baseline=f"{ours_rate:.0f} vs {bare_rate:.0f} creates/s (1,000-request fan-out)",
                )
            )
    return figures, raw
