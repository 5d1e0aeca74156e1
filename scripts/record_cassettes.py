#!/usr/bin/env python3
"""Record the vcrpy cassettes of ``tests/cassettes/`` (normally through ``make record``).

Length (over 450 lines): the cassette catalogue (one scripted call sequence per cassette) and
the scrubbing rules it must be recorded with live in one place, so a cassette and the rules that
kept its secrets out are reviewed together.

Usage::

    python scripts/record_cassettes.py [--only NAME ...] [--out DIR] [--list]

Target: the sandbox, started in-process on a free loopback port with near-instant timing, unless
both ``$CANNON_BASE_URL`` and ``$CANNON_API_KEY`` are set: then the live API is recorded (this
creates real requests and COSTS CREDITS; the sandbox-only scenarios, marked ``[sandbox]`` in
``--list``, are skipped because the live API cannot be told to fail, to run out of credits or to
rate-limit on demand).

What is recorded, one cassette per scenario (``--list`` prints them):

* ``operation-<id>.yaml`` for each of the 20 operations: create -> poll -> terminal, through
  the overlay (``Cannon``), with a fixed idempotency key so bodies and headers are stable;
* ``status.yaml``, the 401/404/400/422/402/409 errors, a failed request, a retried 429 and an
  asset download.

Cassettes are replayed by ``tests/replay`` with ``record_mode="none"``, matching on method, path
and body (every create goes to the same URL, so the body tells them apart). Before anything is
written: ``x-api-key``/``authorization``/cookies are dropped from requests (vcrpy
``filter_headers``); the real base URL becomes ``http://sandbox.invalid`` in request URIs,
response headers and bodies (replays do not depend on a port or a host); the query string of
signed URLs (``signature``, ``expires``, ``X-Amz-*``, ...) is removed everywhere; API keys
(``cs_live_...``, the configured key) and webhook secrets (``whsec_...``) are masked in bodies.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from cannon_studio_schema import ApiSchema
from cannon_studio_schema.source import key_allowed

ROOT = Path(__file__).resolve().parent.parent
CASSETTE_DIR = ROOT / "tests" / "cassettes"
PLACEHOLDER_BASE_URL = "http://sandbox.invalid"
"""Host written into cassettes instead of the recorded base URL; replays use it as base_url."""
MATCH_ON = ("method", "path", "body")
"""vcrpy matchers: every create shares one URL, so the JSON body tells operations apart."""
SECRET_HEADERS = ("x-api-key", "authorization", "cookie", "set-cookie", "proxy-authorization")
SIGNED_QUERY_KEYS = frozenset(
    {"signature", "sig", "expires", "token", "policy", "key-pair-id", "x-amz-signature",
     "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential"}
)  # fmt: skip
SCRUBBED_KEY = "<scrubbed-api-key>"
SCRUBBED_SECRET = "<scrubbed-webhook-secret>"
_LIVE_KEY = re.compile(r"cs_live_[A-Za-z0-9_\-]*")
_WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/=_\-]*")
_URL = re.compile(r"https?://[^\s\"'<>\\]+")
WAIT_TIMEOUT_S = 60.0
"""Per-request wait when recording the sandbox (seconds); the live API gets ``LIVE_WAIT_TIMEOUT_S``."""
LIVE_WAIT_TIMEOUT_S = 1800.0

# Minimal valid input of every operation (checked against the schema by ``check_inputs``).
# URLs point at example.com: neither the sandbox nor this script fetches them.
OPERATION_INPUTS: dict[str, dict[str, Any]] = {
    "video.generate": {"prompt": "A paper boat drifting down a rainy street", "duration": 5},
    "image.generate": {"prompt": "A lighthouse at dawn, watercolor", "aspect_ratio": "16:9"},
    "image.edit": {
        "prompt": "Make the sky stormy",
        "image_url": "https://media.example.com/input/lighthouse.png",
    },
    "sora2.character_video.generate": {
        "character_id": "char_cassette_01",
        "prompt": "The character waves at the camera",
    },
    "sora2.character.create": {
        "name": "Cassette Cat",
        "source_video_url": "https://media.example.com/input/cat.mp4",
    },
    "prompt.enhance.video": {"prompt": "a fox in snow"},
    "prompt.enhance.image": {"prompt": "a red bicycle"},
    "prompt.enhance.location": {"prompt": "an abandoned train station"},
    "prompt.enhance.variant": {"prompt": "a neon city at night"},
    "music.generate": {"prompt": "Calm lo-fi beat for studying"},
    "narration.generate": {"text": "Welcome to Cannon Studio.", "voice_id": "voice_cassette_01"},
    "soundfx.generate": {"prompt": "A door creaking open"},
    "lipsync.generate": {
        "video_url": "https://media.example.com/input/face.mp4",
        "audio_url": "https://media.example.com/input/line.wav",
    },
    "subtitles.generate": {"video_url": "https://media.example.com/input/talk.mp4"},
    "smartmotion.generate": {"file_url": "https://media.example.com/input/still.png"},
    "video.upscale": {"video_url": "https://media.example.com/input/clip.mp4"},
    "sora2.video.edit": {"sora_video_id": "sora_cassette_01", "prompt": "Make it night"},
    "sora2.video.extend": {"sora_video_id": "sora_cassette_01", "prompt": "Keep walking"},
    "sora2.video.remix": {"sora_video_id": "sora_cassette_01", "prompt": "As a cartoon"},
    "three_d.location.generate": {
        "source_image_urls": ["https://media.example.com/input/room.png"]
    },
}

FAIL_MARKER = "[fail]"
"""Sandbox convention: an input string containing it makes the request end ``failed``."""
BAD_API_KEY = "cs_test_not_a_real_key_000000000"
UNKNOWN_REQUEST_ID = "req_does_not_exist"
INPUT_400 = {"prompt": "A paper boat", "duration": "ten"}
"""video.generate input with a wrong type (string duration): the server answers 400."""
INPUT_422 = {"prompt": "x" * 4001}
"""image.generate input over the 4000-character prompt limit: the server answers 422."""
CONFLICT_INPUTS = ({"prompt": "first body"}, {"prompt": "second body"})


def cassette_name(operation: str) -> str:
    """Cassette file stem of an operation's create -> poll -> terminal exchange."""
    return f"operation-{operation}"


