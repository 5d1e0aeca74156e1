"""The baselines, in a fresh process: ``python -m scripts.bench.baselines JSON``.

They import nothing from the client (no gate, no transport, no model): what they cost is what
the transport costs. The argument is a JSON object (``scenario``, ``n``, ``base_url``,
``api_key`` and the scenario's options); the last line printed is a JSON object with the
measurements (``measure.Run``). Scenarios:

- ``oracle``: pure aiohttp (one ``ClientSession``, a connector of ``IN_FLIGHT`` connections, at
  most ``IN_FLIGHT`` calls in flight, a due GET served before queued creates, as the client
  does). Each create, then ONE GET when the seeded job is due (the sandbox's
  ``x-sandbox-completes-at-ms``), ``json.loads`` of each body. No poller can notice sooner or
  spend fewer calls: the baseline for notice latency and CPU per request of ``AsyncCannon``,
  which sends through aiohttp too. It also measures one idle round trip (the best of 5 GETs)
  for the wall lower bound.
- ``per-call``: the CPU of one GET (of one request, ``n`` times) and of one create (``n``
  creates), ``IN_FLIGHT`` in flight, on the same session: the floor of ``child``'s ``layers``.
- ``light``: a peer's default polling loop over the same aiohttp session, ``n`` requests created
  at ``rate`` per second: ``replicate`` (0.5 s), ``fal`` (0.1 s), ``openai`` (a GET at once, then
  every ``openai-poll-after-ms`` header of the GET, else 1 s; Cannon's GET sends no such header),
  ``naive`` (sleep 1 s, GET, repeat).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

import aiohttp

from .measure import DUE_HEADER, IN_FLIGHT, INPUT, OPERATION, TERMINAL, Run, Tally

__all__ = ["cpu_us_each", "run_scenario"]

BODY = json.dumps({"operation": OPERATION, "input": INPUT}).encode()


class Slots:
    """At most ``size`` calls in flight; an urgent waiter (a due GET) goes before the others."""

    def __init__(self, size: int) -> None:
        self.free = size
        self.urgent: deque[asyncio.Future[None]] = deque()
        self.normal: deque[asyncio.Future[None]] = deque()

    async def acquire(self, urgent: bool = False) -> None:
        if self.free > 0 and not self.urgent and not self.normal:
            self.free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self.urgent if urgent else self.normal).append(waiter)
        await waiter  # the releasing call hands its slot over

    def release(self) -> None:
        for waiters in (self.urgent, self.normal):
            if waiters:
                waiters.popleft().set_result(None)
                return
        self.free += 1


class Api:
    """The three calls the baselines make, over one aiohttp session, each counted."""

    def __init__(self, args: dict[str, Any]) -> None:
        self.base = str(args["base_url"]).rstrip("/")
        self.tally = Tally()
        self.session = aiohttp.ClientSession(
            headers={"x-api-key": args["api_key"]},
            connector=aiohttp.TCPConnector(limit=IN_FLIGHT),
            timeout=aiohttp.ClientTimeout(total=60.0, connect=5.0),
        )
        self.create_headers = {"content-type": "application/json"}

    async def create(self) -> tuple[dict[str, Any], Mapping[str, str]]:
        async with self.session.post(
            f"{self.base}/api/v1/requests", data=BODY, headers=self.create_headers
        ) as response:
            raw = await response.read()
            if response.status != 202:
                raise RuntimeError(f"create -> {response.status}: {raw[:200]!r}")
            headers = response.headers
        self.tally.record("POST", None, 0.0)
        accepted: dict[str, Any] = json.loads(raw)
        return accepted, headers

    async def get(self, request_id: str) -> tuple[dict[str, Any], Mapping[str, str]]:
        sent = time.time()
        async with self.session.get(f"{self.base}/api/v1/requests/{request_id}") as response:
            raw = await response.read()
            if response.status != 200:
                raise RuntimeError(f"GET -> {response.status}: {raw[:200]!r}")
            headers = response.headers
        self.tally.record("GET", request_id, sent)
        got: dict[str, Any] = json.loads(raw)
        return got, headers


async def oracle(args: dict[str, Any]) -> dict[str, Any]:
    n = int(args["n"])
    api = Api(args)
    async with api.session:
        warm, _ = await api.create()  # connection, first-call costs
        await api.get(warm["id"])
        round_trips = []
        for _ in range(5):
            t0 = time.perf_counter()
            await api.get(warm["id"])
            round_trips.append(time.perf_counter() - t0)
        slots = Slots(IN_FLIGHT)
        run = Run(api.tally)
        created = 0

        async def one() -> None:
            nonlocal created
            await slots.acquire()
            try:
                accepted, headers = await api.create()
            finally:
                slots.release()
            due_ms = int(headers[DUE_HEADER])
            created += 1
            if created == n:
                run.created = time.time()
            while True:
                wait = due_ms / 1000.0 - time.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                await slots.acquire(urgent=True)
                try:
                    got, _ = await api.get(accepted["id"])
                finally:
                    slots.release()
                if got["status"] in TERMINAL:
                    run.notice(got, got["status"])
                    return
                due_ms = int(time.time() * 1000) + 10  # clock edge: look again in 10 ms

        run.begin()
        await asyncio.gather(*(one() for _ in range(n)))
        return run.result(rtt_s=min(round_trips), transport="aiohttp")


def _peer_schedule(policy: str) -> tuple[float, Callable[[Any], float]]:
    """(first wait in seconds, wait after a non-terminal GET given its headers) of a peer."""
    if policy == "replicate":
        return 0.5, lambda h: 0.5
    if policy == "fal":
        return 0.1, lambda h: 0.1
    if policy == "naive":
        return 1.0, lambda h: 1.0
    if policy == "openai":
        header = "openai-poll-after-ms"
        return 0.0, lambda h: int(h[header]) / 1000 if header in h else 1.0
    raise ValueError(f"unknown policy {policy!r}")


async def paced(n: int, rate: float, start: Callable[[int], Coroutine[Any, Any, None]]) -> None:
    """Start ``n`` jobs, ``rate`` per second."""
    tasks: list[asyncio.Task[None]] = []
    for i in range(n):
        tasks.append(asyncio.create_task(start(i)))
        await asyncio.sleep(1.0 / rate)
    await asyncio.gather(*tasks)


async def light(args: dict[str, Any]) -> dict[str, Any]:
    n, rate = int(args["n"]), float(args["rate"])
    first, after = _peer_schedule(str(args["policy"]))
    api = Api(args)
    async with api.session:
        warm, _ = await api.create()
        await api.get(warm["id"])
        run = Run(api.tally)

        async def follow(_: int) -> None:
            accepted, _headers = await api.create()
            wait = first
            while True:
                if wait > 0:
                    await asyncio.sleep(wait)
                got, headers = await api.get(accepted["id"])
                if got["status"] in TERMINAL:
                    run.notice(got, got["status"])
                    return
                wait = after(headers)

        run.begin()
        await paced(n, rate, follow)
        run.created = run.started
        return run.result()


async def cpu_us_each(n: int, call: Callable[[], Awaitable[object]]) -> float:
    """Microseconds of process CPU per ``call()``: ``n`` calls with ``IN_FLIGHT`` in flight,
    after ``IN_FLIGHT`` calls one by one (first-call costs: imports, connections)."""
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one() -> None:
        async with slots:
            await call()

    for _ in range(IN_FLIGHT):
        await call()
    started = time.process_time()
    await asyncio.gather(*(one() for _ in range(n)))
    return (time.process_time() - started) / n * 1e6


async def per_call(args: dict[str, Any]) -> dict[str, Any]:
    n = int(args["n"])
    api = Api(args)
    async with api.session:
        warm, _ = await api.create()
        get_us = await cpu_us_each(n, lambda: api.get(warm["id"]))
        create_us = await cpu_us_each(n, api.create)
    return {"get_cpu_us": get_us, "create_cpu_us": create_us}


def run_scenario(args: dict[str, Any]) -> dict[str, Any]:
    """Run ``args["scenario"]`` and return its measurements (see the module docstring)."""
    scenario = args["scenario"]
    if scenario == "per-call":
        return asyncio.run(per_call(args))
    if scenario == "oracle":
        return asyncio.run(oracle(args))
    if scenario == "light":
        return asyncio.run(light(args))
    raise ValueError(f"unknown scenario {scenario!r}")


def main(argv: list[str]) -> int:
    print(json.dumps(run_scenario(json.loads(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
