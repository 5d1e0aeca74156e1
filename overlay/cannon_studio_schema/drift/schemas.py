"""Comparing two schemas: types, nullability, enums, constraints, fields, variants, keywords.

Pure functions, documents in, :class:`~.changes.Change` out. Both schemas are read through
:func:`~.nodes.view` (one meaning whatever the spelling); :func:`diff_schema` recurses through
properties, items and union variants. A :class:`Place` says where the schema sits, which gives
the check id's prefix (``request-body``, ``response-property``...) and its direction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .changes import REQUEST, RESPONSE, Change, Docs
from .checks import BOUNDS, KEYWORDS
from .nodes import View, fingerprint, sunset_of, view

SAME_DIRECTION = frozenset(
    {"contains", "propertyNames", "contentSchema", "unevaluatedItems", "unevaluatedProperties"}
)
"""Keywords holding one schema that narrows or widens the same way as the schema around it."""

SCHEMA_MAPS = frozenset({"patternProperties", "dependentSchemas"})
"""Keywords holding named schemas, compared name by name."""

STABILITY = ("draft", "alpha", "beta", "stable")
"""``x-stability-level`` values, lowest first (oasdiff's; a missing level is ``stable``)."""


@dataclass(frozen=True)
class Place:
    """Where a schema sits: the direction and the check-id prefixes at its root and below it."""

    direction: str
    root: str
    nested: str

    def prefix(self, depth: int) -> str:
        """The check-id prefix for a schema ``depth`` fields below the root."""
        return self.root if depth == 0 else self.nested


REQUEST_BODY = Place(REQUEST, "request-body", "request-property")
PARAMETER = Place(REQUEST, "request-parameter", "request-parameter-property")
RESPONSE_BODY = Place(RESPONSE, "response-body", "response-property")
RESPONSE_HEADER = Place(RESPONSE, "response-header", "response-property")


def _fmt(values: Iterable[Any]) -> str:
    return ", ".join(json.dumps(v, ensure_ascii=False, default=str) for v in values)


class _Differ:
    """One comparison of two schema trees (holds the documents and the changes found)."""

    def __init__(self, docs: Docs, place: Place) -> None:
        self.docs = docs
        self.place = place
        self.changes: list[Change] = []

    def emit(self, depth: int, suffix: str, subject: str, detail: str = "") -> None:
        self.changes.append(Change(f"{self.place.prefix(depth)}-{suffix}", subject, detail))

    # -- the tree ---------------------------------------------------------------------------

    def schema(self, old: Any, new: Any, subject: str, depth: int, stack: tuple[str, ...]) -> None:
        o, n = view(self.docs.old, old), view(self.docs.new, new)
        marker = f"{o.name}>{n.name}"
        if (o.name or n.name) and marker in stack:
            return
        if len(stack) > 40:
            return
        stack = (*stack, marker)
        if self.place.direction == RESPONSE and o.name is not None and o.name == n.name:
            subject = o.name  # a shared response component is reported once, by its name
        if self.rewrapped(old, new, (o, n), subject, depth, stack):
            return
        self.types(o, n, subject, depth)
        self.enums(o.schema, n.schema, subject, depth)
        self.bounds(o.schema, n.schema, subject, depth)
        self.keywords(o.schema, n.schema, subject, depth, stack)
        self.lifecycle(o.schema, n.schema, subject, depth)
        self.objects(o.schema, n.schema, subject, depth, stack)
        if "items" in o.schema and "items" in n.schema:
            self.schema(o.schema["items"], n.schema["items"], f"{subject}[]", depth + 1, stack)
        for key in ("oneOf", "anyOf", "allOf"):
            self.variants(key, o.schema, n.schema, subject, depth, stack)
        self.discriminator(o.schema, n.schema, subject, depth)

    def rewrapped(
        self,
        old: Any,
        new: Any,
        views: tuple[View, View],
        subject: str,
        depth: int,
        stack: tuple[str, ...],
    ) -> bool:
        """A schema became a ``oneOf``/``anyOf`` with nothing beside it, or such a union became
        one schema: report it and return True.

        Wrapping in a ``oneOf`` whose variants can overlap is ``wrapped-in-one-of``, breaking
        both ways (an old value may match two variants; a parser may get another variant).
        Otherwise the single schema is compared with the member that is it (same meaning, else
        the only one of its types), and the other members are added (a wrap) or removed (the
        mirror). False when neither applies.
        """
        o, n = views
        for single, union, wrapping in ((o, n, True), (n, o, False)):
            if "oneOf" in single.schema or "anyOf" in single.schema:
                continue
            if any(k in union.schema for k in ("type", "properties", "items", "enum")):
                continue
            for key, stem in (("oneOf", "one-of"), ("anyOf", "any-of")):
                members = union.schema.get(key)
                if not isinstance(members, list) or len(members) < 2:
                    continue
                union_doc = self.docs.new if wrapping else self.docs.old
                single_doc, single_node = (self.docs.old, old) if wrapping else (self.docs.new, new)
                types = [view(union_doc, m).types for m in members]
                if wrapping and key == "oneOf" and not _disjoint(types):
                    self.emit(depth, "wrapped-in-one-of", subject, f"{len(members)} variants")
                    return True
                itself = fingerprint(single_doc, single_node)
                same = [m for m in members if fingerprint(union_doc, m) == itself]
                if not same:
                    same = [m for m, t in zip(members, types, strict=True) if t & single.types]
                if len(same) != 1:
                    return False
                verb = "added" if wrapping else "removed"
                for member in members:
                    if member is not same[0]:
                        label = variant_label(union_doc, member)
                        self.emit(depth, f"{stem}-{verb}", subject, label)
                if wrapping:
                    self.schema(old, same[0], subject, depth, stack)
                else:
                    self.schema(same[0], new, subject, depth, stack)
                return True
        return False

    def types(self, o: View, n: View, subject: str, depth: int) -> None:
        old, new = o.types, n.types
        if old != new:
            detail = f"{'|'.join(sorted(old)) or 'any'} -> {'|'.join(sorted(new)) or 'any'}"
            self.emit(depth, _type_suffix(old, new), subject, detail)
        elif o.schema.get("format") != n.schema.get("format"):
            a, b = o.schema.get("format"), n.schema.get("format")
            suffix = (
                "type-generalized"
                if b is None
                else "type-specialized"
                if a is None
                else "type-changed"
            )
            self.emit(depth, suffix, subject, f"format {a} -> {b}")
        if not (o.any_type or n.any_type) and o.nullable != n.nullable:
            self.emit(depth, "became-nullable" if n.nullable else "became-not-nullable", subject)

    def enums(self, o: Mapping[str, Any], n: Mapping[str, Any], subject: str, depth: int) -> None:
        old, new = o.get("enum"), n.get("enum")
        if isinstance(old, list) and isinstance(new, list):
            if len(old) == 1 and len(new) == 1 and old != new:
                self.emit(depth, "const-changed", subject, f"{_fmt(old)} -> {_fmt(new)}")
            else:
                removed = [v for v in old if v not in new]
                added = [v for v in new if v not in old]
                if removed:
                    self.emit(depth, "enum-value-removed", subject, _fmt(removed))
                if added:
                    self.emit(depth, "enum-value-added", subject, _fmt(added))
        elif isinstance(new, list):
            self.emit(depth, "const-added" if len(new) == 1 else "became-enum", subject, _fmt(new))
        elif isinstance(old, list):
            self.emit(
                depth, "const-removed" if len(old) == 1 else "enum-removed", subject, _fmt(old)
            )
        old_x, new_x = o.get("x-extensible-enum"), n.get("x-extensible-enum")
        if isinstance(old_x, list) and isinstance(new_x, list):
            removed = [v for v in old_x if v not in new_x]
            if removed:
                self.emit(depth, "x-extensible-enum-value-removed", subject, _fmt(removed))

    def bounds(self, o: Mapping[str, Any], n: Mapping[str, Any], subject: str, depth: int) -> None:
        for key, (stem, _larger_is_looser) in BOUNDS.items():
            a, b = o.get(key), n.get(key)
            if a == b or isinstance(a, bool) or isinstance(b, bool):
                continue
            detail = f"{key} {json.dumps(a)} -> {json.dumps(b)}"
            if a is None:
                self.emit(depth, f"{stem}-set", subject, detail)
            elif b is None:
                self.emit(depth, f"{stem}-unset", subject, detail)
            elif isinstance(a, int | float) and isinstance(b, int | float):
                verb = "increased" if b > a else "decreased"
                self.emit(depth, f"{stem}-{verb}", subject, detail)
        a, b = o.get("multipleOf"), n.get("multipleOf")
        if a != b:
            detail = f"multipleOf {json.dumps(a)} -> {json.dumps(b)}"
            if a is None:
                suffix = "multiple-of-set"
            elif b is None:
                suffix = "multiple-of-unset"
            elif _divides(b, a):
                suffix = "multiple-of-generalized"
            elif _divides(a, b):
                suffix = "multiple-of-specialized"
            else:
                suffix = "multiple-of-changed"
            self.emit(depth, suffix, subject, detail)
        if bool(o.get("uniqueItems")) != bool(n.get("uniqueItems")):
            suffix = "unique-items-set" if n.get("uniqueItems") else "unique-items-unset"
            self.emit(depth, suffix, subject)
        a, b = o.get("pattern"), n.get("pattern")
        if a != b:
            detail = f"{json.dumps(a)} -> {json.dumps(b)}"
            if a is None:
                suffix = "pattern-added"
            elif b is None:
                suffix = "pattern-removed"
            elif b in (".*", "^.*$", "^.*", ".*$"):
                suffix = "pattern-generalized"
            else:
                suffix = "pattern-changed"
            self.emit(depth, suffix, subject, detail)
        if "default" in o or "default" in n:
            a, b = o.get("default"), n.get("default")
            detail = f"{json.dumps(a, default=str)} -> {json.dumps(b, default=str)}"
            if "default" not in o:
                self.emit(depth, "default-value-added", subject, detail)
            elif "default" not in n:
                self.emit(depth, "default-value-removed", subject, detail)
            elif a != b:
                self.emit(depth, "default-value-changed", subject, detail)

    def keywords(
        self,
        o: Mapping[str, Any],
        n: Mapping[str, Any],
        subject: str,
        depth: int,
        stack: tuple[str, ...],
    ) -> None:
        for key, stem in KEYWORDS.items():
            if key not in o and key not in n:
                continue
            if key not in o:
                self.emit(depth, f"{stem}-added", subject)
            elif key not in n:
                self.emit(depth, f"{stem}-removed", subject)
            elif fingerprint(self.docs.old, {"k": o[key]}) != fingerprint(
                self.docs.new, {"k": n[key]}
            ):
                self.subschemas(key, stem, o[key], n[key], subject, depth, stack)
        for key, suffix in (
            ("contentEncoding", "content-encoding-changed"),
            ("contentMediaType", "content-media-type-changed"),
        ):
            if o.get(key) != n.get(key):
                self.emit(depth, suffix, subject, f"{o.get(key)} -> {n.get(key)}")

    def subschemas(
        self,
        key: str,
        stem: str,
        old: Any,
        new: Any,
        subject: str,
        depth: int,
        stack: tuple[str, ...],
    ) -> None:
        """A keyword holding schemas changed: compare the schemas inside where the direction
        carries over (``contains``, ``propertyNames``, ``patternProperties``...); ``if``,
        ``then``, ``else`` and ``not`` (whose direction depends on the rest) are one change."""
        where = f"{subject}<{key}>"
        if key in SAME_DIRECTION and isinstance(old, Mapping) and isinstance(new, Mapping):
            self.schema(old, new, where, depth + 1, stack)
        elif key in SCHEMA_MAPS and isinstance(old, Mapping) and isinstance(new, Mapping):
            for name in old:
                if name not in new:
                    self.emit(depth, f"{stem}-removed", subject, str(name))
                else:
                    self.schema(old[name], new[name], f"{where}[{name}]", depth + 1, stack)
            for name in new:
                if name not in old:
                    self.emit(depth, f"{stem}-added", subject, str(name))
        elif key == "prefixItems" and isinstance(old, list) and isinstance(new, list):
            if len(old) != len(new):
                self.emit(depth, f"{stem}-changed", subject, f"{len(old)} -> {len(new)} items")
            else:
                for i, (a, b) in enumerate(zip(old, new, strict=True)):
                    self.schema(a, b, f"{subject}[{i}]", depth + 1, stack)
        else:
            self.emit(depth, f"{stem}-changed", subject)

    def lifecycle(
        self, o: Mapping[str, Any], n: Mapping[str, Any], subject: str, depth: int
    ) -> None:
        if depth > 0 and bool(o.get("deprecated")) != bool(n.get("deprecated")):
            self.emit(depth, "deprecated" if n.get("deprecated") else "reactivated", subject)
        sunset = sunset_of(n)
        if depth > 0 and isinstance(sunset, str) and o.get("x-sunset") != n.get("x-sunset"):
            self.emit(depth, "deprecated-sunset-invalid", subject, sunset)
        a, b = o.get("x-stability-level", "stable"), n.get("x-stability-level", "stable")
        if a != b and a in STABILITY and b in STABILITY:
            suffix = (
                "stability-decreased"
                if STABILITY.index(b) < STABILITY.index(a)
                else ("stability-increased")
            )
            self.emit(depth, suffix, subject, f"{a} -> {b}")

    # -- objects -----------------------------------------------------------------------------

    def objects(
        self,
        o: Mapping[str, Any],
        n: Mapping[str, Any],
        subject: str,
        depth: int,
        stack: tuple[str, ...],
    ) -> None:
        self.additional(o, n, subject, depth, stack)
        old_props: Mapping[str, Any] = o.get("properties") or {}
        new_props: Mapping[str, Any] = n.get("properties") or {}
        if not old_props and not new_props:
            return
        old_req, new_req = set(o.get("required") or []), set(n.get("required") or [])
        request = self.place.direction == REQUEST
        for name, node in old_props.items():
            field = f"{subject}.{name}"
            old_view = view(self.docs.old, node)
            if name not in new_props:
                if request and old_view.schema.get("readOnly"):
                    continue
                if not request and old_view.schema.get("writeOnly"):
                    continue
                self._removed(field, name in old_req, depth)
                continue
            new_view = view(self.docs.new, new_props[name])
            self._access(old_view.schema, new_view.schema, field, depth + 1)
            hidden = "readOnly" if request else "writeOnly"
            if old_view.schema.get(hidden) and new_view.schema.get(hidden):
                continue
            was, now = name in old_req, name in new_req
            if not was and now:
                suffix = "became-required"
                if request and "default" in new_view.schema:
                    suffix = "became-required-with-default"
                self.emit(depth + 1, suffix, field)
            elif was and not now:
                self.emit(depth + 1, "became-optional", field)
            self.schema(node, new_props[name], field, depth + 1, stack)
        for name, node in new_props.items():
            if name in old_props:
                continue
            new_view = view(self.docs.new, node)
            required = name in new_req
            if request:
                if new_view.schema.get("readOnly"):
                    continue
                if not required:
                    check_id = "new-optional-request-property"
                elif "default" in new_view.schema:
                    check_id = "new-required-request-property-with-default"
                else:
                    check_id = "new-required-request-property"
            else:
                if new_view.schema.get("writeOnly"):
                    continue
                check_id = (
                    "response-required-property-added"
                    if required
                    else "response-optional-property-added"
                )
            self.changes.append(Change(check_id, f"{subject}.{name}"))

    def _removed(self, field: str, required: bool, depth: int) -> None:
        if self.place.direction == REQUEST:
            check_id = "request-property-removed"
        else:
            check_id = (
                "response-required-property-removed"
                if required
                else "response-optional-property-removed"
            )
        self.changes.append(Change(check_id, field, "was required" if required else "was optional"))

    def _access(self, o: Mapping[str, Any], n: Mapping[str, Any], field: str, depth: int) -> None:
        for key, stem in (("readOnly", "read-only"), ("writeOnly", "write-only")):
            if bool(o.get(key)) != bool(n.get(key)):
                self.emit(depth, f"became-{stem}" if n.get(key) else f"became-not-{stem}", field)

    def additional(
        self,
        o: Mapping[str, Any],
        n: Mapping[str, Any],
        subject: str,
        depth: int,
        stack: tuple[str, ...],
    ) -> None:
        a, b = o.get("additionalProperties", True), n.get("additionalProperties", True)
        a = True if a == {} else a
        b = True if b == {} else b
        if (a is True and b is True) or (a is False and b is False):
            return
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            self.schema(a, b, f"{subject}{{*}}", depth + 1, stack)
            return
        narrowed = b is False or (a is True and isinstance(b, Mapping))
        suffix = "additional-properties-narrowed" if narrowed else "additional-properties-widened"
        self.emit(depth, suffix, subject, f"{_label(a)} -> {_label(b)}")

    # -- unions ------------------------------------------------------------------------------

    def variants(
        self,
        key: str,
        o: Mapping[str, Any],
        n: Mapping[str, Any],
        subject: str,
        depth: int,
        stack: tuple[str, ...],
    ) -> None:
        old_list: list[Any] = list(o.get(key) or []) if isinstance(o.get(key), list) else []
        new_list: list[Any] = list(n.get(key) or []) if isinstance(n.get(key), list) else []
        if not old_list and not new_list:
            return
        stem = {"oneOf": "one-of", "anyOf": "any-of", "allOf": "all-of"}[key]
        pairs, removed, added = match_variants(self.docs, old_list, new_list)
        for node in removed:
            self.emit(depth, f"{stem}-removed", subject, variant_label(self.docs.old, node))
        for node in added:
            self.emit(depth, f"{stem}-added", subject, variant_label(self.docs.new, node))
        for old_node, new_node in pairs:
            self.schema(old_node, new_node, subject, depth, stack)

    def discriminator(
        self, o: Mapping[str, Any], n: Mapping[str, Any], subject: str, depth: int
    ) -> None:
        a, b = o.get("discriminator"), n.get("discriminator")
        if not isinstance(a, Mapping) and not isinstance(b, Mapping):
            return
        if not isinstance(a, Mapping):
            self.emit(depth, "discriminator-added", subject)
            return
        if not isinstance(b, Mapping):
            self.emit(depth, "discriminator-removed", subject)
            return
        if a.get("propertyName") != b.get("propertyName"):
            detail = f"{a.get('propertyName')} -> {b.get('propertyName')}"
            self.emit(depth, "discriminator-property-name-changed", subject, detail)
        old_map: Mapping[str, Any] = a.get("mapping") or {}
        new_map: Mapping[str, Any] = b.get("mapping") or {}
        for value in old_map:
            if value not in new_map:
                self.emit(depth, "discriminator-mapping-deleted", subject, value)
            elif fingerprint(self.docs.old, {"$ref": old_map[value]}) != fingerprint(
                self.docs.new, {"$ref": new_map[value]}
            ):
                self.emit(depth, "discriminator-mapping-changed", subject, value)
        for value in new_map:
            if value not in old_map:
                self.emit(depth, "discriminator-mapping-added", subject, value)


def _disjoint(type_sets: list[frozenset[str]]) -> bool:
    """Whether every set names types and no two share one (``integer`` is in ``number``)."""
    seen: set[str] = set()
    for types in type_sets:
        widened = set(types) | ({"integer"} if "number" in types else set())
        if not types or widened & seen:
            return False
        seen |= widened
    return True


def _label(value: Any) -> str:
    if value is True:
        return "any"
    if value is False:
        return "none"
    return "schema"


def _divides(a: Any, b: Any) -> bool:
    """Whether ``b`` is a whole multiple of ``a``."""
    try:
        ratio = b / a
    except (TypeError, ZeroDivisionError):
        return False
    return isinstance(ratio, float) and ratio.is_integer()


def _type_suffix(old: frozenset[str], new: frozenset[str]) -> str:
    """The check suffix for a change of admitted types (``integer`` is inside ``number``)."""
    if not old:
        return "type-specialized"
    if not new:
        return "type-generalized"

    def covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
        return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)

    single = len(old) == 1 and len(new) == 1
    if covers(new, old):
        return "type-generalized" if single else "list-of-types-widened"
    if covers(old, new):
        return "type-specialized" if single else "list-of-types-narrowed"
    return "type-changed"


