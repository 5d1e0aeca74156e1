"""MP4 videos (PyAV): H.264 at the planned size and frame rate, optionally with an AAC track."""

from __future__ import annotations

import io

import av
from PIL import Image, ImageDraw

from ..mediaspec import FPS
from .audio import AAC_BIT_RATE, add_audio_stream, encode_tone


def mp4(name: str, width: int, height: int, seconds: float, audio: bool) -> bytes:
    """An H.264 MP4 of ``round(seconds * FPS)`` frames (a moving bar and the asset name), with a
    mono AAC tone of ``seconds`` when ``audio``."""
    frames = max(1, round(seconds * FPS))
    out = io.BytesIO()
    container = av.open(out, mode="w", format="mp4")
    try:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "35"}
        sound = add_audio_stream(container, "aac", AAC_BIT_RATE) if audio else None
        bar = max(4, min(width, height) // 6)
        for i in range(frames):
            image = Image.new("RGB", (width, height), (20, 24, 36))
            draw = ImageDraw.Draw(image)
            x = int((width - bar) * i / max(1, frames - 1))
            draw.rectangle((x, height - 2 * bar, x + bar, height - bar), fill=(214, 90, 49))
            draw.text((3, 3), name[:24], fill=(240, 240, 240))
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
        if sound is not None:
            encode_tone(container, sound, name, seconds)
    finally:
        container.close()
    return out.getvalue()
