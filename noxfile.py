"""The test suite on every Python the classifiers name, and at the lowest allowed versions.

    .venv/bin/nox                    # the sessions CI runs (after `make test`, see .ci/run)
    .venv/bin/nox -s tests-3.13      # one of them; arguments after -- go to pytest
    .venv/bin/nox -s lowest -- tests/batch -x

``tests-<version>``: the whole pytest suite in a fresh virtual environment with ``.[dev]``, one
session per ``Programming Language :: Python :: 3.N`` classifier of ``pyproject.toml`` (read from
there, so the classifiers and the tested interpreters cannot drift apart). ``make test`` runs
the suite on the oldest one already, so CI runs the others. ``lowest``: the suite on the oldest
Python with every direct dependency at the lowest version its range allows (uv's
``--resolution lowest-direct``): a floor that no longer works fails here, and is raised.
``sdist``: the source distribution, unpacked in a fresh directory, passes its own suite.

Interpreters are found on ``PATH``, and in pyenv's ``versions/`` when it has them (pyenv's
shims only run the versions it has activated). A missing interpreter is an error, never a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import tarfile
import tempfile
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
CLASSIFIERS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "classifiers"
]
PYTHONS = [
    match.group(1)
    for classifier in CLASSIFIERS
    if (match := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", classifier))
]
OLDEST = PYTHONS[0]

nox.options.default_venv_backend = "uv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [*(f"tests-{version}" for version in PYTHONS[1:]), "lowest", "sdist"]


def _pyenv_interpreters() -> list[str]:
    """``bin`` folders of pyenv's installed versions of ``PYTHONS`` (newest patch first)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = []
    for version in PYTHONS:
        candidates = sorted(root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True)
        found += [str(candidate.parent) for candidate in candidates[:1]]
    return found


os.environ["PATH"] = os.pathsep.join([*_pyenv_interpreters(), os.environ.get("PATH", "")])


def _suite(session: nox.Session, *install_options: str) -> None:
    session.install(*install_options, "-e", ".[dev]")
    session.run("python", "-m", "pytest", *session.posargs)


# venv_params --seed: pip in each venv, for the packaging tests that build the wheel with it.
@nox.session(python=PYTHONS, venv_params=["--seed"])
def tests(session: nox.Session) -> None:
    """The whole suite on one interpreter."""
    _suite(session)


@nox.session(python=OLDEST, venv_params=["--seed"])
def lowest(session: nox.Session) -> None:
    """The whole suite with each direct dependency at the lowest version pyproject allows."""
    _suite(session, "--resolution", "lowest-direct")


@nox.session(python=OLDEST, venv_params=["--seed"])
def sdist(session: nox.Session) -> None:
    """The sdist, built and unpacked in a fresh directory, runs its own test suite there."""
    # Outside the checkout, and not session.create_tmp(): that sets TMPDIR inside .nox/, and the
    # tests' own pytest runs in temporary folders would find this repository's pytest settings.
    tmp = Path(tempfile.mkdtemp(prefix="cannon-studio-sdist-"))
    session.install("hatchling>=1.25")
    session.run("python", "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp / "dist"))
    [archive] = (tmp / "dist").glob("cannon_studio-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "unpacked", filter="data")
    [source] = (tmp / "unpacked").iterdir()
    # The reference notes some tests read sit beside the checkout (../shared), as in CI: the
    # unpacked sdist gets the same neighbour.
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (tmp / "unpacked" / "shared").symlink_to(shared, target_is_directory=True)
    session.chdir(source)
    try:
        _suite(session)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
