"""``make demo``: the main job end to end — a real multi-step media pipeline.

Length (over 450 lines): one narrative, read top to bottom as the walkthrough of the pipeline;
splitting it would scatter the story a newcomer follows.

What it does, by default (no environment needed):

1. starts the sandbox (``cannon_studio_sandbox``) on a free loopback port, with realistic timing
   (a few seconds per job) and webhooks sent like a real at-least-once sender (some duplicated,
   some reordered), and a local webhook receiver (a real HTTP server on 127.0.0.1) that verifies
   every delivery with :func:`cannon_studio.webhooks.verify`, handles each event once and
   acknowledges repeats;
2. runs the pipeline, each step feeding the next::

       status -> prompt.enhance.image -> image.generate (enhancedPrompt)
              -> video.generate (image-guided, image URL)  } in parallel
              -> narration.generate                        }
              -> lipsync.generate (video + narration audio) -> video.upscale (lip-synced video)

3. downloads every asset into ``out/demo/`` and prints a summary table (operation, request id,
   final status, credits, seconds, webhook verified, file and size).

Exit code 0 only if every step succeeded, every asset was downloaded and every webhook verified;
1 otherwise; 2 for bad configuration; 130 on Ctrl-C. Whatever it started (sandbox, receiver)
is stopped on success, failure and Ctrl-C.

With ``CANNON_BASE_URL`` and ``CANNON_API_KEY`` set, the same pipeline runs against that server
instead (it spends real credits). Webhooks are then only used if ``CANNON_DEMO_WEBHOOK_URL`` is a
public URL that forwards to the local receiver (port ``CANNON_DEMO_WEBHOOK_PORT``, default 8788),
with ``CANNON_WEBHOOK_SECRET`` to verify them. ``CANNON_DEMO_VOICE_ID`` overrides the narration
voice (``voice_123``, the docs' example id).

Options: ``--fast`` (instant sandbox, used by the test suite), ``--out DIR``, ``--idea TEXT``
(the starting prompt; a ``[fail]`` marker makes the sandbox fail the first step), ``--json``
(summary as JSON on stdout), ``--timeout SECONDS`` (per step).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cannon_studio
import httpx2
from cannon_studio import Cannon
from cannon_studio.assets import download as download_asset
from cannon_studio.assets import safe_filename
from cannon_studio.cli import RequestProgress, status_style
from cannon_studio.webhooks import MemoryDedupeStore
from cannon_studio.webhooks import verify as verify_webhook
from cannon_studio_sandbox import FaultRule, Sandbox, SandboxConfig
from rich.console import Console
from rich.table import Table
from rich.text import Text

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "out" / "demo"

IDEA = "An old lighthouse keeper's cat watches a storm roll in over a dark sea at dusk."
VISUAL_STYLE = "cinematic, moody teal and amber light, wet stone, soft film grain"
MOTION = "Slow push-in on the cat as lightning flickers; waves crash below, rain streaks the glass."
NARRATION = "Every storm tells a story. Tonight, the old cat is the only one listening."
WEBHOOK_PATH = "/webhooks/cannon"
WEBHOOK_WAIT_S = 15.0


# ------------------------------------------------------------------------------ webhook receiver
@dataclass
class Delivery:
    """One webhook delivery received by :class:`WebhookReceiver`."""

    request_id: str | None
    event_type: str | None
    verified: bool
    error: str | None = None
    repeat: bool = False  # the same webhook-id again (at-least-once delivery)


class WebhookReceiver:
    """A small HTTP server on loopback that verifies every delivery (Standard Webhooks).

    Args:
        secret: the ``whsec_...`` signing secret.
        host, port: where to listen (port 0 picks a free one).

    Each POST is verified with :func:`cannon_studio.webhooks.verify` and deduplicated on
    ``webhook-id``: a good delivery gets ``204``, a repeat of one already handled ``204`` too
    (acknowledged, not handled again), a bad one ``400``. Use as a context manager: the server
    stops when the block exits.
    """

    def __init__(self, secret: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.secret = secret
        self.deliveries: list[Delivery] = []
        self._seen = MemoryDedupeStore()
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                ok = receiver._receive(body, headers)
                self.send_response(204 if ok else 400)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="demo-webhooks", daemon=True
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/webhooks/cannon``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{WEBHOOK_PATH}"

    def _receive(self, body: bytes, headers: dict[str, str]) -> bool:
        """Verify and record one delivery; return whether it verified."""
        try:
            event = verify_webhook(body, headers, self.secret, dedupe=self._seen)
            delivery = Delivery(event.data.id, event.type_, True)
        except cannon_studio.WebhookReplayError:  # signed correctly, seen before: acknowledge
            delivery = Delivery(_request_id_of(body), None, True, repeat=True)
        except Exception as exc:  # a bad delivery is recorded, never crashes the receiver
            delivery = Delivery(_request_id_of(body), None, False, f"{type(exc).__name__}: {exc}")
        with self._cond:
            self.deliveries.append(delivery)
            self._cond.notify_all()
        return delivery.verified

    def verdict(self, request_id: str, status: str) -> str:
        """``verified`` (signed correctly, event type ``request.<status>``), ``INVALID`` (a
        delivery failed verification), ``wrong type`` or ``missing``."""
        with self._cond:
            every = [d for d in self.deliveries if d.request_id == request_id]
        mine = [d for d in every if not d.repeat]
        if any(not d.verified for d in every):
            return "INVALID"
        if not mine:
            return "missing"
        return (
            "verified" if all(d.event_type == f"request.{status}" for d in mine) else "wrong type"
        )

    def repeats(self, request_id: str) -> int:
        """How many repeat deliveries (same ``webhook-id``) ``request_id`` got."""
        with self._cond:
            return sum(1 for d in self.deliveries if d.request_id == request_id and d.repeat)

    def wait_for(self, request_ids: list[str], timeout: float) -> None:
        """Block until each of ``request_ids`` has a delivery, or ``timeout`` SECONDS passed."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                seen = {d.request_id for d in self.deliveries}
                remaining = deadline - time.monotonic()
                if all(r in seen for r in request_ids) or remaining <= 0:
                    return
                self._cond.wait(remaining)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _request_id_of(body: bytes) -> str | None:
    try:
        data = json.loads(body)
        return str(data["data"]["id"])
    except (ValueError, KeyError, TypeError):
        return None


