"""The floors of the house hold: the import contracts of ``make lint`` pass, they fail on a
back-edge (proved on a temporary copy of the tree), and no module of the distribution is part
of an import cycle, counting function-level imports and those under ``TYPE_CHECKING`` too."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pytest

from scripts.bench import imports as bench_imports

from .import_graph import function_level_imports, read_graph

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _distribution_packages(root: Path) -> list[Path]:
    """The top-level package directories the wheel ships (pyproject's hatch wheel target)."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    return [root / package for package in packages]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` run in ``root`` against the packages under ``root`` (not the venv's)."""
    source_dirs = sorted({str(package.parent) for package in _distribution_packages(root)})
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": ":".join(source_dirs), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy_tree(tmp_path: Path) -> Path:
    copy = tmp_path / "clone"
    copy.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    for name in {package.relative_to(ROOT).parts[0] for package in _distribution_packages(ROOT)}:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# A back-edge from a bottom floor up to the client, at module top, hidden inside a function,
# and for type hints only (grimp reads all three): each must break the contract and be named.
BACK_EDGES = {
    "module-top": "from cannon_studio import _client  # noqa: F401\n",
    "in-function": "\n\ndef _reach_up() -> object:\n    from . import _client\n\n    return _client\n",
    "type-checking": (
        "\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from ._client import Cannon  # noqa: F401\n"
    ),
}


def test_the_contracts_count_type_checking_imports() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert not config["tool"]["importlinter"].get("exclude_type_checking_imports", False)


@pytest.mark.parametrize("where", sorted(BACK_EDGES))
def test_a_back_edge_breaks_make_lint(tmp_path: Path, where: str) -> None:
    copy = _copy_tree(tmp_path)
    errors = copy / "overlay" / "cannon_studio" / "_errors.py"
    errors.write_text(errors.read_text(encoding="utf-8") + BACK_EDGES[where], encoding="utf-8")

    result = _lint_imports(copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert "cannon_studio._errors -> cannon_studio._client" in result.stdout


def test_no_module_of_the_distribution_is_in_an_import_cycle() -> None:
    graph = read_graph(_distribution_packages(ROOT))
    assert len(graph.modules) > 100  # the generated client, the overlay, the schema module
    assert any(item.type_only for item in graph.imports)  # type hints are in the graph
    assert graph.cycles() == []  # the sandbox (its own package) included


def test_the_cycle_check_sees_function_level_and_type_checking_imports(
    tmp_path: Path,
) -> None:
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from . import high\n    return high\n")
    (package / "high.py").write_text("from . import low\n")
    (package / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import uses_typed\n"
    )
    (package / "uses_typed.py").write_text("from toy import typed\n")
    graph = read_graph([package])
    assert graph.cycles() == [["toy.high", "toy.low"], ["toy.typed", "toy.uses_typed"]]
    assert [item.type_only for item in graph.imports if item.importer == "toy.typed"] == [True]
    runtime = read_graph([package], type_checking=False)
    assert runtime.cycles() == [["toy.high", "toy.low"]]


# Function-level imports. Every import sits at module top (a cycle would hide inside a function),
# with two kinds of exception, both of third-party modules and never of our own packages:
# - an optional extra's module (pyproject's optional-dependencies, the core's left out): it is
#   installed only with its extra, so it is imported where the extra is used;
# - a heavy core dependency that most programs never need, listed here with its reason: issue 15
#   wants its import cost paid when it is used, not by `import cannon_studio`.
DEFERRED_THIRD_PARTY = {
    "jsonschema": (
        "about 40-120 ms to import on the 2-core CI machine, as much as httpx2 itself; first used"
        " by the first create (the schema's validator, cannon_studio_schema.model, and the"
        " best_match of a refused input, cannon_studio._validation), never by a GET or status"
    ),
    "referencing": (
        "about 12-30 ms (with rpds); first used when the schema is resolved for the first"
        " create's validation (cannon_studio_schema.resolver), never by a GET or status"
    ),
    "ruamel": (
        "ruamel.yaml, about 20-70 ms; only for a schema document written in YAML"
        " (cannon_studio_schema.source): the embedded schema is JSON, so a client never loads it"
    ),
}
# Standard-library modules imported inside a function, on the same terms: a cost paid by every
# program that imports the client, for a feature most sync programs never use.
DEFERRED_STDLIB = {
    "asyncio": (
        "about 10-15 ms on the 2-core CI machine (its event loop, streams, subprocess,"
        " concurrent.futures), as much as the rest of the sync client; imported inside the"
        " coroutines that need it (cannon_studio._clock, _gate, _deadline, _retry, assets) and"
        " at module top by the async-only modules (_as_completed, _receiver), which a sync GET"
        " never loads"
    ),
}
# Our own modules imported inside a function: only these, each with its cost and the one method
# that needs it. A subpackage listed here is reached through that method alone, never on a
# request's path, and never imports the module that defers it (the layers still hold: the
# deferred import points down, and the cycle check above counts it).
DEFERRED_OWN = {
    "cannon_studio.batch": (
        "the batch runner (journal, scheduler, steps, HTML report): about a quarter of"
        " `import cannon_studio` (~20-27 ms of ~110 ms, -X importtime in a core-only venv), paid"
        " by every program's first GET while only Cannon.batch / AsyncCannon.batch"
        " (cannon_studio._client) use it there; the CLI and cannon_studio.batch users import it"
    ),
    "cannon_studio_schema": (
        "the schema model (operation model, canonical forms, normalisation, difflib): ~12-15 ms"
        " of `import cannon_studio`, first needed by the operation registry (the first create,"
        " `client.operations`), never by a GET or status; deferred in cannon_studio._operations"
        " (registry, build_registry) and cannon_studio._validation. The CLI and batch import it"
        " at module top"
    ),
    "cannon_studio._as_completed": (
        "the schedulers of requests.as_completed / wait_all (a thread pool, asyncio): imported"
        " by those four methods (cannon_studio._requests), never by create or retrieve"
    ),
    "cannon_studio.assets": (
        "asset downloads (cannon_studio._download_file: hashlib, secrets, temporary files):"
        " imported by a handle's asset_urls / download / adownload (cannon_studio._handles);"
        " the batch and CLI import it at module top"
    ),
    "cannon_studio._raw": (
        "the raw-response views: imported by client.with_raw_response (cannon_studio._client)"
    ),
    "cannon_studio._operations": (
        "the operation registry (the WRAPPERS table, the output parsers; ~1-1.5 ms, and the"
        " schema model behind it): imported by client.operations (cannon_studio._client_base)"
        " and a handle's output (cannon_studio._handles); _validation imports it at module top"
    ),
    "cannon_studio._validation": (
        "the create's input check (the registry, then jsonschema): imported by prepare_create"
        " (cannon_studio._request_args), the first create; never by a GET or status"
    ),
    "cannon_studio._receiver": (
        "the webhook receiver (asyncio, aiohttp's server side when started): imported by"
        " AsyncCannon.webhook_receiver (cannon_studio._client); the batch and CLI import it at"
        " module top"
    ),
    "cannon_studio.resources": (
        "the typed wrapper namespaces (cannon_studio.resources.<namespace>: a TypedDict per"
        " input, overloads per method; ~4-5 ms): each imported by its cached property on the"
        " client mixins (client.video...) in cannon_studio.resources itself, generated by"
        " scripts/generate_wrappers.py"
    ),
    "cannon_studio.webhooks": (
        "the webhook verifier (standardwebhooks, hmac, the WebhookEvent model): imported by"
        " client.webhooks and AsyncCannon.webhook_receiver (cannon_studio._client_base,"
        " _client); the receiver imports it at module top"
    ),
}
# `cannon_studio/__init__.py` binds its public names on first access (PEP 562, through
# importlib, so no import statement hides there): `import cannon_studio` loads nothing but the
# version, and `from cannon_studio import Cannon` only what the sync client imports. The
# first GET of the import benchmark (scripts/bench/imports.py, the exact command it times) must
# load no module that the distribution imports inside a function (the deferrals above, the
# optional extras) and none of the listed third-party and stdlib ones:
# test_the_first_get_loads_nothing_deferred holds it.
# The generated client's models import the models of their properties inside from_dict/to_dict
# (openapi-python-client's `lazy_imports`, so that models that refer to each other can load).
# Raw generator output, never edited by hand: the one first-party exception, confined to the
# models package; those imports reach nothing of ours ("generated-raw") and form no cycle.
GENERATED_MODELS = "cannon_studio_api.models."


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0].lower().replace("_", "-")


def _optional_extra_modules(root: Path) -> set[str]:
    """Top-level import names of the distributions only an optional extra brings (not dev)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {_requirement_name(spec) for spec in project["dependencies"]}
    extras = (
        {
            _requirement_name(spec)
            for extra, specs in project["optional-dependencies"].items()
            if extra != "dev"
            for spec in specs
        }
        - core
        - {_requirement_name(project["name"])}
    )
    return {
        module
        for module, distributions in importlib.metadata.packages_distributions().items()
        if any(_requirement_name(d) in extras for d in distributions)
    }


