"""Job files: parse JSON Lines into jobs, find their references, validate every line first.

One job per line: ``{"id"?, "operation", "input", "webhook_url"?}``. An input value (at any
depth) may be a reference ``{"from": "<job id>", "output": "<output field>"}``: the value of that
field of the earlier job's output, filled in once that job has succeeded.

Every line is checked before anything is sent, with the overlay's own validation (the schema
the client was generated from): a field whose value is (or contains) a reference is checked when
its value is known, just before its create. Problems name the line and the field; the whole file
is refused when there is one.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.resources
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cannon_studio_schema import embedded, suggest

from .._constants import MAX_JSON_DEPTH
from .._errors import InputValidationError
from .._nesting import deeper_than
from .._operations import registry
from .._validation import build_envelope
from ._errors import BatchFileError, FileProblem

__all__ = [
    "JOB_KEYS",
    "RESERVED_NAMES",
    "Job",
    "MissingOutputError",
    "Reference",
    "canonical_json",
    "declared_outputs",
    "jobs_from_mappings",
    "load_jobs",
    "parse_jobs",
    "resolve_input",
]

JOB_KEYS = frozenset({"id", "operation", "input", "webhook_url"})
"""The keys a job line may have."""

RESERVED_NAMES = frozenset(
    {"journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm", "report.jsonl"}
)
"""File names in the output directory that a job id (a directory name) may not take."""

MAX_PROBLEMS = 50
"""At most this many problems are collected before parsing stops."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace (the form hashes are taken over)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Reference:
    """An input value taken from an earlier job's output.

    Attributes:
        job_id: the job whose output is read.
        output: the output field, spelled as the API spells it (``video_url``, ``enhancedPrompt``).
        path: where the reference sits in the input (``("image_url",)``, ``("urls", 0)``).
    """

    job_id: str
    output: str
    path: tuple[str | int, ...]

    @property
    def field(self) -> str:
        """The input path as text: ``input.image_url``, ``input.urls.0``."""
        return ".".join(["input", *(str(p) for p in self.path)])


@dataclass(frozen=True)
class Job:
    """One line of a job file.

    Attributes:
        id: the job id (given, or ``job-<12 hex>`` derived from the content).
        operation: operation id (known to the schema).
        input: the input as written, references included.
        webhook_url: optional ``webhook_url`` of the create.
        line: 1-based line number in the file (jobs given as mappings are numbered from 1).
        references: every reference in ``input``, in document order.
        content_hash: SHA-256 (hex) of the canonical ``{operation, input, webhook_url}``.
        checked: the whole create (no reference left to fill) passed the schema check in this
            process, so its create is not checked again; ``False`` for jobs read back from a
            shared journal (checked where they were submitted, maybe by another version).
    """

    id: str
    operation: str
    input: dict[str, Any]
    webhook_url: str | None
    line: int
    references: tuple[Reference, ...]
    content_hash: str
    checked: bool = dataclasses.field(default=False, compare=False)

    @functools.cached_property
    def depends_on(self) -> tuple[str, ...]:
        """Ids of the jobs this one takes values from (each once, in order; worked out once)."""
        return tuple(dict.fromkeys(ref.job_id for ref in self.references))


