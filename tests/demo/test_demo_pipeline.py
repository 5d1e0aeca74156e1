"""``make demo`` (scripts/demo.py): the pipeline end to end, run as a real process.

The fast mode (instant sandbox) runs the same pipeline as ``make demo``; every downloaded asset
is then opened with a real decoder (Pillow for PNG, PyAV for MP4 and MP3) and checked against
the input of the step that made it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest
from cannon_studio_sandbox.mediaspec import SCALE
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scripts" / "demo.py"
PIPELINE = [
    "prompt.enhance.image",
    "image.generate",
    "video.generate",
    "narration.generate",
    "lipsync.generate",
    "video.upscale",
]


@dataclass
class DemoRun:
    returncode: int
    summary: dict[str, Any]
    stderr: str


def _env(**extra: str) -> dict[str, str]:
    skip = ("CANNON_", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(extra)
    return env


def _run(out: Path, *args: str, env: dict[str, str] | None = None) -> DemoRun:
    proc = subprocess.run(
        [sys.executable, str(DEMO), "--json", "--out", str(out), *args],
        cwd=ROOT,
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return DemoRun(proc.returncode, json.loads(proc.stdout), proc.stderr)


@pytest.fixture(scope="module")
def fast_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    yield _run(tmp_path_factory.mktemp("demo"), "--fast")


def _files(run: DemoRun, operation: str) -> list[Path]:
    step = next(s for s in run.summary["steps"] if s["operation"] == operation)
    return [Path(f["path"]) for f in step["files"]]


def test_fast_demo_runs_every_step_and_verifies_every_webhook(fast_run: DemoRun) -> None:
    assert fast_run.returncode == 0, fast_run.stderr
    steps = fast_run.summary["steps"]
    assert fast_run.summary["ok"] is True
    assert [s["operation"] for s in steps] == PIPELINE
    for step in steps:
        assert step["status"] == "succeeded", step
        assert step["webhook"] == "verified", step
        assert re.fullmatch(r"req_\w+", step["request_id"])
        assert isinstance(step["credits"], int) and step["credits"] > 0
        assert step["files"], step
        for item in step["files"]:
            assert Path(item["path"]).stat().st_size == item["bytes"] > 0
    assert len({s["request_id"] for s in steps}) == len(PIPELINE)
    # the demo's sandbox duplicates (and reorders) webhooks like a real at-least-once sender;
    # the receiver handled each event once and acknowledged the repeats
    assert sum(s["webhook_repeats"] for s in steps) > 0


def test_each_step_feeds_the_next(fast_run: DemoRun) -> None:
    # the enhanced prompt was written out and drove the image step
    (prompt_file,) = _files(fast_run, "prompt.enhance.image")
    enhanced = prompt_file.read_text(encoding="utf-8").strip()
    assert enhanced and enhanced == fast_run.summary["steps"][0]["detail"]
    assert "enhanced prompt:" in fast_run.stderr


def _step(run: DemoRun, operation: str) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in run.summary["steps"] if s["operation"] == operation)
    return step


def _aspect(label: str) -> Fraction:
    w, h = label.split(":")
    return Fraction(int(w), int(h))


@dataclass
class Media:
    """What a real decoder (Pillow / PyAV) finds in a downloaded asset. Seconds."""

    width: int = 0
    height: int = 0
    seconds: float = 0.0
    frame_s: float = 0.0
    audio: bool = False
    audio_codec: str | None = None


def _open(path: Path) -> Media:
    if path.suffix == ".png":
        with Image.open(path) as image:
            image.load()
            assert image.format == "PNG"
            return Media(image.width, image.height)
    with av.open(str(path)) as container:
        audio = container.streams.audio[0] if container.streams.audio else None
        codec = audio.codec_context.name if audio else None
        if not container.streams.video:
            assert audio is not None
            samples = sum(frame.samples for frame in container.decode(audio=0))
            return Media(
                seconds=samples / audio.codec_context.sample_rate, audio=True, audio_codec=codec
            )
        fps = float(container.streams.video[0].average_rate or 0)
        frames = list(container.decode(video=0))
    return Media(
        frames[0].width, frames[0].height, len(frames) / fps, 1 / fps, audio is not None, codec
    )


def test_the_assets_follow_the_inputs(fast_run: DemoRun) -> None:
    """Every downloaded file, opened by a real decoder, is what its step's input asked for."""
    image_in = _step(fast_run, "image.generate")["input"]
    (image_file,) = _files(fast_run, "image.generate")
    image = _open(image_file)
    assert Fraction(image.width, image.height) == _aspect(image_in["aspect_ratio"])

    video_in = _step(fast_run, "video.generate")["input"]
    (video_file,) = _files(fast_run, "video.generate")
    video = _open(video_file)
    assert Fraction(video.width, video.height) == _aspect(video_in["aspect_ratio"])
    assert abs(video.seconds - video_in["duration"]) <= video.frame_s
    assert min(video.width, video.height) == int(video_in["resolution"].rstrip("p")) // SCALE
    assert video.audio is ("audio_url" in video_in)

    (narration_file,) = _files(fast_run, "narration.generate")
    assert narration_file.suffix == ".mp3"
    narration = _open(narration_file)
    assert narration.audio_codec is not None and narration.audio_codec.startswith("mp3")
    assert narration.seconds > 0

    (lipsync_file,) = _files(fast_run, "lipsync.generate")
    lipsync = _open(lipsync_file)
    assert lipsync.audio  # the narration is on it
    assert (lipsync.width, lipsync.height) == (video.width, video.height)
    assert abs(lipsync.seconds - video_in["duration"]) <= lipsync.frame_s

    upscale_in = _step(fast_run, "video.upscale")["input"]
    (upscale_file,) = _files(fast_run, "video.upscale")
    upscaled = _open(upscale_file)
    assert (
        min(upscaled.width, upscaled.height)
        == int(upscale_in["target_resolution"].rstrip("p")) // SCALE
    )
    assert Fraction(upscaled.width, upscaled.height) == Fraction(video.width, video.height)
    assert abs(upscaled.seconds - video_in["duration"]) <= upscaled.frame_s
    assert upscaled.audio


