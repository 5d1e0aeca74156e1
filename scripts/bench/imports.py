"""Import cost in a core-only venv: what a user who ran ``pip install cannon-studio`` pays.

The venv (``out/bench/core-venv``) gets the project without extras (``pip install .``; rebuilt
when the sources change), so neither the dev tools nor legacy httpx are there. Each command runs
in a fresh process, medians of ``runs`` interleaved in rotating order after one warm-up:

- ``import httpx2`` (the baseline);
- ``import cannon_studio``;
- client constructed (``Cannon(api_key=...)``);
- ready for the first GET: construct, then one ``requests.retrieve`` through
  ``httpx2.MockTransport`` (no network: the generated models, the parse, the retry transport);
- first create validated: construct, then one ``requests.create`` through a mock (registry,
  jsonschema validator, envelope model).

Goal: ready for first GET <= 1.3x ``import httpx2``.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import Context, Row
from .sandbox_process import ROOT

__all__ = ["bench_import", "core_venv", "run"]

GOAL = 1.3
"""Ready for the first GET: at most this many times ``import httpx2``."""

VENV = ROOT / "out" / "bench" / "core-venv"

_MOCK = (
    "import httpx2, cannon_studio;"
    "body = {'id': 'req_1', 'operation': 'image.generate', 'status': 'processing',"
    " 'billableCredits': 6, 'createdAtMs': 1, 'output': None,"
    " 'poll_after_ms': 2000, 'urls': {'get': 'https://api.test/api/v1/requests/req_1'}};"
    "answer = lambda r: httpx2.Response(202 if r.method == 'POST' else 200, json=body);"
    "c = cannon_studio.Cannon(api_key='cs_test_bench_0000', base_url='https://api.test',"
    " transport=httpx2.MockTransport(answer));"
)
COMMANDS = {
    "import httpx2": "import httpx2",
    "import cannon_studio": "import cannon_studio",
    "client constructed": "import cannon_studio; cannon_studio.Cannon(api_key='cs_test_bench_0000')",
    "ready for first GET": _MOCK + "c.requests.retrieve('req_1')",
    "first create validated": _MOCK
    + "c.requests.create('image.generate', {'prompt': 'a red square'})",
}


def _digest(tops: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for top in tops:
        path = ROOT / top
        files = (
            [path] if path.is_file() else sorted(path.rglob("*.py")) + sorted(path.rglob("*.json"))
        )
        for file in files:
            if "__pycache__" not in file.parts:
                digest.update(file.read_bytes())
    return digest.hexdigest()


def core_venv() -> Path:
    """The core-only venv's python (created, or brought up to date with the sources).

    The project's wheel is built by this (dev) interpreter without build isolation (it has
    hatchling), then installed into the core venv: with its dependencies when the venv is new or
    ``pyproject.toml`` changed, else alone (``--no-deps``): ~5 s instead of ~20 s for a rebuild.
    """
    python = VENV / "bin" / "python"
    stamp = VENV / ".source-digest"
    deps_stamp = VENV / ".pyproject-digest"
    digest, deps_digest = (
        _digest(("pyproject.toml", "overlay", "generated")),
        _digest(("pyproject.toml",)),
    )
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    fresh = not (python.exists() and deps_stamp.exists() and deps_stamp.read_text() == deps_digest)
    if fresh:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = ["-m", "pip", "--disable-pip-version-check", "--quiet"]
    with tempfile.TemporaryDirectory(prefix="cannon-bench-wheel-") as wheels:
        subprocess.run(
            [sys.executable, *pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels,
             str(ROOT)],
            check=True, capture_output=True,
        )  # fmt: skip
        wheel = [str(path) for path in Path(wheels).glob("*.whl")]
        extra = [] if fresh else ["--no-deps", "--force-reinstall"]
        subprocess.run([str(python), *pip, "install", *extra, *wheel], check=True,
                       capture_output=True)  # fmt: skip
    stamp.write_text(digest)
    deps_stamp.write_text(deps_digest)
    return python


def bench_import(runs: int) -> tuple[list[Row], dict[str, object]]:
    """Median wall time of each command in fresh core-only processes, beside ``import httpx2``."""
    python = core_venv()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CANNON_"))}
    cwd = tempfile.gettempdir()
    leaked = subprocess.run(
        [str(python), "-c", "import importlib.util as u; print(u.find_spec('httpx') is not None)"],
        capture_output=True, text=True, env=env, cwd=cwd, check=True,
    ).stdout.strip()  # fmt: skip
    for code in COMMANDS.values():  # warm the bytecode and page caches
        subprocess.run([str(python), "-c", code], check=True, env=env, cwd=cwd)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    names = list(COMMANDS)
    for i in range(runs):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            t0 = time.perf_counter()
            subprocess.run([str(python), "-c", COMMANDS[name]], check=True, env=env, cwd=cwd)
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(values) * 1000 for name, values in times.items()}
    base = med["import httpx2"]
    section = f"import (core-only venv: no extras, legacy httpx there: {leaked}; median of {runs})"
    rows = [
        Row(section, name, med[name], "ms", base, "import httpx2",
            GOAL if name == "ready for first GET" else None,
            note="fresh process each, interleaved" if name == "ready for first GET" else "")
        for name in names[1:]
    ]  # fmt: skip
    for row in rows:
        if row.ok is False:
            row.profile = _importtime(python, COMMANDS[row.name], env, cwd)
    return rows, {"median_ms": med, "httpx_in_core_venv": leaked}


def _importtime(python: Path, code: str, env: dict[str, str], cwd: str) -> list[str]:
    """``python -X importtime``: the top-level imports that cost the most (cumulative us)."""
    err = subprocess.run(
        [str(python), "-X", "importtime", "-c", code],
        capture_output=True, text=True, env=env, cwd=cwd, check=True,
    ).stderr  # fmt: skip
    found: list[tuple[int, int, str]] = []  # (cumulative us, depth, module)
    for line in err.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 2:
                found.append((int(parts[1]), depth, name.strip()))
    total = sum(us for us, depth, _ in found if depth == 0)
    found.sort(reverse=True)
    lines = [f"python -X importtime (one run; {total / 1000:.0f} ms in imports; cumulative):"]
    lines += [f"  {us / 1000:6.1f} ms  {'  ' * depth}{name}" for us, depth, name in found[:8]]
    return lines


def run(ctx: Context) -> list[Row]:
    """The import round (5 runs each with ``quick``, else 9)."""
    rows, ctx.results["import"] = bench_import(5 if ctx.quick else 9)
    return rows
