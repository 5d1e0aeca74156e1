"""The media follows the request's inputs. Every file is opened by a real decoder (Pillow, PyAV,
a SubRip parser) and its size, orientation, duration and audio stream are checked against what
the request asked for; aspect ratios and durations are taken from the schema's enums.

Sizes are the nominal size divided by ``mediaspec.SCALE`` (the sandbox's documented factor), with
the aspect ratio exact; so a test compares ratios exactly and sides within one rounding step.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import httpx2
import pytest
from cannon_studio_sandbox import Sandbox
from cannon_studio_sandbox.mediaspec import MAX_SECONDS, SCALE
from cannon_studio_sandbox.schema import ApiSchema

from .media_probe import Facts, aspect_of, probe

SCHEMA = ApiSchema.load()
AUDIO_SLACK_S = 0.15  # encoder priming/padding of MP3 and AAC


def enum(component: str, field: str) -> list[Any]:
    prop = SCHEMA.component(component)["properties"][field]
    while "enum" not in prop:
        ref = prop.get("$ref") or prop["allOf"][0]["$ref"]
        prop = SCHEMA.component(ref.rsplit("/", 1)[-1])
    return list(prop["enum"])


IMAGE_ASPECTS = enum("ImageGenerateInput", "aspect_ratio")
VIDEO_ASPECTS = enum("VideoGenerateInput", "aspect_ratio")
SORA_DURATIONS = enum("Sora2VideoExtendInput", "duration")


class Run:
    """Create requests on an in-process sandbox and fetch + decode their assets."""

    def __init__(self, sb: Sandbox, client: httpx2.AsyncClient) -> None:
        self.sb = sb
        self.client = client

    async def output(self, operation: str, **input_: Any) -> dict[str, Any]:
        r = await self.client.post(
            "/api/v1/requests", json={"operation": operation, "input": input_}
        )
        assert r.status_code == 202, r.text
        obj = (await self.client.get(f"/api/v1/requests/{r.json()['id']}")).json()
        assert obj["status"] == "succeeded", obj
        output: dict[str, Any] = obj["output"]
        return output

    async def facts(self, url: str) -> Facts:
        r = await self.client.get(url)
        assert r.status_code == 200, url
        return probe(r.headers["content-type"], r.content)


@pytest.fixture
def run(sb: Sandbox, client: httpx2.AsyncClient) -> Run:
    return Run(sb, client)


def assert_lasts(facts: Facts, seconds: float) -> None:
    """A video lasts ``seconds`` within a frame; its audio track (if any) as long."""
    assert abs(facts.duration_s - seconds) <= facts.frame_s, (facts.duration_s, seconds)
    if facts.audio:
        assert abs(facts.audio_duration_s - seconds) <= facts.frame_s + AUDIO_SLACK_S


def short_side(facts: Facts) -> int:
    return min(facts.width, facts.height)


def near(value: int, nominal: float, step: int) -> bool:
    """``value`` is ``nominal / SCALE`` within one rounding step of ``step`` pixels."""
    return abs(value - nominal / SCALE) <= step


# -- images ------------------------------------------------------------------------------------


@pytest.mark.parametrize("aspect", IMAGE_ASPECTS)
async def test_image_has_the_exact_aspect_ratio_and_orientation(run: Run, aspect: str) -> None:
    out = await run.output("image.generate", prompt="a lighthouse", aspect_ratio=aspect)
    image = await run.facts(out["image_url"])
    want = aspect_of(aspect)
    assert image.aspect == want and out["aspect_ratio"] == aspect
    assert (image.height > image.width) == (want < 1)  # 9:16 is portrait, 16:9 landscape
    assert near(max(image.width, image.height), 1024, max(want.numerator, want.denominator))


async def test_image_resolution_and_quality_set_the_size(run: Run) -> None:
    sides = {}
    for resolution, nominal in (("1K", 1024), ("2K", 2048), ("4K", 4096)):
        out = await run.output(
            "image.generate", prompt="x", aspect_ratio="3:2", resolution=resolution
        )
        image = await run.facts(out["image_url"])
        assert image.aspect == Fraction(3, 2) and near(image.width, nominal, 3)
        sides[resolution] = image.width
    high = await run.facts(
        (await run.output("image.generate", prompt="x", quality="high", aspect_ratio="3:2"))[
            "image_url"
        ]
    )
    assert high.width == sides["4K"]
    square = await run.output(
        "image.generate", prompt="x", model="gptimage2", aspect_ratio="1:1", resolution="4K"
    )
    assert (await run.facts(square["image_url"])).width == near_side(
        2048
    )  # documented: capped below 4K


def near_side(nominal: int) -> int:
    return round(nominal / SCALE)


async def test_image_edit_keeps_the_source_size_or_takes_the_largest_gpt_size(run: Run) -> None:
    source = await run.output(
        "image.generate", prompt="source", aspect_ratio="9:16", resolution="2K"
    )
    src = await run.facts(source["image_url"])
    kept = await run.output(
        "image.edit", prompt="rain", image_url=source["image_url"], model="seedream5"
    )
    edited = await run.facts(kept["image_url"])
    assert (edited.width, edited.height) == (src.width, src.height)
    assert kept["aspect_ratio"] == "9:16"
    gpt = await run.output(
        "image.edit", prompt="rain", image_url=source["image_url"], model="gptimage2"
    )
    largest = await run.facts(gpt["image_url"])  # documented default: the largest legal size
    assert largest.aspect == Fraction(9, 16) and near(largest.height, 4096, 16)


# -- video -------------------------------------------------------------------------------------


@pytest.mark.parametrize("aspect", VIDEO_ASPECTS)
async def test_video_orientation_follows_the_aspect_ratio(run: Run, aspect: str) -> None:
    out = await run.output(
        "video.generate", prompt="x", duration=1, aspect_ratio=aspect, resolution="720p"
    )
    video = await run.facts(out["video_url"])
    want = aspect_of(aspect)
    assert video.aspect == want and out["aspect_ratio"] == aspect
    assert (video.height > video.width) == (want < 1)
    assert video.width % 2 == 0 and video.height % 2 == 0  # H.264 4:2:0 needs even sides
    assert near(short_side(video), 720, 2 * min(want.numerator, want.denominator))


async def test_video_lasts_the_requested_duration_and_has_audio_only_with_audio_url(
    run: Run,
) -> None:
    silent = await run.output("video.generate", prompt="x", duration=5, aspect_ratio="9:16")
    video = await run.facts(silent["video_url"])
    assert_lasts(video, 5)
    assert not video.audio
    assert silent["duration"] == 5 and video.height > video.width
    scored = await run.output(
        "video.generate",
        prompt="x",
        duration=3,
        audio_url="https://example.com/a.mp3",
        resolution="1080p",
    )
    video = await run.facts(scored["video_url"])
    assert video.audio and video.audio_codec == "aac"
    assert_lasts(video, 3)
    assert short_side(video) == near_side(1080)


async def test_sora_extend_lasts_source_plus_extension_with_audio(run: Run) -> None:
    extension = SORA_DURATIONS[1]
    out = await run.output(
        "sora2.video.extend",
        sora_video_id="video_1",
        prompt="on",
        duration=extension,
        source_duration=4,
    )
    video = await run.facts(out["video_url"])
    assert_lasts(video, extension + 4)
    assert video.audio
    assert out["duration"] == extension + 4
    remix = await run.output(
        "sora2.video.remix", sora_video_id="video_1", prompt="x", aspect_ratio="9:16"
    )
    assert (await run.facts(remix["video_url"])).height > (
        await run.facts(remix["video_url"])
    ).width


@pytest.mark.parametrize("factor", [2, 4])
async def test_upscale_multiplies_both_sides_of_the_source(run: Run, factor: int) -> None:
    source = await run.output(
        "video.generate",
        prompt="x",
        duration=2,
        aspect_ratio="16:9",
        resolution="480p",
        audio_url="https://example.com/a.mp3",
    )
    src = await run.facts(source["video_url"])
    out = await run.output("video.upscale", video_url=source["video_url"], upscale_factor=factor)
    up = await run.facts(out["video_url"])
    assert (up.width, up.height) == (src.width * factor, src.height * factor)
    assert_lasts(up, 2)
    assert up.audio  # the source's length and sound are kept
    assert out["duration"] == 2 and out["aspect_ratio"] == "16:9"


async def test_upscale_to_a_target_resolution(run: Run) -> None:
    source = await run.output(
        "video.generate", prompt="x", duration=1, aspect_ratio="9:16", resolution="480p"
    )
    out = await run.output(
        "video.upscale", video_url=source["video_url"], target_resolution="1080p"
    )
    up = await run.facts(out["video_url"])
    assert short_side(up) == near_side(1080) and up.aspect == Fraction(9, 16)
    # a source the sandbox did not make: taken as 720p 16:9 of duration_seconds
    ext = await run.output(
        "video.upscale",
        video_url="https://example.com/source.mp4",
        duration_seconds=7.2,
        target_resolution="4k",
    )
    up = await run.facts(ext["video_url"])
    assert short_side(up) == near_side(2160) and up.aspect == Fraction(16, 9)
    assert_lasts(up, 7.2)


async def test_lipsync_has_an_audio_stream_and_the_source_video_length(run: Run) -> None:
    video = await run.output("video.generate", prompt="x", duration=3, aspect_ratio="1:1")
    voice = await run.output("narration.generate", text="Every storm tells a story.", voice_id="v")
    out = await run.output(
        "lipsync.generate", video_url=video["video_url"], audio_url=voice["audio_url"]
    )
    synced = await run.facts(out["video_url"])
    src = await run.facts(video["video_url"])
    assert synced.audio and synced.audio_codec == "aac"
    assert_lasts(synced, 3)
    assert (synced.width, synced.height) == (src.width, src.height)
    ext = await run.output(
        "lipsync.generate",
        video_url="https://example.com/v.mp4",
        audio_url="https://example.com/a.mp3",
        video_duration=6.2,
        audio_duration=5.9,
    )
    synced = await run.facts(ext["video_url"])
    assert synced.audio and abs(synced.duration_s - 6.2) <= synced.frame_s
    dialogue = await run.facts(ext["audio_url"])
    assert dialogue.kind == "mp3" and abs(dialogue.duration_s - 5.9) <= AUDIO_SLACK_S


async def test_subtitles_span_the_source_and_keep_its_picture(run: Run) -> None:
    video = await run.output(
        "video.generate",
        prompt="x",
        duration=3,
        aspect_ratio="9:16",
        audio_url="https://example.com/a.mp3",
    )
    out = await run.output("subtitles.generate", video_url=video["video_url"])
    srt = await run.facts(out["subtitles_url"])
    assert srt.cues[0][0] == 0 and srt.cues[-1][1] == 3.0
    assert all(a < b for a, b, _ in srt.cues)
    burned = await run.facts(out["video_url"])
    src = await run.facts(video["video_url"])
    assert (burned.width, burned.height, burned.audio) == (src.width, src.height, True)
    assert_lasts(burned, 3)
    ext = await run.output("subtitles.generate", video_url="https://example.com/s.mp4", duration=42)
    assert (await run.facts(ext["subtitles_url"])).cues[-1][1] == 42.0


async def test_smartmotion_follows_its_source_and_duration(run: Run) -> None:
    still = await run.output("image.generate", prompt="x", aspect_ratio="9:16")
    out = await run.output("smartmotion.generate", file_url=still["image_url"], duration=6)
    clip = await run.facts(out["video_url"])
    assert clip.aspect == Fraction(9, 16) and not clip.audio
    assert_lasts(clip, 6)


# -- audio -------------------------------------------------------------------------------------


async def test_audio_operations_produce_mp3_of_the_requested_duration(run: Run) -> None:
    music = await run.facts(
        (await run.output("music.generate", prompt="x", duration_seconds=12))["audio_url"]
    )
    assert music.kind == "mp3" and abs(music.duration_s - 12) <= AUDIO_SLACK_S
    out = await run.output(
        "soundfx.generate", prompt="x", duration_seconds=8, video_url="https://example.com/v.mp4"
    )
    sfx = await run.facts(out["audio_url"])
    assert sfx.kind == "mp3" and abs(sfx.duration_s - 8) <= AUDIO_SLACK_S
    preview = await run.facts(out["sfx_video_url"])
    assert preview.audio and abs(preview.duration_s - 8) <= preview.frame_s


async def test_narration_is_mp3_and_speed_shortens_it(run: Run) -> None:
    text = " ".join(["word"] * 20)
    normal = await run.facts(
        (await run.output("narration.generate", text=text, voice_id="v"))["audio_url"]
    )
    fast = await run.facts(
        (await run.output("narration.generate", text=text, voice_id="v", speed=2))["audio_url"]
    )
    assert normal.kind == fast.kind == "mp3"
    assert normal.audio_codec is not None and normal.audio_codec.startswith("mp3")
    assert abs(fast.duration_s - normal.duration_s / 2) <= AUDIO_SLACK_S * 2
    longer = await run.facts(
        (await run.output("narration.generate", text=text + " " + text, voice_id="v"))["audio_url"]
    )
    assert longer.duration_s > normal.duration_s


async def test_hostile_durations_are_capped(run: Run) -> None:
    out = await run.output(
        "subtitles.generate", video_url="https://example.com/s.mp4", duration=1e9
    )
    srt = await run.facts(out["subtitles_url"])  # cheap to check: the SRT spans the capped video
    assert srt.cues[-1][1] == MAX_SECONDS and out["duration"] == MAX_SECONDS
