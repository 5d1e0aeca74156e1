"""Per call: the overlay's ``requests.retrieve(id)`` vs a bare httpx2 GET + ``json.loads`` vs the
generated ``get_request.sync_detailed``, against the sandbox in instant mode.

Identical httpx2 client settings (60 s timeout, 5 s connect, keep-alive), 200 warm-up calls
each, then 20 rounds in rotating order (no variant always first), each round one call of
each variant in turn; the ratio of the median per-call times. Goals: <= 1.05x bare httpx2 (the same transport: the sync client sends
through httpx2's own), <= 1.03x the generated call. A miss is explained by a cProfile of the
overlay's calls.
"""

from __future__ import annotations

import cProfile
import gc
import json
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
from cannon_studio import Cannon
from cannon_studio_api import AuthenticatedClient
from cannon_studio_api.api.requests import get_request

from .profiling import bucket
from .report import Context, Row, load_line
from .sandbox_process import SandboxProcess

__all__ = ["bench_overhead", "run"]

OPERATION = "image.generate"
INPUT = {"prompt": "A lone detective in a rain-soaked alley under neon signage."}


def _new_request(sandbox: SandboxProcess) -> str:
    response = httpx2.post(
        f"{sandbox.base_url}/api/v1/requests",
        json={"operation": OPERATION, "input": INPUT},
        headers={"x-api-key": sandbox.api_key},
        timeout=30.0,
    )
    response.raise_for_status()
    request_id: str = response.json()["id"]
    return request_id


def _callers(sandbox: SandboxProcess, request_id: str) -> tuple[dict[str, Callable[[], Any]], Any]:
    """The ways of fetching the request, each with its own identically configured client.

    ``overlay_http_client`` (context, no goal) is the overlay given a caller-built ``http_client``.
    """

    def http_client() -> httpx2.Client:
        # the overlay's own defaults: 60 s overall, 5 s connect, httpx2's default pool and transport
        return httpx2.Client(base_url=sandbox.base_url, timeout=httpx2.Timeout(60.0, connect=5.0))

    bare = http_client()
    bare_headers = {"x-api-key": sandbox.api_key}
    path = f"/api/v1/requests/{request_id}"
    generated = AuthenticatedClient(
        base_url=sandbox.base_url, token=sandbox.api_key, prefix="", auth_header_name="x-api-key"
    ).set_httpx_client(http_client())
    generated.get_httpx_client().headers["x-api-key"] = sandbox.api_key
    overlay = Cannon(api_key=sandbox.api_key, base_url=sandbox.base_url)  # its default client
    overlay_own_client = Cannon(
        api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http_client()
    )

    def call_bare() -> Any:
        response = bare.get(path, headers=bare_headers)
        if response.status_code != 200:
            raise RuntimeError(f"bare GET -> {response.status_code}")
        return json.loads(response.content)

    def call_generated() -> Any:
        response = get_request.sync_detailed(request_id, client=generated)
        if response.status_code != 200:
            raise RuntimeError(f"generated GET -> {response.status_code}")
        return response.parsed

    def call_overlay() -> Any:
        return overlay.requests.retrieve(request_id)

    def call_overlay_own_client() -> Any:
        return overlay_own_client.requests.retrieve(request_id)

    callers = {
        "httpx2": call_bare,
        "generated": call_generated,
        "overlay": call_overlay,
        "overlay_http_client": call_overlay_own_client,
    }
    return callers, (overlay, overlay_own_client)


