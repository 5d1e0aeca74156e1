"""Fixtures for the sandbox tests: an in-process sandbox and an httpx2 client mounted on it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2
import pytest
from cannon_studio_sandbox import Sandbox, SandboxConfig

# One valid input per operation (the docs' example requests; the 3 undocumented ones follow the schema).
VALID_INPUTS: dict[str, dict[str, Any]] = {
    "video.generate": {
        "prompt": "A handheld chase through a crowded market at blue hour.",
        "model": "wan27video",
        "duration": 10,
        "aspect_ratio": "16:9",
        "resolution": "1080p",
        "image_url": "https://example.com/start-frame.jpg",
    },
    "image.generate": {
        "prompt": "A cinematic detective portrait in the rain.",
        "model": "seedream5",
        "aspect_ratio": "16:9",
    },
    "image.edit": {
        "prompt": "Turn this into a rain-soaked night version.",
        "image_url": "https://example.com/source.png",
        "model": "gptimage2",
        "resolution": "4K",
    },
    "sora2.character_video.generate": {
        "character_id": "char_123",
        "prompt": "The hero walks into the rain.",
        "duration": 8,
    },
    "sora2.character.create": {
        "name": "Sunny",
        "source_video_url": "https://example.com/sunny.mp4",
    },
    "prompt.enhance.video": {
        "prompt": "A runner sprinting through a desert canyon at sunrise.",
        "visualStyle": "cinematic, high-contrast golden light",
        "duration": 8,
        "aspectRatio": "16:9",
        "rewriteRequest": "Make the camera motion feel premium but keep the direction readable.",
    },
    "prompt.enhance.image": {
        "prompt": "A stormy alley with neon reflections and a lone detective."
    },
    "prompt.enhance.location": {"prompt": "A rainy night market with food stalls."},
    "prompt.enhance.variant": {
        "prompt": "Turn this base hero look into a rain-soaked tactical variant."
    },
    "music.generate": {
        "prompt": "Warm indie-folk underscore.",
        "provider": "kie",
        "model": "V5",
        "title": "Breakfast Nook Theme",
        "duration_seconds": 45,
    },
    "narration.generate": {
        "text": "Sunny looks up from the table.",
        "voice_id": "voice_123",
        "stability": 0.7,
    },
    "soundfx.generate": {
        "prompt": "Soft ceramic mug set down.",
        "mode": "video_context",
        "duration_seconds": 8,
        "video_url": "https://example.com/scene.mp4",
    },
    "lipsync.generate": {
        "video_url": "https://example.com/source.mp4",
        "audio_url": "https://example.com/dialogue.mp3",
        "video_duration": 6.2,
    },
    "subtitles.generate": {
        "video_url": "https://example.com/source.mp4",
        "duration": 42,
        "subtitle_settings": {"font": "Inter", "fontSize": 56, "color": "#FFFFFF"},
    },
    "smartmotion.generate": {
        "file_url": "https://example.com/start-frame.jpg",
        "duration": 6,
        "control_mode": "camera_control",
        "camera_control": {"zoom": 18},
    },
    "video.upscale": {
        "video_url": "https://example.com/source.mp4",
        "duration_seconds": 7.2,
        "target_resolution": "4k",
    },
    "sora2.video.edit": {
        "sora_video_id": "video_abc123",
        "prompt": "Shift the lighting to blue-hour rain.",
        "model": "sora-2-pro",
        "duration": 12,
    },
    "sora2.video.extend": {
        "sora_video_id": "video_abc123",
        "prompt": "Continue the shot.",
        "duration": 20,
    },
    "sora2.video.remix": {
        "sora_video_id": "video_abc123",
        "prompt": "Brighter editorial treatment.",
        "aspect_ratio": "9:16",
    },
    "three_d.location.generate": {
        "name": "Neon street market",
        "description": "A rainy night market.",
        "source_image_urls": ["https://example.com/front.jpg"],
        "angle_context": [
            {"image_url": "https://example.com/front.jpg", "label": "Front", "azimuth": 0}
        ],
        "quality": "standard",
    },
}


@pytest.fixture
def sb() -> Sandbox:
    """A fresh in-process sandbox in instant mode."""
    return Sandbox(SandboxConfig.instant())


@pytest.fixture
async def client(sb: Sandbox) -> AsyncIterator[httpx2.AsyncClient]:
    """An httpx2 client mounted on ``sb.app`` in-process, authenticated with the default key."""
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://sandbox.test",
        headers={"x-api-key": sb.api_key, **sb.guard.headers},
    ) as c:
        yield c


def body(operation: str, **extra: Any) -> dict[str, Any]:
    """A valid create body for ``operation``."""
    return {"operation": operation, "input": dict(VALID_INPUTS[operation]), **extra}


@contextlib.contextmanager
def loopback_server(answer: Callable[[dict[str, str], bytes], int]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (free port) whose POSTs are answered by
    ``answer(headers, body) -> status``; yields its ``http://127.0.0.1:PORT/hook`` URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["content-length"]))
            status = answer({k.lower(): v for k, v in self.headers.items()}, raw)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()
