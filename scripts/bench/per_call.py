"""Per call: the overlay's ``requests.retrieve(id)`` vs a bare httpx2 GET + ``json.loads`` vs the
generated ``get_request.sync_detailed``, against the sandbox in instant mode.

Identical httpx2 client settings (60 s timeout, 5 s connect, keep-alive), 200 warm-up calls
each, then 20 interleaved rounds in rotating order (no variant always first); the ratio of the
median per-call times. Goals: <= 1.05 vs bare httpx2 (issue 15), <= 1.03 vs generated. The
creates/s figure (AsyncCannon vs bare async httpx2 at the same concurrency) comes from the
1,000-request fan-out (``fanout``).
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx2
from cannon_studio import Cannon
from cannon_studio_api import AuthenticatedClient
from cannon_studio_api.api.requests import get_request

from .report import Figure
from .sandbox_process import SandboxProcess

__all__ = ["bench_overhead"]

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


def bench_overhead(sandbox: SandboxProcess, calls: int) -> tuple[list[Figure], Callable[[], Any]]:
    """Interleaved rounds; returns the figures and the overlay caller (for the profile)."""
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
        for name in order:
            fn = callers[name]
            batch = []
            for _ in range(per_round):
                t0 = clock()
                fn()
                batch.append(clock() - t0)
            samples[name].extend(batch)
            round_medians[name].append(statistics.median(batch))
    median_us = {name: statistics.median(samples[name]) / 1000 for name in names}
    p90_us = {name: statistics.quantiles(samples[name], n=10)[-1] / 1000 for name in names}
    per_round_ratio = {
        base: statistics.median(
            o / b for o, b in zip(round_medians["overlay"], round_medians[base], strict=True)
        )
        for base in ("httpx2", "generated")
    }
    detail = {
        "calls_each": per_round * rounds,
        "rounds": rounds,
        "median_us": median_us,
        "p90_us": p90_us,
        "median_of_round_ratios": per_round_ratio,
    }
    vs_httpx = median_us["overlay"] / median_us["httpx2"]
    vs_generated = median_us["overlay"] / median_us["generated"]
    figures = [
        Figure(
            "per call",
            "retrieve: bare httpx2 GET + json.loads",
            median_us["httpx2"],
            "us",
            baseline="median per call",
            detail=detail,
        ),
        Figure(
            "per call",
            "retrieve: generated sync_detailed",
            median_us["generated"],
            "us",
            baseline="median per call",
        ),
        Figure(
            "per call",
            "retrieve: overlay requests.retrieve",
            median_us["overlay"],
            "us",
            baseline="median per call",
        ),
        Figure(
            "per call",
            "retrieve: overlay with http_client=",
            median_us["overlay_http_client"],
            "us",
            baseline="median per call (context)",
        ),
        Figure(
            "per call",
            "overlay / bare httpx2",
            vs_httpx,
            "x",
            "<= 1.05",
            vs_httpx <= 1.05,
            f"{per_round * rounds} calls each, interleaved",
        ),
        Figure(
            "per call",
            "overlay / generated",
            vs_generated,
            "x",
            "<= 1.03",
            vs_generated <= 1.03,
            f"{per_round * rounds} calls each, interleaved",
        ),
    ]
    return figures, callers["overlay"]
