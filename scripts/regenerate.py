#!/usr/bin/env python3
"""Fetch the Cannon Studio OpenAPI document and regenerate ``generated/cannon_studio_api``.

Usage (normally through ``make regenerate``)::

    python scripts/regenerate.py [SOURCE]

SOURCE is a file path or an http(s) URL. Without it, ``$CANNON_OPENAPI_URL`` is used, else the
live ``https://www.cannonstudio.app/api/v1/openapi``. When ``$CANNON_API_KEY`` is set it is sent
as ``x-api-key`` only to the API origin (``$CANNON_BASE_URL``, else the live API) over https, or
http on loopback; any other SOURCE is fetched without it, and redirects are followed within the
SOURCE's origin only (:mod:`cannon_studio_schema.source`). The document is data: an external
``$ref`` is refused by name, and size, nesting and reference counts are limited.

Pipeline, all-or-nothing:

1. load the source, JSON or YAML, and check it is a valid OpenAPI 3.0.x/3.1.x document
   (openapi-spec-validator);
2. normalise it with ``cannon_studio_schema.normalise``: upgraded to 3.1, inline envelopes and
   inputs of the create body named as components (the generator needs them for a clean client),
   sorted keys, two-space indent, UTF-8, trailing newline: the snapshot format;
3. in a temporary tree: run the pinned openapi-python-client with ``openapi/generator.yaml``, the
   template overrides in ``openapi/templates/`` (httpx2, repr=False) and ``--fail-on-warning``,
   format with the pinned ruff (isolated from user config), embed the normalised schema and its
   SHA-256 (``openapi.json``, ``_schema.py``), and render the overlay's typed wrappers, one
   module per namespace, and their reference page (``scripts/generate_wrappers.py``) from the
   same document;
4. import-check the new package and wrappers together in a fresh, isolated interpreter with a
   scrubbed environment (no ``CANNON_*`` variables, no credentials) and a time limit (the modules
   the overlay needs, both clients, every wrapper namespace);
5. only then swap everything in: ``generated/cannon_studio_api``, ``openapi/cannon-studio.json``,
   ``overlay/cannon_studio/resources/`` and ``docs/api.md`` (renames; rolled back if one fails).

Any failure prints one sentence to stderr, exits 2 and changes nothing. On success one line names
the new schema, then one line per operation whose input the document does not describe (its
wrapper takes free keywords). The functions here are shared with ``scripts/check_drift.py`` so
both read, normalise and generate the same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import generate_wrappers
from cannon_studio_schema import ApiSchema, SchemaError, parse_text, snapshot_text
from cannon_studio_schema import normalise as normalise_document
from cannon_studio_schema.canonical import generator_spelling
from cannon_studio_schema.source import read_source
from jsonschema_path import SchemaPath
from openapi_spec_validator.shortcuts import get_validator_cls
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "openapi" / "cannon-studio.json"
CONFIG = ROOT / "openapi" / "generator.yaml"
# Overrides of the generator's built-in templates (only the files we change: httpx2, repr=False,
# models loaded on first use).
TEMPLATES = ROOT / "openapi" / "templates"
GENERATED = ROOT / "generated"
OVERLAY = ROOT / "overlay"
RESOURCES = ROOT / generate_wrappers.RESOURCES
PACKAGE = "cannon_studio_api"
OVERLAY_NEEDS = (
    "cannon_studio_api.client",
    "cannon_studio_api.types",
    "cannon_studio_api.api.requests.create_request",
    "cannon_studio_api.api.requests.get_request",
    "cannon_studio_api.api.status.get_status",
    "cannon_studio_api.models.accepted_request",
    "cannon_studio_api.models.error_response",
    "cannon_studio_api.models.request_object",
    "cannon_studio_api.models.status_response",
    "cannon_studio_api.models.webhook_event",
)
"""Generated modules the overlay imports: a source that does not produce them is refused."""
LIVE_URL = "https://www.cannonstudio.app/api/v1/openapi"

# Pinned so that generated/ is byte-reproducible; keep in sync with pyproject.toml [dev].
GENERATOR_VERSION = "0.29.1"
RUFF_VERSION = "0.17.6"
IMPORT_CHECK_TIMEOUT_S = 180.0
"""Seconds the import check of a regenerated client may take before it counts as a failure."""
VALIDATOR_BASE_URI = "urn:cannon-studio:openapi"
"""Base URI the OpenAPI validator sees (not a file or URL, so nothing is relative to a place)."""


class PipelineError(Exception):
    """A failure of the regenerate/drift pipeline, with a one-sentence message for the user."""


def resolve_source(arg: str | None) -> str:
    """Return the schema source: the argument, else ``$CANNON_OPENAPI_URL``, else the live URL."""
    return arg or os.environ.get("CANNON_OPENAPI_URL") or LIVE_URL


def read_document(source: str, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Read and parse ``source`` (path or http(s) URL) through :mod:`cannon_studio_schema.source`.

    ``$CANNON_API_KEY`` goes with the request only where
    :func:`cannon_studio_schema.source.key_allowed` says: to the API origin
    (``$CANNON_BASE_URL``, else the live API) over https, or http on loopback. When a key is set
    but withheld, one line on stderr says so. External ``$ref``s, oversized or too deeply nested
    documents are refused there too.

    Raises:
        PipelineError: unreadable file, unreachable URL (with the reason), a non-200 answer, a
            redirect off the origin, a limit exceeded, an external reference, or neither JSON
            nor YAML.
    """
    try:
        fetched = read_source(
            source,
            api_key=environ.get("CANNON_API_KEY") or None,
            api_base_url=environ.get("CANNON_BASE_URL") or None,
        )
        if fetched.note:
            print(f"regenerate: {fetched.note}", file=sys.stderr)
        return parse_text(fetched.text, source)
    except SchemaError as exc:
        raise PipelineError(str(exc)) from exc


