"""Where the Cannon Studio API's parts are in a document, and the fixed names they get.

A document emitted by FastAPI, zod-to-openapi, swagger-jsdoc, Fastify or Litestar describes the
same API under names of its own choosing: ``create_request_api_v1_requests_post`` or
``ApiV1RequestsCreateRequest`` for the create, ``def-3`` or ``Request`` for the request object,
no tags or ``Requests``. The generated package's layout follows those names, and the client
imports that layout. :func:`place` finds each part by what the contract says about it and gives
it the name the client imports, whatever the source called it:

========================================  =================================================
found by                                  becomes
========================================  =================================================
``GET /api/v1/status``                    tag ``status``, operation id ``getStatus``
``POST /api/v1/requests``                 tag ``requests``, operation id ``createRequest``
``GET /api/v1/requests/{<any name>}``     ``/api/v1/requests/{requestId}``, ``getRequest``
``GET /api/v1/openapi``                   tag ``schema``, operation id ``getOpenapi``
the create's JSON body                    ``CreateRequestBody``
each member, by its ``operation``         ``<Stem>Envelope`` (``VideoGenerateEnvelope``) when
                                          the value has the API's id form
that member's ``input`` (used once)       ``<Stem>Input``
the create's 202 body                     ``AcceptedRequest``
the retrieve's 200 body                   ``RequestObject``
the status 200 body                       ``StatusResponse``
the body most create 4xx answers share    ``ErrorResponse``
the first webhook's body                  ``WebhookEvent``
request object ``output`` members         ``VideoOutput``/``ImageOutput``/``AudioOutput``/
                                          ``Location3DOutput``/``CharacterOutput`` by their
                                          ``asset_type`` value; ``PromptOutput`` (has
                                          ``enhancedPrompt``); ``TaskOutput`` (``task_id`` and
                                          ``status``, no ``asset_type`` value)
========================================  =================================================

Envelopes without ``x-cannon-output`` get the output the contract gives their operation
(:data:`CONTRACT_OUTPUTS`). Every other component keeps its name (one that is not a Python
identifier is renamed after its ``title``, with a note). What the contract does not name (an
endpoint we do not know, an output no operation returns) is kept as it is, and ``notes`` gets
one line saying where it is. Parts the client uses but does not need to create and wait (the
status body, the error body, the webhook event, the idempotency-key header) are filled in with
the snapshot's assumed form when absent, with one line each.

A part the client cannot work without (the create, the retrieve) is refused with
:class:`~cannon_studio_schema.errors.SchemaError`, one sentence naming what is missing.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import SchemaError, guarded
from .model import class_stem
from .resolver import component_pointer

_PREFIX = "#/components/schemas/"
_JSON = "application/json"
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$")
"""The form of the API's operation ids (``video.generate``, ``sora2.character_video.generate``)."""
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of the contract: where it is and the names it gets."""

    method: str
    path: str
    tag: str
    operation_id: str


STATUS = Endpoint("get", "/api/v1/status", "status", "getStatus")
CREATE = Endpoint("post", "/api/v1/requests", "requests", "createRequest")
RETRIEVE = Endpoint("get", "/api/v1/requests/{requestId}", "requests", "getRequest")
SCHEMA = Endpoint("get", "/api/v1/openapi", "schema", "getOpenapi")
ENDPOINTS = (STATUS, CREATE, RETRIEVE, SCHEMA)
"""The endpoints of the contract (API fact sheet, section 3)."""

OUTPUT_BY_ASSET_TYPE = {
    "video": "VideoOutput",
    "image": "ImageOutput",
    "audio": "AudioOutput",
    "3d": "Location3DOutput",
    "character": "CharacterOutput",
}
"""Output component names by the ``asset_type`` value an output declares."""

CONTRACT_OUTPUTS = {
    "video.generate": "VideoOutput",
    "image.generate": "ImageOutput",
    "image.edit": "ImageOutput",
    "sora2.character_video.generate": "VideoOutput",
    "sora2.character.create": "CharacterOutput",
    "prompt.enhance.video": "PromptOutput",
    "prompt.enhance.image": "PromptOutput",
    "prompt.enhance.location": "PromptOutput",
    "prompt.enhance.variant": "PromptOutput",
    "music.generate": "AudioOutput",
    "narration.generate": "AudioOutput",
    "soundfx.generate": "AudioOutput",
    "lipsync.generate": "VideoOutput",
    "subtitles.generate": "VideoOutput",
    "smartmotion.generate": "VideoOutput",
    "video.upscale": "VideoOutput",
    "sora2.video.edit": "VideoOutput",
    "sora2.video.extend": "VideoOutput",
    "sora2.video.remix": "VideoOutput",
    "three_d.location.generate": "Location3DOutput",
}
"""The output each documented operation returns (operation pages, section 6 of the fact sheet)."""

FILLED = "x-cannon-filled"
"""Marks what :func:`place` filled in (a generic form of a part the document lacks)."""

_REQUEST_STATUS: dict[str, Any] = {
    "type": "string",
    "enum": ["queued", "processing", "succeeded", "failed"],
}
GENERIC_STATUS: dict[str, Any] = {
    FILLED: True,
    "title": "StatusResponse",
    "type": "object",
    "description": "Assumed: the source document does not describe the status body; fields as "
    "the status page shows them, none required.",
    "properties": {
        "ok": {"type": "boolean"},
        "status": {"type": "string"},
        "message": {"type": "string"},
        "creditsRemaining": {"type": "integer"},
        "serverTime": {"type": "string"},
    },
}
GENERIC_ERROR: dict[str, Any] = {
    FILLED: True,
    "title": "ErrorResponse",
    "type": "object",
    "description": "Assumed: the source document does not describe error bodies; "
    '{"error": "<message>"} plus optional machine-readable fields.',
    "properties": {
        "error": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
        "allowed": {"type": "array", "items": {}},
        "request_id": {"type": "string"},
    },
}
GENERIC_ACCEPTED: dict[str, Any] = {
    FILLED: True,
    "title": "AcceptedRequest",
    "type": "object",
    "description": "Assumed: the source document does not describe the 202 body; fields as the "
    "create-request page shows them.",
    "properties": {
        "id": {"type": "string"},
        "status": _REQUEST_STATUS,
        "operation": {"type": "string"},
        "poll_after_ms": {"type": "integer", "minimum": 0},
        "urls": {"type": "object", "properties": {"get": {"type": "string"}}},
    },
    "required": ["id", "status", "operation", "poll_after_ms"],
}
GENERIC_WEBHOOK: dict[str, Any] = {
    FILLED: True,
    "title": "WebhookEvent",
    "type": "object",
    "description": "Assumed: the source document has no webhook; the terminal delivery is "
    "taken to carry the request object as data.",
    "properties": {
        "id": {"type": "string"},
        "type": {"type": "string"},
        "timestamp": {"type": "string", "format": "date-time"},
        "data": {"$ref": component_pointer("RequestObject")},
    },
    "required": ["id", "type", "timestamp", "data"],
}
IDEMPOTENCY_HEADER: dict[str, Any] = {
    FILLED: True,
    "name": "x-idempotency-key",
    "in": "header",
    "required": False,
    "description": "Assumed: the source document does not declare it; idempotent create as "
    "the create-request page describes it.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


def _template(path: str) -> str:
    """``/api/v1/requests/{request_id}/`` -> ``/api/v1/requests/{}``."""
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/") or "/")


def _component_name(node: Any) -> str | None:
    """The component a node stands for (``$ref``, or ``allOf`` of one ``$ref``), or ``None``."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX):
            return ref[len(_PREFIX) :].replace("~1", "/").replace("~0", "~")
        parts = node.get("allOf")
        if isinstance(parts, list) and len(parts) == 1:
            return _component_name(parts[0])
    return None