# -------------------------------------------------------------------------------------- pipeline
@dataclass
class Step:
    """One row of the summary."""

    operation: str
    input: dict[str, Any] = field(default_factory=dict)
    request_id: str = ""
    status: str = "not run"
    credits: int | None = None
    seconds: float | None = None
    webhook: str = "n/a"
    webhook_repeats: int = 0
    files: list[Path] = field(default_factory=list)
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "input": self.input,
            "request_id": self.request_id,
            "status": self.status,
            "credits": self.credits,
            "seconds": self.seconds,
            "webhook": self.webhook,
            "webhook_repeats": self.webhook_repeats,
            "files": [{"path": str(p), "bytes": p.stat().st_size} for p in self.files],
            "detail": self.detail,
        }


class StepFailed(Exception):
    """A pipeline step did not succeed (the summary says which)."""


@dataclass
class Pipeline:
    """Runs the steps against ``client``, downloading into ``out_dir``."""

    client: Cannon
    out_dir: Path
    progress: RequestProgress
    webhook_url: str | None
    timeout: float
    err: Console
    steps: list[Step] = field(default_factory=list)

    def _submit(self, operation: str, payload: dict[str, Any]) -> tuple[Step, Any]:
        step = Step(operation, dict(payload))
        self.steps.append(step)
        handle = self.client.requests.create(operation, payload, webhook_url=self.webhook_url)
        step.request_id = handle.id
        step.status = handle.status
        self.progress.add(handle.id, operation, handle.status)
        return step, handle

    def _finish(self, step: Step, handle: Any, started: float) -> None:
        request = handle.request
        step.status = handle.status
        step.credits = handle.credits
        created = getattr(request, "created_at_ms", None)
        completed = getattr(request, "completed_at_ms", None)
        if isinstance(created, int) and isinstance(completed, int):
            step.seconds = (completed - created) / 1000
        else:
            step.seconds = time.monotonic() - started
        if handle.status != "succeeded":
            step.detail = handle.error_message or "failed"
            raise StepFailed(f"{step.operation} {handle.id} {handle.status}: {step.detail}")
        index = self.steps.index(step) + 1  # fixed order: 01 prompt ... 06 upscale
        urls = handle.asset_urls()
        if not urls and step.operation != "prompt.enhance.image":
            raise StepFailed(f"{step.operation} {handle.id} succeeded without an asset URL")
        for n, url in enumerate(urls):
            suffix = Path(safe_filename(url)).suffix
            extra = f"-{n + 1}" if n else ""
            name = f"{index:02d}-{step.operation.replace('.', '-')}{extra}{suffix}"
            # the API's own download rules: local asset hosts only when the API is local
            policy = cannon_studio.DownloadPolicy.for_base_url(self.client.base_url)
            step.files.append(download_asset(url, self.out_dir / name, policy=policy))

    def run_one(self, operation: str, payload: dict[str, Any]) -> Any:
        """Create, wait (progress on stderr), download; return the handle. Raises StepFailed."""
        started = time.monotonic()
        step, handle = self._submit(operation, payload)
        with contextlib.suppress(cannon_studio.RequestFailedError):
            handle.wait(max_wait=self.timeout, on_update=self.progress.update)
        self.progress.update(handle)
        self._finish(step, handle, started)
        return handle

    def run_parallel(self, jobs: list[tuple[str, dict[str, Any]]]) -> list[Any]:
        """Create several requests at once and follow them with ``as_completed``."""
        started = time.monotonic()
        submitted = [self._submit(op, payload) for op, payload in jobs]
        by_id = {handle.id: step for step, handle in submitted}
        handles = [handle for _, handle in submitted]
        for handle in self.client.requests.as_completed(
            handles, max_wait=self.timeout, on_update=self.progress.update
        ):
            self.progress.update(handle)
            self._finish(by_id[handle.id], handle, started)
        return handles

    def run(self, idea: str, voice_id: str) -> None:
        """The whole chain; each step's output feeds the next. Raises StepFailed."""
        enhance = self.run_one(
            "prompt.enhance.image",
            {
                "prompt": idea,
                "visualStyle": VISUAL_STYLE,
                "aspectRatio": "16:9",
                "rewriteRequest": "Make it a premium cinematic key-art frame.",
            },
        )
        enhanced = str(enhance.output.enhanced_prompt)
        prompt_file = self.out_dir / "01-enhanced-prompt.txt"
        prompt_file.write_text(enhanced + "\n", encoding="utf-8")
        self.steps[-1].files.append(prompt_file)
        self.steps[-1].detail = enhanced
        self.err.print(Text.assemble(("enhanced prompt: ", "bold"), enhanced), soft_wrap=True)

        image = self.run_one(
            "image.generate",
            {"prompt": enhanced, "model": "gptimage2", "aspect_ratio": "16:9"},
        )
        image_url = image.asset_urls()[0]

        video, narration = self.run_parallel(
            [
                (
                    "video.generate",
                    {
                        "prompt": MOTION,
                        "model": "wan27video",
                        "image_url": image_url,
                        "duration": 5,
                        "aspect_ratio": "16:9",
                        "resolution": "720p",
                    },
                ),
                (
                    "narration.generate",
                    {"text": NARRATION, "voice_id": voice_id, "tone": "warm, hushed, cinematic"},
                ),
            ]
        )
        lipsync = self.run_one(
            "lipsync.generate",
            {
                "video_url": video.asset_urls()[0],
                "audio_url": narration.asset_urls()[0],
                "video_title": "Storm watch",
                "audio_title": "Narration",
            },
        )
        self.run_one(
            "video.upscale",
            {
                "video_url": lipsync.asset_urls()[0],
                "model": "wavespeed",
                "target_resolution": "1080p",
                "video_title": "Storm watch (lip-synced)",
            },
        )


