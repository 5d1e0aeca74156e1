"""The generated/ half of the drift check: a hand edit or a stale regeneration is caught and named.

One module-scoped regeneration (about 2 s) is shared by every test here; the tests work on
copies of generated/, never on the real directory.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import check_drift as cd
import pytest
import regenerate

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"
GENERATED = ROOT / "generated"
PACKAGE = "cannon_studio_api"


@pytest.fixture(scope="module")
def fresh_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``cannon_studio_api`` as the generator makes it from the committed snapshot."""
    workdir = tmp_path_factory.mktemp("fresh-generation")
    return regenerate.generate_package(SNAPSHOT.read_text(encoding="utf-8"), workdir)


@pytest.fixture
def generated_copy(tmp_path: Path) -> Path:
    """A copy of the repository's generated/ (without __pycache__) to edit freely."""
    target = tmp_path / "generated"
    shutil.copytree(GENERATED, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def reuse_generation(fresh_package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``check_drift`` reuse the module's generation instead of running the generator again."""

    def copy_fresh(snapshot_text: str, workdir: Path) -> Path:
        assert snapshot_text == SNAPSHOT.read_text(encoding="utf-8")
        return Path(shutil.copytree(fresh_package, workdir / PACKAGE))

    monkeypatch.setattr(cd, "generate_package", copy_fresh)


def test_checked_in_generated_matches_a_fresh_generation(fresh_package: Path) -> None:
    assert cd.compare_trees(fresh_package, GENERATED / PACKAGE, "generated/cannon_studio_api") == []


def test_a_hand_edit_to_any_file_is_named(fresh_package: Path, generated_copy: Path) -> None:
    package = generated_copy / PACKAGE
    files = sorted(p for p in package.rglob("*") if p.is_file())
    assert len(files) > 50 and package / "openapi.json" in files
    assert cd.compare_trees(fresh_package, package, "copy") == []
    for path in files:
        original = path.read_bytes()
        path.write_bytes(original + b"\n# hand edit\n")
        rel = path.relative_to(package).as_posix()
        assert cd.compare_trees(fresh_package, package, "copy") == [
            cd.FileDifference(f"copy/{rel}", "differs")
        ]
        path.write_bytes(original)


def test_missing_and_extra_files_are_named(fresh_package: Path, generated_copy: Path) -> None:
    package = generated_copy / PACKAGE
    (package / "models" / "status_response.py").unlink()
    (package / "models" / "my_helper.py").write_text("X = 1\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "client.cpython-311.pyc").write_bytes(b"\0")
    assert cd.compare_trees(fresh_package, package, "g") == [
        cd.FileDifference("g/models/my_helper.py", "extra"),
        cd.FileDifference("g/models/status_response.py", "missing"),
    ]


@pytest.mark.usefixtures("reuse_generation")
def test_check_fails_and_names_the_hand_edited_file(
    generated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = generated_copy / PACKAGE / "models" / "request_status.py"
    edited.write_text(edited.read_text() + "CANCELLED = 'cancelled'\n")
    argv = ["--url", str(SNAPSHOT), "--generated", str(generated_copy)]
    assert cd.main(argv) == 1
    out = capsys.readouterr().out
    assert f"DRIFT  generated file differs: {edited}" in out
    assert "schema: no changes" in out
    assert "1 generated file(s) out of date" in out.splitlines()[-1]

    assert cd.main([*argv, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["generated"] == {
        "checked": True,
        "differences": [{"path": str(edited), "problem": "differs"}],
    }
    assert report["schema"]["changes"] == []


@pytest.mark.usefixtures("reuse_generation")
def test_unedited_copy_passes(generated_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cd.main(["--url", str(SNAPSHOT), "--generated", str(generated_copy)]) == 0
    out = capsys.readouterr().out
    assert "generated/: matches a fresh generation from the snapshot" in out
    assert out.splitlines()[-1] == "no drift"


def test_generator_failure_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(snapshot_text: str, workdir: Path) -> Path:
        raise regenerate.PipelineError("Pinned tools are missing or at the wrong version: ruff.")

    monkeypatch.setattr(cd, "generate_package", refuse)
    assert cd.main(["--url", str(SNAPSHOT)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err.strip()
        == "check-drift: Pinned tools are missing or at the wrong version: ruff."
    )


def test_compare_trees_names_each_file(tmp_path: Path) -> None:
    expected, actual = tmp_path / "expected", tmp_path / "actual"
    for root in (expected, actual):
        (root / "models" / "__pycache__").mkdir(parents=True)
        (root / "same.py").write_text("x = 1\n")
        (root / "models" / "edited.py").write_text("y = 2\n")
    (expected / "missing.py").write_text("")
    (actual / "extra.py").write_text("")
    (actual / "models" / "edited.py").write_text("y = 3\n")
    (actual / "models" / "__pycache__" / "edited.cpython-311.pyc").write_bytes(b"\0")
    assert cd.compare_trees(expected, actual, "pkg") == [
        cd.FileDifference("pkg/extra.py", "extra"),
        cd.FileDifference("pkg/missing.py", "missing"),
        cd.FileDifference("pkg/models/edited.py", "differs"),
    ]
