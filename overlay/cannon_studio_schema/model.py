"""The operation model of a Cannon Studio OpenAPI document: what every consumer asks.

Length (over 450 lines): one model (operations, fields, outputs, facts) built in one pass over
the resolved document; its readers live in sibling modules (resolver, source, upgrade, normalise).

:class:`ApiSchema` loads a document once (JSON or YAML, OpenAPI 3.0.x upgraded to 3.1), resolves
references through :class:`~cannon_studio_schema.resolver.Resolver` and exposes:

- the create endpoint (``POST /api/v1/requests``) and its body;
- one :class:`Operation` per operation id, found in whichever way the body describes them: a
  union (``oneOf`` or ``anyOf``, by ``$ref`` or inline, nested unions flattened) of envelopes
  whose ``operation`` is a ``const``/single ``enum``/``default``, a ``discriminator`` mapping, or
  one flat envelope whose ``operation`` is an ``enum`` of ids with a shared, free-form or absent
  ``input``. Inputs may be components or inline schemas, ``allOf`` compositions included;
- the request object, the accepted answer, the error body and the webhook event;
- compiled validators (Draft 2020-12, formats checked) for any place in the document;
- which input fields a schema declares, at every depth (:meth:`ApiSchema.unknown_fields`).

The ``x-cannon-*`` facts are read from the envelope (then the input) where present, with the
defaults of :class:`Operation` where absent. Nothing here imports ``cannon_studio`` or the sandbox.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SchemaError, guarded
from .fields import Field, field_of
from .resolver import Resolved, Resolver, child, component_pointer, escape
from .source import read_file
from .upgrade import upgrade

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

CREATE_PATH = "/api/v1/requests"
"""The documented create endpoint; another POST whose body carries ``operation`` is used if absent."""
GET_PATH = "/api/v1/requests/{requestId}"
"""The documented retrieve endpoint (its 200 body is the request object)."""
EMBEDDED_PACKAGE = "cannon_studio_api"
"""The generated package that ships the normalised snapshot as ``openapi.json``."""

DEFAULT_GROUP = "other"
DEFAULT_CREDITS = "dynamic"
_JSON = "application/json"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Component:
    """One schema the model points at (request object, error body, webhook event...).

    Attributes:
        name: its component name (``RequestObject``), or ``None`` when inline.
        pointer: JSON pointer of the schema in the document (for :meth:`ApiSchema.validator`).
        schema: the schema, references followed and ``allOf`` merged.
    """

    name: str | None
    pointer: str | None
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class Operation:
    """One operation of ``POST /api/v1/requests``, as the document describes it.

    Attributes:
        id: the operation id (``video.generate``).
        envelope: the envelope schema node as written (``{"$ref": ...}`` or inline).
        envelope_pointer: JSON pointer of the envelope schema (validate the whole
            ``{operation, input, webhook_url?}`` body against it).
        envelope_name: component name of the envelope, or ``None`` when inline.
        input: the ``input`` property node as written, or ``None`` when the body has none.
        input_schema: the input schema with references followed and ``allOf`` merged, or ``None``.
        input_name: component name of the input, or ``None`` when inline or absent.
        fields: the input's declared properties, name -> node as written, in document order
            (empty when the input is free-form or absent).
        required: required input field names.
        input_known: the document says what the input is (declares its fields); when ``False``
            the generic create works but typed wrappers take free keywords.
        deprecated: the envelope (or input) is ``deprecated: true``.
        description: the envelope's description (else the input's, else ``""``).
        group: ``x-cannon-group`` (default ``"other"``).
        output_name: ``x-cannon-output`` (an output component name), or ``None``.
        credits: ``x-cannon-credits`` as text (default ``"dynamic"``).
        display_name: ``x-cannon-display-name`` (default: the id).
        assumed: ``x-cannon-assumed`` (the operation is not documented; its shape is assumed).
        extensions: every ``x-cannon-*`` key of the envelope, then of the input.
    """

    id: str
    envelope: Mapping[str, Any]
    envelope_pointer: str | None
    envelope_name: str | None
    input: Mapping[str, Any] | None
    input_schema: Mapping[str, Any] | None
    input_name: str | None
    fields: Mapping[str, Mapping[str, Any]]
    required: tuple[str, ...]
    input_known: bool
    deprecated: bool = False
    description: str = ""
    group: str = DEFAULT_GROUP
    output_name: str | None = None
    credits: str = DEFAULT_CREDITS
    display_name: str = ""
    assumed: bool = False
    extensions: Mapping[str, Any] = field(default_factory=dict)

    @property
    def class_stem(self) -> str:
        """CamelCase stem derived from the id (``sora2.video.edit`` -> ``Sora2VideoEdit``)."""
        return class_stem(self.id)


@dataclass(frozen=True)
class UnknownField:
    """An input key the schema does not declare.

    Attributes:
        path: where it is, from the input (``("subtitle_settings", "fontSize")``; list indexes
            are ints).
        allowed: the names declared at that place, in document order.
        suggestion: the closest declared name (``difflib``), or ``None``.
    """

    path: tuple[str | int, ...]
    allowed: tuple[str, ...]
    suggestion: str | None

    @property
    def dotted(self) -> str:
        """``subtitle_settings.fontSize`` / ``items[0].name``."""
        return dotted(self.path)

    @property
    def suggested_path(self) -> str | None:
        """The dotted path with the last name replaced by the suggestion, or ``None``."""
        if self.suggestion is None:
            return None
        return dotted((*self.path[:-1], self.suggestion))


def dotted(path: Sequence[str | int]) -> str:
    """``("urls", 0, "name")`` -> ``urls[0].name``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def class_stem(operation_id: str) -> str:
    """CamelCase of the id's words: ``three_d.location.generate`` -> ``ThreeDLocationGenerate``."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", operation_id) if w]
    stem = "".join(w[:1].upper() + w[1:] for w in words) or "Operation"
    return stem if stem[0].isalpha() else "Op" + stem


def suggest(name: str, candidates: Sequence[str]) -> str | None:
    """The declared name ``name`` most likely meant, or ``None``.

    Spelling-insensitive matches win (``aspectRatio``, ``aspect-ratio``, ``aspect_ratio_`` ->
    ``aspect_ratio``); otherwise ``difflib.get_close_matches`` with cutoff 0.6.
    """

    def fold(text: str) -> str:
        return re.sub(r"[^0-9a-z]", "", text.lower())

    folded = {fold(candidate): candidate for candidate in candidates}
    if fold(name) in folded:
        return folded[fold(name)]
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def _single_string(schema: Mapping[str, Any]) -> list[str]:
    if isinstance(schema.get("const"), str):
        return [schema["const"]]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
        return list(enum)
    if isinstance(schema.get("default"), str):
        return [schema["default"]]
    return []


def _is_object(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds or "properties" in schema or "additionalProperties" in schema


_FACTS_CACHE_SIZE = 4096
"""Schema nodes whose facts ``ApiSchema`` keeps (a bound for nodes handed in from outside)."""


@dataclass(frozen=True, slots=True)
class _NodeFacts:
    """One schema node's object shapes, declared names, openness and list items schema."""

    node: Any
    shapes: tuple[Mapping[str, Any], ...]
    names: tuple[str, ...]
    open_: bool
    items: Mapping[str, Any] | None


