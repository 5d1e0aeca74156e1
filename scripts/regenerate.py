#!/usr/bin/env python3
"""Fetch the Cannon Studio OpenAPI document and regenerate ``generated/cannon_studio_api``.

Usage (normally through ``make regenerate``)::

    python scripts/regenerate.py [SOURCE]

SOURCE is a file path or an http(s) URL. Without it, ``$CANNON_OPENAPI_URL`` is used, else the
live ``https://www.cannonstudio.app/api/v1/openapi``. When ``$CANNON_API_KEY`` is set it is sent
as ``x-api-key`` (whether the live endpoint needs a key is not documented).

Pipeline, all-or-nothing:

1. load the source and check it is a valid OpenAPI document (openapi-spec-validator);
2. normalise it (sorted keys, two-space indent, UTF-8, trailing newline): the snapshot format;
3. run the pinned openapi-python-client with ``openapi/generator.yaml``, the template overrides in
   ``openapi/templates/`` (httpx2 instead of httpx2) and ``--fail-on-warning`` into a temporary
   directory, then format with the pinned ruff, isolated from user config;
4. embed the normalised schema and its SHA-256 in the package (``openapi.json``, ``_schema.py``);
5. only then replace ``openapi/cannon-studio.json`` and swap the new package into ``generated/``;
6. rewrite the overlay's typed wrappers (``overlay/cannon_studio/_wrappers.py``) from it.

Any failure prints one sentence to stderr, exits 2 and leaves the tree untouched.
The functions here are shared with ``scripts/check_drift.py`` so both normalise and generate the
same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"
CONFIG = ROOT / "openapi" / "generator.yaml"
# Overrides of the generator's built-in templates (only the files we change: httpx2, repr=False).
TEMPLATES = ROOT / "openapi" / "templates"
GENERATED = ROOT / "generated"
PACKAGE = "cannon_studio_api"
LIVE_URL = "https://www.cannonstudio.app/api/v1/openapi"

# Pinned so that generated/ is byte-reproducible; keep in sync with pyproject.toml [dev].
GENERATOR_VERSION = "0.29.1"
RUFF_VERSION = "0.17.6"
FETCH_TIMEOUT_S = 30.0


class PipelineError(Exception):
    """A failure of the regenerate/drift pipeline, with a one-sentence message for the user."""


def resolve_source(arg: str | None) -> str:
    """Return the schema source: the argument, else ``$CANNON_OPENAPI_URL``, else the live URL."""
    return arg or os.environ.get("CANNON_OPENAPI_URL") or LIVE_URL


def load_source(source: str) -> dict[str, Any]:
    """Read ``source`` (path or http(s) URL) and return the parsed JSON document.

    Raises:
        PipelineError: unreadable file, unreachable URL, non-2xx answer, or not a JSON object.
    """
    if source.startswith(("http://", "https://")):
        import httpx2

        headers = {"accept": "application/json"}
        key = os.environ.get("CANNON_API_KEY")
        if key:
            headers["x-api-key"] = key
        try:
            response = httpx2.get(
                source, headers=headers, timeout=FETCH_TIMEOUT_S, follow_redirects=True
            )
        except httpx2.HTTPError as exc:
            raise PipelineError(
                f"Could not fetch the schema from {source}: {type(exc).__name__}."
            ) from exc
        if response.status_code != 200:
            raise PipelineError(
                f"Could not fetch the schema from {source}: HTTP {response.status_code}."
            )
        text = response.text
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PipelineError(
                f"Could not read the schema file {source}: {exc.strerror or exc}."
            ) from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PipelineError(
            f"The schema from {source} is not valid JSON (line {exc.lineno})."
        ) from exc
    if not isinstance(document, dict):
        raise PipelineError(f"The schema from {source} is not a JSON object.")
    return document


def validate_document(document: dict[str, Any], source: str) -> None:
    """Check ``document`` is a valid OpenAPI 3.x document (openapi-spec-validator).

    Raises:
        PipelineError: with the validator's first complaint, shortened to one sentence.
    """
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    if "openapi" not in document:
        raise PipelineError(f"The document from {source} has no 'openapi' version field.")
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        message = str(getattr(exc, "message", exc)).splitlines()[0][:200]
        raise PipelineError(f"The schema from {source} is not valid OpenAPI: {message}.") from exc


def normalise(document: dict[str, Any]) -> str:
    """Return the canonical snapshot text: sorted keys, 2-space indent, UTF-8, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _tool_version(module: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", module, "--version"], capture_output=True, text=True, check=False
    )
    return (out.stdout or out.stderr).strip().split()[-1] if out.returncode == 0 else "missing"