def validate_document(document: dict[str, Any], source: str) -> None:
    """Check ``document`` is a valid OpenAPI 3.0.x/3.1.x document (openapi-spec-validator).

    Raises:
        PipelineError: with the validator's first complaint, shortened to one sentence.
    """
    if "openapi" not in document:
        raise PipelineError(f"The document from {source} has no 'openapi' version field.")
    version = str(document["openapi"])
    if not version.startswith(("3.0", "3.1")):
        raise PipelineError(
            f"The schema from {source} is OpenAPI {version}; 3.0.x or 3.1.x is needed."
        )
    # No handlers: the validator may not open a file or a URL for any reference (the reader has
    # refused external ones already; this is the same rule for the validator's own lookups).
    try:
        path = SchemaPath.from_dict(document, base_uri=VALIDATOR_BASE_URI, handlers={})
        get_validator_cls(document)(path).validate()
    except OpenAPIValidationError as exc:
        raise PipelineError(
            f"The schema from {source} is not valid OpenAPI: {validation_complaint(exc)}."
        ) from exc
    except Exception as exc:  # a reference that does not resolve, a shape the validator chokes on
        detail = (str(exc).splitlines() or [""])[0][:160]
        raise PipelineError(
            f"The schema from {source} could not be validated ({type(exc).__name__}"
            f"{': ' + detail if detail else ''})."
        ) from None


def validation_complaint(exc: OpenAPIValidationError) -> str:
    """The validator's complaint as one clause naming the place (never a schema dump)."""
    where = str(getattr(exc, "json_path", "") or "$")
    message = str(getattr(exc, "message", exc)).splitlines()[0]
    kind = str(getattr(exc, "validator", ""))
    if len(message) > 120 or message.startswith(("{", "[")):
        message = {
            "oneOf": "it fits none of the forms OpenAPI allows there",
            "anyOf": "it fits none of the forms OpenAPI allows there",
            "additionalProperties": "it has a key OpenAPI does not allow there",
        }.get(kind, f"it breaks the {kind or 'schema'} rule of OpenAPI")
    return f"at {where}, {message.rstrip('.')}"


def normalise(document: dict[str, Any], notes: list[str] | None = None) -> str:
    """Return the snapshot text of ``document`` (``cannon_studio_schema.normalise``).

    The result is 3.1 JSON with sorted keys, 2-space indent, UTF-8 and a final newline. A 3.0
    source is validated again after the upgrade (naming components in a 3.1 document only
    moves valid schemas, so it is not).

    Raises:
        PipelineError: the schema module cannot model the document (no create endpoint, a
            reference that does not resolve...), or the normalised form is not valid OpenAPI.
    """
    try:
        normalised = normalise_document(document, notes=notes)
    except SchemaError as exc:
        raise PipelineError(f"The schema cannot be read as the Cannon Studio API: {exc}") from exc
    if not str(document.get("openapi", "")).startswith("3.1"):
        validate_document(normalised, "the 3.0 -> 3.1 upgrade")
    return snapshot_text(normalised)