def idempotency_key(name: str) -> str:
    """The fixed idempotency key used in cassette ``name`` (stable bodies and headers)."""
    return f"cassette-{name}"


# --------------------------------------------------------------------------------------------
# Scrubbing (pure functions; vcrpy calls them through make_vcr)
# --------------------------------------------------------------------------------------------


def strip_signed_query(url: str) -> str:
    """Drop the query string of a signed URL (one with a signature/expiry/credential parameter).

    Other URLs are returned unchanged.
    """
    parts = urlsplit(url)
    if not parts.query:
        return url
    keys = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if keys & SIGNED_QUERY_KEYS or any("signature" in key for key in keys):
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return url


def scrub_text(text: str, base_url: str | None, secrets: Sequence[str] = ()) -> str:
    """Scrub one text (a URI, a header value, a JSON body).

    Replaces ``base_url`` (the recorded server) with ``PLACEHOLDER_BASE_URL``, removes the query
    string of signed URLs, and masks ``secrets`` (exact strings), ``cs_live_...`` keys and
    ``whsec_...`` webhook secrets.
    """
    for secret in secrets:
        if secret:
            text = text.replace(
                secret, SCRUBBED_SECRET if secret.startswith("whsec_") else SCRUBBED_KEY
            )
    if base_url:
        text = text.replace(base_url.rstrip("/"), PLACEHOLDER_BASE_URL)
    text = _URL.sub(lambda m: strip_signed_query(m.group(0)), text)
    text = _LIVE_KEY.sub(SCRUBBED_KEY, text)
    return _WEBHOOK_SECRET.sub(SCRUBBED_SECRET, text)


