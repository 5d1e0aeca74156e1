"""Webhook-driven waiting: GETs per request and notice latency beside the pure-aiohttp oracle.

The round runs at the fan-out's largest size on the same seeded jobs (light mix, reset: the
fan-out's ``measure``), in a fresh client process (``python -m scripts.bench.webhooks JSON``):
``AsyncCannon.webhook_receiver()`` on loopback, ``n`` pending creates fed to ``as_completed``,
and for each request the moment it was seen terminal minus the server's ``completedAtMs`` (the
notice latency). The sandbox, in its own process, POSTs every terminal webhook to the receiver.
GETs of request objects are counted on the client's transport during the run.

Rows (the oracle is the fan-out round's run of the same size, same sandbox, same jobs; it knows
each job's completion time and polls once when it is due):
- GETs per request with webhooks: goal <= 0.1 (the oracle makes 1);
- notice latency p50 with webhooks: goal <= 1.5x the oracle's;
- with 10% of deliveries dropped (the sandbox's ``drop`` webhook fault): every job finishes
  (goal: all), its notice latency p50 / p99 / max stated beside the oracle's (the lost ones
  wait for the safety-net poll).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from typing import Any

import httpx2

from .fanout import measure, sizes
from .report import Context, Row
from .sandbox_process import CONTROL_HEADERS

__all__ = ["run"]

OPERATION = "image.generate"
INPUT = {"prompt": "A lone detective in a rain-soaked alley under neon signage."}
IN_FLIGHT = 64
DROP_RATE = 0.1
GETS_GOAL = 0.1
LATENCY_GOAL = 1.5
ORACLE = "pure-aiohttp oracle"


# -- the client process -------------------------------------------------------------------------


class _Counting(httpx2.AsyncBaseTransport):
    """Counts the calls sent through the transport it wraps (GETs of request objects, POSTs)."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gets = self.posts = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET" and "/api/v1/requests/" in request.url.path:
            self.gets += 1
        elif request.method == "POST":
            self.posts += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _client_run(args: dict[str, Any]) -> dict[str, Any]:
    from cannon_studio import AsyncCannon
    from cannon_studio.transports import aiohttp_transport

    n = int(args["n"])
    admin = httpx2.AsyncClient(base_url=args["base_url"], headers=args["control_headers"])
    transport = _Counting(aiohttp_transport(IN_FLIGHT))
    async with (
        AsyncCannon(
            api_key=args["api_key"],
            base_url=args["base_url"],
            webhook_secret=args["webhook_secret"],
            transport=transport,
        ) as client,
        client.webhook_receiver() as receiver,
    ):
        taken: dict[str, float] = {}  # request id -> when its delivery reached the receiver
        take = receiver._take  # wrapped to split the latency: delivery, then the client's part

        def timed_take(record: Any) -> None:
            taken[record.id] = time.time()
            take(record)

        receiver._take = timed_take  # type: ignore[method-assign]
        warm = await client.requests.create(OPERATION, INPUT)  # imports, validator, socket
        await warm.wait(max_wait=60)
        if args.get("drop_rate"):  # after the warm-up: from here on, deliveries get lost
            rule = {"kind": "drop", "endpoint": "webhooks", "rate": args["drop_rate"]}
            (await admin.post("/_sandbox/faults", json=rule)).raise_for_status()
        gets0, posts0, accepted0 = transport.gets, transport.posts, receiver.stats.accepted
        cpu0, started = time.process_time(), time.time()
        latencies: list[float] = []
        arrived: list[float] = []  # delivery at the receiver - completedAtMs (seconds)
        resolved: list[float] = []  # yielded by as_completed - delivery at the receiver
        statuses: dict[str, int] = {}
        creates = (client.requests.create(OPERATION, INPUT) for _ in range(n))
        async for handle in client.requests.as_completed(creates, max_wait=900):
            completed = getattr(handle.request, "completed_at_ms", None)
            if isinstance(completed, int):
                now = time.time()
                latencies.append(now - completed / 1000.0)
                if handle.id in taken:
                    arrived.append(taken[handle.id] - completed / 1000.0)
                    resolved.append(now - taken[handle.id])
            statuses[handle.status] = statuses.get(handle.status, 0) + 1
        wall, cpu = time.time() - started, time.process_time() - cpu0
        stats = receiver.stats
        accepted, hints, duplicates = stats.accepted - accepted0, stats.hints, stats.duplicates
    await transport.aclose()  # given to the client, so the client leaves it open
    log = (await admin.get("/_sandbox/webhooks")).json()["deliveries"]
    await admin.aclose()
    return {
        "statuses": statuses,
        "posts": transport.posts - posts0,
        "gets": transport.gets - gets0,
        "latencies": latencies,
        "cpu_s": cpu,
        "wall_s": wall,
        "deliveries_taken": accepted,
        "arrived_p50_s": statistics.median(arrived) if arrived else float("nan"),
        "resolved_p50_s": statistics.median(resolved) if resolved else float("nan"),
        "hints": hints,
        "duplicates": duplicates,
        "dropped": sum(1 for d in log if d.get("error") == "dropped (fault)"),
    }


