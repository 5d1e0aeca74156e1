"""Release conventions: a Keep a Changelog CHANGELOG, classifiers that match what is tested."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from cannon_studio import __version__

ROOT = Path(__file__).resolve().parents[2]
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_changelog_follows_keep_a_changelog() -> None:
    assert CHANGELOG.startswith("# Changelog\n")
    releases = re.findall(r"^## (.+)$", CHANGELOG, re.MULTILINE)
    assert releases[0] == "[Unreleased]"
    for release in releases[1:]:
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", release), release
    assert set(re.findall(r"^### (.+)$", CHANGELOG, re.MULTILINE)) <= SECTIONS
    assert __version__ in CHANGELOG


def test_the_deprecations_in_force_are_in_the_changelog() -> None:
    deprecated = CHANGELOG.split("### Deprecated", 1)[1].split("\n## ", 1)[0]
    for name in ("timeout=", "max_wait=", "--timeout", "--max-wait", "sora2.video.remix"):
        assert name in deprecated


def test_classifiers_name_every_supported_python_from_requires_python() -> None:
    """nox runs one session per classifier (noxfile.py reads them), so each one is tested."""
    versions = [
        tuple(int(n) for n in m.group(1).split("."))
        for c in PROJECT["classifiers"]
        if (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))
    ]
    floor = tuple(int(n) for n in PROJECT["requires-python"].removeprefix(">=").split("."))
    assert versions == sorted(versions) and versions[0] == floor
    assert versions == [(3, minor) for minor in range(floor[1], versions[-1][1] + 1)]
    assert versions[-1] >= (3, 13)


def test_each_extra_names_a_requirement_once() -> None:
    """A requirement listed twice (import-linter was) can drift to two different pins."""
    for extra, requirements in PROJECT["optional-dependencies"].items():
        names = [re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements]
        assert len(names) == len(set(names)), (extra, sorted(names))