def test_one_asset_per_media_step_in_out_dir(fast_run: DemoRun) -> None:
    out = Path(fast_run.summary["out_dir"])
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "01-enhanced-prompt.txt",
        "02-image-generate.png",
        "03-video-generate.mp4",
        "04-narration-generate.mp3",
        "05-lipsync-generate.mp4",
        "06-video-upscale.mp4",
    ]


def test_a_failed_step_stops_the_pipeline_and_exits_1(tmp_path: Path) -> None:
    run = _run(tmp_path, "--fast", "--idea", "[fail] a scene the sandbox refuses")
    assert run.returncode == 1
    assert run.summary["ok"] is False
    (step,) = run.summary["steps"]
    assert step["operation"] == "prompt.enhance.image"
    assert step["status"] == "failed"
    assert "pipeline stopped" in run.stderr


def test_runs_against_a_server_from_the_environment(cannon_sandbox: Any, tmp_path: Path) -> None:
    env = _env(CANNON_BASE_URL=cannon_sandbox.base_url, CANNON_API_KEY=cannon_sandbox.api_key)
    run = _run(tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert cannon_sandbox.base_url in run.stderr
    assert "webhooks off" in run.stderr
    assert [s["webhook"] for s in run.summary["steps"]] == ["n/a"] * len(PIPELINE)
    # the requests were made on that server, not on a sandbox of the demo's own
    ledger_ids = {entry["id"] for entry in cannon_sandbox.sandbox.ledger()}
    assert {s["request_id"] for s in run.summary["steps"]} == ledger_ids


def test_server_from_the_environment_with_webhooks(cannon_sandbox: Any, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = _env(
        CANNON_BASE_URL=cannon_sandbox.base_url,
        CANNON_API_KEY=cannon_sandbox.api_key,
        CANNON_WEBHOOK_SECRET=cannon_sandbox.webhook_secret,
        CANNON_DEMO_WEBHOOK_URL=f"http://127.0.0.1:{port}/webhooks/cannon",
        CANNON_DEMO_WEBHOOK_PORT=str(port),
    )
    run = _run(tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert [s["webhook"] for s in run.summary["steps"]] == ["verified"] * len(PIPELINE)


def test_ctrl_c_stops_everything(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(DEMO), "--out", str(tmp_path)],  # realistic timing: seconds per job
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_default,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        match = re.search(r"sandbox at (http://127\.0\.0\.1:(\d+))", first)
        assert match, first
        port = int(match.group(2))
        for line in proc.stderr:  # wait until the first job is running
            if "prompt.enhance.image" in line:
                break
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert "interrupted" in rest
    assert "Traceback" not in rest
    with socket.socket() as sock:  # the sandbox port is closed
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def _sigint_default() -> None:
    """In the child: take SIGINT's default action back. A background job (``make test &``,
    some CI runners) inherits SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