def main(argv: list[str]) -> int:
    """``python -m scripts.bench.webhooks JSON``: one client run; its figures as JSON."""
    print(json.dumps(asyncio.run(_client_run(json.loads(argv[0])))))
    return 0


# -- the round ----------------------------------------------------------------------------------


def _webhooks(ctx: Context, n: int, drop_rate: float = 0.0) -> dict[str, Any]:
    from cannon_studio_sandbox.config import DEFAULT_WEBHOOK_SECRET  # the bench sandbox's

    return measure(
        ctx.sandbox,
        "scripts.bench.webhooks",
        "webhooks",
        n,
        webhook_secret=DEFAULT_WEBHOOK_SECRET,
        control_headers=CONTROL_HEADERS,
        drop_rate=drop_rate,
    )


def rows_for(
    n: int, ours: dict[str, Any], dropped: dict[str, Any], oracle: dict[str, Any]
) -> list[Row]:
    """The round's rows from its runs (``measure`` results) and the oracle's run."""
    section = f"webhook-driven waiting, {n:,} requests"
    oracle_gets = oracle["gets"] / n
    lost = dropped["dropped"]
    return [
        Row(section, "GETs per request, webhooks", ours["gets"] / n, "GETs/req", oracle_gets,
            ORACLE, GETS_GOAL,
            note=f"goal <= {GETS_GOAL} GETs/request (the oracle makes 1); "
            f"{ours['deliveries_taken']:,} deliveries resolved waits, {ours['hints']} hints",
            detail=ours),
        Row(section, "notice latency p50, webhooks", ours["latency_p50_s"], "s",
            oracle["latency_p50_s"], ORACLE, LATENCY_GOAL,
            note=f"p90 {ours['latency_p90_s']:.3f} vs {oracle['latency_p90_s']:.3f} s, max "
            f"{ours['latency_max_s']:.2f} vs {oracle['latency_max_s']:.2f} s",
            profile=_latency_split(ours, oracle)),
        Row(section, f"jobs finished, {DROP_RATE:.0%} of deliveries dropped",
            sum(dropped["statuses"].values()) / n, "of jobs", None, "", 1.0, at_least=True,
            note=f"{lost:,} deliveries dropped, each found by the safety-net poll",
            detail=dropped),
        Row(section, f"notice latency p50, {DROP_RATE:.0%} dropped", dropped["latency_p50_s"],
            "s", oracle["latency_p50_s"], ORACLE, None,
            note=f"p90 {dropped['latency_p90_s']:.2f} s, max {dropped['latency_max_s']:.2f} s "
            f"(a lost delivery waits for the safety net: 2x the longest job seen, 10 s before "
            f"8 are known); {dropped['gets'] / n:.3f} GETs/request"),
    ]  # fmt: skip


def _latency_split(ours: dict[str, Any], oracle: dict[str, Any]) -> list[str]:
    """Where the webhook notice latency goes (medians), for a miss."""
    return [
        f"delivery verified and taken by the receiver {ours['arrived_p50_s']:.3f} s after "
        "completedAtMs (the sandbox's timer and sender, loopback, then the client's loop, both "
        "busy with the creates)",
        f"then {ours['resolved_p50_s']:.3f} s until as_completed yielded it (the next turn of "
        f"the client's loop), while the creates run: client CPU "
        f"{ours['cpu_ms_per_request']:.2f} vs {oracle['cpu_ms_per_request']:.2f} ms/request "
        f"(the oracle's), wall {ours['wall_s']:.1f} vs {oracle['wall_s']:.1f} s",
    ]


def run(ctx: Context) -> list[Row]:
    """The webhooks round (stores its runs in ``ctx.results["webhooks"]``)."""
    n = max(sizes(ctx.quick))
    oracle = ctx.results.get("fanout", {}).get(f"oracle_{n}")
    if oracle is None:  # the round alone (--only webhooks): the oracle runs here
        oracle = measure(ctx.sandbox, "scripts.bench.baselines", "oracle", n)
    ours = _webhooks(ctx, n)
    dropped = _webhooks(ctx, n, DROP_RATE)
    ctx.results["webhooks"] = {"n": n, "ours": ours, "dropped": dropped}
    return rows_for(n, ours, dropped, oracle)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
