"""Real, small asset files served by the sandbox.

- PNG (Pillow): 320x180, draws the request's prompt, so a test or a person can see which
  request produced it. Rendered per request (a few ms), cached.
- WAV (stdlib ``wave``): 1 s, 16 kHz mono 16-bit PCM sine tone; pitch per asset name. Cached.
- MP4 (PyAV, H.264 ``libx264``, yuv420p): 160x96, 8 frames at 8 fps (1 s), a moving bar and the
  asset name. Encoded once per asset name and cached, so 1,000 requests never re-encode.
- SRT: subtitles made from the input text (subtitles.generate sidecar).
- GLB (pygltflib): binary glTF 2.0 with one textured-less cube mesh. Built once, cached.
"""

from __future__ import annotations

import io
import math
import struct
import threading
import wave
from array import array
from functools import lru_cache

#: Content type per file extension.
CONTENT_TYPES = {
    "png": "image/png",
    "wav": "audio/wav",
    "mp4": "video/mp4",
    "srt": "application/x-subrip",
    "glb": "model/gltf-binary",
}

_ENCODE_LOCK = threading.Lock()


def content_type(name: str) -> str:
    """MIME type of an asset file name (``application/octet-stream`` when unknown)."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


@lru_cache(maxsize=256)
def png(text: str, title: str = "Cannon Studio sandbox") -> bytes:
    """A 320x180 PNG that shows ``title`` and (up to 7 wrapped lines of) ``text``."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (320, 180), (24, 28, 40))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=13)
    draw.rectangle((0, 0, 319, 22), fill=(214, 90, 49))
    draw.text((8, 4), title, fill=(255, 255, 255), font=font)
    lines = _wrap(text, 44)[:7]
    for i, line in enumerate(lines):
        draw.text((8, 30 + i * 20), line, fill=(235, 235, 235), font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=32)
def wav(name: str, seconds: float = 1.0, rate_hz: int = 16_000) -> bytes:
    """A mono 16-bit PCM WAV sine tone of ``seconds`` at ``rate_hz`` samples per second.

    The pitch (220-880 Hz) is derived from ``name`` so different assets sound different.
    """
    freq = 220.0 + (sum(name.encode()) % 7) * 94.0
    count = int(seconds * rate_hz)
    samples = array(
        "h",
        (int(12_000 * math.sin(2 * math.pi * freq * i / rate_hz)) for i in range(count)),
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate_hz)
        writer.writeframes(samples.tobytes())
    return out.getvalue()


_MP4_CACHE: dict[str, bytes] = {}


def mp4(name: str, frames: int = 8, fps: int = 8) -> bytes:
    """An H.264 MP4 of ``frames`` frames at ``fps`` frames per second (1 s by default), 160x96.

    Encoded once per ``name`` (thread-safe) and cached.
    """
    cached = _MP4_CACHE.get(name)
    if cached is not None:
        return cached
    with _ENCODE_LOCK:
        cached = _MP4_CACHE.get(name)
        if cached is None:
            cached = _encode_mp4(name, frames, fps)
            _MP4_CACHE[name] = cached
    return cached


def _encode_mp4(name: str, frames: int, fps: int) -> bytes:
    import av
    from PIL import Image, ImageDraw

    width, height = 160, 96
    out = io.BytesIO()
    container = av.open(out, mode="w", format="mp4")
    try:
        stream = container.add_stream("libx264", rate=fps)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        for i in range(frames):
            image = Image.new("RGB", (width, height), (20, 24, 36))
            draw = ImageDraw.Draw(image)
            x = int((width - 24) * i / max(1, frames - 1))
            draw.rectangle((x, 60, x + 24, 84), fill=(214, 90, 49))
            draw.text((6, 6), name[:24], fill=(240, 240, 240))
            draw.text((6, 24), f"frame {i + 1}/{frames}", fill=(180, 180, 180))
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    finally:
        container.close()
    return out.getvalue()


def srt(text: str, seconds: float = 6.0) -> bytes:
    """SubRip subtitles: ``text`` split into cues of up to 42 characters over ``seconds``."""
    lines = _wrap(text, 42)[:20] or ["(no dialogue)"]
    step = max(0.5, seconds / len(lines))
    blocks = []
    for i, line in enumerate(lines):
        start, end = i * step, (i + 1) * step
        blocks.append(f"{i + 1}\n{_srt_time(start)} --> {_srt_time(end)}\n{line}\n")
    return "\n".join(blocks).encode("utf-8")


def _srt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


@lru_cache(maxsize=1)
def glb() -> bytes:
    """Binary glTF 2.0 (GLB) with one unit cube mesh (8 vertices, 12 triangles), via pygltflib."""
    import pygltflib as gl  # type: ignore[import-untyped]

    points = [(x, y, z) for x in (-0.5, 0.5) for y in (-0.5, 0.5) for z in (-0.5, 0.5)]
    faces = [
        (0, 1, 3), (0, 3, 2), (4, 6, 7), (4, 7, 5), (0, 4, 5), (0, 5, 1),
        (2, 3, 7), (2, 7, 6), (0, 2, 6), (0, 6, 4), (1, 5, 7), (1, 7, 3),
    ]  # fmt: skip
    index_bytes = b"".join(struct.pack("<3H", *f) for f in faces)
    index_bytes += b"\x00" * (-len(index_bytes) % 4)
    vertex_bytes = b"".join(struct.pack("<3f", *p) for p in points)
    blob = index_bytes + vertex_bytes
    gltf = gl.GLTF2(
        asset=gl.Asset(version="2.0", generator="cannon-studio sandbox"),
        scene=0,
        scenes=[gl.Scene(nodes=[0])],
        nodes=[gl.Node(mesh=0, name="location")],
        meshes=[
            gl.Mesh(primitives=[gl.Primitive(attributes=gl.Attributes(POSITION=1), indices=0)])
        ],
        accessors=[
            gl.Accessor(
                bufferView=0,
                componentType=gl.UNSIGNED_SHORT,
                count=len(faces) * 3,
                type=gl.SCALAR,
                max=[7],
                min=[0],
            ),
            gl.Accessor(
                bufferView=1,
                componentType=gl.FLOAT,
                count=len(points),
                type=gl.VEC3,
                max=[0.5, 0.5, 0.5],
                min=[-0.5, -0.5, -0.5],
            ),
        ],
        bufferViews=[
            gl.BufferView(
                buffer=0, byteOffset=0, byteLength=len(faces) * 6, target=gl.ELEMENT_ARRAY_BUFFER
            ),
            gl.BufferView(
                buffer=0,
                byteOffset=len(index_bytes),
                byteLength=len(vertex_bytes),
                target=gl.ARRAY_BUFFER,
            ),
        ],
        buffers=[gl.Buffer(byteLength=len(blob))],
    )
    gltf.set_binary_blob(blob)
    data: bytes = b"".join(gltf.save_to_bytes())
    return data


def render(name: str, text: str, seconds: float | None = None) -> bytes:
    """The bytes of asset ``name`` (extension decides the format); ``text`` feeds PNG and SRT.

    Raises:
        ValueError: unknown extension.
    """
    ext = name.rsplit(".", 1)[-1].lower()
    if ext == "png":
        return png(text)
    if ext == "wav":
        return wav(name)
    if ext == "mp4":
        return mp4(name)
    if ext == "srt":
        return srt(text, seconds or 6.0)
    if ext == "glb":
        return glb()
    raise ValueError(f"unknown asset type: {name}")
