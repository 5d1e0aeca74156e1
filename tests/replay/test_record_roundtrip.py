"""Record a few scenarios against an in-process sandbox that uses a live-looking key and a
webhook secret, then check the cassettes are scrubbed and replay them with the network blocked.

This exercises scripts/record_cassettes.py end to end (about 2 s) without touching
tests/cassettes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cannon_studio import Cannon
from replay_support import REPLAY_API_KEY

from scripts import record_cassettes as rc

LIVE_LOOKING_KEY = "cs_live_roundtrip_0123456789abcdef"
SECRET = "whsec_cm91bmR0cmlwLXNlY3JldC0wMDAwMDAwMDAwMDA="


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cassettes")
    chosen = {
        "status",
        "operation-image.generate",
        "download-image-asset",
        "error-404-unknown-request",
    }
    selected = [s for s in rc.scenarios() if s.name in chosen]
    with rc.sandbox_target(
        out.parent / "work", api_keys={LIVE_LOOKING_KEY: "acct_roundtrip"}, webhook_secret=SECRET
    ) as target:
        base_url = target.base_url
        problems = rc.record(selected, target, out, [LIVE_LOOKING_KEY, SECRET])
    assert problems == []
    assert {p.stem for p in out.glob("*.yaml")} == chosen
    (out / "base_url.txt").write_text(base_url)
    return out


def test_recorded_cassettes_hold_no_key_secret_or_port(recorded: Path) -> None:
    base_url = (recorded / "base_url.txt").read_text()
    for path in recorded.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for needle in (
            LIVE_LOOKING_KEY,
            "cs_live_",
            SECRET,
            "whsec_",
            base_url,
            "127.0.0.1",
            "signature=",
        ):
            assert needle not in text, f"{needle!r} in {path.name}"
        assert rc.PLACEHOLDER_BASE_URL in text


def test_recorded_cassettes_replay_offline(
    recorded: Path, no_network: None, sleeps: list[float], tmp_path: Path
) -> None:
    recorder = rc.make_vcr("none", cassette_dir=recorded)
    with Cannon(api_key=REPLAY_API_KEY, base_url=rc.PLACEHOLDER_BASE_URL) as client:
        with recorder.use_cassette("download-image-asset.yaml") as cassette:
            handle = client.requests.create(
                "image.generate",
                {"prompt": "A small red square", "aspect_ratio": "1:1"},
                idempotency_key=rc.idempotency_key("download-image-asset"),
            )
            handle.wait(max_wait=60)
            [path] = handle.download(tmp_path)
        assert cassette.all_played
        assert path.read_bytes().startswith(b"\x89PNG")
        with recorder.use_cassette("status.yaml") as cassette:
            status: Any = client.status()
        assert cassette.all_played and status.ok is True