def _find_references(
    value: Any, path: tuple[str | int, ...], found: list[Reference], problems: list[tuple[str, str]]
) -> None:
    if isinstance(value, dict):
        if "from" in value:
            where = ".".join(["input", *(str(p) for p in path)])
            extra = sorted(set(value) - {"from", "output"})
            source, output = value.get("from"), value.get("output")
            if extra:
                problems.append(
                    (
                        where,
                        f"a reference has only 'from' and 'output'; unexpected {extra}"
                        + _did_you_mean(extra[0], sorted({"from", "output"} - set(value))),
                    )
                )
            elif not isinstance(source, str) or not source:
                problems.append((where + ".from", "must be the id (a string) of an earlier job"))
            elif not isinstance(output, str) or not output:
                problems.append(
                    (where + ".output", "must name the output field to take (e.g. 'video_url')")
                )
            else:
                found.append(Reference(source, output, path))
            return
        for key, item in value.items():
            _find_references(item, (*path, key), found, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _find_references(item, (*path, index), found, problems)


def _top_field(field: str) -> str:
    parts = field.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "input" else ""


@functools.cache
def declared_outputs(operation: str) -> tuple[str, ...]:
    """The output fields the schema declares for ``operation`` (empty when it names no output
    component or the output is free-form), asked of ``cannon_studio_schema``."""
    spec = registry().get(operation)
    schema = embedded()
    node = schema.component(spec.output_name) if spec is not None and spec.output_name else None
    if node is None:
        return ()
    names, free_form = schema.declared_fields(node)
    return () if free_form else names


def _output_problem(ref: Reference, operation: str) -> str | None:
    """A likely typo in a reference's output field: undeclared, and close to a declared one.
    (An undeclared name with no close match may be a field newer than the schema: it is
    checked when the upstream output is known.)"""
    declared = declared_outputs(operation)
    if not declared or ref.output in declared:
        return None
    close = suggest(ref.output, declared)
    if close is None:
        return None
    return (
        f"job {ref.job_id} ({operation}) has no output field {ref.output!r}; did you mean "
        f"{close!r}? (its output declares: {', '.join(declared)})"
    )


def _did_you_mean(name: str, candidates: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` with the closest of ``candidates`` (as the client suggests
    input fields: ``cannon_studio_schema.suggest``), or ``""``."""
    close = suggest(name, candidates)
    return f"; did you mean {close!r}?" if close else ""


def _unknown_operation(operation: str) -> str:
    known = registry().ids()
    return f"unknown operation {operation!r}{_did_you_mean(operation, known)} (known: {', '.join(known)})"


def _validate(
    operation: str, input_: dict[str, Any], webhook_url: str | None, refs: tuple[Reference, ...]
) -> list[tuple[str, str]]:
    """Problems of one job's envelope, leaving out the fields that hold references."""
    deferred = {str(ref.path[0]) for ref in refs}
    checked = {k: v for k, v in input_.items() if k not in deferred}
    try:
        build_envelope(operation, checked, webhook_url)
    except InputValidationError as exc:
        pairs = list(exc.errors) or [(exc.field or "input", str(exc))]
        merged: dict[str, list[str]] = {}
        for field, message in pairs:
            if _top_field(field) not in deferred:
                merged.setdefault(field, []).append(message)
        return [(field, "; ".join(dict.fromkeys(messages))) for field, messages in merged.items()]
    return []


def _problems_of_line(
    line_no: int, data: Any, problems: list[FileProblem]
) -> tuple[str | None, str, dict[str, Any], str | None, tuple[Reference, ...]] | None:
    """Check one parsed line's shape and schema; None when it has problems (recorded)."""
    job_id = data.get("id") if isinstance(data, dict) else None
    label = job_id if isinstance(job_id, str) else None

    def bad(field: str | None, message: str) -> None:
        problems.append(FileProblem(line_no, field, message, label))

    if not isinstance(data, dict):
        bad(None, f"a job line must be a JSON object, not {type(data).__name__}")
        return None
    if deeper_than(data, MAX_JSON_DEPTH):
        bad(None, f"the job is nested more than {MAX_JSON_DEPTH} levels deep")
        return None
    unknown = sorted(set(data) - JOB_KEYS)
    if unknown:
        bad(
            unknown[0],
            f"unknown key(s) {unknown}; a job has {sorted(JOB_KEYS)}"
            + _did_you_mean(unknown[0], sorted(JOB_KEYS)),
        )
        return None
    if "id" in data:
        if not isinstance(job_id, str) or not _ID.match(job_id):
            bad(
                "id",
                "must be 1-128 characters from A-Z a-z 0-9 . _ - starting with a letter or "
                "digit (it names the job's directory)",
            )
            return None
        if job_id.lower() in RESERVED_NAMES:
            bad("id", f"{job_id!r} is a file name the output directory uses")
            return None
    operation = data.get("operation")
    if not isinstance(operation, str) or not operation:
        bad("operation", "is required: an operation id such as 'video.generate'")
        return None
    if operation not in registry():
        bad("operation", _unknown_operation(operation))
        return None
    input_ = data.get("input")
    if not isinstance(input_, dict):
        bad("input", "is required: a JSON object of the operation's input fields")
        return None
    webhook_url = data.get("webhook_url")
    if webhook_url is not None and not isinstance(webhook_url, str):
        bad("webhook_url", "must be an absolute URL (a string)")
        return None
    refs: list[Reference] = []
    ref_problems: list[tuple[str, str]] = []
    _find_references(input_, (), refs, ref_problems)
    for field, message in ref_problems:
        bad(field, message)
    if ref_problems:
        return None
    schema_problems = _validate(operation, input_, webhook_url, tuple(refs))
    for field, message in schema_problems:
        bad(field, f"{operation}: {message}")
    if schema_problems:
        return None
    return label, operation, input_, webhook_url, tuple(refs)


def parse_jobs(lines: Iterable[str], *, source: str = "job file") -> list[Job]:
    """Parse and validate JSON Lines text (blank lines are skipped).

    Args:
        lines: the file's lines (with or without line endings).
        source: the name used in error messages (the file path).

    Returns:
        The jobs in file order, each validated against the schema (references excepted),
        with unique ids and every reference pointing at a job of the file.

    Raises:
        BatchFileError: listing every problem (line and field), at most ``MAX_PROBLEMS``.
            Nothing has been sent when it is raised. Cycles are found later, by the graph.
    """
    items: list[tuple[int, Any]] = []
    problems: list[FileProblem] = []
    for line_no, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            items.append((line_no, json.loads(text)))
        except ValueError as exc:
            problems.append(FileProblem(line_no, None, f"not valid JSON ({exc})"))
        except RecursionError:
            problems.append(
                FileProblem(line_no, None, f"nested more than {MAX_JSON_DEPTH} levels deep")
            )
    return _build(items, problems, source)


def jobs_from_mappings(items: Iterable[Mapping[str, Any]], *, source: str = "jobs") -> list[Job]:
    """Validate jobs given as Python mappings (numbered from 1 like lines). See ``parse_jobs``."""
    return _build([(n, dict(item)) for n, item in enumerate(items, start=1)], [], source)


def _build(items: list[tuple[int, Any]], problems: list[FileProblem], source: str) -> list[Job]:
    checked: list[
        tuple[int, str | None, str, dict[str, Any], str | None, tuple[Reference, ...]]
    ] = []
    for line_no, data in items:
        if len(problems) >= MAX_PROBLEMS:
            break
        result = _problems_of_line(line_no, data, problems)
        if result is not None:
            checked.append((line_no, *result))
    jobs: list[Job] = []
    seen: dict[str, int] = {}
    derived: dict[str, int] = {}
    for line_no, given, operation, input_, webhook_url, refs in checked:
        body: dict[str, Any] = {"operation": operation, "input": input_}
        if webhook_url is not None:
            body["webhook_url"] = webhook_url
        digest = hashlib.sha256(canonical_json(body).encode()).hexdigest()
        job_id = given
        if job_id is None:
            base = f"job-{digest[:12]}"
            derived[base] = derived.get(base, 0) + 1
            job_id = base if derived[base] == 1 else f"{base}-{derived[base]}"
        folded = job_id.lower()
        if folded in seen:
            problems.append(
                FileProblem(
                    line_no,
                    "id",
                    f"duplicate job id {job_id!r} (first on line {seen[folded]}; ids must differ "
                    "in more than letter case, they name directories)",
                    job_id,
                )
            )
            continue
        seen[folded] = line_no
        jobs.append(
            Job(job_id, operation, input_, webhook_url, line_no, refs, digest, checked=not refs)
        )
    ids = {job.id: job for job in jobs}
    for job in jobs:
        for ref in job.references:
            upstream = ids.get(ref.job_id)
            typo = _output_problem(ref, upstream.operation) if upstream is not None else None
            if typo is not None:
                problems.append(FileProblem(job.line, ref.field + ".output", typo, job.id))
            if ref.job_id not in ids:
                hint = _did_you_mean(ref.job_id, sorted(ids))
                problems.append(
                    FileProblem(
                        job.line,
                        ref.field + ".from",
                        f"unknown job id {ref.job_id!r}{hint}",
                        job.id,
                    )
                )
    if not jobs and not problems:
        problems.append(FileProblem(0, None, "no jobs (the file is empty)"))
    if problems:
        problems.sort(key=lambda p: p.line)
        raise BatchFileError(problems[:MAX_PROBLEMS], source=source)
    return jobs


def _read_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        yield from handle


def load_jobs(path: str | os.PathLike[str]) -> list[Job]:
    """Read and validate a job file (UTF-8 JSON Lines). See ``parse_jobs``.

    Raises:
        BatchFileError: the file cannot be read, is not UTF-8, or has problems.
    """
    file = Path(path)
    try:
        return parse_jobs(_read_lines(file), source=str(file))
    except OSError as exc:
        raise BatchFileError(
            [FileProblem(0, None, f"cannot read the file: {exc.strerror or exc}")], source=str(file)
        ) from None
    except UnicodeDecodeError as exc:
        raise BatchFileError(
            [FileProblem(0, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")],
            source=str(file),
        ) from None


class MissingOutputError(LookupError):
    """A reference names an output field the upstream job's output does not have."""


def resolve_input(job: Job, outputs: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The job's input with every reference replaced by the upstream output's value (pure).

    Args:
        job: the job.
        outputs: job id -> that job's output (JSON form), for every job it depends on.

    Raises:
        MissingOutputError: an output has no such field (the message lists the fields it has).
    """
    if not job.references:
        return job.input

    def fill(value: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(value, dict):
            if "from" in value:
                source = str(value["from"])
                name = str(value["output"])
                output = outputs.get(source, {})
                if name not in output or output[name] is None:
                    have = ", ".join(sorted(k for k, v in output.items() if v is not None))
                    where = ".".join(["input", *(str(p) for p in path)])
                    raise MissingOutputError(
                        f"{where}: the output of job {source!r} has no field {name!r} "
                        f"(it has: {have or 'nothing'})"
                    )
                return output[name]
            return {k: fill(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v, (*path, i)) for i, v in enumerate(value)]
        return value

    resolved: dict[str, Any] = fill(job.input, ())
    return resolved


EXAMPLE_PIPELINE = "example-pipeline.jsonl"
"""The example job file shipped inside this package (``cannon-studio batch example``)."""


def example_pipeline() -> str:
    """The text of an example job file: ``make demo``'s pipeline as six chained jobs.

    prompt -> image -> video and narration -> lip sync -> upscale, each step taking its input
    from an earlier job's output (``{"from": ..., "output": ...}``). It ships with the package,
    so ``cannon-studio batch example > jobs.jsonl`` works after ``pip install``.

    Returns:
        JSON Lines text, one job per line, ending with a newline.
    """
    return (importlib.resources.files(__package__) / EXAMPLE_PIPELINE).read_text(encoding="utf-8")
