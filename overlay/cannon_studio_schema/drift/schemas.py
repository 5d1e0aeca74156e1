"""Comparing two schemas: types, enums, constraints, object fields, variants, bodies.

Pure functions, documents in, :class:`~.changes.Change` out; ``diff_schema`` recurses through
``diff_properties`` and ``diff_variants``. Every change is classified by direction (see
:mod:`.changes`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .changes import REQUEST, RESPONSE, Change, Docs
from .nodes import canonical, deref, enum_values, flatten, type_set, variant_keys

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


def _fmt(values: Iterable[Any]) -> str:
    return ", ".join(json.dumps(v, ensure_ascii=False) for v in values)


def _prefix(subject: str, direction: str) -> str:
    if direction == RESPONSE:
        return "response"
    return "input" if ".input" in subject else "request"


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


def content_of(doc: Mapping[str, Any], holder: Any) -> dict[str, Any]:
    """``content`` media types of a request body or response, ``$ref`` resolved.

    Raises:
        KeyError: a reference is not local or does not resolve.
    """
    resolved, _ = deref(doc, holder)
    return resolved.get("content", {}) or {}


def diff_content(docs: Docs, old: Any, new: Any, label: str, direction: str) -> list[Change]:
    """Media types of two request bodies or responses added or removed; each body compared.

    Args:
        docs: both documents.
        old, new: the request body or response objects (may be ``{"$ref": ...}``).
        label: how to name them in the report (e.g. ``GET /api/v1/requests/{requestId} 200``).
        direction: ``REQUEST`` or ``RESPONSE``.
    """
    old_content, new_content = content_of(docs.old, old), content_of(docs.new, new)
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
