"""One pip-installable distribution ships its packages, typed, with the embedded schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from cannon_studio_api.models import ImageOutput, RequestObject

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_both_packages_typed_with_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "cannon_studio/__init__.py",
        "cannon_studio/py.typed",
        "cannon_studio_api/__init__.py",
        "cannon_studio_api/py.typed",
        "cannon_studio_api/openapi.json",
        "cannon_studio_api/_schema.py",
        "cannon_studio_api/api/requests/create_request.py",
        "cannon_studio_sandbox/__init__.py",
        "cannon_studio_sandbox/py.typed",
        "pytest_cannon_studio/__init__.py",
        "cannon_studio/batch/example-pipeline.jsonl",
    ):
        assert required in names, required
    assert not any(n.startswith(("generated/", "overlay/", "tests/")) for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Python: >=3.11" in text
    assert "Provides-Extra: sandbox" in text and "Provides-Extra: cli" in text


def test_both_packages_import_from_the_wheel(wheel: Path) -> None:
    code = (
        "import cannon_studio, cannon_studio_api, sys;"
        "from cannon_studio_api._schema import load_schema;"
        "assert cannon_studio_api.__file__.startswith(sys.argv[1]), cannon_studio_api.__file__;"
        "assert cannon_studio.__file__.startswith(sys.argv[1]), cannon_studio.__file__;"
        "print(len(load_schema()['paths']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(wheel)],
        env={"PYTHONPATH": str(wheel)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4"


def _core_requirements(metadata_text: str) -> list[str]:
    """Names of the ``Requires-Dist`` entries that carry no ``extra ==`` marker."""
    names = []
    for line in metadata_text.splitlines():
        if line.startswith("Requires-Dist:") and "extra ==" not in line:
            spec = line.split(":", 1)[1].split(";", 1)[0].strip()
            names.append(re.split(r"[\s<>=!~\[(]", spec, maxsplit=1)[0].lower())
    return names


def test_core_install_requires_httpx2_not_httpx(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    core = _core_requirements(zipfile.ZipFile(wheel).read(metadata).decode())
    assert "httpx2" in core
    assert "httpx" not in core and "httpcore" not in core


def test_client_sandbox_and_cli_never_import_legacy_httpx() -> None:
    # The dev venv has legacy httpx installed (openapi-python-client needs it), so an import of
    # it anywhere in these paths would show up in sys.modules.
    code = """
import asyncio, sys
import httpx2
import cannon_studio.cli
from cannon_studio import AsyncCannon
from cannon_studio_sandbox import Sandbox, SandboxConfig

async def main():
    sandbox = Sandbox(SandboxConfig.instant())
    async with AsyncCannon(api_key=sandbox.api_key, base_url="http://sandbox.test",
                           transport=httpx2.ASGITransport(sandbox.app)) as client:
        await client.status()
        handle = await client.requests.create("image.generate", {"prompt": "a red square"})
        await handle.wait(max_wait=30)

asyncio.run(main())
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("httpx", "httpcore"))
assert not bad, bad
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr


def test_first_get_loads_only_the_models_it_parses() -> None:
    # The generated models package is lazy (openapi/templates/models_init.py.jinja): a GET loads
    # RequestObject and what it parses, never the per-operation envelopes and inputs.
    code = """
import json, sys
import httpx2
from cannon_studio import Cannon
from cannon_studio_api._schema import load_schema

body = {"id": "req_1", "operation": "image.generate", "status": "processing",
        "billableCredits": 6, "createdAtMs": 1, "output": None}
ok = lambda request: httpx2.Response(200, json=body)
with Cannon(api_key="cs_test_x", base_url="https://api.test",
            transport=httpx2.MockTransport(ok)) as client:
    client.requests.retrieve("req_1")
loaded = {m.rsplit(".", 1)[-1] for m in sys.modules if m.startswith("cannon_studio_api.models.")}
schemas = load_schema()["components"]["schemas"]
print(json.dumps({"loaded": sorted(loaded), "components": len(schemas), "attrs": "attr" in sys.modules}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    loaded = set(report["loaded"])
    assert "request_object" in loaded
    assert not any(name.endswith(("_envelope", "_input")) for name in loaded), loaded
    # A pending request's output and logs are null: no output model is loaded for it
    # (openapi/templates/model.py.jinja imports a union's models only when it has a value).
    assert not any(name.endswith(("_output", "request_log")) for name in loaded), loaded
    assert len(loaded) < report["components"] / 3
    # The generated models and client are standard-library classes (openapi/templates/): a GET
    # does not import attrs (about 0.13x `import httpx2` on its own).
    assert report["attrs"] is False


def test_union_fields_parse_whatever_the_value_once_their_models_load_lazily() -> None:
    # The union's models are imported only for a non-null value; every other value still
    # parses (a typed output, null, or an unexpected shape kept as it came, no NameError).
    base = {"id": "req_1", "operation": "image.generate", "status": "succeeded", "createdAtMs": 1}
    image = {"asset_type": "image", "image_url": "https://cdn.test/a.png"}
    assert isinstance(RequestObject.from_dict({**base, "output": image}).output, ImageOutput)
    assert RequestObject.from_dict({**base, "output": None}).output is None
    for odd in ("text", 7, [image]):
        assert RequestObject.from_dict({**base, "output": odd}).output == odd