@dataclass
class Scrubber:
    """vcrpy hooks bound to the recorded base URL and the secrets in use."""

    base_url: str | None
    secrets: Sequence[str] = field(default_factory=tuple)

    def request(self, request: Any) -> Any:
        """``before_record_request``: placeholder host, no signed query, no secrets in the body.

        vcrpy also runs it on live requests before matching, so replays match scrubbed URIs.
        """
        request.uri = scrub_text(request.uri, self.base_url, self.secrets)
        real_host = urlsplit(self.base_url).netloc if self.base_url else None
        headers = request.headers
        for name in list(headers):
            value = str(headers[name])
            if name.lower() == "host" and value == real_host:
                headers[name] = urlsplit(PLACEHOLDER_BASE_URL).netloc
            else:
                headers[name] = scrub_text(value, self.base_url, self.secrets)
        request.headers = headers
        body = request.body
        if isinstance(body, bytes):
            with contextlib.suppress(UnicodeDecodeError):
                request.body = scrub_text(body.decode("utf-8"), self.base_url, self.secrets)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """``before_record_response``: scrub headers and the body; fix ``content-length``."""
        headers = response.get("headers", {})
        for name in list(headers):
            if name.lower() in SECRET_HEADERS:
                del headers[name]
                continue
            headers[name] = [scrub_text(str(v), self.base_url, self.secrets) for v in headers[name]]
        body = response.get("body", {}).get("string")
        if isinstance(body, bytes):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return response  # binary asset (image, audio, video): nothing to scrub inside
            new = scrub_text(text, self.base_url, self.secrets).encode("utf-8")
            response["body"]["string"] = new
            for name in headers:
                if name.lower() == "content-length":
                    headers[name] = [str(len(new))]
        return response


def make_vcr(
    record_mode: str,
    *,
    base_url: str | None = None,
    secrets: Sequence[str] = (),
    cassette_dir: Path = CASSETTE_DIR,
) -> Any:
    """The one vcrpy configuration used to record and to replay.

    Args:
        record_mode: ``"all"`` to record, ``"none"`` to replay (CI).
        base_url: the real server being recorded (replaced by ``PLACEHOLDER_BASE_URL``).
        secrets: exact strings to mask (the API key and webhook secret in use).
        cassette_dir: where cassettes are read and written.
    """
    import vcr

    scrubber = Scrubber(base_url, tuple(secrets))
    return vcr.VCR(
        cassette_library_dir=str(cassette_dir),
        serializer="yaml",
        record_mode=record_mode,
        match_on=MATCH_ON,
        filter_headers=[(name, None) for name in SECRET_HEADERS],
        before_record_request=scrubber.request,
        before_record_response=scrubber.response,
        decode_compressed_response=True,
    )


@contextlib.contextmanager
def server_side_validation_only() -> Iterator[None]:
    """Switch off the overlay's client-side input check for the block.

    Used for the 400/422 cassettes: it stands for an API stricter than the snapshot, the case
    where only the server can say no. Nothing else is changed.
    """
    import cannon_studio._validation as validation

    original = validation.validate_envelope
    validation.validate_envelope = lambda *args, **kwargs: None
    try:
        yield
    finally:
        validation.validate_envelope = original


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


@dataclass
class Target:
    """What the scenarios run against."""

    base_url: str
    api_key: str
    sandbox: Any  # the Sandbox control handle; None when recording the live API
    wait_timeout_s: float
    workdir: Path

    def client(self, api_key: str | None = None) -> Any:
        from cannon_studio import Cannon

        return Cannon(api_key=api_key or self.api_key, base_url=self.base_url)


@dataclass(frozen=True)
class Scenario:
    """One cassette: ``run(target)`` performs the calls and returns a one-line outcome."""

    name: str
    run: Callable[[Target], str]
    sandbox_only: bool = False


def _expect(error: type[BaseException], call: Callable[[], object]) -> str:
    try:
        call()
    except error as exc:
        return f"{type(exc).__name__} as expected"
    raise RuntimeError(f"expected {error.__name__}, the call succeeded")


def _operation(operation: str) -> Scenario:
    def run(target: Target) -> str:
        name = cassette_name(operation)
        with target.client() as client, warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # sora2.video.remix
            handle = client.requests.create(
                operation, OPERATION_INPUTS[operation], idempotency_key=idempotency_key(name)
            )
            handle.wait(max_wait=target.wait_timeout_s)
        return f"{handle.status}, {len(handle.asset_urls())} asset URL(s)"

    return Scenario(cassette_name(operation), run)


def _status(target: Target) -> str:
    with target.client() as client:
        status = client.status()
    return f"ok={status.ok}"


def _bad_key(target: Target) -> str:
    from cannon_studio import AuthenticationError

    with target.client(api_key=BAD_API_KEY) as client:
        return _expect(AuthenticationError, client.status)


def _unknown_request(target: Target) -> str:
    from cannon_studio import NotFoundError

    with target.client() as client:
        return _expect(NotFoundError, lambda: client.requests.retrieve(UNKNOWN_REQUEST_ID))


