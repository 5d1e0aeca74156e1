"""No cassette holds a key, a webhook secret, a signed query string or a real host and port."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cannon_studio_sandbox import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET

from scripts import record_cassettes as rc

CASSETTES = sorted(rc.CASSETTE_DIR.glob("*.yaml"))
FORBIDDEN = {
    "the sandbox API key": DEFAULT_API_KEY,
    "the sandbox webhook secret": DEFAULT_WEBHOOK_SECRET,
    "a live API key": "cs_live_",
    "a webhook secret": "whsec_",
    "the 401 scenario's key": rc.BAD_API_KEY,
    "a loopback address": "127.0.0.1",
    "a signed URL": "signature=",
    "a signed URL expiry": "expires=",
}


def test_there_are_cassettes() -> None:
    assert len(CASSETTES) >= 30


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_cassette_has_no_secret(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [what for what, needle in FORBIDDEN.items() if needle.lower() in text.lower()]
    assert found == []


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_cassette_requests_are_scrubbed(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document["interactions"]
    for interaction in document["interactions"]:
        request = interaction["request"]
        headers = {name.lower(): values for name, values in request["headers"].items()}
        assert not set(headers) & set(rc.SECRET_HEADERS)
        assert headers.get("host", ["sandbox.invalid"]) == ["sandbox.invalid"]
        assert request["uri"].startswith(f"{rc.PLACEHOLDER_BASE_URL}/")
        assert "?" not in request["uri"]
        response_headers = {name.lower() for name in interaction["response"]["headers"]}
        assert not response_headers & set(rc.SECRET_HEADERS)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://127.0.0.1:5/assets/req_1/a.png?expires=1&signature=abc",
            "http://127.0.0.1:5/assets/req_1/a.png",
        ),
        (
            "https://bucket.s3.amazonaws.com/v.mp4?X-Amz-Credential=k&X-Amz-Signature=s",
            "https://bucket.s3.amazonaws.com/v.mp4",
        ),
        (
            "https://cdn.example.com/v.mp4?GoogleAccessId=a&Signature=b",
            "https://cdn.example.com/v.mp4",
        ),
        ("https://example.com/search?q=fox", "https://example.com/search?q=fox"),
        ("https://example.com/plain.png", "https://example.com/plain.png"),
    ],
)
def test_strip_signed_query(url: str, expected: str) -> None:
    assert rc.strip_signed_query(url) == expected


def test_scrub_text_masks_keys_secrets_hosts_and_signatures() -> None:
    text = (
        '{"url": "http://127.0.0.1:4242/assets/r/v.mp4?expires=9&signature=zz", '
        '"key": "cs_live_AbC123", "secret": "whsec_c2VjcmV0+/=", "mine": "cs_test_mine"}'
    )
    scrubbed = rc.scrub_text(text, "http://127.0.0.1:4242", ["cs_test_mine"])
    assert scrubbed == (
        '{"url": "http://sandbox.invalid/assets/r/v.mp4", '
        f'"key": "{rc.SCRUBBED_KEY}", "secret": "{rc.SCRUBBED_SECRET}", "mine": "{rc.SCRUBBED_KEY}"}}'
    )


def test_response_scrubber_fixes_content_length_and_drops_cookies() -> None:
    body = b'{"video_url": "http://127.0.0.1:1/assets/r/v.mp4?signature=x"}'
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Length": [str(len(body))], "Set-Cookie": ["session=1"]},
        "body": {"string": body},
    }
    scrubbed = rc.Scrubber("http://127.0.0.1:1").response(response)
    new_body = scrubbed["body"]["string"]
    assert new_body == b'{"video_url": "http://sandbox.invalid/assets/r/v.mp4"}'
    assert scrubbed["headers"] == {"Content-Length": [str(len(new_body))]}


def test_binary_bodies_are_left_alone() -> None:
    png = b"\x89PNG\r\n\x1a\n\xff\xfe"
    response = {"headers": {}, "body": {"string": png}}
    assert rc.Scrubber("http://127.0.0.1:1").response(response)["body"]["string"] == png


def test_recorder_inputs_cover_the_schema() -> None:
    from cannon_studio_api._schema import load_schema

    assert rc.check_inputs(load_schema()) == []
