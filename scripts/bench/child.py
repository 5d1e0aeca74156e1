"""The client side of a benchmark run, in a fresh process: ``python -m scripts.bench.child JSON``.

The argument is a JSON object: ``scenario``, ``n``, ``base_url``, ``api_key`` and the scenario's
options. The last line printed is a JSON object with the measurements. Scenarios:

- ``ours-async``: ``AsyncCannon`` follows ``n`` pending creates with ``as_completed`` (they are
  started as its 64 in-flight slots allow, each request followed once its create is answered).
- ``ours-sync``: ``Cannon`` creates ``n`` requests one after the other, then ``as_completed``.
- ``oracle``: bare async httpx2 with the same concurrency (64 in flight, 64 kept alive, a due
  GET served before queued creates, as in the client): each create, then ONE GET when the
  seeded job is due (the sandbox's ``x-sandbox-completes-at-ms``), ``json.loads``. Its create phase is the raw-httpx2 create phase; its CPU per call is bare
  async httpx2's.
- ``light``: the light-load mix, ``n`` requests created at ``rate`` per second, each followed
  by ``policy``: ``ours`` (``handle.wait``; with ``warm``, a first identical round teaches the
  client the durations, the sandbox is reset, and the second round is measured), or a peer's
  default re-implemented over bare async httpx2: ``replicate`` (0.5 s), ``fal`` (0.1 s),
  ``openai`` (a GET at once, then every ``openai-poll-after-ms`` header of the GET, else 1 s;
  Cannon's GET sends no such header), ``naive`` (sleep 1 s, GET, repeat).

Measured in the child: wall time, the create phase, HTTP calls counted on the wire (the
transport class's send is wrapped), process CPU time of the run (``time.process_time``, after
imports and a warm-up call), RSS before the run and peak RSS (``getrusage``), and per request
the notice latency: when the client saw it terminal (``time.time()``) minus its
``completedAtMs`` (client and sandbox share the machine's clock), and where it goes: when the
request's last GET (the one that saw it terminal) was sent, after the completion, and that GET's
round trip (median of each).
"""

from __future__ import annotations

import asyncio
import collections
import cProfile
import json
import os
import pstats
import resource
import statistics
import sys
import time
from array import array
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx2
from cannon_studio import AsyncCannon, AsyncRequestHandle, Cannon
from cannon_studio._gate import InFlightGate
from cannon_studio.transports import (
    aiohttp_available,
    aiohttp_transport,
    httpx2_transport,
)

OPERATION = "image.generate"
INPUT = {"prompt": "A lone detective in a rain-soaked alley under neon signage."}
IN_FLIGHT = 64
TERMINAL = ("succeeded", "failed")
DUE_HEADER = "x-sandbox-completes-at-ms"

CALLS: collections.Counter[str] = collections.Counter()
LAST_GET: dict[str, tuple[float, float]] = {}
"""Request id -> (sent, answered) of its latest GET on the wire (``time.time()``); entries are
taken out when the request is noticed, so it holds only the requests being followed."""


def _record(request: httpx2.Request, sent: float) -> None:
    CALLS[request.method] += 1
    if request.method == "GET":
        LAST_GET[request.url.path.rsplit("/", 1)[-1]] = (sent, time.time())


def _count_calls() -> None:
    """Wrap the transports' send methods so every HTTP exchange on the wire is counted."""
    sync_send = httpx2.HTTPTransport.handle_request
    async_send = httpx2.AsyncHTTPTransport.handle_async_request

    def counted(self: httpx2.HTTPTransport, request: httpx2.Request) -> httpx2.Response:
        sent = time.time()
        response = sync_send(self, request)
        _record(request, sent)
        return response

    async def acounted(self: httpx2.AsyncHTTPTransport, request: httpx2.Request) -> httpx2.Response:
        sent = time.time()
        response = await async_send(self, request)
        _record(request, sent)
        return response

    httpx2.HTTPTransport.handle_request = counted  # type: ignore[method-assign]
    httpx2.AsyncHTTPTransport.handle_async_request = acounted  # type: ignore[method-assign]


def _count_aiohttp(transport: httpx2.AsyncBaseTransport) -> None:
    cls = type(transport)
    send = cls.handle_async_request

    async def acounted(self: httpx2.AsyncBaseTransport, request: httpx2.Request) -> httpx2.Response:
        sent = time.time()
        response = await send(self, request)
        _record(request, sent)
        return response

    cls.handle_async_request = acounted  # type: ignore[method-assign]