# ----------------------------------------------------------------------------------------- setup
@dataclass
class Target:
    """Where the pipeline runs: the sandbox we started, or a server from the environment."""

    base_url: str
    api_key: str
    webhook_secret: str | None
    webhook_url: str | None
    receiver_port: int
    label: str


#: Share of webhook events the demo's sandbox sends twice / holds back (a real sender does both).
WEBHOOK_DUPLICATE_RATE = 0.5
WEBHOOK_REORDER_RATE = 0.5


@contextlib.contextmanager
def sandbox_target(fast: bool) -> Iterator[Target]:
    """Start the sandbox on a free loopback port; stop it when the block exits.

    Its webhooks behave like a real at-least-once sender's: some events arrive twice (same
    ``webhook-id``), some are held back so later ones overtake them.
    """
    if fast:
        config = SandboxConfig.instant()
    else:  # realistic: a few seconds per job, polled as the API advises (poll_after_ms)
        config = SandboxConfig(job_duration_s=(1.5, 3.5), queue_delay_s=0.5, poll_after_ms=1000)
    api_key = next(iter(config.api_keys))
    sandbox = Sandbox(config)
    delay_s = 0.05 if fast else 0.5
    sandbox.add_fault(
        FaultRule("duplicate", endpoint="webhooks", rate=WEBHOOK_DUPLICATE_RATE, delay_s=delay_s)
    )
    sandbox.add_fault(
        FaultRule("reorder", endpoint="webhooks", rate=WEBHOOK_REORDER_RATE, delay_s=2 * delay_s)
    )
    with sandbox.serve(host="127.0.0.1", port=0) as server:
        yield Target(
            base_url=server.base_url,
            api_key=api_key,
            webhook_secret=config.webhook_secret,
            webhook_url=None,  # the receiver's own loopback URL
            receiver_port=0,
            label=(
                f"sandbox at {server.base_url} ({'instant' if fast else 'a few seconds per job'}; "
                "webhooks duplicated and reordered like a real sender's)"
            ),
        )


