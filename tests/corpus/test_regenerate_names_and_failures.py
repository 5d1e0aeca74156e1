"""The generated layout does not depend on the source's names, and every refusal is one sentence.

A copy of the snapshot whose tags, operation ids and placed component names are all renamed
regenerates to exactly the committed tree (``git status`` clean): the overlay imports nothing
whose name the source chose. Documents regenerate cannot use are refused with one sentence
naming the cause in the document, exit 2, and the tree unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.repo_copy import ROOT, make_copy, regenerate, reset, status

pytestmark = pytest.mark.slow

SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"
RENAMED_COMPONENTS = {
    "RequestObject": "Job",
    "AcceptedRequest": "JobAccepted",
    "ErrorResponse": "Problem",
    "StatusResponse": "Health",
    "WebhookEvent": "JobEvent",
    "CreateRequestBody": "Body_create_request_api_v1_requests_post",
    "VideoOutput": "VideoResult",
    "PromptOutput": "EnhancedPrompt",
    "VideoGenerateEnvelope": "VideoGenerateRequest",
    "VideoGenerateInput": "VideoParams",
    "PromptEnhanceVideoEnvelope": "prompt.enhance.video",
}
"""Placed components and the names a generator might have given them instead."""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_copy(tmp_path_factory.mktemp("names-repo"))


@pytest.fixture
def clean_repo(repo: Path) -> Iterator[Path]:
    yield repo
    reset(repo)


def _renamed_snapshot() -> dict[str, Any]:
    """The snapshot with other tags, FastAPI-style operation ids and other component names."""
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for path, item in document["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                words = path.strip("/").replace("{", "").replace("}", "").replace("/", "_")
                op["operationId"] = f"{op['operationId']}_{words}_{method}"
                op["tags"] = ["Cannon Studio"]
    schemas = document["components"]["schemas"]
    for old, new in RENAMED_COMPONENTS.items():
        schemas[new] = {**schemas.pop(old), "title": new}
    text = json.dumps(document)
    for old, new in RENAMED_COMPONENTS.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed: dict[str, Any] = json.loads(text)
    return renamed


def test_renamed_tags_operation_ids_and_components_regenerate_the_same_tree(
    clean_repo: Path, tmp_path: Path
) -> None:
    source = tmp_path / "renamed.json"
    source.write_text(json.dumps(_renamed_snapshot(), indent=1), encoding="utf-8")
    result = regenerate(clean_repo, source)
    assert result.returncode == 0, result.stderr
    assert "not a Python identifier" in result.stdout  # 'prompt.enhance.video' was repaired
    assert status(clean_repo) == "", status(clean_repo)


def _without_retrieve() -> dict[str, Any]:
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    del document["paths"]["/api/v1/requests/{requestId}"]
    return document


def _invalid_component() -> dict[str, Any]:
    """swagger-jsdoc's output for a YAML flow mapping split at a comma inside a description."""
    model = {"type": "string", "description": "Model id", "e.g. seedance2.": None}
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"VideoInput": {"type": "object", "properties": {"model": model}}}
        },
    }


def _swagger_2() -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}


def _no_body() -> dict[str, Any]:
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    del document["paths"]["/api/v1/requests"]["post"]["requestBody"]
    return document


FAILURES = {
    "no retrieve endpoint": (_without_retrieve, "GET /api/v1/requests/{requestId}"),
    "not valid OpenAPI": (_invalid_component, "$.components.schemas.VideoInput"),
    "Swagger 2.0": (_swagger_2, "'openapi' version field"),
    "create without a body": (_no_body, "POST /api/v1/requests"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_a_refusal_is_one_sentence_naming_the_cause_exit_2_tree_unchanged(
    clean_repo: Path, tmp_path: Path, case: str
) -> None:
    build, named = FAILURES[case]
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(build()), encoding="utf-8")
    result = regenerate(clean_repo, source)
    assert result.returncode == 2
    [line] = [line for line in result.stderr.splitlines() if line.startswith("regenerate:")]
    assert named in line, line
    assert line.endswith(".") and line.count(". ") == 0, line
    assert "{" not in line.replace("{requestId}", ""), line  # no schema dump
    assert "Traceback" not in result.stderr and "cannon_studio_api." not in line
    assert status(clean_repo) == ""
