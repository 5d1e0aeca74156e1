"""Lifecycle, request objects and outputs for every operation; real asset files."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from cannon_studio_sandbox import Sandbox, SandboxConfig
from cannon_studio_sandbox.schema import ApiSchema

from .conftest import VALID_INPUTS, body
from .media_probe import aspect_of, probe

SCHEMA = ApiSchema.load()
URL_KEYS = (
    "video_url",
    "image_url",
    "audio_url",
    "sfx_video_url",
    "model_url",
    "preview_image_url",
    "subtitles_url",
)


def assert_valid(component: str, data: Any) -> None:
    errors = list(SCHEMA.validator_for(component).iter_errors(data))
    assert not errors, [e.message for e in errors]


def asset_urls(output: dict[str, Any]) -> list[str]:
    urls = [output[k] for k in URL_KEYS if isinstance(output.get(k), str)]
    for key in ("image_urls", "provider_image_urls"):
        urls.extend(output.get(key, []))
    return sorted(set(urls))


@pytest.mark.parametrize("operation", sorted(VALID_INPUTS))
async def test_full_lifecycle_instant_mode(
    sb: Sandbox, client: httpx2.AsyncClient, operation: str
) -> None:
    accepted = await client.post("/api/v1/requests", json=body(operation))
    assert accepted.status_code == 202
    a = accepted.json()
    assert_valid("AcceptedRequest", a)
    assert (a["status"], a["operation"], a["poll_after_ms"]) == ("queued", operation, 0)
    assert a["urls"]["get"] == f"http://sandbox.test/api/v1/requests/{a['id']}"

    r = await client.get(a["urls"]["get"])
    obj = r.json()
    assert_valid("RequestObject", obj)
    assert obj["status"] == "succeeded" and obj["errorMessage"] is None
    assert obj["billableCredits"] == sb.ledger()[0]["credits"]
    assert obj["createdAtMs"] <= obj["startedAtMs"] <= obj["completedAtMs"]
    log = obj["requestLog"]
    assert log["available"] is True and log["retentionDays"] == 7
    assert log["retainedUntilMs"] == obj["completedAtMs"] + 604_800_000
    assert log["input"] == VALID_INPUTS[operation] and log["output"] == obj["output"]
    # the output has the documented shape of this operation
    assert_valid(SCHEMA.envelope_extension(operation, "x-cannon-output"), obj["output"])
    if operation.startswith("prompt.enhance."):
        assert obj["output"]["model"] == "gpt-5-mini" and obj["output"]["operation"] == operation
        assert obj["output"]["enhancedPrompt"].startswith(
            VALID_INPUTS[operation]["prompt"].rstrip(".")
        )
        assert obj["outputPreview"]
    else:
        assert obj["output"]["status"] == "succeeded"
        urls = asset_urls(obj["output"])
        assert urls and all(u.startswith("http://sandbox.test/assets/") for u in urls)
        assert obj["outputPreview"].startswith("Asset ready: http://sandbox.test/assets/")
    assert obj["inputPreview"]


async def test_documented_output_fields(client: httpx2.AsyncClient) -> None:
    async def output(op: str) -> dict[str, Any]:
        rid = (await client.post("/api/v1/requests", json=body(op))).json()["id"]
        out: dict[str, Any] = (await client.get(f"/api/v1/requests/{rid}")).json()["output"]
        return out

    video = await output("video.generate")
    assert {
        "task_id",
        "asset_type",
        "status",
        "video_url",
        "provider",
        "model",
        "duration",
        "aspect_ratio",
    } <= set(video)
    assert (
        video["task_id"].startswith("vid_")
        and video["model"] == "wan27video"
        and video["duration"] == 10
    )
    image = await output("image.generate")
    assert {"image_urls", "provider_image_urls", "provider_image_count", "aspect_ratio"} <= set(
        image
    )
    assert image["image_urls"] == [image["image_url"]]
    upscale = await output("video.upscale")
    assert upscale["exact_cost_credits"] == 17 and upscale["requested_model"] == "wavespeed"
    narration = await output("narration.generate")
    assert "task_id" not in narration and narration["provider"] == "elevenlabs"
    location = await output("three_d.location.generate")
    assert location["asset_type"] == "3d" and location["model_url"].split("?")[0].endswith(".glb")


async def test_timed_lifecycle_queued_processing_succeeded() -> None:
    now = [1_762_479_300_000]
    sb = Sandbox(
        SandboxConfig(job_duration_s=(2.0, 2.0), queue_delay_s=1.2, poll_after_ms=2000),
        clock_ms=lambda: now[0],
    )
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://t",
        headers={"x-api-key": sb.api_key},
    ) as c:
        a = (await c.post("/api/v1/requests", json=body("image.generate"))).json()
        assert a["poll_after_ms"] == 2000

        async def poll() -> dict[str, Any]:
            data: dict[str, Any] = (await c.get(f"/api/v1/requests/{a['id']}")).json()
            assert_valid("RequestObject", data)
            return data

        queued = await poll()
        assert (
            queued["status"] == "queued"
            and queued["startedAtMs"] is None
            and queued["output"] is None
        )
        assert queued["billableCredits"] == 6 and queued["requestLog"]["retainedUntilMs"] is None
        now[0] += 1_500
        processing = await poll()
        assert processing["status"] == "processing"
        assert (
            processing["startedAtMs"] == 1_762_479_301_200 and processing["completedAtMs"] is None
        )
        assert processing["output"]["status"] == "processing" and processing["output"][
            "task_id"
        ].startswith("img_")
        assert set(processing["output"]) == {"task_id", "status", "provider", "model"}
        now[0] += 2_000
        done = await poll()
        assert done["status"] == "succeeded" and done["completedAtMs"] == 1_762_479_303_200
        now[0] = done["completedAtMs"] + 604_800_001
        expired = await poll()
        assert (
            expired["requestLog"]["available"] is False and expired["requestLog"]["input"] is None
        )


async def test_failure_marker_and_failure_rate() -> None:
    sb = Sandbox(SandboxConfig.instant(failure_rate=0.5, seed=7))
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(sb.app),
        base_url="http://t",
        headers={"x-api-key": sb.api_key},
    ) as c:
        marked = body("image.generate")
        marked["input"]["prompt"] = "A portrait [fail]"
        rid = (await c.post("/api/v1/requests", json=marked)).json()["id"]
        obj = (await c.get(f"/api/v1/requests/{rid}")).json()
        assert_valid("RequestObject", obj)
        assert obj["status"] == "failed" and "[fail]" in obj["errorMessage"]
        assert obj["requestLog"]["errorMessage"] == obj["errorMessage"]
        assert obj["output"]["status"] == "failed"

        statuses = []
        for _ in range(40):
            rid = (await c.post("/api/v1/requests", json=body("prompt.enhance.image"))).json()["id"]
            statuses.append((await c.get(f"/api/v1/requests/{rid}")).json()["status"])
    assert 5 < statuses.count("failed") < 35
    again = Sandbox(SandboxConfig.instant(failure_rate=0.5, seed=7))
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(again.app),
        base_url="http://t",
        headers={"x-api-key": again.api_key},
    ) as c:
        await c.post("/api/v1/requests", json=marked)
        replay = []
        for _ in range(40):
            rid = (await c.post("/api/v1/requests", json=body("prompt.enhance.image"))).json()["id"]
            replay.append((await c.get(f"/api/v1/requests/{rid}")).json()["status"])
    assert replay == statuses  # same seed, same outcomes


@pytest.mark.parametrize(
    "operation", sorted(op for op in VALID_INPUTS if not op.startswith("prompt."))
)
async def test_every_asset_url_serves_a_decodable_file(
    client: httpx2.AsyncClient, operation: str
) -> None:
    rid = (await client.post("/api/v1/requests", json=body(operation))).json()["id"]
    output = (await client.get(f"/api/v1/requests/{rid}")).json()["output"]
    kinds = []
    for url in asset_urls(output):
        r = await client.get(url)  # no API key needed: the URL is signed
        assert r.status_code == 200, url
        facts = probe(r.headers["content-type"], r.content)
        kinds.append(facts.kind)
        # the output's metadata fields describe the file they point at
        if facts.kind == "mp4" and url == output.get("video_url"):
            assert abs(facts.duration_s - output["duration"]) <= facts.frame_s / 2
            assert facts.aspect == aspect_of(output["aspect_ratio"])
        if facts.kind == "png" and url == output.get("image_url"):
            assert facts.aspect == aspect_of(output["aspect_ratio"])
    assert kinds


async def test_png_shows_the_prompt_and_srt_has_the_text(client: httpx2.AsyncClient) -> None:
    a = body("image.generate")
    b = body("image.generate")
    b["input"]["prompt"] = "A completely different prompt about whales."
    pngs = []
    for item in (a, b):
        rid = (await client.post("/api/v1/requests", json=item)).json()["id"]
        url = (await client.get(f"/api/v1/requests/{rid}")).json()["output"]["image_url"]
        pngs.append((await client.get(url)).content)
    assert pngs[0] != pngs[1]
    rid = (await client.post("/api/v1/requests", json=body("subtitles.generate"))).json()["id"]
    output = (await client.get(f"/api/v1/requests/{rid}")).json()["output"]
    srt = (await client.get(output["subtitles_url"])).text
    assert "00:00:00,000 -->" in srt


async def test_tampered_or_unready_asset_urls_are_rejected(client: httpx2.AsyncClient) -> None:
    rid = (await client.post("/api/v1/requests", json=body("image.generate"))).json()["id"]
    url = (await client.get(f"/api/v1/requests/{rid}")).json()["output"]["image_url"]
    assert (await client.get(url.replace("signature=", "signature=0"))).status_code == 403
    assert (await client.get(url.split("?")[0])).status_code == 403