def _function_level_import_problems(
    package_dirs: list[Path], extra_modules: set[str], deferred: Iterable[str]
) -> list[str]:
    first_party = {package.name for package in package_dirs}
    allowed = extra_modules | set(deferred)
    problems = []
    for item in function_level_imports(package_dirs):
        top = item.imported.partition(".")[0]
        where = f"{item.importer}:{item.line} imports {item.imported} inside a function"
        if top in first_party:
            generated = item.importer.startswith(GENERATED_MODELS)
            if not (generated and item.imported.startswith(GENERATED_MODELS)) and not any(
                item.imported == own or item.imported.startswith(own + ".") for own in DEFERRED_OWN
            ):
                problems.append(f"{where}: our own module, import it at module top")
        elif top not in allowed:
            problems.append(
                f"{where}: not an optional extra; import it at module top, or list it in"
                " DEFERRED_THIRD_PARTY with its cost and first use"
            )
    return problems


def test_every_function_level_import_is_an_optional_extra_or_a_listed_deferral() -> None:
    """No import of our own packages hides inside a function (the generated models' own
    lazy imports aside); third-party ones only for optional extras and DEFERRED_THIRD_PARTY."""
    packages = _distribution_packages(ROOT)
    problems = _function_level_import_problems(
        packages, _optional_extra_modules(ROOT), {*DEFERRED_THIRD_PARTY, *DEFERRED_STDLIB}
    )
    assert problems == []