def _tool_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


def check_tool_versions() -> None:
    """Refuse to generate with unpinned tools (the output would not be byte-reproducible)."""
    found = {
        "openapi-python-client": _tool_version("openapi-python-client"),
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


_GENERATOR_PLACE = re.compile(
    r"^(?:WARNING parsing (?P<endpoint>.+?) within .+\.|Unable to process schema (?P<schema>\S+?):?)$"
)
_OBJECT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>")


def generator_complaint(log: str) -> str:
    """The generator's first complaint as one clause: where in the document, and why.

    openapi-python-client prints a banner, then blocks of "WARNING parsing <endpoint>" or
    "Unable to process schema <pointer>:" followed by the reason and a schema dump; only the
    place and the reason are kept.
    """
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        found = _GENERATOR_PLACE.match(line)
        if found is None:
            continue
        place = found.group("endpoint") or found.group("schema")
        reason = lines[index + 1] if index + 1 < len(lines) else "no reason given"
        reason = _OBJECT_REPR.sub("", reason).replace("  ", " ").strip().rstrip(".")[:160]
        return f"at {place}: {reason}"
    last = next((line for line in reversed(lines) if not line.startswith(("{", "}"))), "")
    return (last or "no output")[:160].rstrip(".")


def generate_package(snapshot_text: str, workdir: Path) -> Path:
    """Generate the client package from ``snapshot_text`` inside ``workdir``.

    Returns the path of the new ``cannon_studio_api`` directory (inside ``workdir``).

    Raises:
        PipelineError: the generator failed or printed a warning, or ruff failed.
    """
    check_tool_versions()
    spec = workdir / "openapi.json"  # the generator's form; the package embeds the snapshot
    for_generator = generator_spelling(json.loads(snapshot_text))
    spec.write_text(json.dumps(for_generator, indent=2, sort_keys=True), encoding="utf-8")
    out = workdir / PACKAGE
    result = subprocess.run(
        [
            sys.executable, "-m", "openapi_python_client", "generate",
            "--path", str(spec), "--config", str(CONFIG), "--meta", "none",
            "--output-path", str(out), "--fail-on-warning",
            "--custom-template-path", str(TEMPLATES),
        ],
        capture_output=True, text=True, check=False, cwd=workdir, env=scrubbed_environment(),
    )  # fmt: skip
    log = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or "warning" in log.lower():
        raise PipelineError(
            f"openapi-python-client refused the schema: {generator_complaint(log)}."
        )
    for args in (
        ["check", "--isolated", "--fix", "--select", "I,F401", "--quiet", str(out)],
        ["format", "--isolated", "--line-length", "100", "--quiet", str(out)],
    ):
        fmt = subprocess.run(
            [sys.executable, "-m", "ruff", *args],
            capture_output=True, text=True, check=False, env=scrubbed_environment(),
        )  # fmt: skip
        if fmt.returncode != 0:
            raise PipelineError(
                f"ruff {args[0]} failed on the generated code: {fmt.stderr.strip()}"
            )
    sha = hashlib.sha256(snapshot_text.encode("utf-8")).hexdigest()
    (out / "openapi.json").write_text(snapshot_text, encoding="utf-8")
    banner = (TEMPLATES / "banner.py.jinja").read_text(encoding="utf-8")  # as every template's
    (out / "_schema.py").write_text(banner + SCHEMA_MODULE.replace("{sha}", sha), encoding="utf-8")
    (out / "py.typed").write_text("", encoding="utf-8")
    return out


IMPORT_CHECK = """
import importlib, sys
stage, generated, overlay = sys.argv[1:4]
sys.path[:0] = [generated, overlay]
for name in sys.argv[4:]:
    importlib.import_module(name)
import cannon_studio, cannon_studio.resources, cannon_studio_api
for module in (cannon_studio, cannon_studio.resources, cannon_studio_api):
    assert module.__file__.startswith(stage), f"{module.__name__} imported from {module.__file__}"
from cannon_studio import AsyncCannon, Cannon
clients = (Cannon(api_key="cs_test_import_check"), AsyncCannon(api_key="cs_test_import_check"))
for spec in clients[0].operations:
    namespace, method = spec.wrapper.split(".")
    for client in clients:
        assert callable(getattr(getattr(client, namespace), method)), spec.wrapper
"""

SAFE_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT")
"""The only variables the tools regenerate runs (generator, formatter, import check) inherit."""


def scrubbed_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment for regenerate's child processes: :data:`SAFE_ENVIRONMENT` only.

    No ``CANNON_*`` variable (API key, webhook secret, base URL), no cloud or proxy credentials,
    no ``PYTHON*`` settings: code generated from an untrusted document that runs during the
    import check sees nothing worth stealing.
    """
    env = {name: environ[name] for name in SAFE_ENVIRONMENT if name in environ}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@dataclass(frozen=True)
class Build:
    """Everything one regeneration produces, staged in a temporary tree.

    Attributes:
        text: the normalised snapshot text; sha256: its hex digest.
        package: the new ``cannon_studio_api`` directory.
        wrappers: the new wrapper files, repository-relative path -> text (the modules of
            ``overlay/cannon_studio/resources/`` and ``docs/api.md``).
        notes: one line per operation whose input the document does not describe.
    """

    text: str
    sha256: str
    package: Path
    wrappers: dict[str, str]
    notes: tuple[str, ...]


def render_wrappers(snapshot_text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """The typed wrappers for ``snapshot_text`` and the operations they cannot type.

    Raises:
        PipelineError: the schema cannot be modelled or the wrapper generator failed.
    """
    try:
        model = ApiSchema(json.loads(snapshot_text))
        files = generate_wrappers.render_files(model)
        return files, tuple(generate_wrappers.undetermined(model))
    except generate_wrappers.UnsafeName as exc:  # a name the document chose cannot be Python
        raise PipelineError(str(exc)) from None
    except Exception as exc:  # any failure of this step must leave the tree untouched
        detail = str(exc).splitlines()[0][:160] if str(exc) else "no message"
        raise PipelineError(
            f"The typed wrappers could not be generated ({type(exc).__name__}: {detail})."
        ) from exc


def _write_tree(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` (repository-relative path -> text) under ``root``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def check_imports(
    package: Path,
    wrappers: dict[str, str],
    workdir: Path,
    timeout_s: float = IMPORT_CHECK_TIMEOUT_S,
) -> None:
    """Import the new package and wrappers together in a fresh, isolated interpreter.

    The overlay is copied next to the new package with the new ``resources/``; the check
    imports :data:`OVERLAY_NEEDS`, builds both clients and looks up every wrapper. It runs with
    :func:`scrubbed_environment` (no key, no ``CANNON_*``) and ends after ``timeout_s`` seconds.

    Raises:
        PipelineError: anything failed to import or a wrapper is missing.
    """
    stage = workdir / "import-check"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(package, stage / "generated" / PACKAGE, ignore=ignore)
    for name in ("cannon_studio", "cannon_studio_schema"):
        shutil.copytree(OVERLAY / name, stage / "overlay" / name, ignore=ignore)
    shutil.rmtree(stage / RESOURCES.relative_to(ROOT), ignore_errors=True)
    _write_tree(stage, {name: text for name, text in wrappers.items() if name.endswith(".py")})
    paths = [str(stage / "generated"), str(stage / "overlay")]
    try:
        # -I: isolated (no PYTHON* variables, no user site, no current directory on sys.path).
        result = subprocess.run(
            [sys.executable, "-I", "-c", IMPORT_CHECK, str(stage), *paths, *OVERLAY_NEEDS],
            capture_output=True, text=True, check=False, env=scrubbed_environment(), cwd=stage,
            timeout=timeout_s,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise PipelineError(
            f"The regenerated client did not finish importing within {timeout_s:g} s."
        ) from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1][:200]
        raise PipelineError(f"The regenerated client does not import: {last}.")


def build(snapshot_text: str, workdir: Path) -> Build:
    """Generate the package and the wrappers into ``workdir`` and import-check them.

    Raises:
        PipelineError: any step failed (nothing outside ``workdir`` has been touched).
    """
    package = generate_package(snapshot_text, workdir)
    wrappers, notes = render_wrappers(snapshot_text)
    check_imports(package, wrappers, workdir)
    sha = hashlib.sha256(snapshot_text.encode("utf-8")).hexdigest()
    return Build(snapshot_text, sha, package, wrappers, notes)


def swap_in(result: Build, workdir: Path) -> None:
    """Put the package, the snapshot, the wrapper modules and ``docs/api.md`` in place, all or none.

    The two directories (``generated/cannon_studio_api``, ``overlay/cannon_studio/resources``)
    and the files are staged next to their targets first (same file system), then renamed in;
    if a rename fails, the ones already done are undone.

    Raises:
        PipelineError: a file could not be staged or renamed (the tree is as before).
    """
    resources = workdir / "resources-tree"
    _write_tree(resources, {k: v for k, v in result.wrappers.items() if k.endswith(".py")})
    GENERATED.mkdir(exist_ok=True)
    trees = [
        (GENERATED / PACKAGE, result.package),
        (RESOURCES, resources / RESOURCES.relative_to(ROOT)),
    ]
    files = [(SNAPSHOT, result.text)] + [
        (ROOT / name, text) for name, text in result.wrappers.items() if not name.endswith(".py")
    ]
    backups = [(path, path.read_bytes() if path.exists() else None) for path, _ in files]
    moved: list[tuple[Path, Path]] = []  # (target, its old copy) of every directory swapped
    done: list[Path] = []
    try:
        for target, built in trees:
            for leftover in (_beside(target, "new"), _beside(target, "old")):
                if leftover.exists():
                    shutil.rmtree(leftover)
            shutil.copytree(
                built, _beside(target, "new"), ignore=shutil.ignore_patterns("__pycache__")
            )
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            _beside(path, "new").write_text(text, encoding="utf-8")
        for target, _ in trees:
            if target.exists():
                os.replace(target, _beside(target, "old"))
            moved.append((target, _beside(target, "old")))
            os.replace(_beside(target, "new"), target)
        for path, _ in files:
            os.replace(_beside(path, "new"), path)
            done.append(path)
    except OSError as exc:
        for target, old in reversed(moved):
            shutil.rmtree(target, ignore_errors=True)
            if old.exists():
                os.replace(old, target)
        for path, content in backups:
            if path in done and content is not None:
                path.write_bytes(content)
            elif path in done:
                path.unlink(missing_ok=True)
        raise PipelineError(f"Could not swap the regenerated files in: {exc}.") from exc
    finally:
        for path, _ in files:
            _beside(path, "new").unlink(missing_ok=True)
        for target, _ in trees:
            shutil.rmtree(_beside(target, "new"), ignore_errors=True)
    for target, _ in trees:
        shutil.rmtree(_beside(target, "old"), ignore_errors=True)


def _beside(path: Path, suffix: str) -> Path:
    """The hidden staging name next to ``path``: ``.<name>.<suffix>``."""
    return path.with_name(f".{path.name}.{suffix}")


def regenerate(source: str) -> Build:
    """Run the whole pipeline for ``source``; return what was swapped in.

    Raises:
        PipelineError: any step failed; nothing in the tree has changed.
    """
    document = read_document(source)
    validate_document(document, source)
    notes: list[str] = []
    text = normalise(document, notes)
    with tempfile.TemporaryDirectory(prefix="cannon-regen-") as tmp:
        result = build(text, Path(tmp))
        swap_in(result, Path(tmp))
    return dataclasses.replace(result, notes=(*notes, *result.notes))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    source = resolve_source(args[0] if args else None)
    try:
        result = regenerate(source)
    except PipelineError as exc:
        print(f"regenerate: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback: one sentence, exit 2, tree unchanged
        detail = (str(exc).splitlines() or [""])[0][:160]
        print(
            f"regenerate: failed unexpectedly ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}); nothing was changed.",
            file=sys.stderr,
        )
        return 2
    print(f"regenerated generated/{PACKAGE} from {source} (schema sha256 {result.sha256[:12]})")
    for note in result.notes:
        print(f"regenerate: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
