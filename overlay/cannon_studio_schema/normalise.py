"""The committed snapshot format: OpenAPI 3.1, JSON, stable order, generator-friendly names.

:func:`normalise` is what ``make regenerate`` writes to ``openapi/cannon-studio.json`` and what
``make check-drift`` compares; both call it, so a document fetched twice normalises to the same
bytes. Steps, each a no-op on the committed snapshot:

1. the canonical spelling (:func:`cannon_studio_schema.canonical.canonical_spelling`): OpenAPI
   3.1, one spelling per constraint (nullable styles, enums written as unions of values);
2. the placement (:func:`cannon_studio_schema.placement.place`): the contract's endpoints and
   bodies found by method, path and use, and given the tags, operation ids and component
   names the client imports, whatever the source called them;
3. name what the generator needs for a clean client: an inline envelope of the create body's
   union becomes ``components.schemas.<Stem>Envelope`` and an inline input object
   ``<Stem>Input`` (``Stem`` from the operation id, e.g. ``VideoGenerate``), each with a
   ``title``, referenced by ``$ref`` where it was (openapi-python-client would otherwise emit
   ``CreateRequestBodyType0``-style names); an envelope's ``operation`` ``const`` gets a
   matching ``default`` so generated models do not make callers repeat it;
4. serialise with sorted keys, two-space indent, UTF-8 and a final newline (:func:`snapshot_text`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .canonical import canonical_spelling
from .errors import guarded
from .model import ApiSchema
from .placement import place
from .resolver import component_pointer


def snapshot_text(document: Mapping[str, Any]) -> str:
    """The canonical text of ``document``: sorted keys, 2-space indent, UTF-8, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.removeprefix("#/").split("/")]


def _replace(document: dict[str, Any], pointer: str, value: Any) -> None:
    """Set the node at local JSON ``pointer`` (which must exist) to ``value``."""
    *parents, last = _parts(pointer)
    node: Any = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _free_name(schemas: dict[str, Any], wanted: str, content: Any) -> str:
    name, n = wanted, 2
    while name in schemas and schemas[name] != content:
        name, n = f"{wanted}{n}", n + 1
    return name


def _name(document: dict[str, Any], pointer: str, wanted: str, node: dict[str, Any]) -> str:
    """Move the inline schema at ``pointer`` to ``components.schemas`` and reference it."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    content = {"title": wanted, **node}
    name = _free_name(schemas, wanted, content)
    content["title"] = node.get("title", name)
    schemas[name] = content
    _replace(document, pointer, {"$ref": component_pointer(name)})
    return name


@guarded("normalising")
def normalise(
    document: Mapping[str, Any], *, notes: list[str] | None = None, fill: bool = True
) -> dict[str, Any]:
    """Return the snapshot form of ``document`` (a new dict; the argument is not changed).

    Args:
        document: a parsed OpenAPI 3.0.x or 3.1.x document.
        notes: when given, one line is appended per generator mistake repaired on the way,
            per part of the document kept unplaced and per missing part filled in.
        fill: fill in missing parts the client uses (see :func:`~.placement.place`).

    Raises:
        SchemaError: the version is not 3.0.x/3.1.x, a reference does not resolve, or there
            is no create endpoint.
    """
    doc = place(canonical_spelling(document, notes=notes), notes=notes, fill=fill)
    model = ApiSchema(doc)
    named: set[str] = set()
    for op in model.operations:
        envelope = dict(op.envelope)
        pointer = op.envelope_pointer
        union_member = pointer is not None and pointer != model.create_body.pointer
        inline = "$ref" not in envelope and "allOf" not in envelope
        if union_member and inline and pointer is not None and pointer not in named:
            named.add(pointer)
            _name(doc, pointer, op.class_stem + "Envelope", envelope)
    model = ApiSchema(doc)  # the envelopes moved: find the operations again
    for op in model.operations:
        pointer = op.envelope_pointer
        if pointer is None or op.input is None:
            continue
        target = model.resolver.lookup(pointer)
        props = target.get("properties") if isinstance(target, dict) else None
        if not isinstance(props, dict):
            continue
        tag = props.get("operation")
        if isinstance(tag, dict) and isinstance(tag.get("const"), str):
            tag.setdefault("default", tag["const"])
        node = props.get("input")
        if not isinstance(node, dict) or "$ref" in node or not node.get("properties"):
            continue
        if len(_ids_sharing(model, pointer)) == 1:
            _name(doc, pointer + "/properties/input", op.class_stem + "Input", dict(node))
    return doc


def _ids_sharing(model: ApiSchema, pointer: str) -> list[str]:
    return [op.id for op in model.operations if op.envelope_pointer == pointer]


__all__ = ["normalise", "snapshot_text"]
