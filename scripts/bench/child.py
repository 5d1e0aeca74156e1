"""The client side of a benchmark run, in a fresh process: ``python -m scripts.bench.child JSON``.

The argument is a JSON object: ``scenario``, ``n``, ``base_url``, ``api_key`` and the scenario's
options. The last line printed is a JSON object with the measurements (``measure.Run``). The
baselines run in ``baselines`` (they import nothing from the client). Scenarios:

- ``ours-async``: ``AsyncCannon`` follows ``n`` pending creates with ``as_completed`` (they are
  started as its 64 in-flight slots allow, each request followed once its create is answered).
- ``ours-sync``: ``Cannon`` creates ``n`` requests one after the other, then ``as_completed``.
- ``layers``: the CPU of one GET (of one request, ``n`` times, ``IN_FLIGHT`` in flight) entered
  at each layer of ``AsyncCannon`` in turn, from its I/O transport up to ``requests.retrieve``
  (``LAYER_PASSES`` interleaved passes, the median), then of one ``requests.create``: where a
  call's CPU goes, measured without a profiler (whose cost per Python call inflates small
  functions several times over). The floor is ``baselines``' ``per-call`` on raw aiohttp.
- ``light``: the light-load mix, ``n`` requests created at ``rate`` per second, each followed
  by ``handle.wait``. With ``learn_seed``, a first round on the jobs of that seed (fresh jobs
  from the same distribution, never measured against) teaches the client the durations; then
  the sandbox is reset to ``seed`` (the peers' jobs) and the second round is measured: the
  steady state of a long-lived client. The first round's figures are reported as ``cold``.

HTTP calls are counted on the wire (the transport classes' send is wrapped).
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2
from cannon_studio import AsyncCannon, AsyncRequestHandle, Cannon
from cannon_studio.transports import aiohttp_available, aiohttp_transport, httpx2_transport
from cannon_studio_api.api.requests import get_request

from .baselines import cpu_us_each, paced
from .measure import IN_FLIGHT, INPUT, OPERATION, Run, Tally

TALLY = Tally()

LAYER_PASSES = 3
"""Passes over every layer in ``layers`` (``n`` GETs each); each layer's figure is the median."""


def _record(request: httpx2.Request, sent: float) -> None:
    is_get = request.method == "GET"
    TALLY.record(request.method, request.url.path.rsplit("/", 1)[-1] if is_get else None, sent)


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
    """Wrap the aiohttp transport's two ways in: ``handle_async_request`` and
    ``handle_within`` (how the retrying transport sends API calls through it)."""
    cls = type(transport)
    send = cls.handle_async_request
    within = cls.handle_within  # type: ignore[attr-defined]

    async def acounted(self: httpx2.AsyncBaseTransport, request: httpx2.Request) -> httpx2.Response:
        sent = time.time()
        response = await send(self, request)
        _record(request, sent)
        return response

    async def within_counted(self: Any, request: httpx2.Request, total: Any) -> httpx2.Response:
        sent = time.time()
        response: httpx2.Response = await within(self, request, total)
        _record(request, sent)
        return response

    cls.handle_async_request = acounted  # type: ignore[method-assign]
    cls.handle_within = within_counted  # type: ignore[attr-defined]


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
        run = Run(TALLY)
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
        run = Run(TALLY)
        run.begin()
        handles = [client.requests.create(OPERATION, INPUT) for _ in range(n)]
        run.created = time.time()
        for handle in client.requests.as_completed(handles, max_wait=600):
            run.notice(handle.request, handle.status)
        return run.result()


