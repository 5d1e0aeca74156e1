"""Pure policy functions: retry decision and delay, Retry-After, poll cadence, names."""

from __future__ import annotations

import email.utils

import httpx2
import pytest
from cannon_studio import _constants as C
from cannon_studio._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    error_class_for,
    make_status_error,
)
from cannon_studio._polling import poll_delay
from cannon_studio._requests import new_idempotency_key
from cannon_studio._retry import (
    is_retryable_status,
    parse_retry_after,
    retry_delay,
    should_retry,
)
from cannon_studio.assets import asset_urls, safe_filename


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses(status: int) -> None:
    assert is_retryable_status(status)
    assert should_retry(attempt=0, max_retries=2, status_code=status)


@pytest.mark.parametrize("status", [200, 400, 401, 402, 403, 404, 409, 422])
def test_non_retryable_statuses(status: int) -> None:
    assert not should_retry(attempt=0, max_retries=2, status_code=status)


def test_retry_stops_after_max_retries() -> None:
    assert should_retry(attempt=1, max_retries=2, status_code=503)
    assert not should_retry(attempt=2, max_retries=2, status_code=503)
    assert not should_retry(attempt=0, max_retries=0, status_code=503)


def test_post_retried_only_with_idempotency_key() -> None:
    assert not should_retry(attempt=0, max_retries=2, method="POST", status_code=503)
    assert should_retry(attempt=0, max_retries=2, method="POST", idempotent=True, status_code=503)
    exc = httpx2.ConnectError("refused")
    assert not should_retry(attempt=0, max_retries=2, method="POST", exception=exc)
    assert should_retry(attempt=0, max_retries=2, method="POST", idempotent=True, exception=exc)


def test_exceptions_retried_only_for_transport_errors() -> None:
    assert should_retry(attempt=0, max_retries=2, exception=httpx2.ReadTimeout("t"))
    assert not should_retry(attempt=0, max_retries=2, exception=ValueError("x"))


def test_x_should_retry_header_overrides() -> None:
    assert not should_retry(
        attempt=0, max_retries=2, status_code=503, headers={"x-should-retry": "false"}
    )
    assert should_retry(
        attempt=0, max_retries=2, status_code=400, headers={"x-should-retry": "true"}
    )


def test_retry_delay_backoff_and_cap() -> None:
    top = lambda lo, hi: hi  # noqa: E731
    bottom = lambda lo, hi: lo  # noqa: E731
    assert retry_delay(0, uniform=top) == pytest.approx(0.5)
    assert retry_delay(1, uniform=top) == pytest.approx(1.0)
    assert retry_delay(3, uniform=top) == pytest.approx(4.0)
    assert retry_delay(10, uniform=top) == pytest.approx(C.RETRY_MAX_DELAY_S)
    assert retry_delay(0, uniform=bottom) == pytest.approx(0.5 * C.RETRY_JITTER[0])
    for attempt in range(6):
        d = retry_delay(attempt)
        assert 0 < d <= C.RETRY_MAX_DELAY_S


def test_retry_after_wins_and_is_capped() -> None:
    assert retry_delay(0, retry_after=3.0) == 3.0
    assert retry_delay(5, retry_after=0.0) == 0.0
    assert retry_delay(0, retry_after=10_000.0) == C.RETRY_AFTER_MAX_S


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after(httpx2.Headers({"Retry-After": "7"})) == 7.0
    assert parse_retry_after(httpx2.Headers({"retry-after": "1.5"})) == 1.5
    assert parse_retry_after(httpx2.Headers({"retry-after-ms": "250", "retry-after": "9"})) == 0.25
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(httpx2.Headers({"Retry-After": date}), now=now) == pytest.approx(30)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(httpx2.Headers({"Retry-After": past}), now=now) == 0.0
    assert parse_retry_after(httpx2.Headers({"Retry-After": "soon"})) is None
    assert parse_retry_after(httpx2.Headers({"Retry-After": "-3"})) is None
    assert parse_retry_after(httpx2.Headers({})) is None


def test_poll_delay_first_poll_uses_poll_after_ms_in_milliseconds() -> None:
    assert poll_delay(0, 2000) == 2.0
    assert poll_delay(0, 0) == 0.0
    assert poll_delay(0, None) == C.DEFAULT_POLL_AFTER_MS / 1000


