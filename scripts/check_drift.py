#!/usr/bin/env python3
"""Check the Cannon Studio API for drift against the committed schema snapshot.

Usage (normally through ``make check-drift``)::

    python scripts/check_drift.py [--url URL_OR_PATH] [--json] [--skip-generated]
                                  [--snapshot PATH] [--generated DIR]

Two checks:

1. **Schema.** The schema is read from ``--url`` (an http(s) URL or a file path), else
   ``$CANNON_OPENAPI_URL``, else the live ``https://www.cannonstudio.app/api/v1/openapi``
   (``x-api-key`` is sent when ``$CANNON_API_KEY`` is set). It is validated and normalised exactly
   as ``make regenerate`` does (the functions are imported from ``scripts/regenerate.py``), then
   compared *semantically* with ``openapi/cannon-studio.json``: operations, input fields
   (added, removed, renamed, retyped, required), enum values, response shapes and output
   variants, endpoints, parameters (headers), security. Each change is classified as breaking or
   not for a client built from the committed snapshot, with a short reason. The rules follow
   oasdiff's: removing what a request may send, or adding what an old response parser must
   accept (an enum value, a ``oneOf``/``anyOf`` variant) is breaking.
2. **generated/.** The client package is regenerated from the committed snapshot into a temporary
   directory and compared file by file with ``generated/cannon_studio_api`` (``__pycache__``
   ignored), so a hand edit or a stale regeneration is caught and each file is named.

Exit status: 0 no drift; 1 drift (schema or generated/), with the report; 2 the schema could not
be fetched, parsed or validated, or the generator could not run (one sentence on stderr; never a
silent pass). ``--json`` prints one JSON object on stdout instead of the text report.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cannon_studio_schema import CREATE_PATH, ApiSchema, Resolver, SchemaError
from regenerate import (
    GENERATED,
    PACKAGE,
    ROOT,
    SNAPSHOT,
    PipelineError,
    generate_package,
    load_source,
    normalise,
    resolve_source,
    validate_document,
)

REQUEST = "request"
"""Direction of a schema the client sends (inputs, request headers): narrowing it breaks clients."""
RESPONSE = "response"
"""Direction of a schema the client parses (responses, webhook payloads): widening it breaks them."""

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
DOC_KEYS = frozenset({"description", "summary", "title", "examples", "example", "externalDocs"})

# Constraint keywords: (keyword, True when a larger value is looser).
CONSTRAINTS = {
    "maxLength": True,
    "maxItems": True,
    "maximum": True,
    "exclusiveMaximum": True,
    "minLength": False,
    "minItems": False,
    "minimum": False,
    "exclusiveMinimum": False,
}


@dataclass(frozen=True)
class Change:
    """One semantic difference between the snapshot (old) and the fetched schema (new).

    ``kind`` says what changed (e.g. ``operation removed``), ``subject`` where (e.g.
    ``video.generate.input.prompt``), ``detail`` the values involved, ``breaking`` whether a
    client built from the snapshot can fail because of it, and ``reason`` why.
    """

    kind: str
    subject: str
    breaking: bool
    reason: str
    detail: str = ""

    def line(self) -> str:
        """The report line: ``BREAKING  kind: subject (detail) -- reason``."""
        head = "BREAKING" if self.breaking else "non-breaking"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{head}  {self.kind}: {self.subject}{detail} -- {self.reason}"


@dataclass(frozen=True)
class FileDifference:
    """A file of ``generated/`` that is not what the generator makes: differs, missing or extra."""

    path: str
    problem: str

    def line(self) -> str:
        """The report line: ``DRIFT  generated file differs: <path> -- <why>``."""
        why = {
            "differs": "hand edit or stale regeneration",
            "missing": "the generator makes it but generated/ lacks it",
            "extra": "generated/ has it but the generator does not make it",
        }[self.problem]
        return f"DRIFT  generated file {self.problem}: {self.path} -- {why}; run make regenerate"


class Docs(NamedTuple):
    """The two documents being compared, needed to resolve ``$ref`` on each side."""

    old: Mapping[str, Any]
    new: Mapping[str, Any]


# --------------------------------------------------------------------------------------------
# Schema helpers (pure)
# --------------------------------------------------------------------------------------------


_RESOLVERS: dict[int, tuple[Mapping[str, Any], Resolver]] = {}
"""One ``cannon_studio_schema.Resolver`` per document compared (keyed by identity, kept small)."""


def _resolver(doc: Mapping[str, Any]) -> Resolver:
    entry = _RESOLVERS.get(id(doc))
    if entry is None or entry[0] is not doc:
        if len(_RESOLVERS) > 16:
            _RESOLVERS.clear()
        entry = (doc, Resolver(doc))
        _RESOLVERS[id(doc)] = entry
    return entry[1]


def resolve_pointer(doc: Mapping[str, Any], ref: str) -> Any:
    """Return the node ``ref`` (a local ``#/...`` JSON pointer) points to in ``doc``.

    Resolution is ``cannon_studio_schema.Resolver`` (the ``referencing`` library).

    Raises:
        KeyError: the pointer is not local or does not resolve.
    """
    try:
        return _resolver(doc).lookup(ref)
    except SchemaError as exc:
        raise KeyError(str(exc)) from exc


def deref(doc: Mapping[str, Any], node: Any) -> tuple[dict[str, Any], str | None]:
    """Follow ``$ref`` chains; return the target object and the last reference's name.

    Raises:
        KeyError: a reference is not local or does not resolve.
    """
    try:
        resolved = _resolver(doc).resolve(node)
    except SchemaError as exc:
        raise KeyError(str(exc)) from exc
    return resolved.schema, resolved.name


def flatten(doc: Mapping[str, Any], node: Any) -> tuple[dict[str, Any], str | None]:
    """Resolve ``$ref`` and merge ``allOf`` parts into one schema; return it and its ref name.

    Merging unions ``properties`` and ``required``; other keywords keep the first value seen
    (the outer schema wins). This is what a reader of ``{"allOf": [{"$ref": X}], ...}`` means.

    Raises:
        KeyError: a reference is not local or does not resolve.
    """
    try:
        resolved = _resolver(doc).flatten(node)
    except SchemaError as exc:
        raise KeyError(str(exc)) from exc
    return resolved.schema, resolved.name


def json_type(value: Any) -> str:
    """The JSON type name of a Python value parsed from JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def type_set(doc: Mapping[str, Any], node: Any, depth: int = 0) -> frozenset[str]:
    """The JSON types a schema admits at its top level (``any`` when unconstrained).

    ``number`` includes ``integer``; ``const``/``enum`` give their values' types; ``oneOf`` and
    ``anyOf`` give the union of their variants.
    """
    schema, _ = flatten(doc, node)
    types: set[str] = set()
    declared = schema.get("type")
    if isinstance(declared, str):
        types.add(declared)
    elif isinstance(declared, list):
        types.update(declared)
    elif "const" in schema:
        types.add(json_type(schema["const"]))
    elif "enum" in schema:
        types.update(json_type(v) for v in schema["enum"])
    elif ("oneOf" in schema or "anyOf" in schema) and depth < 20:
        for variant in schema.get("oneOf", []) + schema.get("anyOf", []):
            types |= type_set(doc, variant, depth + 1)
    elif "properties" in schema:
        types.add("object")
    elif "items" in schema:
        types.add("array")
    if not types:
        types.add("any")
    if schema.get("nullable") is True:  # OpenAPI 3.0 spelling of a null-able type
        types.add("null")
    if "number" in types:
        types.add("integer")
    return frozenset(types)


def canonical(doc: Mapping[str, Any], node: Any, stack: tuple[str, ...] = ()) -> Any:
    """The schema with every ``$ref`` inlined and documentation keywords dropped (for equality)."""
    if isinstance(node, list):
        return [canonical(doc, item, stack) for item in node]
    if not isinstance(node, Mapping):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in stack:
            return {"$ref": ref}
        return canonical(doc, resolve_pointer(doc, ref), (*stack, ref))
    return {k: canonical(doc, v, stack) for k, v in node.items() if k not in DOC_KEYS}


def enum_values(schema: Mapping[str, Any]) -> list[Any] | None:
    """The allowed values of an enum or const schema, else None."""
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return None


def variant_keys(doc: Mapping[str, Any], variants: Iterable[Any]) -> dict[str, Any]:
    """Name each ``oneOf``/``anyOf`` variant: its ``$ref`` name, ``const``, or its type(s)."""
    keyed: dict[str, Any] = {}
    for variant in variants:
        if isinstance(variant, Mapping) and "$ref" in variant:
            key = variant["$ref"].rsplit("/", 1)[-1]
        elif isinstance(variant, Mapping) and "const" in variant:
            key = f"const {variant['const']!r}"
        else:
            key = "|".join(sorted(type_set(doc, variant)))
        base, n = key, 2
        while key in keyed:
            key, n = f"{base}#{n}", n + 1
        keyed[key] = variant
    return keyed


def _fmt(values: Iterable[Any]) -> str:
    return ", ".join(json.dumps(v, ensure_ascii=False) for v in values)


def _prefix(subject: str, direction: str) -> str:
    if direction == RESPONSE:
        return "response"
    return "input" if ".input" in subject else "request"


# --------------------------------------------------------------------------------------------
# The diff engine (pure functions: documents in, list of Change out)
# --------------------------------------------------------------------------------------------


def diff_types(
    old: frozenset[str], new: frozenset[str], subject: str, direction: str
) -> list[Change]:
    """A change of admitted JSON types; widening a request or narrowing a response is safe."""
    if old == new:
        return []
    detail = f"{'|'.join(sorted(old - {'integer'} if 'number' in old else old))} -> "
    detail += "|".join(sorted(new - {"integer"} if "number" in new else new))
    if direction == REQUEST:
        safe = old <= new or "any" in new
        reason = "accepts everything it did" if safe else "values old clients send are refused"
    else:
        safe = new <= old or "any" in old
        reason = "old parsers accept it" if safe else "old parsers reject the new type"
    kind = f"{_prefix(subject, direction)} field retyped"
    return [Change(kind, subject, not safe, reason, detail)]


def diff_enums(
    old: Mapping[str, Any], new: Mapping[str, Any], subject: str, direction: str
) -> list[Change]:
    """Enum/const values added or removed (or an enum introduced or dropped)."""
    old_values, new_values = enum_values(old), enum_values(new)
    prefix = _prefix(subject, direction)
    if old_values is None and new_values is None:
        return []
    if old_values is None or new_values is None:
        introduced = old_values is None
        breaking = introduced if direction == REQUEST else not introduced
        reason = {
            (REQUEST, True): "values old clients send may be refused",
            (REQUEST, False): "any value is accepted now",
            (RESPONSE, True): "old parsers accept every value",
            (RESPONSE, False): "old parsers reject values outside the old set",
        }[(direction, introduced)]
        kind = f"{prefix} enum {'introduced' if introduced else 'dropped'}"
        return [Change(kind, subject, breaking, reason, _fmt(new_values or old_values or []))]
    changes = []
    removed = [v for v in old_values if v not in new_values]
    added = [v for v in new_values if v not in old_values]
    if removed:
        breaking = direction == REQUEST
        reason = (
            "old clients may send it and be refused"
            if breaking
            else "old parsers still accept the rest"
        )
        changes.append(
            Change(f"{prefix} enum value removed", subject, breaking, reason, _fmt(removed))
        )
    if added:
        breaking = direction == RESPONSE
        reason = "old parsers reject the new value" if breaking else "old clients never send it"
        changes.append(Change(f"{prefix} enum value added", subject, breaking, reason, _fmt(added)))
    return changes


def diff_constraints(
    old: Mapping[str, Any], new: Mapping[str, Any], subject: str, direction: str
) -> list[Change]:
    """Length, range, pattern and format changes; tightening a request constraint is breaking."""
    changes = []
    prefix = _prefix(subject, direction)
    for key, larger_is_looser in CONSTRAINTS.items():
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        changes.append(
            _constraint_change(
                prefix, subject, direction, key, a, b, _tighter(a, b, larger_is_looser)
            )
        )
    for key in ("pattern", "format"):
        a, b = old.get(key), new.get(key)
        if a != b:
            changes.append(_constraint_change(prefix, subject, direction, key, a, b, b is not None))
    return changes


def _tighter(old: Any, new: Any, larger_is_looser: bool) -> bool:
    if old is None or new is None:
        return old is None
    return bool(new < old) if larger_is_looser else bool(new > old)


def _constraint_change(
    prefix: str, subject: str, direction: str, key: str, a: Any, b: Any, tighter: bool
) -> Change:
    detail = f"{key} {json.dumps(a)} -> {json.dumps(b)}"
    if direction == RESPONSE:
        return Change(
            f"{prefix} constraint changed", subject, False, "parsers do not check it", detail
        )
    reason = "values old clients send may be refused" if tighter else "accepts everything it did"
    return Change(f"{prefix} constraint changed", subject, tighter, reason, detail)


def diff_properties(
    docs: Docs,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    subject: str,
    direction: str,
    stack: tuple[str, ...],
) -> list[Change]:
    """Object fields added, removed, renamed (heuristic) and required changes; recurse into the rest.

    Renamed heuristic: a removed and an added field of the same object with the same schema
    (documentation ignored) are reported as one ``field renamed?`` change.
    """
    old_props: Mapping[str, Any] = old.get("properties", {})
    new_props: Mapping[str, Any] = new.get("properties", {})
    old_req, new_req = set(old.get("required", [])), set(new.get("required", []))
    prefix = _prefix(subject, direction)
    removed = [k for k in old_props if k not in new_props]
    added = [k for k in new_props if k not in old_props]
    changes: list[Change] = []

    renamed: dict[str, str] = {}
    for r in removed:
        shape = canonical(docs.old, old_props[r])
        for a in added:
            if a not in renamed.values() and canonical(docs.new, new_props[a]) == shape:
                renamed[r] = a
                break
    for r, a in renamed.items():
        reason = (
            "old clients send the old name"
            if direction == REQUEST
            else "old parsers read the old name"
        )
        changes.append(
            Change(f"{prefix} field renamed?", f"{subject}.{r}", True, reason, f"now {a}")
        )
    for r in removed:
        if r in renamed:
            continue
        if direction == REQUEST:
            reason = "old clients may send it and be refused"
            breaking = True
        elif r in old_req:
            breaking, reason = True, "old parsers require it"
        else:
            breaking, reason = False, "old parsers treat it as absent"
        detail = "was required" if r in old_req else "was optional"
        changes.append(
            Change(f"{prefix} field removed", f"{subject}.{r}", breaking, reason, detail)
        )
    for a in added:
        if a in renamed.values():
            continue
        required = a in new_req
        if direction == REQUEST:
            breaking = required
            reason = "old clients do not send it" if required else "old clients may omit it"
        else:
            breaking, reason = False, "old parsers ignore unknown fields"
        detail = "required" if required else "optional"
        changes.append(Change(f"{prefix} field added", f"{subject}.{a}", breaking, reason, detail))
    for name in old_props:
        if name not in new_props:
            continue
        field = f"{subject}.{name}"
        if name not in old_req and name in new_req:
            breaking = direction == REQUEST
            reason = "old clients may omit it" if breaking else "old parsers accept it"
            changes.append(Change(f"{prefix} field newly required", field, breaking, reason))
        elif name in old_req and name not in new_req:
            breaking = direction == RESPONSE
            reason = "old parsers require it" if breaking else "old clients still send it"
            changes.append(Change(f"{prefix} field no longer required", field, breaking, reason))
        changes += diff_schema(docs, old_props[name], new_props[name], field, direction, stack)
    return changes


def diff_variants(
    docs: Docs,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    subject: str,
    direction: str,
    stack: tuple[str, ...],
) -> list[Change]:
    """``oneOf``/``anyOf`` variants added or removed; a new response variant is breaking."""
    old_list = old.get("oneOf", []) + old.get("anyOf", [])
    new_list = new.get("oneOf", []) + new.get("anyOf", [])
    if not old_list and not new_list:
        return []
    old_keyed, new_keyed = variant_keys(docs.old, old_list), variant_keys(docs.new, new_list)
    noun = (
        "output variant"
        if subject.endswith(".output")
        else f"{_prefix(subject, direction)} variant"
    )
    changes = []
    for key in old_keyed:
        if key not in new_keyed:
            breaking = direction == REQUEST
            reason = (
                "old clients may send it and be refused"
                if breaking
                else "old parsers still accept the rest"
            )
            changes.append(Change(f"{noun} removed", subject, breaking, reason, key))
    for key in new_keyed:
        if key not in old_keyed:
            breaking = direction == RESPONSE
            reason = (
                "old parsers reject the new variant" if breaking else "old clients never send it"
            )
            changes.append(Change(f"{noun} added", subject, breaking, reason, key))
    for key, variant in old_keyed.items():
        if key in new_keyed:
            changes += diff_schema(docs, variant, new_keyed[key], subject, direction, stack)
    return changes


def diff_schema(
    docs: Docs,
    old: Any,
    new: Any,
    subject: str,
    direction: str,
    stack: tuple[str, ...] = (),
) -> list[Change]:
    """Compare two schemas (``$ref`` resolved, ``allOf`` merged) and return the changes.

    Args:
        docs: both documents, to resolve references on each side.
        old, new: the snapshot's and the fetched schema node (may be ``{"$ref": ...}``).
        subject: the dotted label to report (e.g. ``video.generate.input``). On the response
            side a named component restarts the label (``RequestObject.status``), so a shared
            component is reported once however many responses use it.
        direction: ``REQUEST`` (the client sends it) or ``RESPONSE`` (the client parses it).
        stack: the component names being compared, to stop on recursive schemas.
    """
    o, old_name = flatten(docs.old, old)
    n, new_name = flatten(docs.new, new)
    if direction == RESPONSE and old_name is not None and old_name == new_name:
        subject = old_name
    marker = f"{old_name}>{new_name}"
    if (old_name or new_name) and marker in stack:
        return []
    stack = (*stack, marker)
    changes = diff_types(type_set(docs.old, o), type_set(docs.new, n), subject, direction)
    changes += diff_enums(o, n, subject, direction)
    changes += diff_constraints(o, n, subject, direction)
    if not o.get("deprecated") and n.get("deprecated"):
        changes.append(Change("deprecated", subject, False, "still works; plan to migrate"))
    if "properties" in o or "properties" in n:
        changes += diff_properties(docs, o, n, subject, direction, stack)
    if "items" in o and "items" in n:
        changes += diff_schema(docs, o["items"], n["items"], f"{subject}[]", direction, stack)
    changes += diff_variants(docs, o, n, subject, direction, stack)
    return changes


def _create_body(doc: Mapping[str, Any]) -> Any:
    try:
        path = ApiSchema(doc).create_path
    except SchemaError:
        path = CREATE_PATH
    return doc.get("paths", {}).get(path, {}).get("post", {}).get("requestBody", {})


def operations(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Each operation's envelope schema node (as written), keyed by id, from the schema model.

    Every shape ``cannon_studio_schema`` understands is covered (unions by reference or inline,
    ``oneOf``/``anyOf``, discriminator mappings, a flat ``operation`` enum); a document it cannot
    model has no operations here.
    """
    try:
        model = ApiSchema(doc)
    except SchemaError:
        return {}
    return {op.id: op.envelope for op in model.operations}


def diff_operations(docs: Docs) -> list[Change]:
    """Operations added/removed, and each common operation's envelope and input compared."""
    old_ops, new_ops = operations(docs.old), operations(docs.new)
    if old_ops and not new_ops:
        restructured = Change(
            "create body restructured", f"POST {CREATE_PATH} body", True,
            "no operations can be read from it any more; the typed inputs no longer apply",
        )  # fmt: skip
        return [
            restructured,
            *_diff_content(
                docs,
                _create_body(docs.old),
                _create_body(docs.new),
                f"POST {CREATE_PATH} body",
                REQUEST,
            ),
        ]
    changes = []
    for op in old_ops:
        if op not in new_ops:
            changes.append(
                Change(
                    "operation removed", op, True, "requests for it are refused (unknown operation)"
                )
            )
    for op in new_ops:
        if op not in old_ops:
            changes.append(
                Change(
                    "operation added", op, False, "new operation; regenerate to get its typed input"
                )
            )
    metadata: dict[str, list[tuple[str, Any, Any]]] = {}
    common = [op for op in old_ops if op in new_ops]
    for op in common:
        changes += diff_schema(docs, old_ops[op], new_ops[op], op, REQUEST)
        old_env, _ = flatten(docs.old, old_ops[op])
        new_env, _ = flatten(docs.new, new_ops[op])
        for key in sorted({k for k in {*old_env, *new_env} if k.startswith("x-cannon-")}):
            if old_env.get(key) != new_env.get(key):
                metadata.setdefault(key, []).append((op, old_env.get(key), new_env.get(key)))
    return changes + _metadata_changes(metadata, len(common))


def _metadata_changes(metadata: dict[str, list[tuple[str, Any, Any]]], common: int) -> list[Change]:
    """``x-cannon-*`` annotation changes: one line per operation, or one line when an
    annotation is gone from every operation (the live schema does not carry our annotations)."""
    reason = "SDK annotation; the overlay reads it from the snapshot, keep it when regenerating"
    changes = []
    for key, entries in metadata.items():
        if len(entries) == common and all(new is None for _, _, new in entries):
            changes.append(
                Change(f"operation annotation removed: {key}", "all operations", False, reason)
            )
            continue
        for op, old, new in entries:
            detail = f"{json.dumps(old)} -> {json.dumps(new)}"
            changes.append(
                Change(f"operation annotation changed: {key}", op, False, reason, detail)
            )
    return changes


def _parameters(
    doc: Mapping[str, Any], path_item: Mapping[str, Any], op: Mapping[str, Any]
) -> dict[tuple[str, str], dict[str, Any]]:
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*path_item.get("parameters", []), *op.get("parameters", [])]:
        param, _ = deref(doc, raw)
        where, name = param.get("in", "?"), str(param.get("name", "?"))
        params[(where, name.lower() if where == "header" else name)] = param
    return params


def _param_noun(where: str) -> str:
    return "header" if where == "header" else f"{where} parameter"


def diff_parameters(
    docs: Docs,
    old: Mapping[tuple[str, str], Mapping[str, Any]],
    new: Mapping[tuple[str, str], Mapping[str, Any]],
    subject: str,
    received: bool = False,
) -> list[Change]:
    """Parameters (headers, query, path) added, removed, retyped or with a required change.

    ``received`` is for webhook deliveries, where the client reads the headers instead of
    sending them.
    """
    changes = []
    for key, param in old.items():
        label = f"{subject} {param.get('name', key[1])}"
        noun = _param_noun(key[0])
        if key not in new:
            reason = (
                "receivers that read it lose it"
                if received
                else "old clients send it; it may be ignored or refused"
            )
            changes.append(Change(f"{noun} removed", label, True, reason))
            continue
        other = new[key]
        if received:  # a receiver reads headers; whether the sender must send them is moot
            pass
        elif not param.get("required") and other.get("required"):
            changes.append(Change(f"{noun} newly required", label, True, "old clients may omit it"))
        elif param.get("required") and not other.get("required"):
            changes.append(
                Change(f"{noun} no longer required", label, False, "old clients still send it")
            )
        direction = RESPONSE if received else REQUEST
        changes += diff_schema(
            docs, param.get("schema", {}), other.get("schema", {}), label, direction
        )
    for key, param in new.items():
        if key in old:
            continue
        label = f"{subject} {param.get('name', key[1])}"
        required = bool(param.get("required")) and not received
        reason = "old clients do not send it" if required else "old clients may omit it"
        if received:
            reason = "receivers may ignore it"
        detail = "required" if required else "optional"
        changes.append(Change(f"{_param_noun(key[0])} added", label, required, reason, detail))
    return changes


def _security_alternatives(doc: Mapping[str, Any], op: Mapping[str, Any]) -> dict[str, bool]:
    requirements = op.get("security", doc.get("security", []))
    names = {}
    for requirement in requirements or []:
        label = "+".join(sorted(requirement)) or "anonymous"
        names[label] = True
    return names


def diff_security(
    docs: Docs, old_op: Mapping[str, Any], new_op: Mapping[str, Any], subject: str
) -> list[Change]:
    """The accepted ways to authenticate an endpoint (effective ``security``) added or removed."""
    old, new = _security_alternatives(docs.old, old_op), _security_alternatives(docs.new, new_op)
    changes = []
    for name in old:
        if name not in new:
            changes.append(
                Change(
                    "security requirement removed",
                    subject,
                    True,
                    "clients using it are refused",
                    name,
                )
            )
    for name in new:
        if name not in old:
            changes.append(
                Change(
                    "security requirement added",
                    subject,
                    False,
                    "an extra way to authenticate",
                    name,
                )
            )
    return changes


def diff_security_schemes(docs: Docs) -> list[Change]:
    """Security schemes (``components.securitySchemes``) added, removed or changed."""
    old = docs.old.get("components", {}).get("securitySchemes", {})
    new = docs.new.get("components", {}).get("securitySchemes", {})
    changes = []
    for name, scheme in old.items():
        if name not in new:
            changes.append(
                Change("security scheme removed", name, True, "clients using it are refused")
            )
            continue
        a, b = canonical(docs.old, scheme), canonical(docs.new, new[name])
        if a != b:
            keys = sorted(k for k in {*a, *b} if a.get(k) != b.get(k))
            detail = "; ".join(
                f"{k} {json.dumps(a.get(k))} -> {json.dumps(b.get(k))}" for k in keys
            )
            changes.append(
                Change(
                    "security scheme changed",
                    name,
                    True,
                    "clients send credentials the old way",
                    detail,
                )
            )
    for name in new:
        if name not in old:
            changes.append(
                Change("security scheme added", name, False, "an extra way to authenticate")
            )
    return changes


def _json_schema(doc: Mapping[str, Any], holder: Any) -> dict[str, Any]:
    """``content`` media types of a request body or response, ``$ref`` resolved."""
    resolved, _ = deref(doc, holder)
    return resolved.get("content", {}) or {}


def diff_responses(
    docs: Docs, old_op: Mapping[str, Any], new_op: Mapping[str, Any], subject: str
) -> list[Change]:
    """Status codes added/removed, response headers, and each response body compared."""
    old = old_op.get("responses", {}) or {}
    new = new_op.get("responses", {}) or {}
    changes = []
    for code in old:
        if code not in new:
            success = str(code).startswith("2")
            reason = (
                "old clients parse that success response"
                if success
                else "old clients still handle it"
            )
            changes.append(Change("response status removed", f"{subject} {code}", success, reason))
    for code in new:
        if code not in old:
            success = str(code).startswith("2")
            reason = (
                "old clients do not parse this success status"
                if success
                else "old clients map it to a generic error"
            )
            changes.append(Change("response status added", f"{subject} {code}", success, reason))
    for code, raw in old.items():
        if code not in new:
            continue
        label = f"{subject} {code}"
        old_resp, _ = deref(docs.old, raw)
        new_resp, _ = deref(docs.new, new[code])
        old_headers = {k.lower(): v for k, v in (old_resp.get("headers") or {}).items()}
        new_headers = {k.lower(): v for k, v in (new_resp.get("headers") or {}).items()}
        for name in old_headers:
            if name not in new_headers:
                changes.append(
                    Change(
                        "response header removed",
                        f"{label} {name}",
                        True,
                        "clients that read it lose it",
                    )
                )
            else:
                a, _ = deref(docs.old, old_headers[name])
                b, _ = deref(docs.new, new_headers[name])
                changes += diff_schema(
                    docs, a.get("schema", {}), b.get("schema", {}), f"{label} {name}", RESPONSE
                )
        for name in new_headers:
            if name not in old_headers:
                changes.append(
                    Change(
                        "response header added", f"{label} {name}", False, "old clients ignore it"
                    )
                )
        changes += _diff_content(docs, old_resp, new_resp, label, RESPONSE)
    return changes


def _diff_content(docs: Docs, old: Any, new: Any, label: str, direction: str) -> list[Change]:
    old_content, new_content = _json_schema(docs.old, old), _json_schema(docs.new, new)
    changes = []
    for media, body in old_content.items():
        if media not in new_content:
            changes.append(
                Change("media type removed", f"{label} {media}", True, "old clients use it")
            )
            continue
        changes += diff_schema(
            docs, body.get("schema", {}), new_content[media].get("schema", {}), label, direction
        )
    for media in new_content:
        if media not in old_content:
            breaking = direction == RESPONSE
            reason = "old clients may not parse it" if breaking else "old clients keep using theirs"
            changes.append(Change("media type added", f"{label} {media}", breaking, reason))
    return changes


def _methods(path_item: Mapping[str, Any]) -> Iterator[str]:
    return (m for m in HTTP_METHODS if m in path_item)


def diff_endpoints(docs: Docs) -> list[Change]:
    """Paths and methods added or removed; parameters, security, bodies and responses compared."""
    old_paths = docs.old.get("paths", {}) or {}
    new_paths = docs.new.get("paths", {}) or {}
    changes = []
    for path, old_item in old_paths.items():
        new_item = new_paths.get(path, {})
        for method in _methods(old_item):
            subject = f"{method.upper()} {path}"
            if method not in new_item:
                changes.append(Change("endpoint removed", subject, True, "calls to it fail"))
                continue
            old_op, new_op = old_item[method], new_item[method]
            changes += diff_parameters(
                docs,
                _parameters(docs.old, old_item, old_op),
                _parameters(docs.new, new_item, new_op),
                subject,
            )
            changes += diff_security(docs, old_op, new_op, subject)
            if path == CREATE_PATH and method == "post":
                changes += diff_operations(docs)
            elif "requestBody" in old_op or "requestBody" in new_op:
                changes += _diff_content(
                    docs,
                    old_op.get("requestBody", {}),
                    new_op.get("requestBody", {}),
                    f"{subject} body",
                    REQUEST,
                )
            changes += diff_responses(docs, old_op, new_op, subject)
    for path, new_item in new_paths.items():
        old_item = old_paths.get(path, {})
        for method in _methods(new_item):
            if method not in old_item:
                changes.append(
                    Change(
                        "endpoint added",
                        f"{method.upper()} {path}",
                        False,
                        "old clients do not call it",
                    )
                )
    return changes


def diff_webhooks(docs: Docs) -> list[Change]:
    """Webhook deliveries: payloads are parsed by the client (response side), headers read."""
    old_hooks = docs.old.get("webhooks", {}) or {}
    new_hooks = docs.new.get("webhooks", {}) or {}
    changes = []
    for name, old_item in old_hooks.items():
        new_item = new_hooks.get(name, {})
        for method in _methods(old_item):
            subject = f"webhook {name}"
            if method not in new_item:
                changes.append(
                    Change("webhook removed", subject, True, "receivers stop getting it")
                )
                continue
            old_op, new_op = old_item[method], new_item[method]
            changes += diff_parameters(
                docs,
                _parameters(docs.old, old_item, old_op),
                _parameters(docs.new, new_item, new_op),
                subject,
                received=True,
            )
            changes += _diff_content(
                docs,
                old_op.get("requestBody", {}),
                new_op.get("requestBody", {}),
                subject,
                RESPONSE,
            )
    for name, new_item in new_hooks.items():
        for method in _methods(new_item):
            if method not in old_hooks.get(name, {}):
                changes.append(
                    Change("webhook added", f"webhook {name}", False, "receivers may ignore it")
                )
    return changes


def diff_servers(docs: Docs) -> list[Change]:
    """Server URLs added or removed (the SDK keeps its own default base URL)."""
    old = [s.get("url") for s in docs.old.get("servers", []) or []]
    new = [s.get("url") for s in docs.new.get("servers", []) or []]
    reason = "the SDK uses its own default base URL"
    return [Change("server removed", str(u), False, reason) for u in old if u not in new] + [
        Change("server added", str(u), False, reason) for u in new if u not in old
    ]


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """All semantic changes from ``old`` (the snapshot) to ``new`` (the fetched schema).

    Returns the changes breaking first, each reported once (a shared component used by many
    responses yields one line).
    """
    docs = Docs(old, new)
    changes = (
        diff_endpoints(docs)
        + diff_security_schemes(docs)
        + diff_webhooks(docs)
        + diff_servers(docs)
    )
    unique = list(dict.fromkeys(changes))
    return sorted(unique, key=lambda c: not c.breaking)


# --------------------------------------------------------------------------------------------
# generated/ check
# --------------------------------------------------------------------------------------------


def _files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def compare_trees(expected: Path, actual: Path, label: str) -> list[FileDifference]:
    """Compare two package directories byte for byte (``__pycache__`` ignored).

    Args:
        expected: the fresh generation.
        actual: the checked-in package.
        label: how to name ``actual`` in the report (e.g. ``generated/cannon_studio_api``).
    """
    want, have = _files(expected), _files(actual)
    diffs = [FileDifference(f"{label}/{rel}", "missing") for rel in sorted(want - have)]
    diffs += [FileDifference(f"{label}/{rel}", "extra") for rel in sorted(have - want)]
    diffs += [
        FileDifference(f"{label}/{rel}", "differs")
        for rel in sorted(want & have)
        if not filecmp.cmp(expected / rel, actual / rel, shallow=False)
    ]
    return sorted(diffs, key=lambda d: d.path)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def check_generated(snapshot_text: str, generated_dir: Path) -> list[FileDifference]:
    """Regenerate from ``snapshot_text`` in a temporary directory; compare with ``generated_dir``.

    ``generated_dir`` is the directory holding ``cannon_studio_api`` (``generated/`` in the repo).

    Raises:
        PipelineError: the generator could not run or refused the snapshot.
    """
    with tempfile.TemporaryDirectory(prefix="cannon-drift-") as tmp:
        fresh = generate_package(snapshot_text, Path(tmp))
        package = generated_dir / PACKAGE
        return compare_trees(fresh, package, _display(package))


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


@dataclass
class Report:
    """The outcome of a drift check; ``exit_code`` 0 (no drift) or 1 (drift)."""

    source: str
    snapshot: str
    changes: list[Change]
    generated_checked: bool
    generated: list[FileDifference]

    @property
    def drift(self) -> bool:
        return bool(self.changes or self.generated)

    @property
    def exit_code(self) -> int:
        return 1 if self.drift else 0

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "source": self.source,
            "snapshot": self.snapshot,
            "drift": self.drift,
            "exit_code": self.exit_code,
            "schema": {
                "breaking": sum(c.breaking for c in self.changes),
                "non_breaking": sum(not c.breaking for c in self.changes),
                "changes": [asdict(c) for c in self.changes],
            },
            "generated": {
                "checked": self.generated_checked,
                "differences": [asdict(d) for d in self.generated],
            },
        }

    def text(self) -> str:
        """The human report; its last line is ``no drift`` or a one-line summary."""
        lines = [f"schema: {self.source} compared with {self.snapshot}"]
        lines += [c.line() for c in self.changes] or ["schema: no changes"]
        if self.generated_checked:
            lines += [d.line() for d in self.generated] or [
                "generated/: matches a fresh generation from the snapshot"
            ]
        else:
            lines.append("generated/: not checked (--skip-generated)")
        if not self.drift:
            lines.append("no drift")
        else:
            breaking = sum(c.breaking for c in self.changes)
            lines.append(
                f"drift: {breaking} breaking and {len(self.changes) - breaking} non-breaking schema "
                f"change(s), {len(self.generated)} generated file(s) out of date"
            )
        return "\n".join(lines)


