"""Documents of the API as real generators emit them (``documents/``, made by ``emit.sh`` from
``sources/``) regenerate a working, typed client.

For every document, in a throwaway copy of the repository: ``make regenerate SOURCE=<it>`` exits
0; every operation whose input the document names has a typed wrapper, with ``X | None`` where
the field is nullable; the regenerated client creates and waits on three operations against the
sandbox and ``handle.output`` is the operation's own output class with its documented field
filled; a misspelt field is refused before anything is sent; and ``cannon-studio schema check``
of the same document against the regenerated snapshot reports no drift.

Each document is regenerated once (module fixture) and its tree kept in a stage directory;
the client checks run from the stage in one subprocess per document.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cannon_studio_schema import ApiSchema, read_file

from tests.repo_copy import make_copy, regenerate, reset, status

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
DOCUMENTS = sorted((HERE / "documents").iterdir())
CHECKED = ("video.generate", "image.generate", "prompt.enhance.video")
"""The operations created and waited on (every corpus document has them)."""

CLIENT_CHECK = r"""
import json, sys, typing, types, warnings, importlib
stage = sys.argv[1]
import cannon_studio, cannon_studio_api
assert cannon_studio.__file__.startswith(stage) and cannon_studio_api.__file__.startswith(stage)
from cannon_studio import Cannon, InputValidationError
from cannon_studio._operations import registry
from cannon_studio_schema import embedded
from cannon_studio_sandbox import Sandbox, SandboxConfig

warnings.simplefilter("ignore", DeprecationWarning)
model = embedded()
report = {"typed": {}, "runs": {}, "misspelt": None}
for op in model.operations:
    if not op.input_known:
        continue
    namespace, method = registry().get(op.id).wrapper.split(".")
    module = importlib.import_module(f"cannon_studio.resources.{namespace}")
    stem = op.input_name.removesuffix("Input") if op.input_name else op.class_stem
    hints = typing.get_type_hints(getattr(module, stem + "Params"))
    fields = {}
    for field in model.input_fields(op):
        hint = hints[field.name]
        fields[field.name] = [field.nullable, type(None) in typing.get_args(hint), str(hint)]
    report["typed"][op.id] = fields

sandbox = Sandbox(SandboxConfig.instant())
with sandbox.serve(host="127.0.0.1", port=0) as server, Cannon(
    api_key=sandbox.api_key, base_url=server.base_url
) as client:
    for operation in json.loads(sys.argv[2]):
        namespace, method = registry().get(operation).wrapper.split(".")
        wrapper = getattr(getattr(client, namespace), method)
        handle = wrapper(prompt="A red kite over the dunes at dawn.")
        handle.wait(max_wait=30)
        output = handle.output
        report["runs"][operation] = [
            handle.status,
            type(output).__name__,
            model.operation(operation).output_name,
            output.to_dict() if output is not None else None,
        ]
    before = sandbox.created_count()
    try:
        client.images.generate(prompt="A red kite.", aspect_ratoi="16:9")
    except InputValidationError as exc:
        report["misspelt"] = [str(exc), sandbox.created_count() - before]
print(json.dumps(report))
"""

DOCUMENTED_FIELD = {
    "VideoOutput": "video_url",
    "ImageOutput": "image_url",
    "AudioOutput": "audio_url",
    "PromptOutput": "enhancedPrompt",
}
"""The field each output class must have filled after success (the asset or the text)."""


@dataclass(frozen=True)
class Regenerated:
    """One document's regeneration: what ``make regenerate`` said and the tree it left."""

    document: Path
    result: subprocess.CompletedProcess[str]
    stage: Path

    @property
    def snapshot(self) -> Path:
        return self.stage / "openapi" / "cannon-studio.json"

    def env(self) -> dict[str, str]:
        path = os.pathsep.join([str(self.stage / "generated"), str(self.stage / "overlay")])
        return {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Regenerated]]:
    """Every document regenerated once in one repository copy; each tree kept in a stage."""
    repo = make_copy(tmp_path_factory.mktemp("corpus-repo"))
    stages = tmp_path_factory.mktemp("corpus-stages")
    done: dict[str, Regenerated] = {}
    for document in DOCUMENTS:
        result = regenerate(repo, document)
        stage = stages / document.name
        if result.returncode == 0:
            for part in ("generated", "overlay", "openapi"):
                shutil.copytree(
                    repo / part, stage / part, ignore=shutil.ignore_patterns("__pycache__")
                )
        done[document.name] = Regenerated(document, result, stage)
        reset(repo)
    assert status(repo) == ""
    yield done


