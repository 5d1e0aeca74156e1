"""One spelling per constraint: the canonical form of an OpenAPI document's schemas.

Generators write the same contract in different ways: pydantic writes a nullable field as
``anyOf: [X, {type: null}]``, zod-to-openapi 3.0 as ``nullable: true``, a hand-written 3.1
document as ``type: [X, "null"]``; a TypeScript string union becomes ``anyOf`` of ``const``s or
of one-value ``enum``s. :func:`canonical_spelling` rewrites every schema of a document (3.0.x or
3.1.x) so that equal meanings are equal JSON, which is what the drift check compares and what
the snapshot and the generator read. Every rewrite is exact (the schema accepts the same values
before and after) except the repairs listed below, each reported in ``notes``.

The canonical form (OpenAPI 3.1, JSON Schema 2020-12):

- **nullable**: a plain single-type schema (``type`` a string; no ``enum``, ``const``, ``$ref``
  or composition) is ``type: [X, "null"]``; anything else is ``anyOf: [<it>, {type: "null"}]``
  with ``title``/``description``/``default``/``deprecated``/``readOnly``/``writeOnly``/
  ``examples`` on the outer schema. ``null`` is never inside ``enum``; ``{type: "null"}`` is the
  one null schema (``const: null`` and ``enum: [null]`` become it) and comes last in a union.
- **closed values**: one value is ``const``; several are ``enum`` (duplicates dropped) with a
  ``type`` when all values share one. A union (``anyOf``/``oneOf``) whose members only list
  values (``const``/``enum``, with ``type`` and annotations) is that ``enum``.
- **nullable components**: ``null`` moves from a nullable component onto every reference to it
  (``{$ref: X}`` becomes ``anyOf: [{$ref: X}, {type: "null"}]``), so "may be null" is said where
  the value is used, as most generators say it.
- **unions**: a union of one member is that member (its siblings kept when they do not clash);
  ``{allOf: [{$ref: X}]}`` with nothing beside it is ``{$ref: X}``, and a ``$ref`` with only
  annotations beside it is ``{allOf: [{$ref: X}], <annotations>}``.
- **types**: ``type: [X]`` is ``type: X``; a type list has no duplicates and ``"null"`` last
  (:func:`generator_spelling` also splits several types into ``anyOf`` of one schema per type,
  each with the keywords that apply to it, for the generator); ``additionalProperties: {}``
  is ``additionalProperties: true``; an array schema always has ``items`` (``{}`` for any).
- **3.0 spellings**: ``nullable`` as above; ``example`` -> ``examples: [example]``; boolean
  ``exclusiveMinimum``/``exclusiveMaximum`` -> the numeric 2020-12 form; ``openapi`` ->
  ``3.1.0``. Defaults that say nothing go (``nullable``/``deprecated``/``readOnly``/
  ``writeOnly``/``uniqueItems: false``, ``required: []``).

Repairs (reported in ``notes``, one line each naming the JSON pointer): a 3.0 keyword
(``nullable``, a boolean ``exclusiveMinimum``/``exclusiveMaximum``) in a 3.1 document is read as
3.0 meant it; ``type: [X, "null"]`` beside an ``enum``/``const`` that leaves ``null`` out (which
JSON Schema reads as "never null", and no generator means) is read as nullable; in a 3.0
document, a bare ``{nullable: true}`` member (zod-to-openapi's "or null") is read as the null
type in a union and as "or null" in ``allOf``.

A ``$ref`` beside ``{type: null}`` in a union is taken not to admit ``null`` itself (components
referenced that way are objects in every generator's output). Key order is not part of the form (the snapshot writer sorts keys). Composition (``allOf``
merging, ``$ref`` against an inline copy) is left to whoever compares documents.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from .errors import SchemaError, guarded
from .resolver import child

TARGET_VERSION = "3.1.0"
"""The ``openapi`` version of every canonical document."""

ANNOTATIONS = (
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
)
"""Keywords that describe a schema without constraining it; they stay on a nullable's outside."""

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
)
_COMPOSED = ("$ref", "enum", "const", "allOf", "anyOf", "oneOf", "not", "if")
_SAY_NOTHING = ("nullable", "deprecated", "readOnly", "writeOnly", "uniqueItems")
_VALUE_KEYS = {"const", "enum", "type", *ANNOTATIONS}
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@guarded("writing the canonical form")
def canonical_spelling(
    document: Mapping[str, Any], *, notes: list[str] | None = None
) -> dict[str, Any]:
    """Return ``document`` with every schema in its canonical spelling (a new dict).

    Args:
        document: a parsed OpenAPI 3.0.x or 3.1.x document (not changed).
        notes: when given, one line is appended per repair (a generator mistake read as the
            generator meant it), naming the JSON pointer of the schema.

    Returns:
        An OpenAPI 3.1.0 document whose schemas follow the canonical form (module docstring).
        It is a fixed point: ``canonical_spelling(canonical_spelling(d)) == canonical_spelling(d)``.

    Raises:
        SchemaError: the document is not OpenAPI 3.0.x or 3.1.x, or is not shaped as OpenAPI.
    """
    version = str(document.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        shown = version or "missing"
        raise SchemaError(f"OpenAPI version {shown} is not supported (3.0.x or 3.1.x are).")
    found: list[str] = [] if notes is None else notes
    respell = _Speller(is_30=version.startswith("3.0"), notes=found)
    result: dict[str, Any] = copy.deepcopy(dict(document))
    result["openapi"] = TARGET_VERSION
    _document_schemas(result, respell)
    if _nullable_components(result, respell):
        _document_schemas(result, respell)  # fold the nulls moved onto references
    return result


def _nullable_components(document: dict[str, Any], respell: _Respell) -> bool:
    """Move ``null`` from nullable components onto every reference to them (exact).

    ``components.schemas.X = {type: [object, null], ...}`` becomes ``{type: object, ...}`` and
    each ``{$ref: X}`` becomes ``anyOf: [{$ref: X}, {type: null}]``: the document accepts the
    same values, and every document says "may be null" where the value is used.

    Returns:
        Whether any component was nullable.
    """
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return False
    refs: set[str] = set()
    for name, schema in list(schemas.items()):
        stripped = _strip_null(schema)
        if stripped is not None:
            pointer = child("#/components/schemas", name) or "#"
            schemas[name] = respell(stripped, pointer)
            refs.add(pointer)
    if refs:
        _document_schemas(document, lambda node, at: _null_references(node, refs))
    return bool(refs)


def _strip_null(schema: Any) -> dict[str, Any] | None:
    """The non-null part of a canonical nullable schema, or ``None`` when it is not nullable."""
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}
    members = schema.get("anyOf")
    if isinstance(members, list) and any(_is_null_schema(m) for m in members):
        return {**schema, "anyOf": [m for m in members if not _is_null_schema(m)]}
    return None


