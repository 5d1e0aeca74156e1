"""The public signatures type-check callers (mypy --strict on small user programs).

``input`` is ``Mapping[str, object] | <generated input model>`` (no ``| Any`` that would switch
checking off), ``with_options`` returns the client's own class, raw responses are generic in
what ``parse()`` gives, ``run`` returns ``Output | None``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
from cannon_studio import APIResponse, AsyncCannon, Cannon, RequestHandle
from cannon_studio_api.models import VideoGenerateInput


def sync_calls(client: Cannon) -> None:
    handle: RequestHandle = client.requests.create("video.generate", {"prompt": "x"}, timeout=5)
    client.requests.create("video.generate", VideoGenerateInput(prompt="x"))
    copy: Cannon = client.with_options(timeout=3, max_retries=1)
    raw: APIResponse[RequestHandle] = copy.with_raw_response.requests.retrieve(handle.id)
    assert raw.parse().id == handle.id
    output = client.run("video.generate", {"prompt": "x"}, max_wait=60)
    if output is not None:
        output.to_dict()
    handle.wait(max_wait=10)


async def async_calls(client: AsyncCannon) -> None:
    copy: AsyncCannon = client.with_options(timeout=3)
    await copy.requests.create("video.generate", {"prompt": "x"}, extra_headers={"x-a": "b"})
"""

BAD = """
from cannon_studio import Cannon


def calls(client: Cannon) -> None:
    client.requests.create("video.generate", 42)
    client.run("video.generate", ["prompt"])
    client.with_options(timeout="soon")
"""


def test_public_signatures_type_check_callers(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(textwrap.dedent(GOOD), encoding="utf-8")
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD), encoding="utf-8")
    stdout, stderr, _ = api.run(
        [
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            str(tmp_path / "good.py"),
            str(tmp_path / "bad.py"),
        ]
    )
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert not [line for line in errors if "good.py" in line], stdout + stderr
    bad_lines = sorted({int(line.split(":")[1]) for line in errors if "bad.py" in line})
    assert bad_lines == [6, 7, 8], stdout + stderr