def live_target() -> Target | None:
    """The server of ``CANNON_BASE_URL`` + ``CANNON_API_KEY``, or ``None`` when unset."""
    base_url = os.environ.get("CANNON_BASE_URL")
    api_key = os.environ.get("CANNON_API_KEY")
    if not (base_url and api_key):
        return None
    return Target(
        base_url=base_url,
        api_key=api_key,
        webhook_secret=os.environ.get("CANNON_WEBHOOK_SECRET"),
        webhook_url=os.environ.get("CANNON_DEMO_WEBHOOK_URL"),
        receiver_port=int(os.environ.get("CANNON_DEMO_WEBHOOK_PORT", "8788")),
        label=f"{base_url} (from CANNON_BASE_URL; this spends real credits)",
    )


def _summary(console: Console, steps: list[Step], out_dir: Path) -> None:
    table = Table(title=f"Cannon Studio demo — assets in {out_dir}", title_justify="left")
    for name in (
        "operation",
        "request id",
        "status",
        "credits",
        "seconds",
        "webhook",
        "file",
        "size",
    ):
        table.add_column(name, overflow="fold", no_wrap=name != "file")
    for step in steps:
        files: list[Path | None] = [*step.files] or [None]
        for n, path in enumerate(files):
            first = n == 0
            table.add_row(
                step.operation if first else "",
                step.request_id if first else "",
                Text(step.status, style=status_style(step.status)) if first else "",
                (str(step.credits) if step.credits is not None else "") if first else "",
                (f"{step.seconds:.1f}" if step.seconds is not None else "") if first else "",
                Text(
                    step.webhook
                    + (f" (+{step.webhook_repeats} repeat)" if step.webhook_repeats else ""),
                    style="green" if step.webhook == "verified" else "yellow",
                )
                if first
                else "",
                path.name if path else "",
                _size(path.stat().st_size) if path else "",
            )
    console.print(table)


def _size(n: int) -> str:
    return f"{n / 1000:.1f} kB" if n < 1_000_000 else f"{n / 1_000_000:.2f} MB"