@pytest.fixture(scope="module")
def client_reports(regenerated: dict[str, Regenerated]) -> dict[str, dict[str, object]]:
    """The client check's report per document (one subprocess each, run from its stage)."""
    reports: dict[str, dict[str, object]] = {}
    for name, run in regenerated.items():
        if run.result.returncode != 0:
            continue
        check = subprocess.run(
            [sys.executable, "-c", CLIENT_CHECK, str(run.stage), json.dumps(CHECKED)],
            capture_output=True, text=True, check=False, env=run.env(), cwd=run.stage,
            timeout=180,
        )  # fmt: skip
        assert check.returncode == 0, (name, check.stderr[-3000:])
        reports[name] = json.loads(check.stdout.strip().splitlines()[-1])
    return reports


def test_the_corpus_covers_the_generators_asked_for() -> None:
    names = {document.name for document in DOCUMENTS}
    for expected in (
        "fastapi-default-ids.json",
        "fastapi-custom-ids.json",
        "zod-to-openapi-3.0.json",
        "zod-to-openapi-3.1.json",
        "zod-to-openapi-3.1.yaml",
        "zod-to-openapi-3.0.js-yaml.yaml",
        "swagger-jsdoc.json",
    ):
        assert expected in names
    assert len(names) >= 9  # and at least two more generators (Fastify, Litestar)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_regenerate_exits_0_and_notes_are_one_line_each(
    regenerated: dict[str, Regenerated], document: Path
) -> None:
    run = regenerated[document.name]
    assert run.result.returncode == 0, run.result.stderr
    lines = run.result.stdout.splitlines()  # make echoes the command first
    [done] = [i for i, line in enumerate(lines) if line.startswith("regenerated generated/")]
    assert all(line.startswith("regenerate: ") for line in lines[done + 1 :]), lines


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_named_input_has_a_typed_wrapper_with_real_nullable_types(
    regenerated: dict[str, Regenerated],
    client_reports: dict[str, dict[str, object]],
    document: Path,
) -> None:
    model = ApiSchema(read_file(regenerated[document.name].snapshot))
    typed = client_reports[document.name]["typed"]
    assert isinstance(typed, dict)
    named = [op.id for op in model.operations if op.input_known]
    assert sorted(typed) == sorted(named) and named
    nullable = 0
    for operation, fields in typed.items():
        for name, (field_nullable, hint_nullable, hint) in fields.items():
            assert field_nullable == hint_nullable, (operation, name, hint)
            assert hint != "typing.Any", (operation, name)
            nullable += field_nullable
    source = document.read_text(encoding="utf-8")
    if "null" in source:  # every corpus source declares some nullable inputs
        assert nullable > 0


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_create_and_wait_gives_the_operations_own_output_class(
    client_reports: dict[str, dict[str, object]], document: Path
) -> None:
    runs = client_reports[document.name]["runs"]
    assert isinstance(runs, dict) and sorted(runs) == sorted(CHECKED)
    for operation, (state, got, expected, payload) in runs.items():
        assert state == "succeeded", operation
        assert got == expected, (operation, got, expected)
        assert payload.get(DOCUMENTED_FIELD[expected]), (operation, payload)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_a_misspelt_field_is_refused_before_sending(
    client_reports: dict[str, dict[str, object]], document: Path
) -> None:
    misspelt = client_reports[document.name]["misspelt"]
    assert misspelt is not None, "the misspelt field was sent"
    message, created = misspelt
    assert created == 0
    assert "aspect_ratoi" in message and "aspect_ratio" in message


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_schema_check_of_the_same_document_reports_no_drift(
    regenerated: dict[str, Regenerated], document: Path
) -> None:
    run = regenerated[document.name]
    check = subprocess.run(
        [sys.executable, "-c", "from cannon_studio.cli import main; main()", "schema", "check",
         "--url", str(document)],
        capture_output=True, text=True, check=False, env=run.env(), cwd=run.stage, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no drift" in check.stdout.lower()


def test_unquoted_16_9_in_yaml_12_regenerates_as_the_string(
    regenerated: dict[str, Regenerated],
) -> None:
    document = HERE / "documents" / "zod-to-openapi-3.1.yaml"
    assert "- 16:9\n" in document.read_text(encoding="utf-8")  # written unquoted (YAML 1.2)
    snapshot = read_file(regenerated[document.name].snapshot)
    assert snapshot["components"]["schemas"]["AspectRatio"]["enum"][0] == "16:9"
