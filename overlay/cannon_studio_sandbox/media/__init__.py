"""Real, small asset files, one module per kind, rendered from an :class:`~..mediaspec.AssetSpec`.

- PNG (Pillow, :mod:`.image`): the spec's size, showing the request's prompt.
- MP4 (PyAV, :mod:`.video`): H.264 (``libx264``, yuv420p) at the spec's size, frame rate and
  exact duration, with an AAC audio track when the spec says so.
- MP3 (PyAV's ``libmp3lame``, :mod:`.audio`): mono tone of the spec's duration.
- SRT (:mod:`.subtitles`): cues from the input text spanning the spec's duration.
- GLB (pygltflib, :mod:`.model3d`): binary glTF 2.0 with one cube mesh.

Rendering is cached per spec (a spec holds no request id), so a thousand identical requests
encode once. Encoding runs under one lock: PyAV and x264 are not cheap to run twice at once on a
small machine, and the cache makes the second caller free.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from ..mediaspec import AssetSpec
from . import audio, image, model3d, subtitles, video

__all__ = ["CONTENT_TYPES", "content_type", "render"]

#: Content type per file extension.
CONTENT_TYPES = {
    "png": "image/png",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "srt": "application/x-subrip",
    "glb": "model/gltf-binary",
}

_ENCODE_LOCK = threading.Lock()


def content_type(name: str) -> str:
    """MIME type of an asset file name (``application/octet-stream`` when unknown)."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def render(spec: AssetSpec) -> bytes:
    """The bytes of the file ``spec`` describes (thread-safe, cached per spec).

    Raises:
        ValueError: the spec's kind or extension is unknown.
    """
    with _ENCODE_LOCK:
        return _render(spec)


@lru_cache(maxsize=128)
def _render(spec: AssetSpec) -> bytes:
    ext = spec.name.rsplit(".", 1)[-1].lower()
    if spec.kind == "image" and ext == "png":
        return image.png(spec.width, spec.height, spec.text)
    if spec.kind == "video" and ext == "mp4":
        return video.mp4(spec.name, spec.width, spec.height, spec.duration_s, spec.audio)
    if spec.kind == "audio" and ext == "mp3":
        return audio.mp3(spec.name, spec.duration_s)
    if spec.kind == "subtitles" and ext == "srt":
        return subtitles.srt(spec.text, spec.duration_s)
    if spec.kind == "model" and ext == "glb":
        return model3d.glb()
    raise ValueError(f"unknown asset: {spec.name} ({spec.kind})")