def _median(values: array[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Run:
    """Measurements of one run (filled by the scenario)."""

    def __init__(self) -> None:
        self.started = 0.0
        self.created = 0.0
        self.cpu0 = 0.0
        self.rss0 = 0.0
        self.calls0: collections.Counter[str] = collections.Counter()
        self.latencies: list[float] = []
        self.sent_after: array[float] = array("d")  # last GET sent - completedAtMs (seconds)
        self.round_trips: array[float] = array("d")  # last GET answered - sent (seconds)
        self.durations: list[float] = []
        self.statuses: collections.Counter[str] = collections.Counter()

    def begin(self) -> None:
        self.rss0 = _rss_mb()
        self.calls0 = collections.Counter(CALLS)
        self.cpu0 = time.process_time()
        self.started = time.time()

    def notice(self, body: dict[str, Any] | Any, status: str) -> None:
        """Record a request seen terminal now (``body``: JSON dict or ``RequestObject``)."""
        now = time.time()
        if isinstance(body, dict):
            completed, created, request_id = body["completedAtMs"], body["createdAtMs"], body["id"]
        else:
            completed, created, request_id = body.completed_at_ms, body.created_at_ms, body.id
        self.latencies.append(now - completed / 1000.0)
        last = LAST_GET.pop(request_id, None)
        if last is not None:
            self.sent_after.append(last[0] - completed / 1000.0)
            self.round_trips.append(last[1] - last[0])
        self.durations.append((completed - created) / 1000.0)
        self.statuses[status] += 1

    def result(self, **extra: Any) -> dict[str, Any]:
        finished = time.time()
        calls = CALLS - self.calls0
        return {
            "wall_s": finished - self.started,
            "create_s": self.created - self.started,
            "cpu_s": time.process_time() - self.cpu0,
            "posts": calls["POST"],
            "gets": calls["GET"],
            "rss_before_mb": self.rss0,
            "rss_peak_mb": _peak_rss_mb(),
            "latencies": self.latencies,
            # where the notice latency goes: how long after the job completed its last GET was
            # sent (schedule + waiting for a slot), and that GET's round trip (load)
            "last_get_sent_after_p50_s": _median(self.sent_after),
            "last_get_round_trip_p50_s": _median(self.round_trips),
            "longest_job_s": max(self.durations, default=float("nan")),
            "statuses": dict(self.statuses),
            **extra,
        }


# -- ours ---------------------------------------------------------------------------------------


async def ours_async(args: dict[str, Any]) -> dict[str, Any]:
    n = int(args["n"])
    transport: httpx2.AsyncBaseTransport | None = None
    if args.get("transport") == "aiohttp":
        transport = aiohttp_transport(IN_FLIGHT)
    elif args.get("transport") == "httpx2":
        transport = httpx2_transport(IN_FLIGHT)
    async with AsyncCannon(
        api_key=args["api_key"], base_url=args["base_url"], transport=transport
    ) as client:
        warm = await client.requests.create(OPERATION, INPUT)  # imports, validator, connection
        await warm.refresh()
        run = Run()
        run.begin()
        created = 0

        async def create() -> AsyncRequestHandle:
            nonlocal created
            handle = await client.requests.create(OPERATION, INPUT)
            created += 1
            if created == n:
                run.created = time.time()
            return handle

        # Pending creates go straight into as_completed: each request is followed as soon as
        # its create is answered (the pattern docs/client/options.md recommends for large fan-outs).
        async for handle in client.requests.as_completed(
            (create() for _ in range(n)), max_wait=600
        ):
            run.notice(handle.request, handle.status)
        inner = client._core._inner
        sends = getattr(inner, "direct", inner)  # the default routes direct requests to it
        result = run.result(transport=type(sends).__name__)
    if transport is not None:
        await transport.aclose()
    return result


def ours_sync(args: dict[str, Any]) -> dict[str, Any]:
    n = int(args["n"])
    with Cannon(api_key=args["api_key"], base_url=args["base_url"]) as client:
        client.requests.create(OPERATION, INPUT).refresh()
        run = Run()
        run.begin()
        handles = [client.requests.create(OPERATION, INPUT) for _ in range(n)]
        run.created = time.time()
        for handle in client.requests.as_completed(handles, max_wait=600):
            run.notice(handle.request, handle.status)
        return run.result()


# -- bare async httpx2 --------------------------------------------------------------------------


def _bare_client(args: dict[str, Any]) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        base_url=args["base_url"],
        headers={"x-api-key": args["api_key"]},
        timeout=httpx2.Timeout(60.0, connect=5.0),
        limits=httpx2.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT),
    )


async def oracle(args: dict[str, Any]) -> dict[str, Any]:
    n = int(args["n"])
    async with _bare_client(args) as http:
        gate = InFlightGate(IN_FLIGHT)  # the same gate: a due GET goes before queued creates
        body = json.dumps({"operation": OPERATION, "input": INPUT})
        headers = {"content-type": "application/json"}
        warm = await http.post("/api/v1/requests", content=body, headers=headers)
        json.loads((await http.get(f"/api/v1/requests/{json.loads(warm.content)['id']}")).content)
        run = Run()
        created_count = 0

        async def one() -> None:
            nonlocal created_count
            async with gate.slot():
                response = await http.post("/api/v1/requests", content=body, headers=headers)
                accepted = json.loads(response.content)
                due_ms = int(response.headers[DUE_HEADER])
            created_count += 1
            if created_count == n:
                run.created = time.time()
            while True:
                wait = due_ms / 1000.0 - time.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                async with gate.slot(urgent=True):
                    got = json.loads((await http.get(f"/api/v1/requests/{accepted['id']}")).content)
                if got["status"] in TERMINAL:
                    run.notice(got, got["status"])
                    return
                due_ms = int(time.time() * 1000) + 10  # clock edge: look again in 10 ms

        run.begin()
        await asyncio.gather(*(one() for _ in range(n)))
        return run.result()