async def light_ours(args: dict[str, Any]) -> dict[str, Any]:
    n, rate = int(args["n"]), float(args["rate"])
    async with AsyncCannon(api_key=args["api_key"], base_url=args["base_url"]) as client:
        warm = await client.requests.create(OPERATION, INPUT)
        await warm.refresh()

        async def reseed(seed: int) -> None:
            async with httpx2.AsyncClient(
                base_url=args["base_url"], headers=args["control_headers"]
            ) as admin:
                (await admin.post("/_sandbox/config", json={"seed": seed})).raise_for_status()
                (await admin.post("/_sandbox/reset")).raise_for_status()

        async def round_() -> dict[str, Any]:
            run = Run(TALLY)

            async def follow(_: int) -> None:
                handle: AsyncRequestHandle = await client.requests.create(OPERATION, INPUT)
                await handle.wait(max_wait=120)
                run.notice(handle.request, handle.status)

            run.begin()
            await paced(n, rate, follow)
            run.created = run.started
            return run.result()

        learn_seed = args.get("learn_seed")
        if learn_seed is None:
            return await round_()
        await reseed(int(learn_seed))  # fresh jobs from the same distribution
        cold = await round_()
        await reseed(int(args["seed"]))  # the peers' jobs, never seen by this client
        measured = await round_()
        measured["cold"] = {k: v for k, v in cold.items() if k != "latencies"}
        measured["cold"]["latency_mean_s"] = statistics.fmean(cold["latencies"])
        measured["learned_samples"] = len(client.requests.polling.samples(OPERATION))
        return measured


async def layers(args: dict[str, Any]) -> dict[str, Any]:
    """CPU per GET entered at each layer, bottom up, then per create (see the module docstring).

    Reaches into the client's parts (``_core``, its transports and API client) on purpose: each
    layer is called as the one above it calls it.
    """
    n = int(args["n"])
    async with AsyncCannon(api_key=args["api_key"], base_url=args["base_url"]) as client:
        core = client._core
        warm = await client.requests.create(OPERATION, INPUT)
        path = f"/api/v1/requests/{warm.id}"
        sample = core.http.build_request("GET", path)
        api_transport = core.http._api_transport

        def request() -> httpx2.Request:
            return httpx2.Request(
                "GET", sample.url, headers=sample.headers, extensions=sample.extensions
            )

        async def via(transport: httpx2.AsyncBaseTransport) -> None:
            response = await transport.handle_async_request(request())
            json.loads(await response.aread())

        async def built() -> None:
            json.loads((await core.http.request("GET", path)).content)

        steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
            (f"{type(core._inner).__name__} (httpx2 Request and Response)", lambda: via(core._inner)),
            ("+ retrying transport, in-flight gate", lambda: via(api_transport)),
            ("+ request built from the client's parts", built),
            ("+ generated endpoint (parsed to RequestObject)",
             lambda: get_request.asyncio_detailed(client=core.api, request_id=warm.id)),
            ("+ core call (gate slot, typed errors, raw record)", lambda: core.get_request(warm.id)),
            ("+ requests.retrieve (a handle)", lambda: client.requests.retrieve(warm.id)),
        ]  # fmt: skip
        samples: list[list[float]] = [[] for _ in steps]
        for _ in range(LAYER_PASSES):  # interleaved: a slow moment spreads over every layer
            for figures, (_, call) in zip(samples, steps, strict=True):
                figures.append(await cpu_us_each(n, call))
        create_us = await cpu_us_each(n, lambda: client.requests.create(OPERATION, INPUT))
    measured = [[name, statistics.median(f)] for (name, _), f in zip(steps, samples, strict=True)]
    return {"layers": measured, "create_cpu_us": create_us}


def run_scenario(args: dict[str, Any]) -> dict[str, Any]:
    """Run ``args["scenario"]`` and return its measurements (see the module docstring)."""
    scenario = args["scenario"]
    if scenario == "layers":
        return asyncio.run(layers(args))
    if scenario == "ours-async":
        return asyncio.run(ours_async(args))
    if scenario == "ours-sync":
        return ours_sync(args)
    if scenario == "light":
        return asyncio.run(light_ours(args))
    raise ValueError(f"unknown scenario {scenario!r}")


def main(argv: list[str]) -> int:
    args: dict[str, Any] = json.loads(argv[0])
    _count_calls()
    if aiohttp_available():
        _count_aiohttp(aiohttp_transport(IN_FLIGHT))  # wraps its class (no session is made)
    profile_path = args.get("profile")
    if profile_path:
        profiler = cProfile.Profile(time.process_time)  # CPU time: waiting is not cost
        result = profiler.runcall(run_scenario, args)
        pstats.Stats(profiler).dump_stats(profile_path)
    else:
        result = run_scenario(args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