def _prepare_out(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("[0-9][0-9]-*"):  # only files a previous demo run wrote
        if old.is_file():
            old.unlink()


def main(argv: list[str] | None = None) -> int:
    """Run the demo; return the exit code (0 all good, 1 a step or webhook failed, 2 config, 130 Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="demo.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="instant sandbox (for tests)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"asset folder ({DEFAULT_OUT})"
    )
    parser.add_argument("--idea", default=IDEA, help="the starting prompt")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds to wait for each step (600)"
    )
    args = parser.parse_args(argv)
    out = Console(highlight=False)
    if not out.is_terminal:
        out.width = max(out.width, 150)  # logs and pipes: keep the summary rows on one line
    err = Console(stderr=True, highlight=False)
    if not err.is_terminal:
        err.width = max(err.width, 150)
    voice_id = os.environ.get("CANNON_DEMO_VOICE_ID", "voice_123")

    live = live_target()
    if live is not None and live.webhook_url and not live.webhook_secret:
        err.print("CANNON_DEMO_WEBHOOK_URL needs CANNON_WEBHOOK_SECRET to verify deliveries")
        return 2
    steps: list[Step] = []
    ok = False
    try:
        with contextlib.ExitStack() as stack:
            target = live or stack.enter_context(sandbox_target(args.fast))
            err.print(f"[bold]Cannon Studio demo[/] on {target.label}")
            receiver: WebhookReceiver | None = None
            webhook_url = target.webhook_url
            if target.webhook_secret and (live is None or webhook_url):
                receiver = stack.enter_context(
                    WebhookReceiver(target.webhook_secret, port=target.receiver_port)
                )
                webhook_url = webhook_url or receiver.url
                err.print(f"webhook receiver on {receiver.url} (verifies every delivery)")
            else:
                err.print(
                    "[yellow]webhooks off:[/] set CANNON_DEMO_WEBHOOK_URL (a public URL forwarding "
                    "to this machine) and CANNON_WEBHOOK_SECRET to receive them"
                )
            _prepare_out(args.out)
            client = stack.enter_context(
                Cannon(api_key=target.api_key, base_url=target.base_url, timeout=60.0)
            )
            status = client.status()
            err.print(
                f"status: {status.status} — {status.message} — credits: {status.credits_remaining}"
            )
            failure: str | None = None
            with RequestProgress(err, live=err.is_terminal and not args.json) as progress:
                pipeline = Pipeline(client, args.out, progress, webhook_url, args.timeout, err)
                steps = pipeline.steps
                try:
                    pipeline.run(args.idea, voice_id)
                except StepFailed as exc:
                    failure = str(exc)
                except cannon_studio.WaitTimeoutError as exc:
                    failure = f"timed out: {exc}"
            if receiver is not None:
                created = [s.request_id for s in steps if s.request_id]
                receiver.wait_for(created, WEBHOOK_WAIT_S)
                for step in steps:
                    if step.request_id:
                        step.webhook = receiver.verdict(step.request_id, step.status)
                        step.webhook_repeats = receiver.repeats(step.request_id)
            after = client.status()
            err.print(f"credits remaining: {after.credits_remaining}")
            all_verified = receiver is None or all(s.webhook == "verified" for s in steps)
            ok = failure is None and all_verified and all(s.status == "succeeded" for s in steps)
            if failure:
                err.print(f"[red]pipeline stopped:[/] {failure}")
            elif not all_verified:
                err.print("[red]some webhooks were missing or did not verify[/]")
    except KeyboardInterrupt:
        err.print("[yellow]interrupted; everything the demo started has been stopped[/]")
        return 130
    except (cannon_studio.CannonError, httpx2.HTTPError, OSError) as exc:
        # API errors after retries, an unreachable server, a port already in use...
        err.print(f"[red]demo failed:[/] {type(exc).__name__}: {exc}")
        ok = False
    if args.json:
        summary = {"ok": ok, "out_dir": str(args.out), "steps": [s.to_dict() for s in steps]}
        print(json.dumps(summary, indent=2))
    else:
        _summary(out, steps, args.out)
        out.print(
            Text(
                "all steps succeeded, all webhooks verified" if ok else "demo FAILED",
                style="bold green" if ok else "bold red",
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