def _null_references(node: Any, refs: set[str]) -> Any:
    """``node`` with every reference to a component in ``refs`` made nullable."""
    if isinstance(node, list):
        return [_null_references(item, refs) for item in node]
    if not isinstance(node, dict):
        return node
    target = node.get("$ref")
    parts = node.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
        target = parts[0].get("$ref") if len(parts[0]) == 1 else None
        if target in refs and not set(node) - {"allOf", *ANNOTATIONS}:
            rest = {key: value for key, value in node.items() if key != "allOf"}
            return {**rest, "anyOf": [{"$ref": target}, {"type": "null"}]}
    elif target in refs:
        rest = {key: value for key, value in node.items() if key != "$ref"}
        return {**rest, "anyOf": [{"$ref": target}, {"type": "null"}]}
    return {key: _null_references(value, refs) for key, value in node.items()}


def schema_spelling(
    schema: Any, *, notes: list[str] | None = None, split_types: bool = False
) -> Any:
    """The canonical spelling of one 3.1 schema (a new value; see :func:`canonical_spelling`).

    Args:
        schema: a JSON Schema 2020-12 schema (a mapping or a boolean).
        notes: when given, repairs are appended (their place is given from this schema, ``#``).
        split_types: also split type lists as :func:`generator_spelling` does.
    """
    found: list[str] = [] if notes is None else notes
    speller = _Speller(is_30=False, notes=found, split_types=split_types)
    return speller(copy.deepcopy(schema), "#")