def _single_value(schema: Mapping[str, Any]) -> str | None:
    for key in ("const", "default"):
        if isinstance(schema.get(key), str):
            return str(schema[key])
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


class _Placer:
    def __init__(self, document: dict[str, Any], notes: list[str], *, fill: bool) -> None:
        self.doc = document
        self.notes = notes
        self.fill_in = fill
        self.schemas: dict[str, Any] = document.setdefault("components", {}).setdefault(
            "schemas", {}
        )
        self.renames: dict[str, str] = {}
        self.paths: dict[str, Any] = document.setdefault("paths", {})

    # -- components ------------------------------------------------------------------------

    def schema(self, node: Any) -> Mapping[str, Any]:
        """The component ``node`` stands for, or ``node`` itself (``{}`` when not a mapping)."""
        seen: set[str] = set()
        while (name := _component_name(node)) is not None and name not in seen:
            seen.add(name)
            node = self.schemas.get(name, {})
        return node if isinstance(node, Mapping) else {}

    def claim(self, holder: Any, key: str | int, wanted: str) -> str | None:
        """Make ``holder[key]`` the component ``wanted`` (moved there when inline).

        Returns the component's current name (renamed to ``wanted`` in :meth:`apply`).
        """
        node = holder[key]
        if not isinstance(node, Mapping):
            return None
        name = _component_name(node)
        if name is None:
            name = self.free("_placed_" + wanted)
            self.schemas[name] = dict(node)
            holder[key] = {"$ref": component_pointer(name)}
        elif name not in self.schemas:
            return None
        if name not in self.renames:
            self.renames[name] = wanted
        return name

    def free(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self.schemas:
            name, n = f"{wanted}{n}", n + 1
        return name

    def apply(self) -> None:
        """Rename the claimed components (others out of the way first) and every reference.

        A claimed component's ``title`` becomes its new name too: the generator names its
        model (and module) after the title.
        """
        for old, new in self.renames.items():
            if isinstance(self.schemas.get(old), dict):
                self.schemas[old]["title"] = new
        taken = set(self.renames.values())
        mapping = {old: new for old, new in self.renames.items() if old != new}
        for name in list(self.schemas):
            if name in taken and name not in self.renames:
                moved = self.free(name + "Source")
                mapping[name] = moved
                self.notes.append(
                    f"Renamed component {name} to {moved}: the name belongs to another part "
                    "of the API in the canonical form."
                )
        for name in list(self.schemas):
            if name in mapping or _IDENTIFIER.match(name):
                continue
            title = (
                self.schemas[name].get("title") if isinstance(self.schemas[name], Mapping) else None
            )
            stem = class_stem(str(title)) if isinstance(title, str) and title else class_stem(name)
            used = set(self.schemas) | set(mapping.values())
            new, n = stem, 2
            while new in used:
                new, n = f"{stem}{n}", n + 1
            mapping[name] = new
            self.notes.append(
                f"Repaired {component_pointer(name)}: {name!r} is not a Python identifier; "
                f"renamed {new}."
            )
        if not mapping:
            return
        self.schemas = {mapping.get(k, k): v for k, v in self.schemas.items()}
        self.doc["components"]["schemas"] = self.schemas
        refs = {component_pointer(old): component_pointer(new) for old, new in mapping.items()}
        _rewrite_refs(self.doc, refs)
        self.renames = {}

    # -- endpoints -------------------------------------------------------------------------

    def find(self, endpoint: Endpoint) -> str | None:
        want = _template(endpoint.path)
        for path, item in self.paths.items():
            same = _template(str(path)) == want and isinstance(item, Mapping)
            if same and isinstance(item.get(endpoint.method), Mapping):
                return str(path)
        return None

    def operation(self, endpoint: Endpoint) -> dict[str, Any] | None:
        path = self.find(endpoint)
        return self.paths[path][endpoint.method] if path is not None else None

    def fix_endpoints(self) -> None:
        if self.find(CREATE) is None:
            raise SchemaError(
                "The document has no POST /api/v1/requests (the create endpoint): "
                "nothing could be created with it."
            )
        if self.find(RETRIEVE) is None:
            raise SchemaError(
                "The document has no GET /api/v1/requests/{requestId}: "
                "a created request could not be followed."
            )
        retrieve = self.find(RETRIEVE)
        if retrieve is not None and retrieve != RETRIEVE.path:
            self._rename_path(retrieve, RETRIEVE.path)
        for endpoint in ENDPOINTS:
            op = self.operation(endpoint)
            if op is None:
                continue
            op["operationId"] = endpoint.operation_id
            op["tags"] = [endpoint.tag]
        ours = {e.operation_id for e in ENDPOINTS}
        for path, method, op in self._operations():
            if any(self.find(e) == path and e.method == method for e in ENDPOINTS):
                continue
            if op.get("operationId") in ours:
                op["operationId"] = str(op["operationId"]) + "Source"
            tags = op.get("tags")
            tag = tags[0] if isinstance(tags, list) and tags else "default"
            named = op.get("operationId") or "(derived from the path)"
            self.notes.append(
                f"Kept {method.upper()} {path}: not an endpoint of the Cannon Studio API; "
                f"generated under tag {tag!r} as operation {named}."
            )
        create = self.operation(CREATE) or {}
        params = create.setdefault("parameters", [])
        named = {str(p.get("name", "")).lower() for p in params if isinstance(p, Mapping)}
        if "x-idempotency-key" not in named and self.fill_in:
            params.append(copy.deepcopy(IDEMPOTENCY_HEADER))
            self.notes.append(
                "The document does not declare the x-idempotency-key header of POST "
                "/api/v1/requests; added as the create-request page describes it."
            )

    def _operations(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for path, item in self.paths.items():
            if isinstance(item, Mapping):
                for method in _HTTP_METHODS:
                    if isinstance(item.get(method), dict):
                        yield str(path), method, item[method]

    def _rename_path(self, old: str, new: str) -> None:
        item = self.paths[old]
        placeholder = re.findall(r"\{([^}]*)\}", old)[-1]
        for holder in (item, *(item.get(m) for m in _HTTP_METHODS)):
            if not isinstance(holder, dict):
                continue
            params = holder.get("parameters")
            if not isinstance(params, list):
                continue
            for index, param in enumerate(params):
                if isinstance(param, Mapping) and "$ref" in param:
                    param = copy.deepcopy(self._lookup(str(param["$ref"])))
                    params[index] = param
                path_param = isinstance(param, dict) and param.get("in") == "path"
                if path_param and param.get("name") == placeholder:
                    param["name"] = "requestId"
        self.doc["paths"] = self.paths = {
            (new if k == old else k): v for k, v in self.paths.items()
        }

    def _lookup(self, ref: str) -> Any:
        node: Any = self.doc
        for part in ref.removeprefix("#/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        return node

    # -- bodies ----------------------------------------------------------------------------

    def json_content(self, holder: Any) -> dict[str, Any] | None:
        """The JSON media entry of a request body or response (``None`` without one)."""
        if isinstance(holder, Mapping) and "$ref" in holder:
            holder = self._lookup(str(holder["$ref"]))
        content = holder.get("content") if isinstance(holder, Mapping) else None
        if not isinstance(content, dict):
            return None
        for media, entry in content.items():
            if "json" in str(media) and isinstance(entry, dict) and "schema" in entry:
                return entry
        return None

    def response(self, op: Mapping[str, Any] | None, statuses: tuple[str, ...]) -> Any:
        responses = op.get("responses") if op else None
        if not isinstance(responses, dict):
            return None
        for status in statuses:
            if status in responses:
                return responses[status]
        return None

    def claim_body(self, holder: Any, wanted: str) -> str | None:
        entry = self.json_content(holder)
        return self.claim(entry, "schema", wanted) if entry is not None else None

    def place_bodies(self) -> None:
        create = self.operation(CREATE)
        body = create.get("requestBody") if create else None
        if self.claim_body(body, "CreateRequestBody") is None:
            raise SchemaError("POST /api/v1/requests has no JSON request body in the document.")
        accepted = self.response(create, ("202", "201", "200"))
        if self.claim_body(accepted, "AcceptedRequest") is None:
            self.fill(accepted, create, "202", GENERIC_ACCEPTED, "the create's 202 body")
        got = self.response(self.operation(RETRIEVE), ("200",))
        if self.claim_body(got, "RequestObject") is None:
            raise SchemaError(
                "GET /api/v1/requests/{requestId} has no JSON 200 body (the request object) "
                "in the document."
            )
        status_op = self.operation(STATUS)
        status = self.response(status_op, ("200",))
        if self.claim_body(status, "StatusResponse") is None:
            self.fill(status, status_op, "200", GENERIC_STATUS, "the status body")
        self.place_error(create)
        self.place_webhook()

    def fill(
        self,
        response: Any,
        op: dict[str, Any] | None,
        status: str,
        generic: dict[str, Any],
        what: str,
    ) -> None:
        if not self.fill_in:
            return
        name = str(generic["title"])
        self.schemas.setdefault(name, copy.deepcopy(generic))
        if op is None:
            if name == "StatusResponse":
                self.paths[STATUS.path] = {
                    "get": {
                        FILLED: True,
                        "operationId": STATUS.operation_id,
                        "tags": [STATUS.tag],
                        "responses": {"200": {"description": "The key works."}},
                    }
                }
                op = self.paths[STATUS.path]["get"]
                self.notes.append(
                    "The document has no GET /api/v1/status; the client calls it as the status "
                    "page describes it."
                )
            else:  # pragma: no cover - the create and retrieve are checked first
                return
        responses = op.setdefault("responses", {})
        target = response if isinstance(response, dict) and "$ref" not in response else None
        if target is None:
            target = responses.setdefault(status, {"description": "OK"})
        target.setdefault("content", {})[_JSON] = {
            "schema": {"$ref": component_pointer(name)},
            FILLED: True,
        }
        self.notes.append(f"The document does not describe {what}; assumed as {name} (generic).")

    def place_error(self, create: Mapping[str, Any] | None) -> None:
        responses = create.get("responses") if create else None
        counts: Counter[str] = Counter()
        first: dict[str, tuple[Any, str]] = {}
        for status, response in (responses or {}).items():
            if not (str(status).startswith("4") or status == "default"):
                continue
            entry = self.json_content(response)
            if entry is None:
                continue
            name = _component_name(entry["schema"])
            key = name or f"inline {status}"
            counts[key] += 1
            first.setdefault(key, (entry, "schema"))
        if not counts:
            if not self.fill_in:
                return
            self.schemas.setdefault("ErrorResponse", copy.deepcopy(GENERIC_ERROR))
            self.notes.append(
                "The document does not describe error bodies; errors are read as "
                "ErrorResponse (generic)."
            )
            return
        best = max(counts, key=lambda key: (counts[key], "ror" in key.lower()))
        holder, key = first[best]
        self.claim(holder, key, "ErrorResponse")

    def place_webhook(self) -> None:
        hooks = self.doc.get("webhooks")
        for item in (hooks or {}).values() if isinstance(hooks, Mapping) else ():
            for method in _HTTP_METHODS:
                op = item.get(method) if isinstance(item, Mapping) else None
                if isinstance(op, Mapping) and self.claim_body(
                    op.get("requestBody"), "WebhookEvent"
                ):
                    return
        if not self.fill_in:
            return
        self.schemas.setdefault("WebhookEvent", copy.deepcopy(GENERIC_WEBHOOK))
        self.notes.append(
            "The document has no webhook; deliveries are read as WebhookEvent (generic: "
            "id, type, timestamp, data = the request object)."
        )

    # -- envelopes, inputs, outputs --------------------------------------------------------

    def place_envelopes(self) -> None:
        body = self.schema({"$ref": component_pointer("CreateRequestBody")})
        uses: Counter[str] = Counter()
        envelopes: list[tuple[Any, int | str, str, str | None]] = []
        for holder, key in self._members(body):
            envelope = self.schema(holder[key])
            props = envelope.get("properties")
            if not isinstance(props, Mapping):
                continue
            op_id = _single_value(self.schema(props.get("operation", {})))
            if op_id is None:
                continue
            input_name = _component_name(props.get("input"))
            if input_name:
                uses[input_name] += 1
            envelopes.append((holder, key, op_id, input_name))
        for holder, key, op_id, input_name in envelopes:
            if not _OPERATION_ID.match(op_id):
                continue  # not an id of the API's form: its envelope keeps the source's name
            stem = class_stem(op_id)
            name = self.claim(holder, key, stem + "Envelope")
            if input_name and uses[input_name] == 1:
                self.renames.setdefault(input_name, stem + "Input")
            envelope = self.schemas.get(name or "", {})
            wanted = CONTRACT_OUTPUTS.get(op_id)
            if isinstance(envelope, dict) and wanted and "x-cannon-output" not in envelope:
                envelope["x-cannon-output"] = wanted

    def _members(self, schema: Mapping[str, Any]) -> Iterator[tuple[Any, int | str]]:
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list):
                for index in range(len(members)):
                    yield members, index

    def place_outputs(self) -> set[str]:
        request = self.schema({"$ref": component_pointer("RequestObject")})
        props = request.get("properties")
        node = props.get("output") if isinstance(props, Mapping) else None
        placed: set[str] = set()
        if not isinstance(node, dict):
            return placed
        stack: list[Any] = [node]
        while stack:
            union = stack.pop()
            for holder, key in self._members(union):
                member = self.schema(holder[key])
                if not member or member.get("type") == "null":
                    continue
                if "oneOf" in member or "anyOf" in member:
                    stack.append(member)
                    continue
                wanted = _output_name(member)
                if wanted is None or wanted in placed:
                    shown = _component_name(holder[key]) or "an inline schema"
                    self.notes.append(
                        f"Kept output {shown}: it matches no output of the Cannon Studio API; "
                        "a payload of that shape is parsed by the generated union."
                    )
                    continue
                placed.add(wanted)
                self.claim(holder, key, wanted)
        return placed


def _output_name(schema: Mapping[str, Any]) -> str | None:
    props = schema.get("properties")
    if not isinstance(props, Mapping):
        return None
    asset = props.get("asset_type")
    value = _single_value(asset) if isinstance(asset, Mapping) else None
    if value is not None:
        return OUTPUT_BY_ASSET_TYPE.get(value)
    if "enhancedPrompt" in props:
        return "PromptOutput"
    if "task_id" in props and "status" in props:
        return "TaskOutput"
    return None


def _rewrite_refs(node: Any, refs: Mapping[str, str]) -> None:
    """Replace every ``$ref`` (and discriminator mapping value) found in ``refs``, in place."""
    if isinstance(node, list):
        for item in node:
            _rewrite_refs(item, refs)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and value in refs:
            node[key] = refs[value]
        elif key == "mapping" and isinstance(value, dict):
            for tag, target in value.items():
                if isinstance(target, str) and target in refs:
                    value[tag] = refs[target]
        else:
            _rewrite_refs(value, refs)


def strip_filled(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a placed document without what :func:`place` filled in (marked ``x-cannon-filled``).

    The drift check compares documents this way: a part the source never had is not a change.
    """
    result: dict[str, Any] = copy.deepcopy(dict(document))
    schemas = (result.get("components") or {}).get("schemas")
    if isinstance(schemas, dict):
        for name in [n for n, s in schemas.items() if isinstance(s, Mapping) and s.get(FILLED)]:
            del schemas[name]
    paths = result.get("paths")
    if not isinstance(paths, dict):
        return result
    for path, item in list(paths.items()):
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping) and op.get(FILLED):
                del item[method]
            elif isinstance(op, dict):
                _strip_operation(op)
        if not any(method in item for method in _HTTP_METHODS):
            del paths[path]
    return result


def _strip_operation(op: dict[str, Any]) -> None:
    params = op.get("parameters")
    if isinstance(params, list):
        op["parameters"] = [p for p in params if not (isinstance(p, Mapping) and p.get(FILLED))]
    responses = op.get("responses")
    for response in responses.values() if isinstance(responses, Mapping) else ():
        content = response.get("content") if isinstance(response, dict) else None
        if not isinstance(content, dict):
            continue
        for media in [m for m, e in content.items() if isinstance(e, Mapping) and e.get(FILLED)]:
            del content[media]
        if not content:
            del response["content"]


@guarded("placing the API's parts")
def place(
    document: Mapping[str, Any], *, notes: list[str] | None = None, fill: bool = True
) -> dict[str, Any]:
    """Return a copy of ``document`` (canonical spelling) with the contract's parts named.

    Args:
        document: an OpenAPI 3.1 document in canonical spelling
            (:func:`cannon_studio_schema.canonical.canonical_spelling`).
        notes: when given, one line is appended per part kept unplaced, filled in or renamed.
        fill: fill in the parts the client uses but the document lacks (generic forms marked
            ``x-cannon-filled``); ``False`` places names only (what the drift check compares).

    Returns:
        The placed document (a new dict; see the module docstring for the names).

    Raises:
        SchemaError: the create or retrieve endpoint, the create's JSON body or the request
            object is missing (one sentence naming it).
    """
    found: list[str] = [] if notes is None else notes
    placer = _Placer(copy.deepcopy(dict(document)), found, fill=fill)
    placer.fix_endpoints()
    placer.place_bodies()
    placer.apply()
    placer.place_envelopes()
    placer.place_outputs()
    placer.apply()
    return placer.doc


__all__ = [
    "CONTRACT_OUTPUTS",
    "ENDPOINTS",
    "FILLED",
    "OUTPUT_BY_ASSET_TYPE",
    "Endpoint",
    "place",
    "strip_filled",
]
