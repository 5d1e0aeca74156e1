"""The progress display: live frames on a terminal, plain status lines otherwise, and a long
``cannon-studio run`` that shows a display which updates and ends with the output and the
downloaded file path."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from cannon_studio.cli._progress import RequestProgress
from cli_support import Invoke, created_ids, strip_ansi
from rich.console import Console

FRAME_ELAPSED = re.compile(r"(\d+\.\d) s\b")  # "1.5 s" in the live table
# a status-change line: "  1.5s req_1 image.generate queued"
LINE = re.compile(r"^\s*\d+\.\ds (\S+) (\S+) (\S+)\s*$")


def status_lines(text: str) -> list[tuple[str, ...]]:
    """The status-change lines as a terminal shows them (escapes removed, split on CR and LF)."""
    pieces = re.split(r"[\r\n]", strip_ansi(text))
    return [m.groups() for m in map(LINE.match, pieces) if m]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _handle(status: str, credits: int | None = None) -> Any:
    return SimpleNamespace(id="req_1", status=status, operation="image.generate", credits=credits)


def test_live_display_renders_frames_that_update() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100, color_system=None)
    clock = FakeClock()
    with RequestProgress(console, live=True, refresh_per_second=1, clock=clock) as progress:
        assert progress.is_live
        progress.add("req_1", "image.generate", "queued")
        clock.now += 0.5
        progress.update(_handle("queued"))
        clock.now += 1.0
        progress.update(_handle("processing", credits=28))
        clock.now += 1.5
        progress.update(_handle("processing", credits=28))
        clock.now += 0.5
        progress.update(_handle("succeeded", credits=28))
    text = buffer.getvalue()
    # several frames, each with the elapsed time of its moment
    assert {"0.5", "1.5", "3.0", "3.5"} <= set(FRAME_ELAPSED.findall(text))
    assert "\x1b[" in text  # cursor movement between frames
    plain = strip_ansi(text)
    assert "28 credits" in plain
    # status-change lines, in order, printed once each
    assert [m[2] for m in status_lines(plain)] == ["queued", "processing", "succeeded"]
    assert progress.elapsed("req_1") == 3.5  # frozen at the terminal status


def test_without_a_terminal_only_status_changes_are_printed() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=100)
    clock = FakeClock()
    with RequestProgress(console, live=False, clock=clock) as progress:
        assert not progress.is_live
        progress.add("req_1", "image.generate", "queued")
        clock.now += 1.0
        progress.update(_handle("queued"))
        progress.update(_handle("processing"))
        clock.now += 2.0
        progress.update(_handle("succeeded"))
    text = buffer.getvalue()
    assert "\x1b" not in text
    assert status_lines(text) == [
        ("req_1", "image.generate", "queued"),
        ("req_1", "image.generate", "processing"),
        ("req_1", "image.generate", "succeeded"),
    ]
    assert not FRAME_ELAPSED.search(text)


def _slow(cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.update_config(
        job_duration_s=(1.5, 1.5), queue_delay_s=0.5, poll_after_ms=100
    )


def test_long_run_shows_a_live_display_then_output_and_download(
    invoke: Invoke, cannon_sandbox: Any, tmp_path: Path
) -> None:
    _slow(cannon_sandbox)
    result = invoke(
        "run",
        "image.generate",
        "--prompt",
        "A lighthouse in a storm",
        "--download",
        str(tmp_path),
        env={"FORCE_COLOR": "1", "COLUMNS": "100", "TERM": "xterm-256color"},
    )
    assert result.exit_code == 0, result.output
    (request_id,) = created_ids(cannon_sandbox.sandbox)
    stderr = strip_ansi(result.stderr)
    # the live table was redrawn many times while the job ran (elapsed time moving)
    frames = FRAME_ELAPSED.findall(stderr)
    assert len(set(frames)) >= 5, stderr
    assert max(float(f) for f in frames) >= 1.5
    assert request_id in stderr
    # and every status change was printed as it happened
    statuses = [m[2] for m in status_lines(stderr) if m[0] == request_id]
    assert statuses[0] == "queued" and statuses[-1] == "succeeded"
    assert "processing" in statuses
    # output, then the downloaded file
    (path,) = tmp_path.iterdir()
    stdout = strip_ansi(result.stdout)
    assert "succeeded" in stdout
    assets_section = stdout.split("assets:", 1)[1].split("downloaded:", 1)[0]
    assert f"/assets/{request_id}/image.png" in assets_section
    assert str(path) in stdout.replace("\n", "")
    assert path.read_bytes().startswith(b"\x89PNG")


def test_long_run_in_a_pipe_prints_status_changes_without_live_frames(
    invoke: Invoke, cannon_sandbox: Any
) -> None:
    _slow(cannon_sandbox)
    result = invoke("run", "narration.generate", "--text", "Hello.", "--voice-id", "v1")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr
    assert not FRAME_ELAPSED.search(result.stderr)
    statuses = [m[2] for m in status_lines(result.stderr)]
    assert statuses[0] == "queued" and statuses[-1] == "succeeded" and "processing" in statuses


def test_json_mode_has_no_live_display(invoke: Invoke, cannon_sandbox: Any) -> None:
    _slow(cannon_sandbox)
    result = invoke(
        "run",
        "prompt.enhance.video",
        "--prompt",
        "A runner",
        "--json",
        env={"FORCE_COLOR": "1", "TERM": "xterm-256color"},
    )
    assert result.exit_code == 0, result.output
    assert not FRAME_ELAPSED.search(strip_ansi(result.stderr))
    assert [m[2] for m in status_lines(result.stderr)][-1] == "succeeded"


def test_wait_for_several_on_a_terminal_with_downloads(
    invoke: Invoke, cannon_sandbox: Any, tmp_path: Path
) -> None:
    _slow(cannon_sandbox)
    ids = []
    for n in range(2):
        created = invoke("run", "image.generate", "--prompt", f"frame {n}", "--no-wait", "--json")
        ids.append(json.loads(created.stdout)["accepted"]["id"])
    result = invoke(
        "wait",
        *ids,
        "--download",
        str(tmp_path),
        env={"FORCE_COLOR": "1", "COLUMNS": "100", "TERM": "xterm-256color"},
    )
    assert result.exit_code == 0, result.output
    stderr = strip_ansi(result.stderr)
    assert len(set(FRAME_ELAPSED.findall(stderr))) >= 3
    for request_id in ids:
        statuses = [m[2] for m in status_lines(stderr) if m[0] == request_id]
        assert statuses[-1] == "succeeded"
    # one folder per request, so same-named assets do not overwrite each other
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ids)
    for request_id in ids:
        (png,) = (tmp_path / request_id).iterdir()
        assert png.read_bytes().startswith(b"\x89PNG")


def test_ctrl_c_while_waiting_exits_130_with_a_resume_hint(cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.update_config(job_duration_s=(30.0, 30.0), poll_after_ms=100)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CANNON_", "FORCE_COLOR"))},
        "CANNON_BASE_URL": cannon_sandbox.base_url,
        "CANNON_API_KEY": cannon_sandbox.api_key,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "cannon_studio.cli", "run", "image.generate", "--prompt", "slow"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_default,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()  # "   0.0s req_... image.generate queued"
        assert "queued" in first, first
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    (request_id,) = created_ids(cannon_sandbox.sandbox)
    assert f"cannon-studio wait {request_id}" in rest
    assert "Traceback" not in rest


def _sigint_default() -> None:
    """In the child: take SIGINT's default action back. A background job (``make test &``,
    some CI runners) inherits SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