def _server_validation(operation: str, body: dict[str, Any], name: str) -> Callable[[Target], str]:
    def run(target: Target) -> str:
        from cannon_studio import BadRequestError

        with target.client() as client, server_side_validation_only():
            return _expect(
                BadRequestError,
                lambda: client.requests.create(
                    operation, body, idempotency_key=idempotency_key(name)
                ),
            )

    return run


def _no_credits(target: Target) -> str:
    from cannon_studio import InsufficientCreditsError

    sandbox = target.sandbox
    assert sandbox is not None
    before = sandbox.credits_remaining(sandbox.account)
    sandbox.set_credits(sandbox.account, 0)
    try:
        with target.client() as client:
            return _expect(
                InsufficientCreditsError,
                lambda: client.requests.create(
                    "image.generate",
                    OPERATION_INPUTS["image.generate"],
                    idempotency_key=idempotency_key("error-402-insufficient-credits"),
                ),
            )
    finally:
        sandbox.set_credits(sandbox.account, before)


def _conflict(target: Target) -> str:
    from cannon_studio import ConflictError

    key = idempotency_key("error-409-idempotency-conflict")
    with target.client() as client:
        client.requests.create("prompt.enhance.image", CONFLICT_INPUTS[0], idempotency_key=key)
        return _expect(
            ConflictError,
            lambda: client.requests.create(
                "prompt.enhance.image", CONFLICT_INPUTS[1], idempotency_key=key
            ),
        )


def _failed(target: Target) -> str:
    from cannon_studio import RequestFailedError

    with target.client() as client:
        handle = client.requests.create(
            "image.generate",
            {"prompt": f"A lighthouse {FAIL_MARKER}"},
            idempotency_key=idempotency_key("request-failed"),
        )
        return _expect(RequestFailedError, lambda: handle.wait(max_wait=target.wait_timeout_s))


def _retry_429(target: Target) -> str:
    from cannon_studio_sandbox import FaultRule

    sandbox = target.sandbox
    assert sandbox is not None
    sandbox.add_fault(FaultRule("429", endpoint="create", count=1, retry_after_s=0))
    try:
        with target.client() as client:
            handle = client.requests.create(
                "prompt.enhance.video",
                OPERATION_INPUTS["prompt.enhance.video"],
                idempotency_key=idempotency_key("retry-429-then-accepted"),
            )
        fired = [entry for entry in sandbox.fault_log() if entry.get("kind") == "429"]
    finally:
        sandbox.clear_faults()
    if len(fired) != 1:
        raise RuntimeError(f"expected one injected 429, got {len(fired)}")
    return f"accepted {handle.id} after one 429"


def _download(target: Target) -> str:
    with target.client() as client:
        handle = client.requests.create(
            "image.generate",
            {"prompt": "A small red square", "aspect_ratio": "1:1"},
            idempotency_key=idempotency_key("download-image-asset"),
        )
        handle.wait(max_wait=target.wait_timeout_s)
        paths = handle.download(target.workdir / "download")
    return f"downloaded {', '.join(p.name for p in paths)}"


def scenarios() -> list[Scenario]:
    """Every cassette, in recording order."""
    return [
        *(_operation(op) for op in OPERATION_INPUTS),
        Scenario("status", _status),
        Scenario("error-401-bad-key", _bad_key),
        Scenario("error-404-unknown-request", _unknown_request),
        Scenario(
            "error-400-server-validation",
            _server_validation("video.generate", INPUT_400, "error-400-server-validation"),
        ),
        Scenario(
            "error-422-server-validation",
            _server_validation("image.generate", INPUT_422, "error-422-server-validation"),
        ),
        Scenario("error-409-idempotency-conflict", _conflict),
        Scenario("error-402-insufficient-credits", _no_credits, sandbox_only=True),
        Scenario("request-failed", _failed, sandbox_only=True),
        Scenario("retry-429-then-accepted", _retry_429, sandbox_only=True),
        Scenario("download-image-asset", _download),
    ]