def generator_spelling(document: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical form with type lists split, for openapi-python-client (a new dict).

    ``type: [object, array]`` beside ``additionalProperties`` makes the generator drop the
    schema ("Invalid property in union"); ``anyOf`` of one schema per type, each with the
    keywords that apply to it, means the same and generates. Only the generator reads this
    form: the snapshot and the drift check keep the type lists.
    """
    respell = _Speller(is_30=False, notes=[], split_types=True)
    result: dict[str, Any] = copy.deepcopy(dict(document))
    _document_schemas(result, respell)
    return result


# -- where the schemas of a document are ------------------------------------------------------

_Respell = Callable[[Any, str], Any]


def _document_schemas(document: dict[str, Any], respell: _Respell) -> None:
    """Replace every schema of ``document`` by ``respell(schema, pointer)``, in place."""
    paths = document.get("paths")
    if isinstance(paths, dict):
        for path, item in paths.items():
            _path_item(item, child("#/paths", path) or "#", respell)
    hooks = document.get("webhooks")
    if isinstance(hooks, dict):
        for name, item in hooks.items():
            _path_item(item, child("#/webhooks", name) or "#", respell)
    components = document.get("components")
    if not isinstance(components, dict):
        return
    kinds: dict[str, Callable[[Any, str, _Respell], None]] = {
        "parameters": _parameter,
        "headers": _parameter,
        "requestBodies": _body,
        "responses": _response,
        "callbacks": _callback,
        "pathItems": _path_item,
    }
    schemas = components.get("schemas")
    if isinstance(schemas, dict):
        for name, schema in list(schemas.items()):
            schemas[name] = respell(schema, child("#/components/schemas", name) or "#")
    for kind, visit in kinds.items():
        members = components.get(kind)
        if isinstance(members, dict):
            for name, member in members.items():
                visit(member, child("#/components", kind, name) or "#", respell)


def _is_ref(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node


def _path_item(item: Any, at: str, respell: _Respell) -> None:
    if not isinstance(item, dict) or _is_ref(item):
        return
    for index, param in enumerate(_list(item.get("parameters"))):
        _parameter(param, f"{at}/parameters/{index}", respell)
    for method in _HTTP_METHODS:
        op = item.get(method)
        if not isinstance(op, dict):
            continue
        where = f"{at}/{method}"
        for index, param in enumerate(_list(op.get("parameters"))):
            _parameter(param, f"{where}/parameters/{index}", respell)
        _body(op.get("requestBody"), f"{where}/requestBody", respell)
        responses = op.get("responses")
        if isinstance(responses, dict):
            for status, response in responses.items():
                _response(response, child(where, "responses", str(status)) or "#", respell)
        callbacks = op.get("callbacks")
        if isinstance(callbacks, dict):
            for name, callback in callbacks.items():
                _callback(callback, child(where, "callbacks", name) or "#", respell)


def _callback(callback: Any, at: str, respell: _Respell) -> None:
    if isinstance(callback, dict) and not _is_ref(callback):
        for expression, item in callback.items():
            _path_item(item, child(at, expression) or "#", respell)


def _parameter(param: Any, at: str, respell: _Respell) -> None:
    """A parameter or a header: a ``schema`` or a ``content`` map."""
    if not isinstance(param, dict) or _is_ref(param):
        return
    if "schema" in param:
        param["schema"] = respell(param["schema"], f"{at}/schema")
    _content(param.get("content"), f"{at}/content", respell)


def _body(body: Any, at: str, respell: _Respell) -> None:
    if isinstance(body, dict) and not _is_ref(body):
        _content(body.get("content"), f"{at}/content", respell)


def _response(response: Any, at: str, respell: _Respell) -> None:
    if not isinstance(response, dict) or _is_ref(response):
        return
    _content(response.get("content"), f"{at}/content", respell)
    headers = response.get("headers")
    if isinstance(headers, dict):
        for name, header in headers.items():
            _parameter(header, child(at, "headers", name) or "#", respell)


def _content(content: Any, at: str, respell: _Respell) -> None:
    if not isinstance(content, dict):
        return
    for media, entry in content.items():
        if isinstance(entry, dict) and "schema" in entry:
            entry["schema"] = respell(entry["schema"], (child(at, media) or "#") + "/schema")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# -- one schema -------------------------------------------------------------------------------


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return "unknown"


def _is_null_schema(node: Any) -> bool:
    """``{type: null}``, ``{const: null}`` or ``{enum: [null]}`` (annotations aside)."""
    if not isinstance(node, dict) or set(node) - {"type", "const", "enum", *ANNOTATIONS}:
        return False
    if not {"type", "const", "enum"} & set(node):
        return False  # no constraint at all: any value, not only null
    kind = node.get("type", "null")
    if kind not in ("null", ["null"]):
        return False
    if "const" in node and node["const"] is not None:
        return False
    return "enum" not in node or node["enum"] == [None]


def _excludes_null(node: Any) -> bool:
    """Whether ``node`` surely rejects ``null`` (a ``$ref`` is taken to: see the docstring)."""
    if not isinstance(node, dict):
        return node is False
    kind = node.get("type")
    if "$ref" in node or (isinstance(kind, str) and kind != "null"):
        return True
    if isinstance(kind, list) and "null" not in kind:
        return True
    if "const" in node and node["const"] is not None:
        return True
    if isinstance(node.get("enum"), list) and None not in node["enum"]:
        return True
    for key, every in (("anyOf", all), ("oneOf", all), ("allOf", any)):
        members = node.get(key)
        if isinstance(members, list) and members and every(_excludes_null(m) for m in members):
            return True
    return False


def _values(node: Any) -> list[Any] | None:
    """The values a pure value schema (``const``/``enum`` + ``type`` + annotations) lists."""
    if not isinstance(node, dict) or set(node) - _VALUE_KEYS:
        return None
    if "const" in node:
        values = [node["const"]]
    elif isinstance(node.get("enum"), list) and node["enum"]:
        values = list(node["enum"])
    else:
        return None
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else None
    fits = kinds is None or all(
        _json_type(v) in kinds or (_json_type(v) == "integer" and "number" in kinds) for v in values
    )
    if not fits:
        return None  # the type excludes a value: not a plain list of values
    return values


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if not any(value == seen and type(value) is type(seen) for seen in out):
            out.append(value)
    return out


class _Speller:
    """Rewrites one schema (and every schema inside it) into the canonical form."""

    def __init__(self, *, is_30: bool, notes: list[str], split_types: bool = False) -> None:
        self.is_30 = is_30
        self.notes = notes
        self.split_types = split_types

    def repaired(self, at: str, what: str) -> None:
        self.notes.append(f"Repaired {at}: {what}.")

    def __call__(self, node: Any, at: str) -> Any:
        if not isinstance(node, dict) or (_is_ref(node) and len(node) == 1):
            return node
        node = dict(node)
        marked = self._null_members(node, at) if self.is_30 else False
        self._children(node, at)
        nullable = self._dialect(node, at) or marked
        null_typed = self._types(node, at) or nullable
        nullable = self._closed_values(node, null_typed) or null_typed
        if node.get("additionalProperties") == {}:
            node["additionalProperties"] = True
        if self.split_types:
            node = _split_types(node)
        split = node.get("anyOf") if isinstance(node.get("anyOf"), list) else []
        for member in [node, *split]:
            is_array = isinstance(member, dict) and member.get("type") == "array"
            if is_array and (
                member.get("items") is True or not {"items", "prefixItems"} & set(member)
            ):
                member["items"] = {}
        node, nullable = self._unions(node, nullable)
        node = _bare_reference(node)
        return _nullable(node) if nullable else node

    def _null_members(self, node: dict[str, Any], at: str) -> bool:
        """3.0 ``{nullable: true}`` members (zod-to-openapi's 3.0 spelling of "or null").

        In a union it is read as ``{type: "null"}``; in ``allOf`` as "the rest, or null"
        (returned ``True``). 3.0 itself reads it as "any value", which no generator means.
        """
        marked = False
        for key in ("allOf", "anyOf", "oneOf"):
            members = node.get(key)
            if not isinstance(members, list):
                continue
            bare = [
                i for i, m in enumerate(members) if isinstance(m, dict) and m == {"nullable": True}
            ]
            meaning = '"or null"' if key == "allOf" else "the null type"
            for index in bare:
                self.repaired(f"{at}/{key}/{index}", f"{{nullable: true}} read as {meaning}")
            if bare and key == "allOf" and len(bare) < len(members):
                node[key] = [m for i, m in enumerate(members) if i not in bare]
                marked = True
            elif bare:
                node[key] = [{"type": "null"} if i in bare else m for i, m in enumerate(members)]
        return marked

    def _children(self, node: dict[str, Any], at: str) -> None:
        for key in _SCHEMA_MAPS:
            members = node.get(key)
            if isinstance(members, dict):
                node[key] = {
                    name: self(member, child(at, key, name) or at)
                    for name, member in members.items()
                }
        for key in _SCHEMA_LISTS:
            members = node.get(key)
            if isinstance(members, list):
                node[key] = [self(m, f"{at}/{key}/{i}") for i, m in enumerate(members)]
        for key in _SCHEMA_ONE:
            if isinstance(node.get(key), dict):
                node[key] = self(node[key], f"{at}/{key}")

    def _dialect(self, node: dict[str, Any], at: str) -> bool:
        """3.0 keywords to 2020-12; returns whether the schema said ``nullable: true``."""
        if "example" in node:
            example = node.pop("example")
            node.setdefault("examples", [example])
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = node.get(bound)
            if isinstance(flag, bool):
                if not self.is_30:
                    self.repaired(
                        at, f"boolean {bound} (an OpenAPI 3.0 spelling) read as 3.0 meant"
                    )
                del node[bound]
                if flag and limit in node:
                    node[bound] = node.pop(limit)
        nullable = node.get("nullable") is True
        if nullable and not self.is_30:
            self.repaired(at, "nullable (an OpenAPI 3.0 keyword) read as a nullable type")
        for key in _SAY_NOTHING:
            if node.get(key) is False or key == "nullable":
                node.pop(key, None)
        if node.get("required") == []:
            del node["required"]
        return nullable

    def _types(self, node: dict[str, Any], at: str) -> bool:
        """Tidy a ``type`` list; returns whether it admitted ``null`` (now taken out of it)."""
        kind = node.get("type")
        if not isinstance(kind, list):
            return False
        kinds = _unique([k for k in kind if k != "null"])
        nullable = "null" in kind and bool(kinds)
        if not kinds:
            node["type"] = "null"
            return False
        node["type"] = kinds[0] if len(kinds) == 1 else kinds
        listed = node.get("enum") if isinstance(node.get("enum"), list) else None
        if nullable and "const" in node and node["const"] is not None:
            self.repaired(at, "type admits null but const does not; read as nullable")
        elif nullable and listed is not None and None not in listed:
            self.repaired(at, "type admits null but enum does not list it; read as nullable")
        return nullable

    def _closed_values(self, node: dict[str, Any], null_typed: bool) -> bool:
        """``const``/``enum`` spelling; returns whether ``null`` is one of the values allowed.

        ``null_typed``: the ``type`` list admitted ``null`` (:meth:`_types` took it out).
        """
        if ("const" in node) == ("enum" in node):
            return False  # neither, or both (leave such a schema as written)
        values = [node["const"]] if "const" in node else node["enum"]
        if not isinstance(values, list) or not values:
            return False
        kind = node.get("type")
        values = _unique(values)
        others = [value for value in values if value is not None]
        admits_null = None in values and (kind in (None, "null") or null_typed)
        if kind == "null" or not others:
            if admits_null:
                node.pop("const", None)
                node.pop("enum", None)
                node["type"] = "null"
            return False
        node.pop("const", None)
        node.pop("enum", None)
        node.update({"const": others[0]} if len(others) == 1 else {"enum": others})
        if kind is None:
            node.update({k: v for k, v in _value_schema(others).items() if k == "type"})
        return admits_null

    def _unions(self, node: dict[str, Any], nullable: bool) -> tuple[dict[str, Any], bool]:
        """Nulls out of unions, unions of values to enums, unions of one member dissolved.

        A ``oneOf`` is rewritten only where its members cannot overlap (one ``null`` member
        beside members that exclude ``null``; value lists that share no value), so that
        "exactly one" and "at least one" mean the same.
        """
        for key in ("anyOf", "oneOf"):
            members = node.get(key)
            if not isinstance(members, list) or not members:
                continue
            alone = not set(node) - {key, *ANNOTATIONS}
            nulls = [m for m in members if _is_null_schema(m)]
            kept = [m for m in members if not _is_null_schema(m)]
            exclusive = key == "anyOf" or (len(nulls) <= 1 and all(_excludes_null(m) for m in kept))
            if not kept and alone and exclusive:
                del node[key]
                node["type"] = "null"
                continue
            if nulls and kept and exclusive:
                nullable = True
                members = kept
            listed = [_values(m) for m in members]
            if alone and len(members) > 1 and all(v is not None for v in listed):
                values = [v for vs in listed for v in vs or []]
                if key == "anyOf" or len(_unique(values)) == len(values):
                    del node[key]
                    node.update(_value_schema(_unique(values)))
                    nullable = self._closed_values(node, False) or nullable
                    continue
            node[key] = members
            if len(members) == 1:
                node = _dissolve(node, key)
        return node, nullable


_BY_TYPE = {
    "object": (
        "properties", "additionalProperties", "patternProperties", "required",
        "minProperties", "maxProperties", "propertyNames", "dependentRequired",
        "dependentSchemas", "unevaluatedProperties",
    ),
    "array": (
        "items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains",
        "minContains", "maxContains", "unevaluatedItems",
    ),
    "string": (
        "minLength", "maxLength", "pattern", "format", "contentEncoding", "contentMediaType",
        "contentSchema",
    ),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "boolean": (),
}  # fmt: skip
"""The keywords that constrain values of each JSON type (they ignore values of other types)."""


def _split_types(node: dict[str, Any]) -> dict[str, Any]:
    """``type: [A, B]`` -> ``anyOf: [{type: A, <A's keywords>}, {type: B, ...}]`` (exact)."""
    kinds = node.get("type")
    if not isinstance(kinds, list) or len(kinds) < 2 or any(key in node for key in _COMPOSED):
        return node
    if not all(isinstance(kind, str) and kind in _BY_TYPE for kind in kinds):
        return node
    members = []
    for kind in kinds:
        member = {"type": kind}
        member.update({key: node[key] for key in _BY_TYPE[kind] if key in node})
        if "format" in node and kind != "string":
            member["format"] = node["format"]
        members.append(member)
    typed = {key for kind in kinds for key in _BY_TYPE[kind]} | {"type", "format"}
    return {**{k: v for k, v in node.items() if k not in typed}, "anyOf": members}


def _value_schema(values: list[Any]) -> dict[str, Any]:
    kinds = _unique([_json_type(v) for v in values])
    if set(kinds) == {"integer", "number"}:
        kinds = ["number"]
    schema: dict[str, Any] = {"const": values[0]} if len(values) == 1 else {"enum": values}
    if len(kinds) == 1:
        schema["type"] = kinds[0]
    return schema


def _dissolve(node: dict[str, Any], key: str) -> dict[str, Any]:
    """``{anyOf: [X], ...siblings}`` -> ``X`` merged with the siblings when none clash."""
    only = node[key][0]
    if not isinstance(only, dict):
        return node
    siblings = {k: v for k, v in node.items() if k != key}
    clash = [k for k in siblings if k in only and k not in ANNOTATIONS and only[k] != siblings[k]]
    if clash or (_is_ref(only) and set(siblings) - set(ANNOTATIONS)):
        return node
    return {**only, **siblings}


def _bare_reference(node: dict[str, Any]) -> dict[str, Any]:
    """A reference alone is ``{$ref}``; annotated, it is ``{allOf: [{$ref}], <annotations>}``.

    Both spellings mean the same in 3.1; the wrapped one keeps the annotations where generators
    read them (a ``$ref`` object's siblings are dropped by openapi-python-client).
    """
    parts = node.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and len(node) == 1:
        only = parts[0]
        if _is_ref(only) and len(only) == 1:
            return dict(only)
    if _is_ref(node) and len(node) > 1 and not set(node) - {"$ref", *ANNOTATIONS}:
        annotations = {key: value for key, value in node.items() if key != "$ref"}
        return {"allOf": [{"$ref": node["$ref"]}], **annotations}
    return node


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """The canonical nullable form of ``node`` (which does not admit ``null`` itself)."""
    kind = node.get("type")
    members = node.get("anyOf")
    already = isinstance(members, list) and any(_is_null_schema(m) for m in members)
    unconstrained = not set(node) - set(ANNOTATIONS)
    if kind == "null" or (isinstance(kind, list) and "null" in kind) or already or unconstrained:
        return node
    if isinstance(kind, str) and not any(key in node for key in _COMPOSED):
        return {**node, "type": [kind, "null"]}
    if isinstance(kind, list) and not any(key in node for key in _COMPOSED):
        return {**node, "type": [*kind, "null"]}
    if isinstance(members, list) and not set(node) - {"anyOf", *ANNOTATIONS}:
        return {**node, "anyOf": [*members, {"type": "null"}]}
    outer = {key: node[key] for key in ANNOTATIONS if key in node}
    inner = {key: value for key, value in node.items() if key not in ANNOTATIONS}
    return {**outer, "anyOf": [_bare_reference(inner), {"type": "null"}]}


__all__ = [
    "ANNOTATIONS",
    "TARGET_VERSION",
    "canonical_spelling",
    "generator_spelling",
    "schema_spelling",
]
