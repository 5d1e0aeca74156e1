"""Audio: a mono sine tone encoded with PyAV, as MP3 files (``libmp3lame``) or as the AAC track
of a video. The pitch comes from the asset name, so different assets sound different."""

from __future__ import annotations

import io
import math
from array import array
from functools import lru_cache

import av
from av.audio.stream import AudioStream
from av.container import OutputContainer

from ..mediaspec import AUDIO_RATE_HZ

#: Samples per period of the tone: AUDIO_RATE_HZ / PERIOD is the pitch's base (200 Hz at 8 kHz).
_PERIODS = (40, 32, 27, 24, 20, 18, 16)
MP3_BIT_RATE = 16_000
AAC_BIT_RATE = 24_000


def _period(name: str) -> int:
    return _PERIODS[sum(name.encode()) % len(_PERIODS)]


@lru_cache(maxsize=len(_PERIODS))
def _second_of_tone(period: int) -> bytes:
    one = array("h", (int(9000 * math.sin(2 * math.pi * i / period)) for i in range(period)))
    repeats = AUDIO_RATE_HZ // period + 2
    return one.tobytes() * repeats


def encode_tone(container: OutputContainer, stream: AudioStream, name: str, seconds: float) -> None:
    """Encode ``seconds`` of tone into the audio ``stream`` of ``container`` (and flush it)."""
    period = _period(name)
    tone = _second_of_tone(period)
    total = round(seconds * AUDIO_RATE_HZ)
    done = 0
    while done < total:
        count = min(AUDIO_RATE_HZ, total - done)
        offset = (done % period) * 2
        frame = av.AudioFrame(format="s16", layout="mono", samples=count)
        frame.planes[0].update(tone[offset : offset + 2 * count])
        frame.sample_rate = AUDIO_RATE_HZ
        frame.pts = done
        for packet in stream.encode(frame):
            container.mux(packet)
        done += count
    for packet in stream.encode(None):
        container.mux(packet)


def add_audio_stream(container: OutputContainer, codec: str, bit_rate: int) -> AudioStream:
    """A mono audio stream at AUDIO_RATE_HZ."""
    stream = container.add_stream(codec, rate=AUDIO_RATE_HZ)
    assert isinstance(stream, AudioStream)
    stream.layout = "mono"
    stream.bit_rate = bit_rate
    return stream


def mp3(name: str, seconds: float) -> bytes:
    """An MP3 file: ``seconds`` of mono tone at AUDIO_RATE_HZ, 16 kbit/s."""
    out = io.BytesIO()
    container = av.open(out, mode="w", format="mp3")
    try:
        stream = add_audio_stream(container, "libmp3lame", MP3_BIT_RATE)
        encode_tone(container, stream, name, seconds)
    finally:
        container.close()
    return out.getvalue()