def variant_label(doc: Mapping[str, Any], node: Any) -> str:
    """How a report names a union variant: its component name, value or type(s)."""
    shown = view(doc, node)
    if shown.name:
        return shown.name
    values = shown.schema.get("enum")
    if isinstance(values, list) and len(values) == 1:
        return f"const {json.dumps(values[0], default=str)}"
    for prop in (shown.schema.get("properties") or {}).values():
        tag = view(doc, prop).schema.get("enum")
        if isinstance(tag, list) and len(tag) == 1:
            return f"{{{json.dumps(tag[0], default=str)}}}"
    return "|".join(shown.schema.get("type", ["any"]))


def _tag(doc: Mapping[str, Any], node: Any) -> str | None:
    """The single value of a variant's first one-value property (a discriminator, usually)."""
    for prop in (view(doc, node).schema.get("properties") or {}).values():
        values = view(doc, prop).schema.get("enum")
        if isinstance(values, list) and len(values) == 1:
            return json.dumps(values[0], default=str)
    return None


def match_variants(
    docs: Docs, old: list[Any], new: list[Any]
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Pair the variants of two unions: same meaning, then same component name, then same tag
    value, then the only one of its type(s). Returns (pairs, removed, added)."""
    pairs: list[tuple[Any, Any]] = []
    old_left, new_left = list(old), list(new)

    def pair_by(key: Any, in_order: bool = False) -> None:
        """Pair variants whose key is equal: one on each side, or (``in_order``, for keys that
        mean "the same schema") the n-th of each side with the n-th of the other."""
        old_keys = [key(docs.old, node) for node in old_left]
        new_keys = [key(docs.new, node) for node in new_left]
        used_old: set[int] = set()
        used_new: set[int] = set()
        for k in dict.fromkeys(old_keys):
            if k is None:
                continue
            old_at = [i for i, x in enumerate(old_keys) if x == k]
            new_at = [j for j, x in enumerate(new_keys) if x == k]
            if not in_order and (len(old_at) != 1 or len(new_at) != 1):
                continue
            for i, j in zip(old_at, new_at, strict=False):
                pairs.append((old_left[i], new_left[j]))
                used_old.add(i)
                used_new.add(j)
        old_left[:] = [node for i, node in enumerate(old_left) if i not in used_old]
        new_left[:] = [node for j, node in enumerate(new_left) if j not in used_new]

    pair_by(fingerprint, in_order=True)
    pair_by(lambda doc, node: view(doc, node).name)
    pair_by(_tag)
    pair_by(lambda doc, node: "|".join(view(doc, node).schema.get("type", [])) or None)
    return pairs, old_left, new_left


def diff_schema(docs: Docs, old: Any, new: Any, subject: str, place: Place) -> list[Change]:
    """Compare two schemas (any spelling) and return the changes.

    Args:
        docs: both documents, to resolve references on each side.
        old: the old schema node (may be ``{"$ref": ...}``).
        new: the new schema node.
        subject: the label to report (e.g. ``POST /books body``). On the response side a named
            component restarts the label (``RequestObject.status``), so a shared component is
            reported once however many responses use it.
        place: where the schema sits (:data:`REQUEST_BODY`, :data:`PARAMETER`,
            :data:`RESPONSE_BODY`, :data:`RESPONSE_HEADER`).

    Raises:
        SchemaError: a reference is not local or does not resolve.
    """
    differ = _Differ(docs, place)
    differ.schema(old, new, subject, 0, ())
    return differ.changes