# -- light load: ours and the peers' default policies -------------------------------------------


def _peer_schedule(policy: str) -> tuple[float, Callable[[httpx2.Response], float]]:
    """(first wait in seconds, wait after a non-terminal GET) of a peer's default loop."""
    if policy == "replicate":
        return 0.5, lambda r: 0.5
    if policy == "fal":
        return 0.1, lambda r: 0.1
    if policy == "naive":
        return 1.0, lambda r: 1.0
    if policy == "openai":
        header = "openai-poll-after-ms"
        return 0.0, lambda r: int(r.headers[header]) / 1000 if header in r.headers else 1.0
    raise ValueError(f"unknown policy {policy!r}")


async def _paced(n: int, rate: float, start: Callable[[int], Coroutine[Any, Any, None]]) -> None:
    """Start ``n`` jobs, ``rate`` per second, each created before the next is started."""
    tasks: list[asyncio.Task[None]] = []
    for i in range(n):
        tasks.append(asyncio.create_task(start(i)))
        await asyncio.sleep(1.0 / rate)
    await asyncio.gather(*tasks)


async def light_peer(args: dict[str, Any], policy: str) -> dict[str, Any]:
    n, rate = int(args["n"]), float(args["rate"])
    first, after = _peer_schedule(policy)
    body = json.dumps({"operation": OPERATION, "input": INPUT})
    headers = {"content-type": "application/json"}
    async with _bare_client(args) as http:
        await http.get("/api/v1/status")
        run = Run()

        async def follow(_: int) -> None:
            accepted = json.loads(
                (await http.post("/api/v1/requests", content=body, headers=headers)).content
            )
            wait = first
            while True:
                if wait > 0:
                    await asyncio.sleep(wait)
                response = await http.get(f"/api/v1/requests/{accepted['id']}")
                got = json.loads(response.content)
                if got["status"] in TERMINAL:
                    run.notice(got, got["status"])
                    return
                wait = after(response)

        run.begin()
        await _paced(n, rate, follow)
        run.created = run.started
        return run.result()


async def light_ours(args: dict[str, Any]) -> dict[str, Any]:
    n, rate = int(args["n"]), float(args["rate"])
    async with AsyncCannon(api_key=args["api_key"], base_url=args["base_url"]) as client:
        warm = await client.requests.create(OPERATION, INPUT)
        await warm.refresh()

        async def round_() -> dict[str, Any]:
            run = Run()

            async def follow(_: int) -> None:
                handle: AsyncRequestHandle = await client.requests.create(OPERATION, INPUT)
                await handle.wait(max_wait=120)
                run.notice(handle.request, handle.status)

            run.begin()
            await _paced(n, rate, follow)
            run.created = run.started
            return run.result()

        cold = await round_()
        if not args.get("warm"):
            return cold
        async with httpx2.AsyncClient(
            base_url=args["base_url"], headers=args["control_headers"]
        ) as admin:
            (await admin.post("/_sandbox/reset")).raise_for_status()  # the same seeded jobs again
        warm_result = await round_()
        warm_result["cold"] = {k: v for k, v in cold.items() if k != "latencies"}
        warm_result["cold"]["latency_mean_s"] = statistics.fmean(cold["latencies"])
        warm_result["learned_samples"] = len(client.requests.polling.samples(OPERATION))
        return warm_result


# -- entry point --------------------------------------------------------------------------------


def run_scenario(args: dict[str, Any]) -> dict[str, Any]:
    """Run ``args["scenario"]`` and return its measurements (see the module docstring)."""
    scenario = args["scenario"]
    if scenario == "ours-async":
        return asyncio.run(ours_async(args))
    if scenario == "ours-sync":
        return ours_sync(args)
    if scenario == "oracle":
        return asyncio.run(oracle(args))
    if scenario == "light":
        policy = args["policy"]
        if policy == "ours":
            return asyncio.run(light_ours(args))
        return asyncio.run(light_peer(args, policy))
    raise ValueError(f"unknown scenario {scenario!r}")


def main(argv: list[str]) -> int:
    args: dict[str, Any] = json.loads(argv[0])
    _count_calls()
    if aiohttp_available():
        _count_aiohttp(aiohttp_transport(IN_FLIGHT))  # wraps its class (no session is made)
    profile_path = args.get("profile")
    if profile_path:
        profiler = cProfile.Profile()
        result = profiler.runcall(run_scenario, args)
        pstats.Stats(profiler).dump_stats(profile_path)
    else:
        result = run_scenario(args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