def check_tool_versions() -> None:
    """Refuse to generate with unpinned tools (the output would not be byte-reproducible)."""
    found = {
        "openapi-python-client": _tool_version("openapi_python_client"),
        "ruff": _tool_version("ruff"),
    }
    wanted = {"openapi-python-client": GENERATOR_VERSION, "ruff": RUFF_VERSION}
    wrong = [
        f"{name} {found[name]} (need {wanted[name]})"
        for name in wanted
        if found[name] != wanted[name]
    ]
    if wrong:
        raise PipelineError(
            "Pinned tools are missing or at the wrong version: "
            + ", ".join(wrong)
            + "; run `make venv` first."
        )


SCHEMA_MODULE = '''"""The OpenAPI document this package was generated from.

Written by scripts/regenerate.py next to ``openapi.json``; do not edit.
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMA_SHA256 = "{sha}"
"""SHA-256 of ``openapi.json`` (the normalised snapshot), as hex."""


@cache
def load_schema() -> dict[str, Any]:
    """Return the OpenAPI document (parsed once, then cached; do not mutate it)."""
    text = files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document
'''


def generate_package(snapshot_text: str, workdir: Path) -> Path:
    """Generate the client package from ``snapshot_text`` inside ``workdir``.

    Returns the path of the new ``cannon_studio_api`` directory (inside ``workdir``).

    Raises:
        PipelineError: the generator failed or printed a warning, or ruff failed.
    """
    check_tool_versions()
    spec = workdir / "openapi.json"
    spec.write_text(snapshot_text, encoding="utf-8")
    out = workdir / PACKAGE
    result = subprocess.run(
        [
            sys.executable, "-m", "openapi_python_client", "generate",
            "--path", str(spec), "--config", str(CONFIG), "--meta", "none",
            "--output-path", str(out), "--fail-on-warning",
            "--custom-template-path", str(TEMPLATES),
        ],
        capture_output=True, text=True, check=False, cwd=workdir,
    )  # fmt: skip
    log = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or "warning" in log.lower():
        first = next((line for line in log.splitlines() if line.strip()), "no output")
        raise PipelineError(f"openapi-python-client refused the schema: {first.strip()}")
    for args in (
        ["check", "--isolated", "--fix", "--select", "I,F401", "--quiet", str(out)],
        ["format", "--isolated", "--line-length", "100", "--quiet", str(out)],
    ):
        fmt = subprocess.run(
            [sys.executable, "-m", "ruff", *args], capture_output=True, text=True, check=False
        )
        if fmt.returncode != 0:
            raise PipelineError(
                f"ruff {args[0]} failed on the generated code: {fmt.stderr.strip()}"
            )
    sha = hashlib.sha256(snapshot_text.encode("utf-8")).hexdigest()
    (out / "openapi.json").write_text(snapshot_text, encoding="utf-8")
    (out / "_schema.py").write_text(SCHEMA_MODULE.replace("{sha}", sha), encoding="utf-8")
    (out / "py.typed").write_text("", encoding="utf-8")
    return out


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def swap_in(new_package: Path) -> None:
    """Replace ``generated/cannon_studio_api`` with ``new_package`` (rename, never half-written)."""
    GENERATED.mkdir(exist_ok=True)
    target = GENERATED / PACKAGE
    staged = GENERATED / f".{PACKAGE}.new"
    old = GENERATED / f".{PACKAGE}.old"
    for leftover in (staged, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(new_package, staged, ignore=shutil.ignore_patterns("__pycache__"))
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    if old.exists():
        shutil.rmtree(old)


def regenerate(source: str) -> str:
    """Run the whole pipeline for ``source``; return the SHA-256 of the new snapshot."""
    document = load_source(source)
    validate_document(document, source)
    text = normalise(document)
    with tempfile.TemporaryDirectory(prefix="cannon-regen-") as tmp:
        package = generate_package(text, Path(tmp))
        _atomic_write(SNAPSHOT, text)
        swap_in(package)
    refresh_wrappers()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def refresh_wrappers() -> None:
    """Rewrite the overlay's typed wrappers (``scripts/generate_wrappers.py``) from the new schema.

    Runs in a fresh interpreter so it imports the package just swapped in.

    Raises:
        PipelineError: the wrapper generator failed (generated/ is already updated).
    """
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_wrappers.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise PipelineError(f"generated/ was updated but the typed wrappers were not: {last}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    source = resolve_source(args[0] if args else None)
    try:
        sha = regenerate(source)
    except PipelineError as exc:
        print(f"regenerate: {exc}", file=sys.stderr)
        return 2
    print(f"regenerated generated/{PACKAGE} from {source} (schema sha256 {sha[:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
