"""The sandbox in its own process, so the client's CPU and memory are measured apart from it."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2

__all__ = ["CONTROL_HEADERS", "LIGHT_MIX", "ROOT", "SandboxProcess", "run_child"]

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
BANNER = re.compile(r"sandbox on (http://\S+)\s+api key: (\S+)")
CONTROL_TOKEN = "bench-control-token-0123456789"
"""Passed as ``--control-token``; the control API (``/_sandbox/*``) asks for it."""
CONTROL_HEADERS = {"x-sandbox-token": CONTROL_TOKEN, "content-type": "application/json"}

LIGHT_MIX: dict[str, Any] = {
    "seed": 0,
    "job_duration_s": [1.0, 3.0],
    "queue_delay_s": 0.2,
    "poll_after_ms": 2000,
}
"""The sandbox's default timing (and the docs' 2000 ms hint): jobs 0.2 s queued + U[1, 3] s,
seed 0 (``reset`` then replays the same seeded jobs)."""


class SandboxProcess:
    """``python -m cannon_studio_sandbox`` on 127.0.0.1, port chosen by the OS; stopped on exit.

    Args:
        instant: start in instant mode (terminal at creation); ``configure`` changes timing.
    """

    def __init__(self, *, instant: bool = True) -> None:
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the process
            prefix="cannon-bench-sandbox-", suffix=".log"
        )
        args = [sys.executable, "-m", "cannon_studio_sandbox", "--host", LOOPBACK, "--port", "0"]
        args += ["--control-token", CONTROL_TOKEN]
        args += ["--credits", "1000000000"]  # headroom: the default caps large fan-outs
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
        self.admin = httpx2.Client(base_url=self.base_url, timeout=60.0, headers=CONTROL_HEADERS)

    def _pump(self, lines: queue.Queue[str]) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # drained to the end so the pipe never blocks the server
            lines.put(line)

    def tail(self) -> str:
        """The last 2,000 characters of the sandbox's stderr."""
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def configure(self, **updates: Any) -> dict[str, Any]:
        """``POST /_sandbox/config`` (partial update); returns the new public config."""
        response = self.admin.post("/_sandbox/config", json=updates)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def reset(self) -> None:
        """Forget every request and reseed (so the next run gets the same seeded jobs)."""
        self.admin.post("/_sandbox/reset").raise_for_status()

    def prepare(self, **timing: Any) -> None:
        """The light mix (or ``timing``) and seed 0, then a reset: the same seeded jobs again."""
        self.configure(**{**LIGHT_MIX, **timing})
        self.reset()

    def ledger(self) -> dict[str, Any]:
        """``GET /_sandbox/ledger``."""
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
        """Terminate the process (kill after 10 s) and close the admin client."""
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


def run_child(
    args: dict[str, Any], *, timeout_s: float, module: str = "scripts.bench.child"
) -> dict[str, Any]:
    """Run ``python -m module`` with ``args`` (JSON) and return its JSON result.

    ``module``: ``scripts.bench.child`` (the client) or ``scripts.bench.baselines``.

    Raises:
        RuntimeError: the child failed or did not finish within ``timeout_s`` seconds.
    """
    command = [sys.executable, "-m", module, json.dumps(args)]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{args['scenario']} x{args.get('n')}: over {timeout_s:.0f} s") from exc
    if result.returncode != 0:
        raise RuntimeError(f"{args['scenario']} child failed:\n{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data