def run_check(source: str, snapshot: Path, generated_dir: Path | None) -> Report:
    """Fetch ``source``, diff it with ``snapshot`` and (unless None) check ``generated_dir``.

    Raises:
        PipelineError: the source or the snapshot could not be read, parsed or validated, or
            the generator could not run.
    """
    document = load_source(source)
    validate_document(document, source)
    fetched_text = normalise(document)
    snapshot_text = _read_snapshot(snapshot)
    changes: list[Change] = []
    if fetched_text != snapshot_text:
        try:
            changes = diff_documents(json.loads(snapshot_text), json.loads(fetched_text))
        except (
            KeyError, TypeError, AttributeError, ValueError, RecursionError, SchemaError
        ) as exc:  # fmt: skip
            raise PipelineError(
                f"Could not compare the schema from {source} with the snapshot "
                f"({type(exc).__name__}: {str(exc)[:120]})."
            ) from exc
        if not changes:
            changes = [
                Change(
                    "schema text changed", "descriptions, examples or metadata only", False,
                    "no semantic change; run make regenerate to refresh the snapshot and docstrings",
                )
            ]  # fmt: skip
    generated: list[FileDifference] = []
    if generated_dir is not None:
        generated = check_generated(snapshot_text, generated_dir)
    return Report(source, _display(snapshot), changes, generated_dir is not None, generated)


