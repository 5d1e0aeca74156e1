"""Reference resolution for one OpenAPI document, through the ``referencing`` library.

Every ``$ref`` in the project is followed here and nowhere else. A :class:`Resolver` wraps one
document registered under :data:`BASE_URI`; :meth:`Resolver.resolve` follows ``$ref`` chains
(cycle-safe) and :meth:`Resolver.flatten` also merges ``allOf`` parts, which is what a reader of
``{"allOf": [{"$ref": X}], "description": ...}`` means. Both report the component name of the
last reference and the JSON pointer where the schema they return lives, so callers can compile a
validator for exactly that place.

``referencing`` (with ``attrs``-built classes and ``rpds``: 50-90 ms to import on the 2-core
bench machine, more than ``import httpx2`` itself) is imported when the first resolver is built,
i.e. on the client's first create, not when the client is: the first GET never resolves a
reference (``make bench --only import``).

A document is data, never a path to other data: the registry has one resource, the document,
and a retrieval function (:func:`refuse_retrieval`) that refuses every other URI, so neither this
resolver nor the ``jsonschema`` validators built on its registry
(:meth:`cannon_studio_schema.ApiSchema.validator`) ever open a file or a URL. Documents read through
:mod:`cannon_studio_schema.source` have had every external ``$ref`` refused by name already; this
is the same rule for documents handed over as dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import SchemaError

if TYPE_CHECKING:
    from referencing import Registry

BASE_URI = "urn:cannon-studio:openapi"
"""The URI the document is registered under (``{"$ref": BASE_URI + "#/..."}`` reaches into it)."""

_MAX_DEPTH = 32
"""Bound on ``$ref`` / ``allOf`` nesting followed in one call (guards self-referencing schemas)."""

_INLINE_BUDGET = 200_000
"""Nodes an inlined schema (``Resolver.inlined``) may have; past it references stay references."""

_LITERAL_KEYWORDS = frozenset({"enum", "const", "default", "examples", "example"})
"""Keywords whose values are instance data, never schemas: copied as they are when inlining."""

_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
"""Keywords whose values map names (any name, ``enum`` or ``$ref`` included) to schemas."""


@dataclass(frozen=True)
class Resolved:
    """A schema after following references.

    Attributes:
        schema: the target schema object (``{}`` when the node is not an object).
        name: the last path segment of the last ``$ref`` followed (the component name), or
            ``None`` when the node was not a reference.
        pointer: JSON pointer (``#/components/schemas/X``) of where ``schema`` lives, or ``None``
            when the caller gave no pointer for an inline node.
    """

    schema: dict[str, Any]
    name: str | None
    pointer: str | None


def escape(segment: str) -> str:
    """Escape one JSON-pointer segment (``/`` -> ``~1``, ``~`` -> ``~0``)."""
    return segment.replace("~", "~0").replace("/", "~1")


def child(pointer: str | None, *segments: str | int) -> str | None:
    """``pointer`` extended by ``segments`` (``None`` stays ``None``)."""
    if pointer is None:
        return None
    return pointer + "".join("/" + escape(str(segment)) for segment in segments)


def component_pointer(name: str) -> str:
    """The pointer of ``components.schemas[name]``."""
    return "#/components/schemas/" + escape(name)


def refuse_retrieval(uri: str) -> Any:
    """The registry's retrieval function: no URI outside the document is ever fetched or read.

    Raises:
        referencing.exceptions.NoSuchResource: always (``referencing`` reports it as an
            unresolvable reference, which :meth:`Resolver.lookup` turns into a ``SchemaError``).
    """
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs field mypy cannot see


class Resolver:
    """Resolves references inside one document with a ``referencing`` registry.

    Args:
        document: the parsed OpenAPI document (JSON Schema 2020-12 dialect, i.e. OpenAPI 3.1;
            upgrade 3.0 documents first with :func:`cannon_studio_schema.upgrade.upgrade`).
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        # Third-party and heavy: imported on the first resolver (see the module docstring).
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        self.document = document
        # `retrieve` is an attrs alias of `_retrieve`, which mypy does not see.
        self.registry: Registry[Any] = Registry(retrieve=refuse_retrieval).with_resource(  # type: ignore[call-arg]
            BASE_URI, DRAFT202012.create_resource(document)
        )
        self._resolver = self.registry.resolver(base_uri=BASE_URI)

    def lookup(self, ref: str) -> Any:
        """The node ``ref`` points to; only references inside the document are supported.

        Raises:
            SchemaError: ``ref`` is not local (``other.json#/X``) or does not resolve.
        """
        from referencing.exceptions import Unresolvable  # loaded by __init__ already

        if not ref.startswith("#"):
            raise SchemaError(
                f"the external reference {ref!r} is not followed: only local references "
                "(starting with '#') are"
            )
        try:
            return self._resolver.lookup(ref).contents
        except Unresolvable as exc:
            raise SchemaError(f"the reference {ref!r} does not resolve in the document") from exc

    def resolve(self, node: Any, pointer: str | None = None) -> Resolved:
        """Follow ``$ref`` chains from ``node`` (found at ``pointer``, if known).

        Raises:
            SchemaError: a reference is not local or does not resolve.
        """
        name: str | None = None
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = str(node["$ref"])
            if ref in seen or len(seen) > _MAX_DEPTH:
                break
            seen.add(ref)
            node = self.lookup(ref)
            name = ref.rsplit("/", 1)[-1]
            pointer = ref
        return Resolved(dict(node) if isinstance(node, Mapping) else {}, name, pointer)

    def flatten(self, node: Any, pointer: str | None = None, _depth: int = 0) -> Resolved:
        """Resolve ``node`` and merge its ``allOf`` parts into one schema.

        ``properties`` and ``required`` are unioned; other keywords keep the first value seen
        (the outer schema wins). A single-part ``allOf`` reports its part's component name.

        Raises:
            SchemaError: a reference is not local or does not resolve.
        """
        resolved = self.resolve(node, pointer)
        schema, name = resolved.schema, resolved.name
        parts = schema.get("allOf")
        if not isinstance(parts, list) or _depth > _MAX_DEPTH:
            return resolved
        merged = {key: value for key, value in schema.items() if key != "allOf"}
        for index, part in enumerate(parts):
            flat = self.flatten(part, child(resolved.pointer, "allOf", index), _depth + 1)
            if name is None and len(parts) == 1:
                name = flat.name
            for key, value in flat.schema.items():
                if key == "properties" and isinstance(value, Mapping):
                    merged["properties"] = {**value, **merged.get("properties", {})}
                elif key == "required" and isinstance(value, list):
                    known = list(merged.get("required", []))
                    merged["required"] = known + [item for item in value if item not in known]
                else:
                    merged.setdefault(key, value)
        return Resolved(merged, name, resolved.pointer)

    def inlined(self, ref: str) -> Any:
        """The schema at local ``ref`` with its references replaced by what they point to, for a
        validator that never resolves a reference while it validates.

        ``{"$ref": X}`` becomes X's schema (inlined the same way); a ``$ref`` beside other
        keywords becomes ``{"allOf": [X's schema, the other keywords]}`` (the same constraints).
        A reference back into a schema being inlined (a recursive schema) stays a reference,
        made absolute (``BASE_URI + ref``) so the registry still resolves it in the document.
        A document whose inlined form would pass ``_INLINE_BUDGET`` nodes (references shared
        many times over) gets ``{"$ref": BASE_URI + ref}``: resolved while validating, as before.

        Raises:
            SchemaError: a reference is not local or does not resolve.
        """
        budget = [_INLINE_BUDGET]
        inlined = self._inline(self.lookup(ref), (ref,), budget)
        return inlined if budget[0] >= 0 else {"$ref": BASE_URI + ref}

    def _inline(self, node: Any, open_refs: tuple[str, ...], budget: list[int]) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            return node
        if isinstance(node, list):
            return [self._inline(item, open_refs, budget) for item in node]
        if not isinstance(node, Mapping):
            return node
        ref = node.get("$ref")
        rest: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(ref, str):
                continue
            if key in _LITERAL_KEYWORDS:
                rest[key] = value
            elif key in _SCHEMA_MAPS and isinstance(value, Mapping):
                rest[key] = {
                    name: self._inline(sub, open_refs, budget) for name, sub in value.items()
                }
            else:
                rest[key] = self._inline(value, open_refs, budget)
        if not isinstance(ref, str):
            return rest
        if ref in open_refs or len(open_refs) > _MAX_DEPTH or not ref.startswith("#"):
            target: Any = {"$ref": BASE_URI + ref if ref.startswith("#") else ref}
        else:
            target = self._inline(self.lookup(ref), (*open_refs, ref), budget)
        return {"allOf": [target, rest]} if rest else target
