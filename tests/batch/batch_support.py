"""Helpers of the batch tests (imported by name; tests/ has no packages): job files and the
outcome each job must have, derived from the file itself (the sandbox fails an input that
contains its failure marker, and a job taking values from a failed job is skipped)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cannon_studio.batch import JobGraph, jobs_from_mappings

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