def bench_overhead(sandbox: SandboxProcess, calls: int) -> list[Row]:
    """Interleaved rounds of every caller; the rows (profiled when a goal is missed)."""
    request_id = _new_request(sandbox)
    callers, _overlay = _callers(sandbox, request_id)
    handle = callers["overlay"]()
    if handle.status != "succeeded" or handle.request is None:
        raise RuntimeError(f"benchmark request is {handle.status}, expected succeeded")
    for fn in callers.values():  # warm-up: connections open, caches filled
        for _ in range(200):
            fn()
    rounds = 20
    per_round = max(1, calls // rounds)
    names = list(callers)
    samples: dict[str, list[int]] = {name: [] for name in names}
    round_medians: dict[str, list[float]] = {name: [] for name in names}
    clock = time.perf_counter_ns
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]  # no variant always first
        gc.collect()
        batches: dict[str, list[int]] = {name: [] for name in names}
        # one call of each variant in turn, so a change of load hits all of them alike
        for _ in range(per_round):
            for name in order:
                fn = callers[name]
                t0 = clock()
                fn()
                batches[name].append(clock() - t0)
        for name in names:
            samples[name].extend(batches[name])
            round_medians[name].append(statistics.median(batches[name]))
    median_us = {name: statistics.median(samples[name]) / 1000 for name in names}
    per_round_ratio = {
        base: statistics.median(
            o / b for o, b in zip(round_medians["overlay"], round_medians[base], strict=True)
        )
        for base in ("httpx2", "generated")
    }
    section = f"per call, sync retrieve (median of {per_round * rounds} calls each, interleaved)"
    rows = [
        Row(section, "Cannon.requests.retrieve", median_us["overlay"], "us", median_us["httpx2"],
            "bare httpx2 GET + json.loads", 1.05,
            note=f"median of round ratios {per_round_ratio['httpx2']:.3f}x"),
        Row(section, "Cannon.requests.retrieve", median_us["overlay"], "us",
            median_us["generated"], "generated sync_detailed", 1.03,
            note=f"median of round ratios {per_round_ratio['generated']:.3f}x"),
        Row(section, "with http_client= (context)", median_us["overlay_http_client"], "us",
            median_us["httpx2"], "bare httpx2 GET + json.loads"),
    ]  # fmt: skip
    if any(r.ok is False for r in rows):
        lines = _profile(callers["overlay"], callers["httpx2"], per_round * 5)
        for row in rows:
            if row.ok is False:
                row.profile = lines
    return rows


def _stats(call: Callable[[], Any], calls: int) -> dict[tuple[str, int, str], Any]:
    """cProfile (CPU time: waiting is not cost) of ``calls`` calls of ``call``."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    raw: dict[tuple[str, int, str], Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return raw


def _by_package(raw: dict[tuple[str, int, str], Any], calls: int) -> dict[str, float]:
    """Own time per call (us) by package."""
    found: dict[str, float] = {}
    for (file, _line, _func), entry in raw.items():
        found[bucket(file)] = found.get(bucket(file), 0.0) + entry[2] / calls * 1e6
    return found


def _profile(overlay: Callable[[], Any], bare: Callable[[], Any], calls: int) -> list[str]:
    """cProfile of ``calls`` overlay retrieves beside as many bare httpx2 GETs: own time per
    call by package (where the difference sits), then the overlay's top functions."""
    ours, base = _stats(overlay, calls), _stats(bare, calls)
    mine, theirs = _by_package(ours, calls), _by_package(base, calls)
    packages = sorted(set(mine) | set(theirs), key=lambda k: -(mine.get(k, 0) - theirs.get(k, 0)))
    lines = [
        f"cProfile (CPU time) of {calls} calls each, {load_line()}: retrieve "
        f"{sum(mine.values()):.0f} us vs bare httpx2 {sum(theirs.values()):.0f} us per call",
        "own time per call by package, retrieve vs bare (largest difference first): "
        + ", ".join(f"{k} {mine.get(k, 0):.0f} vs {theirs.get(k, 0):.0f} us" for k in packages),
        "retrieve's top functions by own time, per call:",
    ]
    top = sorted(ours.items(), key=lambda kv: -kv[1][2])[:8]
    lines += [
        f"  {entry[2] / calls * 1e6:6.1f} us  x{entry[1] / calls:<4.1f} {Path(file).name}:{line}({func})"
        for (file, line, func), entry in top
    ]
    return lines


def run(ctx: Context) -> list[Row]:
    """The per-call round (400 calls each with ``quick``, else 2,000)."""
    return bench_overhead(ctx.sandbox, 400 if ctx.quick else 2000)