def test_poll_delay_backs_off_with_cap_and_jitter() -> None:
    top = lambda lo, hi: hi  # noqa: E731
    delays = [poll_delay(n, 2000, uniform=top) for n in range(1, 12)]
    assert delays[0] == pytest.approx(C.POLL_INITIAL_INTERVAL_S)
    assert delays == sorted(delays)
    assert max(delays) == pytest.approx(C.POLL_MAX_INTERVAL_S)
    low = poll_delay(1, 2000, uniform=lambda lo, hi: lo)
    assert low == pytest.approx(C.POLL_INITIAL_INTERVAL_S * C.POLL_JITTER[0])


def test_idempotency_keys_are_unique_and_valid() -> None:
    keys = {new_idempotency_key() for _ in range(1000)}
    assert len(keys) == 1000
    for key in list(keys)[:5]:
        assert 1 <= len(key) <= 255 and all(0x21 <= ord(c) <= 0x7E for c in key)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (422, BadRequestError),
        (401, AuthenticationError),
        (402, InsufficientCreditsError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIStatusError),
    ],
)
def test_status_error_map(status: int, cls: type[APIStatusError]) -> None:
    assert error_class_for(status) is cls


def test_non_json_error_body_gives_clear_error() -> None:
    response = httpx2.Response(502, text="<html>Bad Gateway from proxy</html>")
    err = make_status_error(response)
    assert isinstance(err, ServerError)
    assert err.status_code == 502
    assert "Bad Gateway" in str(err) and "non-JSON" in str(err)
    assert err.error is None and err.body == "<html>Bad Gateway from proxy</html>"


def test_json_error_body_fields_are_exposed() -> None:
    body = {
        "error": "bad ratio",
        "code": "validation_error",
        "field": "input.aspect_ratio",
        "allowed": ["16:9", "9:16"],
        "request_id": "req_1",
    }
    err = make_status_error(httpx2.Response(400, json=body))
    assert isinstance(err, BadRequestError)
    assert (err.code, err.field, err.allowed, err.request_id) == (
        "validation_error",
        "input.aspect_ratio",
        ["16:9", "9:16"],
        "req_1",
    )
    assert err.error is not None and err.error.error == "bad ratio"
    assert "input.aspect_ratio" in str(err) and "16:9" in str(err)


def test_empty_error_body() -> None:
    err = make_status_error(httpx2.Response(500))
    assert "empty body" in str(err)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://x.test/assets/req_1/video.mp4?sig=1", "video.mp4"),
        ("https://x.test/a/..%2F..%2Fetc%2Fpasswd", "_.._etc_passwd"),
        ("https://x.test/a/..", "asset"),
        ("https://x.test/a/", "asset"),
        ("https://x.test/a/%2e%2e", "asset"),
        ("https://x.test/a/evil%5C..%5Cboot.ini", "evil_.._boot.ini"),
        ("https://x.test/a/na%00me.png", "name.png"),
    ],
)
def test_safe_filename(url: str, name: str) -> None:
    got = safe_filename(url)
    assert got == name
    assert "/" not in got and "\\" not in got and got not in ("", ".", "..")


def test_asset_urls_by_output_kind() -> None:
    video = {"asset_type": "video", "video_url": "https://a/v.mp4", "audio_url": "https://a/in.wav"}
    assert asset_urls(video) == ["https://a/v.mp4"]
    image = {
        "asset_type": "image",
        "image_url": "https://a/1.png",
        "image_urls": ["https://a/1.png", "https://a/2.png"],
        "provider_image_urls": ["https://p/tmp.png"],
    }
    assert asset_urls(image) == ["https://a/1.png", "https://a/2.png"]
    loc = {
        "asset_type": "3d",
        "model_url": "https://a/s.glb",
        "preview_image_url": "https://a/p.png",
    }
    assert asset_urls(loc) == ["https://a/s.glb", "https://a/p.png"]
    assert asset_urls({"enhancedPrompt": "x"}) == []
    assert asset_urls(None) == []
    subs = {
        "asset_type": "video",
        "video_url": "https://a/v.mp4",
        "subtitles_url": "https://a/s.srt",
    }
    assert asset_urls(subs) == ["https://a/v.mp4", "https://a/s.srt"]