def test_every_listed_deferral_is_still_deferred_somewhere() -> None:
    """An exception nobody needs any more is removed, not kept."""
    imported = {
        item.imported.partition(".")[0]
        for item in function_level_imports(_distribution_packages(ROOT))
    }
    assert set(DEFERRED_THIRD_PARTY) | set(DEFERRED_STDLIB) <= imported
    deferred_own = {item.imported for item in function_level_imports(_distribution_packages(ROOT))}
    assert all(
        any(name == own or name.startswith(own + ".") for name in deferred_own)
        for own in DEFERRED_OWN
    )


def test_the_function_level_check_catches_our_own_and_unlisted_modules(tmp_path: Path) -> None:
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("X = 1\n")
    (package / "high.py").write_text(
        "def own():\n    from . import low\n    return low\n"
        "def extra():\n    import click\n    return click\n"
        "def deferred():\n    from jsonschema import exceptions\n    return exceptions\n"
        "def stdlib():\n    import json\n    return json\n"
    )
    problems = _function_level_import_problems([package], {"click"}, ["jsonschema"])
    assert [problem.split(" inside")[0] for problem in problems] == [
        "toy.high:2 imports toy.low",
        "toy.high:11 imports json",
    ]


def _loaded_by(code: str) -> list[str]:
    """The modules in ``sys.modules`` after ``code`` ran in a fresh interpreter."""
    report = "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code + report],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def _deferred_modules() -> tuple[set[str], set[str]]:
    """What a program that needs none of the deferred features must not load: our own modules
    imported inside a function somewhere (the generated models' lazy imports of each other
    aside), and the top-level packages of every other function-level import (optional extras,
    DEFERRED_THIRD_PARTY, DEFERRED_STDLIB)."""
    packages = _distribution_packages(ROOT)
    first_party = {package.name for package in packages}
    own, tops = set(), {*DEFERRED_THIRD_PARTY, *DEFERRED_STDLIB}
    for item in function_level_imports(packages):
        top = item.imported.partition(".")[0]
        if top not in first_party:
            tops.add(top)
        elif not item.importer.startswith(GENERATED_MODELS):
            own.add(item.imported)
    return own, tops


def _deferred_in(loaded: Iterable[str]) -> list[str]:
    own, tops = _deferred_modules()
    return sorted(name for name in loaded if name in own or name.partition(".")[0] in tops)


def test_the_first_get_loads_nothing_deferred() -> None:
    """The benchmark's "ready for the first GET" (construct ``Cannon``, one ``retrieve`` through
    a mock transport) loads none of the modules listed as deferred above."""
    own, tops = _deferred_modules()
    # every listed deferral is in the set checked (a module of its own, or one under it)
    assert all(any(m == o or m.startswith(o + ".") for m in own) for o in DEFERRED_OWN)
    assert {"asyncio", "jsonschema"} <= tops
    first_get = bench_imports.COMMANDS["ready for first GET"]
    loaded = _loaded_by(first_get)
    assert "cannon_studio._client" in loaded  # it did run the client
    assert _deferred_in(loaded) == []


def test_import_cannon_studio_binds_names_on_first_access() -> None:
    """``import cannon_studio`` loads none of its submodules but the version; each public name
    loads its module when first read, and every name of ``__all__`` resolves."""
    loaded = _loaded_by("import cannon_studio")
    assert [name for name in loaded if name.startswith("cannon_studio.")] == [
        "cannon_studio._version"
    ]
    code = (
        "import cannon_studio\n"
        "missing = [n for n in cannon_studio.__all__ if getattr(cannon_studio, n, None) is None]\n"
        "assert not missing, missing\n"
        "assert set(cannon_studio.__all__) <= set(dir(cannon_studio))\n"
    )
    assert "cannon_studio._receiver" in _loaded_by(code)


def test_the_deferral_check_sees_a_deferred_module_loaded() -> None:
    """The first-GET check can fail: a module deferred above, once loaded, is named."""
    loaded = _loaded_by("import asyncio, cannon_studio.webhooks")
    assert {"asyncio", "cannon_studio.webhooks"} <= set(_deferred_in(loaded))
