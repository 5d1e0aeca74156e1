"""The public signatures type-check callers (mypy --strict on small user programs).

``input`` is ``Mapping[str, object] | <generated input model>`` (no ``| Any`` that would switch
checking off), ``with_options`` returns the client's own class, raw responses are generic in
what ``parse()`` gives, ``run`` returns ``Output | None``.
"""

from __future__ import annotations

import builtins
import collections.abc
import inspect
import re
import textwrap
import typing
from pathlib import Path

import cannon_studio
import cannon_studio_api.models as models
from cannon_studio import assets, batch, resources, webhooks
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


CONSTRUCTED_BY_USERS = {"Cannon", "AsyncCannon", "Webhooks"}
"""Classes users build themselves (their ``__init__`` is public; the others' is the client's)."""


def _annotation_names(cls: type) -> dict[str, str]:
    """Every name in the annotations of ``cls``'s public methods and properties -> where."""
    names: dict[str, str] = {}
    for attr in dir(cls):
        if attr.startswith("_") and not (
            attr == "__init__" and cls.__name__ in CONSTRUCTED_BY_USERS
        ):
            continue
        member = inspect.getattr_static(cls, attr)
        func = member.fget if isinstance(member, property) else member
        func = getattr(func, "__func__", func)
        for text in getattr(func, "__annotations__", {}).values():
            for name in re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", str(text)):
                names.setdefault(name.split(".")[0], f"{cls.__name__}.{attr}")
    return names


def test_every_type_in_a_public_signature_is_importable_from_a_public_module() -> None:
    """What users see in the signatures of the clients, ``client.requests``, the handles, raw
    responses, webhooks and every namespace can be imported from ``cannon_studio`` (or from a
    public module: ``cannon_studio.resources``, ``.batch``, ``.webhooks``, ``.assets``, the
    generated models); nothing only from a private module."""
    client = cannon_studio.Cannon(api_key="cs_test_public_types")
    roots: list[type] = [
        cannon_studio.Cannon,
        cannon_studio.AsyncCannon,
        type(client.requests),
        type(client.with_raw_response),
        type(client.with_raw_response.requests),
        cannon_studio.AsyncRequests,
        cannon_studio.AsyncRequestsWithRawResponse,
        cannon_studio.AsyncCannonWithRawResponse,
        cannon_studio.RequestHandle,
        cannon_studio.AsyncRequestHandle,
        cannon_studio.APIResponse,
        cannon_studio.Webhooks,
        *(getattr(resources, name) for name in resources.__all__ if not name.endswith("Params")),
    ]
    client.close()
    public_modules = (cannon_studio, resources, batch, webhooks, assets, models)
    known = set().union(*(dir(module) for module in public_modules), cannon_studio.__all__)
    known |= set(dir(builtins)) | set(dir(typing)) | set(dir(collections.abc))
    known |= {"httpx2", "os", "Path", "PathLike"}
    unknown = {
        name: where
        for root in roots
        for name, where in _annotation_names(root).items()
        if name not in known
    }
    assert unknown == {}
    assert cannon_studio.Output is not None and "Output" in cannon_studio.__all__
