"""Prices follow what the docs say drives cost (duration, resolution, model), and the billed
duration is the delivered file's (the source's, when the input is an asset of this sandbox)."""

from __future__ import annotations

from typing import Any

import httpx2
from cannon_studio_sandbox import Sandbox


async def credits(
    client: httpx2.AsyncClient, operation: str, **input_: Any
) -> tuple[int, dict[str, Any]]:
    r = await client.post("/api/v1/requests", json={"operation": operation, "input": input_})
    assert r.status_code == 202, r.text
    obj = (await client.get(f"/api/v1/requests/{r.json()['id']}")).json()
    return obj["billableCredits"], obj["output"]


async def test_price_grows_with_duration_resolution_and_model(client: httpx2.AsyncClient) -> None:
    five, _ = await credits(client, "video.generate", prompt="x", duration=5)
    ten, _ = await credits(client, "video.generate", prompt="x", duration=10)
    hd, _ = await credits(client, "video.generate", prompt="x", duration=5, resolution="1080p")
    sd, _ = await credits(client, "video.generate", prompt="x", duration=5, resolution="480p")
    assert ten == 2 * five and sd < five < hd
    sora, _ = await credits(client, "sora2.video.edit", sora_video_id="v", prompt="x", duration=8)
    pro, _ = await credits(
        client, "sora2.video.edit", sora_video_id="v", prompt="x", duration=8, model="sora-2-pro"
    )
    assert pro == sora * 3 // 2
    small, _ = await credits(client, "image.generate", prompt="x", model="seedream5")
    big, _ = await credits(client, "image.generate", prompt="x", model="seedream5", resolution="4K")
    gpt, _ = await credits(client, "image.generate", prompt="x", model="gptimage2")
    assert small < big and small < gpt
    one, _ = await credits(client, "prompt.enhance.video", prompt="x")
    assert one == 1  # documented


async def test_the_billed_duration_is_the_delivered_files(
    sb: Sandbox, client: httpx2.AsyncClient
) -> None:
    _, video = await credits(client, "video.generate", prompt="x", duration=3)
    from_source, out = await credits(client, "video.upscale", video_url=video["video_url"])
    stated, _ = await credits(
        client, "video.upscale", video_url="https://example.com/v.mp4", duration_seconds=3
    )
    assert from_source == stated and out["duration"] == 3
    assert out["exact_cost_credits"] == from_source
    docs, _ = await credits(
        client,
        "video.upscale",
        video_url="https://example.com/v.mp4",
        duration_seconds=7.2,
        target_resolution="4k",
    )
    assert docs == 17  # the docs' exact_cost_credits for a 7.2 s 4k upscale
    lip, out = await credits(
        client,
        "lipsync.generate",
        video_url=video["video_url"],
        audio_url="https://example.com/a.mp3",
        video_duration=60,  # the source is 3 s long: that is what is synced and billed
    )
    assert (
        out["duration"] == 3
        and lip
        == (
            await credits(
                client,
                "lipsync.generate",
                video_url="https://example.com/v.mp4",
                audio_url="https://example.com/a.mp3",
                video_duration=3,
            )
        )[0]
    )