def _read_snapshot(snapshot: Path) -> str:
    try:
        text = snapshot.read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise PipelineError(f"Could not read the committed snapshot {snapshot}: {exc}.") from exc
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="check_drift.py",
        description="Compare the Cannon Studio schema with the committed snapshot, and generated/ "
        "with a fresh generation. Exit 0 no drift, 1 drift, 2 schema unavailable.",
    )
    parser.add_argument(
        "--url",
        help="schema URL or file path (default: $CANNON_OPENAPI_URL, else the live URL)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object for CI systems")
    parser.add_argument(
        "--skip-generated", action="store_true", help="do not check generated/ (schema diff only)"
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        default=SNAPSHOT,
        help="the committed snapshot (default: %(default)s)",
    )
    parser.add_argument(
        "--generated",
        type=Path,
        default=GENERATED,
        help="directory holding cannon_studio_api to check (default: %(default)s)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the drift check; return the exit status (0 no drift, 1 drift, 2 could not check)."""
    args = build_parser().parse_args(argv)
    source = resolve_source(args.url)
    try:
        report = run_check(source, args.snapshot, None if args.skip_generated else args.generated)
    except PipelineError as exc:
        if args.json:
            print(json.dumps({"source": source, "error": str(exc), "exit_code": 2}, indent=2))
        print(f"check-drift: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.text())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
