"""One pip-installable distribution ships both packages, typed, with the embedded schema."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    (built,) = out.glob("cannon_studio-*.whl")
    return built


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
