"""``make regenerate SOURCE=<document>`` for every shape of document, in a temporary copy of the
repository: it exits 0, and the regenerated client creates and waits on a request against the
sandbox, with typed wrappers wherever the document names the input. A source that breaks the
wrapper step leaves ``git status`` clean.

Each run works on a throwaway git copy of the tracked files (never on this working tree); the
copy uses this checkout's virtual environment (``make ... VENV=<it>``, with its install stamp
marked old so nothing is installed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cannon_studio_schema import ApiSchema, embedded, parse_text
from shape_documents import NEW_OPERATION, ROOT, SHAPES, Shape

from tests.repo_copy import GIT, make_copy, regenerate, reset, status

pytestmark = pytest.mark.slow

SNAPSHOT_IDS = embedded().ids
REGENERATED = [
    s
    for s in SHAPES
    if s.name not in {"by-reference-oneOf", "discriminator-mapping", "allOf-envelopes"}
]
"""The snapshot itself is the twice-regenerated case; the mapping-only shape is model-tested."""

CLIENT_CHECK = """
import inspect, json, sys, warnings
from cannon_studio import Cannon
from cannon_studio._operations import registry
from cannon_studio_sandbox import Sandbox, SandboxConfig

stage, cases = sys.argv[1], json.loads(sys.argv[2])
import cannon_studio, cannon_studio_api
assert cannon_studio.__file__.startswith(stage) and cannon_studio_api.__file__.startswith(stage)
warnings.simplefilter("ignore", DeprecationWarning)
sandbox = Sandbox(SandboxConfig.instant())
report = {}
with sandbox.serve(host="127.0.0.1", port=0) as server, Cannon(
    api_key=sandbox.api_key, base_url=server.base_url
) as client:
    for operation, data in cases.items():
        done = client.requests.create(operation, data).wait(max_wait=30)
        namespace, method = registry().get(operation).wrapper.split(".")
        wrapper = getattr(getattr(client, namespace), method)
        annotation = str(inspect.signature(wrapper).parameters["input"].annotation)
        handle = wrapper(**data).wait(max_wait=30)
        report[operation] = [done.status, handle.status, annotation, namespace + "." + method]
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git copy of the tracked files of this checkout (committed, so status starts clean)."""
    return make_copy(tmp_path_factory.mktemp("repo-copy"))


@pytest.fixture
def clean_repo(repo: Path) -> Iterator[Path]:
    """The copy, reset to its commit after the test."""
    yield repo
    reset(repo)


def _sample(model: ApiSchema, node: Any) -> Any:
    flat = model.resolver.flatten(node).schema
    if "enum" in flat:
        return flat["enum"][0]
    kind = flat.get("type")
    if kind == "string":
        return "https://example.test/a.mp4" if flat.get("format") == "uri" else "a red kite"
    if kind == "integer":
        return max(1, int(flat.get("minimum", 1)))
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    if kind == "array":
        return [_sample(model, flat.get("items", {}))]
    return {}


def _cases(model: ApiSchema, shape: Shape) -> dict[str, dict[str, Any]]:
    """One known operation, and every extra one, with a minimal input built from the model."""
    reference = ApiSchema(json.loads((ROOT / "openapi" / "cannon-studio.json").read_text()))
    chosen = ["image.generate", *shape.extra_ops]
    cases = {}
    for operation in chosen:
        op = model.operation(operation) or reference.operation(operation)
        assert op is not None
        cases[operation] = {name: _sample(model, op.fields[name]) for name in op.required}
    return cases


@pytest.mark.parametrize("shape", REGENERATED, ids=lambda s: s.name)
def test_regenerate_from_every_shape_then_create_and_wait(
    clean_repo: Path, tmp_path: Path, shape: Shape
) -> None:
    source = tmp_path / f"openapi{shape.suffix}"
    source.write_text(shape.text(), encoding="utf-8")
    result = regenerate(clean_repo, source)
    assert result.returncode == 0, result.stderr
    model = ApiSchema(parse_text((clean_repo / "openapi" / "cannon-studio.json").read_text(), "x"))
    untyped = [op.id for op in model.operations if not op.input_known]
    notes = [line for line in result.stdout.splitlines() if "free keywords" in line]
    assert len(notes) == len(untyped) and all(op in "".join(notes) for op in untyped)
    assert model.ids == SNAPSHOT_IDS + shape.extra_ops

    path = os.pathsep.join([str(clean_repo / "generated"), str(clean_repo / "overlay")])
    env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
    cases = _cases(model, shape)
    run = subprocess.run(
        [sys.executable, "-c", CLIENT_CHECK, str(clean_repo), json.dumps(cases)],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    for operation in cases:
        created, wrapped, annotation, _ = report[operation]
        assert created == wrapped == "succeeded", (operation, report[operation])
        assert ("Unpack[" in annotation) is shape.typed, (operation, annotation)
    if NEW_OPERATION in cases:
        assert report[NEW_OPERATION][3] == "video.denoise"  # a derived name, not silence


def test_a_broken_wrapper_step_changes_nothing(clean_repo: Path, tmp_path: Path) -> None:
    script = clean_repo / "scripts" / "generate_wrappers.py"
    text = script.read_text(encoding="utf-8")
    marker = (
        "    files = _Emitter(model or embedded(), WRAPPERS if table is None else table).files()"
    )
    assert marker in text
    script.write_text(
        text.replace(marker, '    raise RuntimeError("wrapper step broken on purpose")')
    )
    subprocess.run(
        [*GIT, "commit", "-q", "-am", "break the wrapper step"], cwd=clean_repo, check=True
    )
    try:
        source = tmp_path / "openapi.json"
        source.write_text(SHAPES[-1].text(), encoding="utf-8")  # a new operation: all would change
        result = regenerate(clean_repo, source)
        assert result.returncode != 0
        [line] = [line for line in result.stderr.splitlines() if line.startswith("regenerate:")]
        assert "typed wrappers could not be generated" in line and "broken on purpose" in line
        assert status(clean_repo) == ""
    finally:
        subprocess.run([*GIT, "reset", "-q", "--hard", "HEAD~1"], cwd=clean_repo, check=True)


def test_regenerating_the_snapshot_twice_leaves_the_copy_clean(clean_repo: Path) -> None:
    snapshot = clean_repo / "openapi" / "cannon-studio.json"
    for _ in range(2):
        result = regenerate(clean_repo, snapshot)
        assert result.returncode == 0, result.stderr
        assert status(clean_repo) == ""
