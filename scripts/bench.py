#!/usr/bin/env python3
"""Measured speed and memory of the cannon-studio client, each figure beside its baseline and goal.

Usage (normally ``make bench``; ``make bench BENCH_ARGS="--json out/bench.json"``)::

    python scripts/bench.py [--json PATH] [--quick]

Everything runs on loopback against the sandbox started in a SEPARATE process
(``python -m cannon_studio_sandbox --host 127.0.0.1 --port 0 --instant``, base URL read from its
first printed line; timing switched through ``POST /_sandbox/config``). Figures, each measured in
this run against its baseline:

1. per-call overhead: the overlay's ``client.requests.retrieve(id)`` (typed model) vs a bare httpx2
   GET + ``json.loads`` vs the generated ``get_request.sync_detailed``; identical httpx2 client
   settings, keep-alive, interleaved rounds in rotating order, >= 2,000 calls each; ratio of the
   median per-call times. Goals: <= 1.10 vs httpx2, <= 1.03 vs generated.
2. import cost: ``python -c "import cannon_studio; cannon_studio.Cannon"`` vs
   ``python -c "import httpx2"``, medians of 10 fresh processes each, interleaved. Goal <= 1.3x.
3. fan-out: ``AsyncCannon`` creates 1,000 requests (jobs uniform in 1-3 s; ``asyncio.gather``,
   32 creates in flight, ``--unbounded`` adds a run with all 1,000 at once) and waits with
   ``as_completed``; the sync ``Cannon`` does 200 (created one after the other). The client runs in a child process so its peak
   RSS is its own. Wall time vs ideal (last job's completion relative to the start), GET polls per
   request (counted on the wire by wrapping httpx2's transport class), peak RSS (getrusage).
   Goals: wall <= 1.25x ideal + 1 s, <= 5 polls/request, RSS <= 120 MB.
4. regeneration: ``make regenerate SOURCE=openapi/cannon-studio.json`` in a COPY of the repository
   (openapi/, scripts/, generated/, overlay/, Makefile, pyproject.toml; ``.venv`` symlinked to this one and
   ``-o .venv/.installed`` so make never reinstalls), so the working tree is never rewritten.
   Goal <= 15 s.

Then a cProfile of ``retrieve`` (top costs by own time, and time per package) is printed.
``--json PATH`` writes every figure with date, machine (cores, memory) and versions.
``--quick`` shrinks the sample sizes for a smoke run (figures are then marked quick).
The whole run takes well under 5 minutes on a 2-core machine. Exit status 0 even when a goal is
missed (the table says MISS): the benchmark measures, it does not gate.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
CONTROL_TOKEN = "bench-control-token-0123456789"
"""Passed as ``--control-token``; the control API (``/_sandbox/*``) asks for it."""
CONTROL_HEADERS = {"x-sandbox-token": CONTROL_TOKEN, "content-type": "application/json"}
BANNER = re.compile(r"sandbox on (http://\S+)\s+api key: (\S+)")
FANOUT_OPERATION = "image.generate"
FANOUT_INPUT = {"prompt": "A lone detective in a rain-soaked alley under neon signage."}
JOB_DURATION_S = (1.0, 3.0)
#: Async creates in flight at once in the fan-out (the overlay's own poll concurrency is 32).
#: Starting all 1,000 at once is measured with ``--unbounded``: httpcore2's pool scans every queued
#: request on each state change, which makes that minutes instead of seconds (see the README).
CREATE_CONCURRENCY = 32


@dataclass
class Figure:
    """One measured figure. ``ok`` is None for context figures that have no goal."""

    section: str
    name: str
    value: float
    unit: str
    goal: str = ""
    ok: bool | None = None
    baseline: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> str:
        if self.unit == "x":
            return f"{self.value:.3f}x"
        if self.unit in ("s", "MB", "polls/req"):
            return f"{self.value:.2f} {self.unit}"
        if self.unit == "us":
            return f"{self.value:.0f} us"
        return f"{self.value:g} {self.unit}"


# -- the sandbox in its own process --------------------------------------------------------------


class SandboxProcess:
    """``python -m cannon_studio_sandbox`` on 127.0.0.1, port chosen by the OS; stopped on exit."""

    def __init__(self, *, instant: bool = True) -> None:
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the process
            prefix="cannon-bench-sandbox-", suffix=".log"
        )
        args = [sys.executable, "-m", "cannon_studio_sandbox", "--host", LOOPBACK, "--port", "0"]
        args += ["--control-token", CONTROL_TOKEN]
        args += ["--credits", "100000000"]  # headroom: 10,000 (the default) caps bigger fan-outs
        if instant:
            args.append("--instant")
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=ROOT, bufsize=1
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(lines,), daemon=True).start()
        self.base_url = self.api_key = ""
        deadline = time.monotonic() + 60
        while not self.base_url:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"sandbox did not start:\n{self.tail()}") from None
            match = BANNER.search(line)
            if match:
                self.base_url, self.api_key = match.group(1), match.group(2)
        import httpx2

        self.admin = httpx2.Client(base_url=self.base_url, timeout=30.0, headers=CONTROL_HEADERS)

    def _pump(self, lines: queue.Queue[str]) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # drained to the end so the pipe never blocks the server
            lines.put(line)

    def tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def configure(self, **updates: Any) -> dict[str, Any]:
        """``POST /_sandbox/config`` (partial update); returns the new public config."""
        response = self.admin.post("/_sandbox/config", json=updates)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def reset(self) -> None:
        self.admin.post("/_sandbox/reset").raise_for_status()

    def ledger(self) -> dict[str, Any]:
        response = self.admin.get("/_sandbox/ledger")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def cpu_seconds(self) -> float:
        """User + system CPU seconds the sandbox process has used so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if hasattr(self, "admin"):
            self.admin.close()
        self.log.close()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- 1. per-call overhead ------------------------------------------------------------------------


def _new_request(sandbox: SandboxProcess) -> str:
    import httpx2

    response = httpx2.post(
        f"{sandbox.base_url}/api/v1/requests",
        json={"operation": FANOUT_OPERATION, "input": FANOUT_INPUT},
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
    import httpx2
    from cannon_studio import Cannon
    from cannon_studio_api import AuthenticatedClient
    from cannon_studio_api.api.requests import get_request

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
            "per-call",
            "retrieve: bare httpx2 GET + json.loads",
            median_us["httpx2"],
            "us",
            baseline="median per call",
            detail=detail,
        ),
        Figure(
            "per-call",
            "retrieve: generated sync_detailed",
            median_us["generated"],
            "us",
            baseline="median per call",
        ),
        Figure(
            "per-call",
            "retrieve: overlay requests.retrieve",
            median_us["overlay"],
            "us",
            baseline="median per call",
        ),
        Figure(
            "per-call",
            "retrieve: overlay with http_client=",
            median_us["overlay_http_client"],
            "us",
            baseline="median per call (context)",
        ),
        Figure(
            "per-call",
            "overlay / bare httpx2",
            vs_httpx,
            "x",
            "<= 1.10",
            vs_httpx <= 1.10,
            f"{per_round * rounds} calls each, interleaved",
        ),
        Figure(
            "per-call",
            "overlay / generated",
            vs_generated,
            "x",
            "<= 1.03",
            vs_generated <= 1.03,
            f"{per_round * rounds} calls each, interleaved",
        ),
    ]
    return figures, callers["overlay"]


# -- 2. import cost ------------------------------------------------------------------------------


def bench_import(runs: int) -> list[Figure]:
    commands = {
        "cannon_studio": [sys.executable, "-c", "import cannon_studio; cannon_studio.Cannon"],
        "httpx2": [sys.executable, "-c", "import httpx2"],
        "python": [sys.executable, "-c", "pass"],
    }
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CANNON_LOG")
    }
    for cmd in commands.values():  # warm the bytecode and page caches
        subprocess.run(cmd, check=True, env=env, cwd=tempfile.gettempdir())
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(runs):
        for name in names[i % 3 :] + names[: i % 3]:
            t0 = time.perf_counter()
            subprocess.run(commands[name], check=True, env=env, cwd=tempfile.gettempdir())
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(values) for name, values in times.items()}
    ratio = med["cannon_studio"] / med["httpx2"]
    top = _import_time_top(env)
    return [
        Figure(
            "import",
            "python -c 'import httpx2'",
            med["httpx2"] * 1000,
            "ms",
            baseline=f"median of {runs} fresh processes",
        ),
        Figure(
            "import",
            "python -c 'import cannon_studio; ...Cannon'",
            med["cannon_studio"] * 1000,
            "ms",
            baseline=f"median of {runs} fresh processes",
            detail={"bare_interpreter_ms": med["python"] * 1000, "top_imports_ms": top},
        ),
        Figure(
            "import",
            "import cannon_studio / import httpx2",
            ratio,
            "x",
            "<= 1.3",
            ratio <= 1.3,
            f"interpreter alone: {med['python'] * 1000:.0f} ms",
        ),
    ]


def _import_time_top(env: dict[str, str], n: int = 8) -> dict[str, float]:
    """Top-level packages by cumulative import time (``-X importtime``), in ms."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cannon_studio; cannon_studio.Cannon"],
        capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), check=True,
    )  # fmt: skip
    per_package: dict[str, float] = {}
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2][1:]  # one space after "|", then two more per nesting level
        if name.startswith(" "):
            continue  # only modules imported at top level, with their cumulative time
        top = name.strip().split(".")[0]
        per_package[top] = per_package.get(top, 0.0) + int(parts[1]) / 1000
    ranked = sorted(per_package.items(), key=lambda kv: -kv[1])[:n]
    return {name: round(ms, 1) for name, ms in ranked}


# -- 3. fan-out (client in a child process) ------------------------------------------------------


def _completed_ms(handle: Any) -> int:
    """``completedAtMs`` of a terminal handle (epoch MILLISECONDS); a terminal request has one."""
    completed = handle.request.completed_at_ms if handle.request is not None else None
    if not isinstance(completed, int):
        raise RuntimeError(f"request {handle.id} is terminal but has no completedAtMs")
    return completed


def child_fanout(
    mode: str, n: int, base_url: str, api_key: str, create_concurrency: int = 0
) -> dict[str, Any]:
    """Runs in the child process: create ``n`` requests and wait on them with as_completed.

    Async creates are started with ``asyncio.gather``; ``create_concurrency`` > 0 bounds how many
    are in flight with a semaphore (0: all at once, as naive code does).
    """
    import asyncio
    import collections

    import httpx2
    from cannon_studio import AsyncCannon, Cannon

    counts: collections.Counter[str] = collections.Counter()
    sync_send = httpx2.HTTPTransport.handle_request
    async_send = httpx2.AsyncHTTPTransport.handle_async_request

    def counted_send(self: httpx2.HTTPTransport, request: httpx2.Request) -> httpx2.Response:
        counts[request.method] += 1
        return sync_send(self, request)

    async def counted_async_send(
        self: httpx2.AsyncHTTPTransport, request: httpx2.Request
    ) -> httpx2.Response:
        counts[request.method] += 1
        return await async_send(self, request)

    httpx2.HTTPTransport.handle_request = counted_send  # type: ignore[method-assign]
    httpx2.AsyncHTTPTransport.handle_async_request = counted_async_send  # type: ignore[method-assign]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    completions: list[int] = []
    statuses: collections.Counter[str] = collections.Counter()
    started = time.time()
    if mode == "async":

        async def run() -> float:
            async with AsyncCannon(api_key=api_key, base_url=base_url) as client:
                gate = asyncio.Semaphore(create_concurrency or n)

                async def create() -> Any:
                    async with gate:
                        return await client.requests.create(FANOUT_OPERATION, FANOUT_INPUT)

                handles = await asyncio.gather(*(create() for _ in range(n)))
                created = time.time()
                async for handle in client.requests.as_completed(handles, max_wait=300):
                    statuses[handle.status] += 1
                    completions.append(_completed_ms(handle))
                return created

        created_at = asyncio.run(run())
    else:
        with Cannon(api_key=api_key, base_url=base_url) as client:
            handles = [client.requests.create(FANOUT_OPERATION, FANOUT_INPUT) for _ in range(n)]
            created_at = time.time()
            for handle in client.requests.as_completed(handles, max_wait=300):
                statuses[handle.status] += 1
                completions.append(_completed_ms(handle))
    finished = time.time()
    return {
        "mode": mode,
        "n": n,
        "wall_s": finished - started,
        "create_s": created_at - started,
        "ideal_s": max(completions) / 1000 - started,
        "gets": counts["GET"],
        "posts": counts["POST"],
        "statuses": dict(statuses),
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_after_import_mb": rss_before,
    }


def bench_fanout(
    sandbox: SandboxProcess, mode: str, n: int, create_concurrency: int, timeout_s: float
) -> list[Figure]:
    sandbox.reset()
    sandbox.configure(job_duration_s=list(JOB_DURATION_S), queue_delay_s=0.2, poll_after_ms=2000)
    cpu0 = sandbox.cpu_seconds()
    client = "AsyncCannon" if mode == "async" else "Cannon"
    how = (
        f", creates {create_concurrency} at a time"
        if mode == "async" and create_concurrency
        else ""
    )
    section = f"fan-out {client} x{n}{how}"
    args = [mode, str(n), sandbox.base_url, sandbox.api_key, str(create_concurrency)]
    try:
        result = subprocess.run(
            [sys.executable, __file__, "--child-fanout", *args],
            capture_output=True, text=True, timeout=timeout_s, cwd=ROOT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        note = f"did not finish within {timeout_s:.0f} s"
        return [Figure(section, "wall time (start - last yielded)", float("inf"), "s",
                       "<= 1.25x ideal + 1 s", False, note)]  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"fan-out child ({mode}) failed:\n{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    data["sandbox_cpu_s"] = sandbox.cpu_seconds() - cpu0
    ledger = sandbox.ledger()
    data["ledger_created"] = ledger["created_count"]
    if data["statuses"].get("succeeded", 0) != n or ledger["created_count"] != n:
        raise RuntimeError(
            f"fan-out ({mode}) did not complete cleanly: {data}, ledger {ledger['created_count']}"
        )
    wall, ideal = data["wall_s"], data["ideal_s"]
    limit = 1.25 * ideal + 1.0
    polls = data["gets"] / n
    rss = data["rss_peak_mb"]
    return [
        Figure(
            section,
            "ideal (last job done - start)",
            ideal,
            "s",
            baseline=(
                f"creates took {data['create_s']:.2f} s; sandbox CPU {data['sandbox_cpu_s']:.1f} s"
            ),
            detail=data,
        ),
        Figure(
            section,
            "wall time (start - last yielded)",
            wall,
            "s",
            f"<= {limit:.2f} s",
            wall <= limit,
            f"{wall / ideal:.3f}x ideal",
        ),
        Figure(
            section,
            "GET polls per request",
            polls,
            "polls/req",
            "<= 5",
            polls <= 5,
            f"{data['gets']} GETs",
        ),
        Figure(
            section,
            "peak RSS of the client process",
            rss,
            "MB",
            "<= 120 MB",
            rss <= 120,
            f"{data['rss_after_import_mb']:.0f} MB after imports",
        ),
    ]


# -- 4. regeneration -----------------------------------------------------------------------------


def _tree_digest(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _written_by_regenerate(root: Path) -> str:
    """Digest of everything ``make regenerate`` writes under ``root``."""
    wrappers = root / "overlay" / "cannon_studio" / "_wrappers.py"
    return (
        _tree_digest(root / "openapi")
        + _tree_digest(root / "generated")
        + (wrappers.read_text(encoding="utf-8") if wrappers.exists() else "")
    )


def bench_regenerate() -> list[Figure]:
    before = _written_by_regenerate(ROOT)
    with tempfile.TemporaryDirectory(prefix="cannon-bench-regen-") as tmp:
        copy = Path(tmp)
        for name in ("openapi", "scripts", "generated", "overlay"):
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("Makefile", "pyproject.toml"):
            shutil.copy2(ROOT / name, copy / name)
        (copy / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
        make = shutil.which("make")
        if make:
            # -o: treat the venv stamp as up to date, so the copy never runs pip (that would
            # re-point the shared editable install at the temporary copy).
            cmd = [
                make,
                "-s",
                "-o",
                ".venv/.installed",
                "regenerate",
                "SOURCE=openapi/cannon-studio.json",
            ]
        else:  # what the target runs
            cmd = [
                str(copy / ".venv/bin/python"),
                "scripts/regenerate.py",
                "openapi/cannon-studio.json",
            ]
        t0 = time.perf_counter()
        result = subprocess.run(cmd, cwd=copy, capture_output=True, text=True, timeout=300)
        wall = time.perf_counter() - t0
        if result.returncode != 0:
            raise RuntimeError(
                f"regeneration failed: {result.stdout[-1500:]}{result.stderr[-1500:]}"
            )
        produced = (copy / "generated/cannon_studio_api/openapi.json").exists()
        identical = _tree_digest(copy / "generated") == _tree_digest(ROOT / "generated")
    # Only the copy is written; a change here would mean someone else edited the tree meanwhile.
    untouched = before == _written_by_regenerate(ROOT)
    if not produced:
        raise RuntimeError("regeneration benchmark: the copy has no generated package")
    return [
        Figure(
            "regeneration",
            "make regenerate (copy of the repo)",
            wall,
            "s",
            "<= 15 s",
            wall <= 15.0,
            "byte-identical to generated/" if identical else "differs from generated/",
            detail={
                "command": " ".join(cmd[1:] if make else cmd),
                "identical": identical,
                "working_tree_untouched": untouched,
            },
        ),
    ]


# -- profile -------------------------------------------------------------------------------------


def _bucket(filename: str) -> str:
    if "cannon_studio_api" in filename:
        return "generated (cannon_studio_api)"
    if "cannon_studio" in filename:
        return "overlay (cannon_studio)"
    for name in ("httpcore2", "httpx2", "attr", "h11", "anyio", "jsonschema", "json"):
        if f"/{name}/" in filename or f"/{name}." in filename:
            return name
    if filename.startswith("~") or "{" in filename:
        return "builtins (socket, select, ...)"
    return "stdlib/other"


def profile_retrieve(call: Callable[[], Any], calls: int) -> dict[str, Any]:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:12]
    top = [
        {
            "function": f"{Path(file).name}:{line}({func})",
            "own_ms_per_call": entry[2] / calls * 1000,
            "cum_ms_per_call": entry[3] / calls * 1000,
            "calls_per_retrieve": entry[1] / calls,
        }
        for (file, line, func), entry in rows
    ]
    ours = sorted(
        (kv for kv in raw.items() if "cannon_studio" in kv[0][0]), key=lambda kv: -kv[1][3]
    )[:8]
    ours_cum = [
        {
            "function": f"{Path(file).name}:{line}({func})",
            "cum_ms_per_call": entry[3] / calls * 1000,
        }
        for (file, line, func), entry in ours
    ]
    buckets: dict[str, float] = {}
    for (file, _line, _func), entry in raw.items():
        key = _bucket(file)
        buckets[key] = buckets.get(key, 0.0) + entry[2]
    share = {
        k: round(v / total * 100, 1) for k, v in sorted(buckets.items(), key=lambda kv: -kv[1])
    }
    return {
        "calls": calls,
        "total_ms_per_call": total / calls * 1000,
        "top_own_time": top,
        "top_cumulative_ours": ours_cum,
        "share_pct": share,
    }


# -- report --------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    found = {}
    for dist in (
        "cannon-studio",
        "httpx2",
        "httpcore2",
        "attrs",
        "uvicorn",
        "starlette",
        "jsonschema",
    ):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "missing"
    return found


def print_table(figures: list[Figure]) -> None:
    head = ("figure", "measured", "goal", "result", "baseline / note")
    rows = [
        (
            f.name,
            f.shown(),
            f.goal or "-",
            {True: "PASS", False: "MISS", None: ""}[f.ok],
            f.baseline,
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
    section = None
    print()
    print("  ".join(h.ljust(w) for h, w in zip(head, [*widths, 0], strict=True)).rstrip())
    for fig, row in zip(figures, rows, strict=True):
        if fig.section != section:
            section = fig.section
            print(f"-- {section}")
        print("  ".join(str(c).ljust(w) for c, w in zip(row, [*widths, 0], strict=True)).rstrip())


def print_profile(profile: dict[str, Any]) -> None:
    print(f"\nprofile of requests.retrieve ({profile['calls']} calls, cProfile; "
          f"{profile['total_ms_per_call']:.3f} ms per call under the profiler)")  # fmt: skip
    print("  time by package: " + ", ".join(f"{k} {v}%" for k, v in profile["share_pct"].items()))
    print("  top own time per retrieve:")
    for row in profile["top_own_time"]:
        print(
            f"    {row['own_ms_per_call'] * 1000:7.1f} us  x{row['calls_per_retrieve']:<4g} {row['function']}"
        )
    print("  overlay/generated frames by cumulative time per retrieve:")
    for row in profile["top_cumulative_ours"]:
        print(f"    {row['cum_ms_per_call'] * 1000:7.1f} us  {row['function']}")


@contextmanager
def step(name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    print(f"[bench] {name} ...", flush=True)
    yield
    print(f"[bench] {name}: {time.perf_counter() - t0:.1f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--quick", action="store_true", help="small samples (smoke run)")
    parser.add_argument(
        "--unbounded",
        action="store_true",
        help="also run the async fan-out with all 1,000 creates started at once (slow: minutes)",
    )
    parser.add_argument("--child-fanout", nargs=5, metavar=("MODE", "N", "BASE_URL", "KEY", "C"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv)
    if args.child_fanout:
        mode, n, base_url, key, concurrency = args.child_fanout
        print(json.dumps(child_fanout(mode, int(n), base_url, key, int(concurrency))))
        return 0

    calls, imports, n_async, n_sync = (500, 5, 200, 50) if args.quick else (2000, 10, 1000, 200)
    started = time.perf_counter()
    figures: list[Figure] = []
    with SandboxProcess(instant=True) as sandbox:
        print(f"[bench] sandbox process {sandbox.proc.pid} on {sandbox.base_url}", flush=True)
        with step("per-call overhead"):
            overhead, overlay_call = bench_overhead(sandbox, calls)
            figures += overhead
        with step("profile of retrieve"):
            profile = profile_retrieve(overlay_call, 1000 if not args.quick else 300)
        with step("import cost"):
            figures += bench_import(imports)
        with step(f"fan-out AsyncCannon x{n_async}"):
            figures += bench_fanout(sandbox, "async", n_async, CREATE_CONCURRENCY, 240)
        if args.unbounded:
            with step(f"fan-out AsyncCannon x{n_async}, all creates at once"):
                figures += bench_fanout(sandbox, "async", n_async, 0, 600)
        with step(f"fan-out Cannon x{n_sync}"):
            figures += bench_fanout(sandbox, "sync", n_sync, 0, 240)
    with step("regeneration"):
        figures += bench_regenerate()
    total = time.perf_counter() - started

    print_table(figures)
    print_profile(profile)
    missed = [f for f in figures if f.ok is False]
    info = machine()
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {info['cores']} cores, {info['memory_gib']} GiB, "
        f"Python {info['python']}; run took {total:.0f} s"
        + (" (--quick: small samples)" if args.quick else "")
        + f"; {len(missed)} goal(s) missed"
    )
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": args.quick,
            "run_s": round(total, 1),
            "machine": info,
            "versions": versions(),
            "figures": [asdict(f) for f in figures],
            "profile_retrieve": profile,
        }
        out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