def _declared(shapes: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, ...], bool]:
    """``ApiSchema.declared_fields`` of a node whose object shapes are ``shapes``."""
    names: list[str] = []
    open_ = False
    for shape in shapes:
        props = shape.get("properties")
        declared = list(props) if isinstance(props, Mapping) else []
        names += [n for n in declared if n not in names]
        extra = shape.get("additionalProperties")
        if not declared and extra is not False:
            open_ = True
        if (isinstance(extra, Mapping) and extra) or shape.get("patternProperties"):
            open_ = True
    return tuple(names), open_


class ApiSchema:
    """The loaded document and its operation model (build once; cheap to query).

    Args:
        document: a parsed OpenAPI 3.0.x or 3.1.x document. 3.0 documents are upgraded to 3.1
            (a copy); a 3.1 document is used as given and must not be mutated afterwards.

    Raises:
        SchemaError: unsupported version, a reference that does not resolve, or no create
            endpoint with a JSON body.
    """

    @guarded("finding the operations")
    def __init__(self, document: Mapping[str, Any]) -> None:
        if not isinstance(document, Mapping):
            raise SchemaError("The document is not a JSON object.")
        if str(document.get("openapi", "")).startswith("3.1"):
            self.document: Mapping[str, Any] = document
        else:
            self.document = upgrade(document)
        self.resolver = Resolver(self.document)
        self.create_path, self.create_body = self._find_create()
        self.operations: tuple[Operation, ...] = tuple(self._find_operations())
        self._by_id = {op.id: op for op in self.operations}
        self._fields: dict[str, tuple[Field, ...]] = {}
        self._facts_cache: dict[int, _NodeFacts] = {}

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: Path | str) -> ApiSchema:
        """Read the document at ``path`` (JSON or YAML) and build the model."""
        return cls(read_file(path))

    # -- the create endpoint ---------------------------------------------------------------

    def _json_body(self, holder: Any, pointer: str | None) -> Component | None:
        """The JSON schema of a request body or response object (``None`` without one)."""
        resolved = self.resolver.resolve(holder, pointer)
        content = resolved.schema.get("content")
        if not isinstance(content, Mapping):
            return None
        for media in (_JSON, *content):
            entry = content.get(media)
            if isinstance(entry, Mapping) and "schema" in entry and "json" in str(media):
                at = child(resolved.pointer, "content", str(media), "schema")
                flat = self.resolver.flatten(entry["schema"], at)
                return Component(flat.name, flat.pointer, flat.schema)
        return None

    def _operation_object(self, path: str, method: str) -> Mapping[str, Any] | None:
        paths = self.document.get("paths")
        item = paths.get(path) if isinstance(paths, Mapping) else None
        item = self.resolver.resolve(item).schema if isinstance(item, Mapping) else None
        op = item.get(method) if item else None
        return op if isinstance(op, Mapping) else None

    def _find_create(self) -> tuple[str, Component]:
        candidates = [CREATE_PATH] + [
            p for p in (self.document.get("paths") or {}) if p != CREATE_PATH
        ]
        for path in candidates:
            op = self._operation_object(path, "post")
            if op is None or "requestBody" not in op:
                continue
            body = self._json_body(op["requestBody"], child("#/paths", path, "post", "requestBody"))
            if body is None:
                continue
            if path == CREATE_PATH or self._mentions_operation(body.schema):
                return path, body
        raise SchemaError(
            f"The document has no create endpoint (POST {CREATE_PATH} with a JSON body)."
        )

    def _mentions_operation(self, schema: Mapping[str, Any]) -> bool:
        if "operation" in schema.get("properties", {}):
            return True
        return any(
            "operation" in self.resolver.flatten(v).schema.get("properties", {})
            for v in schema.get("oneOf", []) + schema.get("anyOf", [])
        )

    def _variants(
        self, node: Any, pointer: str | None, depth: int = 0
    ) -> Iterator[tuple[Any, Resolved]]:
        """Leaf members of (nested) unions: ``(node as written, flattened member)``."""
        flat = self.resolver.flatten(node, pointer)
        for key in ("oneOf", "anyOf"):
            members = flat.schema.get(key)
            if isinstance(members, list) and members and depth < 8:
                for index, member in enumerate(members):
                    yield from self._variants(member, child(flat.pointer, key, index), depth + 1)
                return
        yield node, flat

    def _find_operations(self) -> Iterator[Operation]:
        body = self.create_body
        mapping: dict[str, str] = {}
        discriminator = body.schema.get("discriminator")
        if isinstance(discriminator, Mapping) and isinstance(discriminator.get("mapping"), Mapping):
            mapping = {str(k): str(v) for k, v in discriminator["mapping"].items()}
        by_ref = {ref: op for op, ref in mapping.items()}
        seen: set[str] = set()
        has_union = any(isinstance(body.schema.get(k), list) for k in ("oneOf", "anyOf"))
        if has_union:
            variants = list(self._variants(body.schema, body.pointer))
        elif mapping and "properties" not in body.schema:
            variants = [
                (ref_node, self.resolver.flatten(ref_node))
                for ref_node in ({"$ref": ref} for ref in mapping.values())
            ]
        else:
            variants = [(body.schema, Resolved(dict(body.schema), body.name, body.pointer))]
        for node, flat in variants:
            ref = node.get("$ref") if isinstance(node, Mapping) else None
            tag = self.resolver.flatten(flat.schema.get("properties", {}).get("operation", {}))
            ids = _single_string(tag.schema)
            if not ids and isinstance(ref, str) and ref in by_ref:
                ids = [by_ref[ref]]
            for op_id in ids:
                if op_id not in seen:
                    seen.add(op_id)
                    yield self._operation(op_id, node, flat)
        for op_id, ref in mapping.items():
            if op_id not in seen:
                seen.add(op_id)
                ref_node = {"$ref": ref}
                yield self._operation(op_id, ref_node, self.resolver.flatten(ref_node))

    def _operation(self, op_id: str, node: Any, envelope: Resolved) -> Operation:
        props = envelope.schema.get("properties", {})
        input_node = props.get("input") if isinstance(props, Mapping) else None
        input_flat: Resolved | None = None
        if isinstance(input_node, Mapping):
            input_flat = self.resolver.flatten(input_node)
        input_schema = input_flat.schema if input_flat is not None else None
        fields: dict[str, Mapping[str, Any]] = {}
        if input_schema is not None and isinstance(input_schema.get("properties"), Mapping):
            fields = {str(k): v for k, v in input_schema["properties"].items()}
        known = input_schema is not None and (
            bool(fields) or input_schema.get("additionalProperties") is False
        )
        facts: dict[str, Any] = {}
        for source in (input_schema or {}, envelope.schema):
            facts.update({k: v for k, v in source.items() if str(k).startswith("x-cannon-")})
        output = facts.get("x-cannon-output")
        description = envelope.schema.get("description") or (input_schema or {}).get(
            "description", ""
        )
        deprecated = bool(
            envelope.schema.get("deprecated") or (input_schema or {}).get("deprecated")
        )
        return Operation(
            id=op_id,
            envelope=node if isinstance(node, Mapping) else {},
            envelope_pointer=envelope.pointer,
            envelope_name=envelope.name,
            input=input_node if isinstance(input_node, Mapping) else None,
            input_schema=input_schema,
            input_name=input_flat.name if input_flat is not None else None,
            fields=fields,
            required=tuple(str(r) for r in (input_schema or {}).get("required", ())),
            input_known=known,
            deprecated=deprecated,
            description=str(description),
            group=str(facts.get("x-cannon-group", DEFAULT_GROUP)),
            output_name=str(output) if output else None,
            credits=str(facts.get("x-cannon-credits", DEFAULT_CREDITS)),
            display_name=str(facts.get("x-cannon-display-name", op_id)),
            assumed=bool(facts.get("x-cannon-assumed", False)),
            extensions=facts,
        )

    # -- queries ---------------------------------------------------------------------------

    def operation(self, operation_id: str) -> Operation | None:
        """The operation with this id, or ``None`` when the document does not define it."""
        return self._by_id.get(operation_id)

    @guarded("describing input fields")
    def input_fields(self, operation: Operation | str) -> tuple[Field, ...]:
        """The :class:`~cannon_studio_schema.fields.Field` of every input property, in order.

        Args:
            operation: an :class:`Operation` of this model, or its id.

        Returns:
            One field per declared input property (empty when the input is free-form, absent,
            or the id unknown). The typed wrappers, the CLI and the tests all read these.
        """
        op = self.operation(operation) if isinstance(operation, str) else operation
        if op is None:
            return ()
        cached = self._fields.get(op.id)
        if cached is None:
            required = set(op.required)
            cached = tuple(
                field_of(self, name, node, required=name in required)
                for name, node in op.fields.items()
            )
            self._fields[op.id] = cached
        return cached

    @property
    def ids(self) -> tuple[str, ...]:
        """Operation ids in document order."""
        return tuple(self._by_id)

    @guarded("reading a component")
    def component(self, name: str) -> Mapping[str, Any] | None:
        """``components.schemas[name]`` with references followed, or ``None`` when absent."""
        schemas = (self.document.get("components") or {}).get("schemas") or {}
        if name not in schemas:
            return None
        return self.resolver.flatten(schemas[name], component_pointer(name)).schema

    @guarded("reading a response")
    def _response(self, path: str, method: str, statuses: Sequence[str]) -> Component | None:
        op = self._operation_object(path, method)
        responses = op.get("responses") if op else None
        if not isinstance(responses, Mapping):
            return None
        for status in statuses:
            if status in responses:
                at = child("#/paths", path, method, "responses", status)
                found = self._json_body(responses[status], at)
                if found is not None:
                    return found
        return None

    @functools.cached_property
    def accepted_request(self) -> Component | None:
        """The create's ``202`` body (``AcceptedRequest``), or ``None`` when undocumented."""
        return self._response(self.create_path, "post", ("202", "201", "200"))

    @functools.cached_property
    def request_object(self) -> Component | None:
        """The request object (``GET /api/v1/requests/{requestId}`` 200), or ``None``."""
        found = self._response(GET_PATH, "get", ("200",))
        if found is None:
            schema = self.component("RequestObject")
            if schema is not None:
                found = Component("RequestObject", component_pointer("RequestObject"), schema)
        return found

    @functools.cached_property
    def error(self) -> Component | None:
        """The error body of the create (its first documented 4xx JSON body), or ``None``."""
        statuses = [str(s) for s in range(400, 500)] + ["4XX", "default"]
        return self._response(self.create_path, "post", statuses)

    @functools.cached_property
    @guarded("reading the webhooks")
    def webhook_event(self) -> Component | None:
        """The payload of the first webhook in ``webhooks`` (``WebhookEvent``), or ``None``."""
        hooks = self.document.get("webhooks")
        if not isinstance(hooks, Mapping):
            return None
        for name, item in hooks.items():
            resolved = self.resolver.resolve(item, child("#/webhooks", name))
            for method in _HTTP_METHODS:
                op = resolved.schema.get(method)
                if isinstance(op, Mapping) and "requestBody" in op:
                    at = child(resolved.pointer, method, "requestBody")
                    found = self._json_body(op["requestBody"], at)
                    if found is not None:
                        return found
        return None

    @guarded("reading a parameter")
    def parameter(self, path: str, method: str, name: str, location: str) -> Component | None:
        """The schema of one parameter (``x-idempotency-key`` in ``header``), or ``None``.

        Operation-level parameters win over path-level ones; names compare case-insensitively
        for headers.
        """
        paths = self.document.get("paths") or {}
        item = self.resolver.resolve(paths.get(path), child("#/paths", path))
        op = item.schema.get(method)
        holders: list[tuple[Any, str | None]] = []
        if isinstance(op, Mapping):
            holders.append((op.get("parameters"), child(item.pointer, method, "parameters")))
        holders.append((item.schema.get("parameters"), child(item.pointer, "parameters")))
        for params, at in holders:
            for index, param in enumerate(params if isinstance(params, list) else []):
                resolved = self.resolver.resolve(param, child(at, index))
                given = str(resolved.schema.get("name", ""))
                same = given.lower() == name.lower() if location == "header" else given == name
                if same and resolved.schema.get("in") == location:
                    flat = self.resolver.flatten(
                        resolved.schema.get("schema", {}), child(resolved.pointer, "schema")
                    )
                    return Component(flat.name, flat.pointer, flat.schema)
        return None

    @guarded("listing the endpoints")
    def endpoints(self) -> tuple[tuple[str, str], ...]:
        """Every ``(METHOD, path)`` of ``paths``, in document order."""
        found = []
        for path, item in (self.document.get("paths") or {}).items():
            resolved = self.resolver.resolve(item).schema
            found += [(m.upper(), str(path)) for m in _HTTP_METHODS if m in resolved]
        return tuple(found)

    # -- validation ------------------------------------------------------------------------

    def validator(self, pointer: str) -> Draft202012Validator:
        """A compiled Draft 2020-12 validator (formats checked) for the schema at ``pointer``.

        Args:
            pointer: a local JSON pointer (``#/components/schemas/ErrorResponse``), e.g. an
                :class:`Operation`'s ``envelope_pointer`` or a :class:`Component`'s ``pointer``.
        """
        return self._validator(pointer)

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one model per document, kept for its life
    def _validator(self, pointer: str) -> Draft202012Validator:
        # jsonschema is imported on the first validator, not with the model: creating a client
        # must stay light (pyproject: "imported lazily, on first create"); the same deferral as
        # before this module existed.
        from jsonschema import Draft202012Validator

        # References are inlined once here, so validating never looks one up (a recursive
        # schema keeps its back-reference, resolved in the document through the registry).
        return Draft202012Validator(
            self.resolver.inlined(pointer),
            registry=self.resolver.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    def component_validator(self, name: str) -> Draft202012Validator:
        """A validator for ``components.schemas[name]``."""
        return self._validator(component_pointer(name))

    # -- declared fields -------------------------------------------------------------------

    @guarded("reading an object schema")
    def _object_shapes(self, node: Any, depth: int = 0) -> list[Mapping[str, Any]]:
        """The object schemas ``node`` admits (union members flattened; ``[]`` when none)."""
        flat = self.resolver.flatten(node).schema
        members = [*flat.get("oneOf", []), *flat.get("anyOf", [])]
        if members and "properties" not in flat and depth < 8:
            shapes: list[Mapping[str, Any]] = []
            for member in members:
                shapes += self._object_shapes(member, depth + 1)
            return shapes
        return [flat] if _is_object(flat) else []

    @guarded("reading declared fields")
    def declared_fields(self, node: Any) -> tuple[tuple[str, ...], bool]:
        """The field names an object schema declares, and whether it takes any other key.

        An object is *open* (any key accepted) only when it declares no properties at all
        (free-form) or gives ``additionalProperties`` / ``patternProperties`` a non-empty
        schema (a map). ``additionalProperties`` absent, ``true`` or ``{}`` beside declared
        properties counts as closed: the client decides that a name the schema does not
        declare is a typo (docs/client/index.md, "Strict inputs").
        """
        return _declared(self._object_shapes(node))

    def _facts(self, node: Any) -> _NodeFacts:
        """What ``unknown_fields`` needs of ``node``, worked out once per node and kept.

        Keyed by the node's identity; the entry holds the node, so the key cannot be reused
        while cached, and the sub-nodes walked next are those of the cached shapes, so a walk
        of the same schema finds every node cached (no reference is resolved twice).
        """
        facts = self._facts_cache.get(id(node))
        if facts is not None and facts.node is node:
            return facts
        shapes = tuple(self._object_shapes(node))
        names, open_ = _declared(shapes)
        items = self.resolver.flatten(node).schema.get("items")
        facts = _NodeFacts(
            node, shapes, names, open_, items if isinstance(items, Mapping) else None
        )
        if len(self._facts_cache) >= _FACTS_CACHE_SIZE:
            self._facts_cache.clear()
        self._facts_cache[id(node)] = facts
        return facts

    @guarded("checking input fields")
    def unknown_fields(
        self, node: Any, value: Any, path: tuple[str | int, ...] = ()
    ) -> list[UnknownField]:
        """Keys of ``value`` (at any depth) that the schema ``node`` does not declare.

        Args:
            node: a schema node (e.g. :attr:`Operation.input`).
            value: the JSON value to check (mappings and lists are walked).
            path: prefix for the reported paths.

        Returns:
            One :class:`UnknownField` per undeclared key, in the value's order.
        """
        found: list[UnknownField] = []
        if isinstance(value, Mapping):
            facts = self._facts(node)
            if not facts.shapes:
                return found
            names, open_ = facts.names, facts.open_
            for key, item in value.items():
                if key in names:
                    for shape in facts.shapes:
                        sub = shape.get("properties", {}).get(key)
                        if sub is not None:
                            found += self.unknown_fields(sub, item, (*path, str(key)))
                            break
                elif not open_:
                    found.append(UnknownField((*path, str(key)), names, suggest(str(key), names)))
        elif isinstance(value, list):
            items = self._facts(node).items
            if items is not None:
                for index, item in enumerate(value):
                    found += self.unknown_fields(items, item, (*path, index))
        return found

    def __repr__(self) -> str:
        return f"ApiSchema({len(self.operations)} operations, create at POST {self.create_path})"


def embedded_schema_path(package: str = EMBEDDED_PACKAGE) -> Path:
    """Path of ``openapi.json`` inside the installed generated package.

    Found with ``importlib.util.find_spec`` so that no client code is imported.

    Raises:
        SchemaError: the package or its schema file is missing.
    """
    spec = importlib.util.find_spec(package)
    for location in list(spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "openapi.json"
        if candidate.is_file():
            return candidate
    raise SchemaError(f"Cannot find {package}/openapi.json; is the package installed?")


@functools.cache
def embedded() -> ApiSchema:
    """The model of the snapshot shipped in ``cannon_studio_api`` (built once, then cached)."""
    return ApiSchema.from_file(embedded_schema_path())


__all__ = [
    "CREATE_PATH",
    "ApiSchema",
    "Component",
    "Operation",
    "UnknownField",
    "class_stem",
    "dotted",
    "embedded",
    "embedded_schema_path",
    "escape",
    "suggest",
]