def check_inputs(schema: ApiSchema | Mapping[str, Any]) -> list[str]:
    """Operations of ``schema`` without an input here, and inputs here for unknown operations.

    Args:
        schema: the schema model, or a parsed document (modelled by ``cannon_studio_schema``).
    """
    model = schema if isinstance(schema, ApiSchema) else ApiSchema(schema)
    return sorted(set(model.ids) ^ set(OPERATION_INPUTS))


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def sandbox_target(workdir: Path, **overrides: Any) -> Iterator[Target]:
    """A sandbox on a free loopback port: queued 50 ms, processing 100 ms, first poll at 50 ms.

    ``overrides`` are further ``SandboxConfig`` fields (e.g. ``api_keys``, ``webhook_secret``).
    """
    from cannon_studio_sandbox import Sandbox, SandboxConfig

    timing: dict[str, Any] = {
        "queue_delay_s": 0.05,
        "job_duration_s": (0.1, 0.1),
        "poll_after_ms": 50,
    }
    config = SandboxConfig.instant(**{**timing, **overrides})
    sandbox = Sandbox(config)
    with sandbox.serve(host="127.0.0.1", port=0) as server:
        yield Target(server.base_url, sandbox.api_key, sandbox, WAIT_TIMEOUT_S, workdir)


def record(
    selected: list[Scenario], target: Target, out: Path, secrets: Sequence[str]
) -> list[str]:
    """Record ``selected`` into ``out``; return the problems (empty when all went as expected)."""
    out.mkdir(parents=True, exist_ok=True)
    recorder = make_vcr("all", base_url=target.base_url, secrets=secrets, cassette_dir=out)
    problems = []
    for scenario in selected:
        path = out / f"{scenario.name}.yaml"
        path.unlink(missing_ok=True)
        try:
            with recorder.use_cassette(path.name):
                outcome = scenario.run(target)
        except Exception as exc:  # report every scenario, then fail
            path.unlink(missing_ok=True)
            problems.append(f"{scenario.name}: {type(exc).__name__}: {exc}")
            print(f"FAILED    {scenario.name}: {type(exc).__name__}: {exc}")
            continue
        shown = path.relative_to(ROOT) if ROOT in path.parents else path
        print(f"recorded  {shown}: {outcome}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Record the cassettes; exit 0 when every scenario went as expected, else 1 (2: usage)."""
    parser = argparse.ArgumentParser(
        prog="record_cassettes.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="record only NAME (repeatable)"
    )
    parser.add_argument(
        "--out", type=Path, default=CASSETTE_DIR, help="cassette directory (default: %(default)s)"
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)

    base_url, api_key = os.environ.get("CANNON_BASE_URL"), os.environ.get("CANNON_API_KEY")
    live = bool(base_url and api_key)
    everything = scenarios()
    if args.list:
        for scenario in everything:
            print(f"{scenario.name}{'  [sandbox]' if scenario.sandbox_only else ''}")
        return 0
    unknown = sorted(set(args.only) - {s.name for s in everything})
    if unknown:
        print(f"record: unknown scenario(s): {', '.join(unknown)} (see --list)", file=sys.stderr)
        return 2
    selected = [s for s in everything if not args.only or s.name in args.only]
    if live and base_url and not key_allowed(base_url, base_url):
        # The one rule of where the key may go (cannon_studio_schema.source.key_allowed).
        print(
            f"record: CANNON_BASE_URL {base_url} is neither https nor http on loopback; the API "
            "key is never sent there, so nothing was recorded.",
            file=sys.stderr,
        )
        return 2
    if live:
        skipped = [s.name for s in selected if s.sandbox_only]
        selected = [s for s in selected if not s.sandbox_only]
        print(f"recording the LIVE API at {base_url}: real requests, real credits.")
        if skipped:
            print(f"skipped (sandbox only): {', '.join(skipped)}")

    try:
        from cannon_studio import Cannon  # noqa: F401  (fail early, in one sentence)
    except ImportError as exc:
        print(f"record: the cannon_studio overlay is not importable ({exc}).", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="cannon-record-") as tmp:
        if live:
            assert base_url and api_key
            target = Target(base_url.rstrip("/"), api_key, None, LIVE_WAIT_TIMEOUT_S, Path(tmp))
            problems = record(selected, target, args.out, [api_key])
        else:
            with sandbox_target(Path(tmp)) as target:
                secrets = [target.api_key, target.sandbox.config.webhook_secret, BAD_API_KEY]
                problems = record(selected, target, args.out, secrets)
    if problems:
        print(
            f"record: {len(problems)} scenario(s) failed; their cassettes were not written.",
            file=sys.stderr,
        )
        return 1
    print(f"recorded {len(selected)} cassette(s) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
