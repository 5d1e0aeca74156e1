"""``cannon-studio run``, ``get``, ``wait`` and ``download`` through click's CliRunner against
the sandbox.

For each command: success (human output), ``--json`` output, a user error (exit 2, no traceback,
nothing created) and an API error (exit 3), beside each other so a command's outcomes are read
together. Exit codes: 0 success, 1 request failed, 2 usage, 3 API error, 4 timeout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cannon_studio.cli._fields import load_operations
from cli_support import Invoke, created_ids, strip_ansi

ALL_OPERATIONS = list(load_operations())


def _input_of(sandbox: Any, request_id: str) -> dict[str, Any]:
    obj = sandbox.request_object(request_id)
    assert obj is not None
    return dict(obj["requestLog"]["input"])


def test_run_human_maps_camel_case_fields(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke(
        "run",
        "prompt.enhance.image",
        "--prompt",
        "A stormy alley with neon reflections.",
        "--aspect-ratio",
        "16:9",
        "--visual-style",
        "noir",
    )
    assert result.exit_code == 0, result.output
    (request_id,) = created_ids(cannon_sandbox.sandbox)
    assert request_id in result.stdout
    assert "succeeded" in result.stdout
    assert "enhanced prompt" in result.stdout
    sent = _input_of(cannon_sandbox.sandbox, request_id)
    assert sent == {
        "prompt": "A stormy alley with neon reflections.",
        "aspectRatio": "16:9",
        "visualStyle": "noir",
    }


def test_run_json_with_download(invoke: Invoke, cannon_sandbox: Any, tmp_path: Path) -> None:
    result = invoke(
        "run",
        "image.generate",
        "--prompt",
        "A lighthouse at dusk",
        "--aspect-ratio",
        "16:9",
        "--download",
        str(tmp_path / "out"),
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["request"]["status"] == "succeeded"
    assert data["request"]["operation"] == "image.generate"
    assert data["assets"] and all(u.startswith(cannon_sandbox.base_url) for u in data["assets"])
    (download,) = data["downloaded"]
    path = Path(download["path"])
    assert path.parent == tmp_path / "out"
    assert path.read_bytes().startswith(b"\x89PNG")
    assert download["bytes"] == path.stat().st_size


def test_run_typed_values_arrays_objects_booleans(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke(
        "run",
        "video.generate",
        "--prompt",
        "A chase",
        "--duration",
        "5",
        "--watermark",
        "--prompt-extend",
        "false",
        "--reference-image-urls",
        "https://example.com/a.png",
        "--reference-image-urls",
        "https://example.com/b.png",
        "--resolution",
        "720P",  # enum values match case-insensitively, sent as the schema spells them
        "--json",
    )
    assert result.exit_code == 0, result.output
    sent = _input_of(cannon_sandbox.sandbox, json.loads(result.stdout)["request"]["id"])
    assert sent["duration"] == 5
    assert sent["watermark"] is True
    assert sent["prompt_extend"] is False
    assert sent["reference_image_urls"] == [
        "https://example.com/a.png",
        "https://example.com/b.png",
    ]
    assert sent["resolution"] == "720p"

    result = invoke(
        "run",
        "subtitles.generate",
        "--video-url",
        "https://example.com/v.mp4",
        "--subtitle-settings",
        '{"fontSize": 24, "color": "#FFFFFF"}',
        "--json",
    )
    assert result.exit_code == 0, result.output
    sent = _input_of(cannon_sandbox.sandbox, json.loads(result.stdout)["request"]["id"])
    assert sent["subtitle_settings"] == {"fontSize": 24, "color": "#FFFFFF"}

    result = invoke(
        "run", "video.upscale", "--video-url", "https://example.com/v.mp4", "--upscale-factor", "2"
    )
    assert result.exit_code == 0, result.output
    sent = _input_of(cannon_sandbox.sandbox, created_ids(cannon_sandbox.sandbox)[-1])
    assert sent["upscale_factor"] == 2


def test_run_input_file_with_flag_override(
    invoke: Invoke, cannon_sandbox: Any, tmp_path: Path
) -> None:
    payload = tmp_path / "input.json"
    payload.write_text(json.dumps({"text": "Hello there.", "voice_id": "voice_123", "speed": 1.1}))
    result = invoke(
        "run", "narration.generate", "--input", str(payload), "--speed", "0.9", "--json"
    )
    assert result.exit_code == 0, result.output
    sent = _input_of(cannon_sandbox.sandbox, json.loads(result.stdout)["request"]["id"])
    assert sent == {"text": "Hello there.", "voice_id": "voice_123", "speed": 0.9}
    # stdin works too
    result = invoke("run", "narration.generate", "--input", "-", input=payload.read_text())
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--prompt", "x", "--aspect-ratio", "5:4"],
            ["--aspect-ratio", "aspect_ratio", "16:9", "21:9"],
        ),
        (
            ["--prompt", "x", "--reference-prompt-balance", "lots"],
            ["--reference-prompt-balance", "number"],
        ),
        (["--aspect-ratio", "16:9"], ["--prompt", "needs"]),
        (["--prompt", "x", "--colour", "red"], ["No such option", "--colour"]),
    ],
)
def test_run_bad_flags_are_usage_errors(
    invoke: Invoke, cannon_sandbox: Any, args: list[str], expected: list[str]
) -> None:
    result = invoke("run", "image.generate", *args)
    assert result.exit_code == 2, result.output
    for text in expected:
        assert text in result.stderr
    assert "Traceback" not in result.output
    assert created_ids(cannon_sandbox.sandbox) == []


def test_run_schema_violation_is_caught_client_side(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke("run", "image.generate", "--prompt", "x" * 4001, "--json")
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert "prompt" in (error.get("field") or "")
    assert "--prompt" in result.stderr
    assert created_ids(cannon_sandbox.sandbox) == []


def test_run_unknown_operation_lists_known_ones(invoke: Invoke) -> None:
    result = invoke("run", "video.genrate", "--prompt", "x")
    assert result.exit_code == 2
    assert "Did you mean 'video.generate'" in result.stderr
    for op_id in ALL_OPERATIONS:
        assert op_id in result.stderr


def test_run_bad_input_file_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = invoke("run", "image.generate", "--input", str(bad))
    assert result.exit_code == 2
    assert "not JSON" in result.stderr


def test_run_insufficient_credits_is_an_api_error(invoke: Invoke, cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.set_credits(cannon_sandbox.account, 0)
    result = invoke("run", "image.generate", "--prompt", "A lighthouse", "--json")
    assert result.exit_code == 3, result.output
    error = json.loads(result.stdout)["error"]
    assert error["status_code"] == 402
    assert "402" in result.stderr


def test_run_failed_request_exits_1(invoke: Invoke) -> None:
    result = invoke("run", "image.generate", "--prompt", "[fail] a broken render")
    assert result.exit_code == 1
    assert "failed" in result.stdout
    assert "failed" in result.stderr


def test_run_no_wait_prints_the_accepted_request(invoke: Invoke, cannon_sandbox: Any) -> None:
    result = invoke("run", "music.generate", "--prompt", "Warm folk", "--no-wait", "--json")
    assert result.exit_code == 0, result.output
    accepted = json.loads(result.stdout)["accepted"]
    assert accepted["id"] == created_ids(cannon_sandbox.sandbox)[0]
    assert accepted["operation"] == "music.generate"
    human = invoke("run", "music.generate", "--prompt", "Warm folk", "--no-wait")
    assert human.exit_code == 0
    assert "cannon-studio wait" in human.stderr


def test_run_idempotency_key_creates_once(invoke: Invoke, cannon_sandbox: Any) -> None:
    args = ("run", "soundfx.generate", "--prompt", "door slam", "--idempotency-key", "cli-test-001")
    first = invoke(*args, "--json")
    second = invoke(*args, "--json")
    assert first.exit_code == second.exit_code == 0
    assert json.loads(first.stdout)["request"]["id"] == json.loads(second.stdout)["request"]["id"]
    assert cannon_sandbox.sandbox.created_count() == 1


def test_run_webhook_url_is_sent(invoke: Invoke, cannon_sandbox: Any) -> None:
    url = "http://127.0.0.1:9/hooks"  # discard port: the delivery fails, the request does not
    result = invoke("run", "prompt.enhance.variant", "--prompt", "x", "--webhook-url", url)
    assert result.exit_code == 0, result.output
    obj = cannon_sandbox.sandbox.request_object(created_ids(cannon_sandbox.sandbox)[0])
    assert obj is not None


def test_run_timeout_exits_4(invoke: Invoke, cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.update_config(
        job_duration_s=(30.0, 30.0), queue_delay_s=0.0, poll_after_ms=50
    )
    result = invoke("run", "image.generate", "--prompt", "slow", "--max-wait", "0.3")
    assert result.exit_code == 4, result.output
    (request_id,) = created_ids(cannon_sandbox.sandbox)
    assert f"cannon-studio wait {request_id}" in result.stderr


def test_run_help_lists_fields_from_the_schema(invoke_offline: Invoke) -> None:
    result = invoke_offline("run", "prompt.enhance.video", "--help")
    assert result.exit_code == 0
    for flag in ("--prompt", "--aspect-ratio", "--visual-style", "--rewrite-request", "--duration"):
        assert flag in result.stdout
    assert "--no-wait" in result.stdout and "--download" in result.stdout


def _create(invoke: Invoke, *args: str) -> str:
    result = invoke("run", *args, "--json")
    data = json.loads(result.stdout)
    return str(data["request"]["id"] if "request" in data else data["accepted"]["id"])


def test_get_human_and_json(invoke: Invoke) -> None:
    request_id = _create(invoke, "image.generate", "--prompt", "A fox")
    human = invoke("get", request_id)
    assert human.exit_code == 0, human.output
    assert (
        request_id in human.stdout and "succeeded" in human.stdout and "image.png" in human.stdout
    )
    data = json.loads(invoke("get", request_id, "--json").stdout)
    assert data["request"]["id"] == request_id
    assert data["request"]["status"] == "succeeded"
    assert isinstance(data["request"]["billableCredits"], int)
    assert data["assets"]


def test_get_unknown_id_is_an_api_error(invoke: Invoke) -> None:
    result = invoke("get", "req_does_not_exist", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["error"]["status_code"] == 404


def test_get_without_id_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("get")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_get_failed_request_exits_1(invoke: Invoke) -> None:
    result = invoke("run", "image.generate", "--prompt", "[fail] x", "--json")
    request_id = json.loads(result.stdout)["request"]["id"]
    got = invoke("get", request_id)
    assert got.exit_code == 1
    assert "failed" in got.stdout


def test_wait_several_json_lines(invoke: Invoke) -> None:
    ids = [
        _create(invoke, "image.generate", "--prompt", f"picture {n}", "--no-wait") for n in range(3)
    ]
    result = invoke("wait", *ids, "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(line["request"]["id"] for line in lines) == sorted(ids)
    assert all(line["request"]["status"] == "succeeded" for line in lines)


def test_wait_human_with_download_and_a_failure(invoke: Invoke, tmp_path: Path) -> None:
    good = _create(invoke, "narration.generate", "--text", "Hi.", "--voice-id", "v1", "--no-wait")
    bad = _create(invoke, "narration.generate", "--text", "[fail]", "--voice-id", "v1", "--no-wait")
    result = invoke("wait", good, bad, "--download", str(tmp_path))
    assert result.exit_code == 1
    assert good in result.stdout and bad in result.stdout
    assert "at least one request failed" in result.stderr
    assert [p.suffix for p in (tmp_path / good).iterdir()] == [".mp3"]
    assert not (tmp_path / bad).exists()


def test_wait_unknown_id_is_an_api_error(invoke: Invoke) -> None:
    assert invoke("wait", "req_nope").exit_code == 3


def test_wait_without_ids_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("wait")
    assert result.exit_code == 2


def test_wait_timeout_exits_4(invoke: Invoke, cannon_sandbox: Any) -> None:
    cannon_sandbox.sandbox.update_config(
        job_duration_s=(30.0, 30.0), queue_delay_s=0.0, poll_after_ms=50
    )
    request_id = _create(invoke, "image.generate", "--prompt", "slow", "--no-wait")
    result = invoke("wait", request_id, "--max-wait", "0.3", "--json")
    assert result.exit_code == 4
    assert json.loads(result.stdout)["error"]["request_id"] == request_id


def test_download_human_and_json(invoke: Invoke, tmp_path: Path) -> None:
    request_id = _create(invoke, "video.generate", "--prompt", "A chase")
    result = invoke("download", request_id, str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "a").iterdir()
    assert str(path) in strip_ansi(result.stdout).replace("\n", "")
    data = json.loads(invoke("download", request_id, str(tmp_path / "b"), "--json").stdout)
    (item,) = data["downloaded"]
    assert Path(item["path"]).read_bytes() == path.read_bytes()
    assert item["bytes"] == path.stat().st_size > 0


def test_download_failed_request_exits_1(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("run", "image.generate", "--prompt", "[fail] x", "--json")
    request_id = json.loads(result.stdout)["request"]["id"]
    got = invoke("download", request_id, str(tmp_path), "--json")
    assert got.exit_code == 1
    assert json.loads(got.stdout)["error"]["status"] == "failed"
    assert list(tmp_path.iterdir()) == []


def test_download_unknown_id_is_an_api_error(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("download", "req_nope", str(tmp_path)).exit_code == 3


def test_download_into_a_file_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = invoke("download", "req_x", str(target))
    assert result.exit_code == 2
