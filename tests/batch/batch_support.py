"""Helpers of the batch tests (imported by name; tests/ has no packages): job files and the
outcome each job must have, derived from the file itself (the sandbox fails an input that
contains its failure marker, and a job taking values from a failed job is skipped)."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx2
from cannon_studio.batch import JOURNAL_NAME, BatchJournalError
from cannon_studio.batch._graph import JobGraph
from cannon_studio.batch._jobs import jobs_from_mappings
from cannon_studio.batch._journal import Journal

FAIL = "[fail]"


def write_jobs(path: Path, jobs: Iterable[Mapping[str, Any]]) -> Path:
    """Write ``jobs`` as JSON Lines to ``path``; return it."""
    path.write_text("".join(json.dumps(job) + "\n" for job in jobs), encoding="utf-8")
    return path


def ref(job_id: str, output: str) -> dict[str, str]:
    """A reference to ``job_id``'s output field."""
    return {"from": job_id, "output": output}


def mixed_jobs(n: int, *, seed: int = 0, fail_rate: float = 0.15) -> list[dict[str, Any]]:
    """``n`` jobs: single prompts and images, and chains (prompt -> image -> video, video +
    narration -> lip sync); about ``fail_rate`` of them carry the failure marker."""
    rng = random.Random(seed)
    jobs: list[dict[str, Any]] = []

    def marker() -> str:
        return f" {FAIL}" if rng.random() < fail_rate else ""

    i = 0
    while len(jobs) < n:
        i += 1
        kinds = (
            ["prompt", "image", "chain", "lipsync"] if n - len(jobs) >= 3 else ["prompt", "image"]
        )
        kind = rng.choice(kinds)
        if kind == "prompt":
            jobs.append(
                {
                    "id": f"p{i}",
                    "operation": "prompt.enhance.video",
                    "input": {"prompt": f"A runner at sunrise, take {i}.{marker()}", "duration": 8},
                }
            )
        elif kind == "image":
            jobs.append(
                {
                    "operation": "image.generate",
                    "input": {"prompt": f"A lighthouse at dusk, variant {i}{marker()}"},
                }
            )
        elif kind == "chain":
            jobs += [
                {
                    "id": f"c{i}-prompt",
                    "operation": "prompt.enhance.image",
                    "input": {"prompt": f"A cat watching a storm, shot {i}{marker()}"},
                },
                {
                    "id": f"c{i}-image",
                    "operation": "image.generate",
                    "input": {"prompt": ref(f"c{i}-prompt", "enhancedPrompt")},
                },
                {
                    "id": f"c{i}-video",
                    "operation": "video.generate",
                    "input": {
                        "prompt": f"Slow push-in {i}{marker()}",
                        "image_url": ref(f"c{i}-image", "image_url"),
                        "duration": 2,
                    },
                },
            ]
        else:
            jobs += [
                {
                    "id": f"l{i}-video",
                    "operation": "video.generate",
                    "input": {"prompt": f"A quiet harbour {i}{marker()}", "duration": 2},
                },
                {
                    "id": f"l{i}-voice",
                    "operation": "narration.generate",
                    "input": {"text": f"Line {i}.{marker()}", "voice_id": "voice_123"},
                },
                {
                    "id": f"l{i}-sync",
                    "operation": "lipsync.generate",
                    "input": {
                        "video_url": ref(f"l{i}-video", "video_url"),
                        "audio_url": ref(f"l{i}-voice", "audio_url"),
                    },
                },
            ]
    return jobs


def _has_marker(value: Any) -> bool:
    if isinstance(value, str):
        return FAIL in value
    if isinstance(value, dict):
        return any(_has_marker(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_marker(v) for v in value)
    return False


def expected_states(jobs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Job id -> the state it must end in (``succeeded``, ``failed`` or ``skipped``)."""
    parsed = jobs_from_mappings(jobs)
    graph = JobGraph(parsed)
    states: dict[str, str] = {}
    for job_id in graph.topological():
        job = graph.jobs[job_id]
        if any(states[dep] != "succeeded" for dep in job.depends_on):
            states[job_id] = "skipped"
        elif _has_marker(job.input):
            states[job_id] = "failed"
        else:
            states[job_id] = "succeeded"
    return states


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


API_KEY = "cs_test_batch_kill_000000000000"
BANNER = re.compile(r"sandbox on (http://127\.0\.0\.1:\d+)")
CONTROL_TOKEN = "batch-kill-control-token-0123"


class SandboxProcess:
    """``python -m cannon_studio_sandbox`` on an ephemeral loopback port, and its control API."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cannon_studio_sandbox",
                "--port",
                "0",
                "--api-key",
                API_KEY,
                "--seed",
                "7",
                "--control-token",
                CONTROL_TOKEN,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        match = BANNER.search(line)
        assert match, f"sandbox did not start: {line!r}"
        self.base_url = match.group(1)
        self.http = httpx2.Client(
            base_url=self.base_url,
            timeout=30.0,
            headers={"x-sandbox-token": CONTROL_TOKEN, "content-type": "application/json"},
        )

    def control(self, method: str, path: str, json: Any = None) -> Any:
        response = self.http.request(method, f"/_sandbox/{path}", json=json)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def runner(file: Path, out: Path, base_url: str, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CANNON_")}
    env |= {"CANNON_BASE_URL": base_url, "CANNON_API_KEY": API_KEY, "COLUMNS": "200"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cannon_studio.cli",
            "batch",
            str(file),
            "--out",
            str(out),
            "--concurrency",
            "32",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=sigint_default,
        text=True,
        env=env,
    )


def _last_event(out: Path) -> int:
    if not (out / JOURNAL_NAME).is_file():
        return 0
    with Journal(out / JOURNAL_NAME, readonly=True) as journal:
        events = journal.events(limit=1)
    return int(events[0]["seq"]) if events else 0


def wait_started(proc: subprocess.Popen[str], out: Path, timeout: float = 60.0) -> bool:
    """Until the runner has journaled a change of its own (True), or has ended (False)."""
    before = _last_event(out)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if _last_event(out) > before:
                return True
        except BatchJournalError:  # the file is being created
            pass
        time.sleep(0.05)
    raise AssertionError("the runner did not start")


def sigint_default() -> None:
    """In the runner child: take SIGINT's default action back. A background job (``make test &``,
    some CI runners) inherits SIGINT ignored, and the Ctrl-C tests would then never interrupt it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
