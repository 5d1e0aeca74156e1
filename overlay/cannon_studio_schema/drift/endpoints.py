"""Comparing two whole documents: endpoints, parameters, bodies, responses, security, webhooks.

:func:`diff_documents` is the engine's entry point: every semantic change from the old document
to the new one, breaking first, each reported once. Endpoints are matched by method and path
template with parameter names ignored (``/books/{bookId}`` is ``/books/{id}``), path parameters
by position; what Cannon's create endpoint carries (operations, their inputs) is compared by
operation id in :mod:`.operations` when both documents have it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from ..model import CREATE_PATH
from .changes import Change, Docs
from .checks import LEVELS
from .nodes import deref, sunset_of
from .operations import diff_operations, has_operations
from .schemas import (
    PARAMETER,
    REQUEST_BODY,
    RESPONSE_BODY,
    RESPONSE_HEADER,
    STABILITY,
    Place,
    diff_schema,
)

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_TEMPLATE = re.compile(r"\{[^}/]*\}")


def _template(path: str) -> str:
    return _TEMPLATE.sub("{}", path)


def _path_params(path: str) -> list[str]:
    return [m.group(0)[1:-1] for m in _TEMPLATE.finditer(path)]


def _methods(path_item: Mapping[str, Any]) -> Iterator[str]:
    return (m for m in HTTP_METHODS if isinstance(path_item.get(m), Mapping))


def _paths(doc: Mapping[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Path items keyed by their template with parameter names blanked (first one wins)."""
    paths = doc.get("paths") or {}
    keyed: dict[str, tuple[str, dict[str, Any]]] = {}
    for path, item in paths.items() if isinstance(paths, Mapping) else ():
        resolved, _ = deref(doc, item)
        keyed.setdefault(_template(str(path)), (str(path), resolved))
    return keyed


def _removal(op: Mapping[str, Any], whole_path: bool, today: date) -> str:
    """The check id for removing ``op`` (deprecated or not, before its sunset or after)."""
    stem = "api-path-removed" if whole_path else "api-removed"
    if not op.get("deprecated"):
        return f"{stem}-without-deprecation"
    sunset = sunset_of(op)
    if isinstance(sunset, str):
        return "api-path-sunset-parse"
    if isinstance(sunset, date) and sunset > today:
        return f"{stem}-before-sunset"
    return f"{stem}-with-deprecation"


_SUNSET_IDS = {
    "operation": (
        "api-deprecated-sunset-parse",
        "sunset-deleted",
        "api-sunset-date-changed-too-small",
    ),
    "parameter": (
        "request-parameter-sunset-parse",
        "request-parameter-sunset-deleted",
        "request-parameter-sunset-date-changed-too-small",
    ),
}


def sunset_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], subject: str, what: str
) -> list[Change]:
    """``x-sunset`` of a deprecated operation or parameter: unparsable, deleted, moved earlier
    (RFC 3339 dates, as oasdiff reads them)."""
    parse_id, deleted_id, earlier_id = _SUNSET_IDS[what]
    old_sunset, new_sunset = sunset_of(old), sunset_of(new)
    if isinstance(new_sunset, str):
        return [Change(parse_id, subject, new_sunset)]
    if not (new.get("deprecated") and old.get("deprecated")) or not isinstance(old_sunset, date):
        return []
    if new_sunset is None:
        return [Change(deleted_id, subject, str(old_sunset))]
    if new_sunset < old_sunset:
        return [Change(earlier_id, subject, f"{old_sunset} -> {new_sunset}")]
    return []


class _Endpoints:
    """One comparison of two documents' endpoints (holds the documents and the changes)."""

    def __init__(self, docs: Docs, today: date) -> None:
        self.docs = docs
        self.today = today
        self.changes: list[Change] = []

    def add(self, check_id: str, subject: str, detail: str = "") -> None:
        self.changes.append(Change(check_id, subject, detail))

    def run(self) -> None:
        old_paths, new_paths = _paths(self.docs.old), _paths(self.docs.new)
        for key, (path, old_item) in old_paths.items():
            new_path, new_item = new_paths.get(key, (path, {}))
            for method in _methods(old_item):
                subject = f"{method.upper()} {path}"
                old_op = old_item[method]
                if method not in new_item:
                    whole = key not in new_paths
                    self.add(_removal(old_op, whole, self.today), subject)
                    continue
                shown = subject if new_path == path else f"{method.upper()} {new_path}"
                self.operation(path, new_path, method, old_item, new_item, shown)
        for key, (path, new_item) in new_paths.items():
            old_item = old_paths.get(key, ("", {}))[1]
            for method in _methods(new_item):
                if method not in old_item:
                    self.add("endpoint-added", f"{method.upper()} {path}")

    # -- one operation -----------------------------------------------------------------------

    def operation(
        self,
        old_path: str,
        new_path: str,
        method: str,
        old_item: Mapping[str, Any],
        new_item: Mapping[str, Any],
        subject: str,
    ) -> None:
        old_op, new_op = old_item[method], new_item[method]
        stable_enough = self.lifecycle(old_op, new_op, subject)
        if not stable_enough:
            return
        self.metadata(old_op, new_op, subject)
        self.parameters(old_path, new_path, old_item, new_item, old_op, new_op, subject)
        self.security(old_op, new_op, subject)
        if (
            old_path == CREATE_PATH
            and new_path == CREATE_PATH
            and method == "post"
            and has_operations(self.docs.old)
        ):
            self.changes += diff_operations(self.docs)
        else:
            self.request_body(old_op.get("requestBody"), new_op.get("requestBody"), subject)
        self.responses(old_op, new_op, subject)

    def lifecycle(self, old_op: Mapping[str, Any], new_op: Mapping[str, Any], subject: str) -> bool:
        """Deprecation, sunset and stability; False when the old operation is below beta (its
        other changes are not reported, as oasdiff's default ``--stability-level beta``)."""
        if not old_op.get("deprecated") and new_op.get("deprecated"):
            sunset = "x-sunset" in new_op
            self.add(
                "endpoint-deprecated-with-sunset" if sunset else "endpoint-deprecated", subject
            )
        elif old_op.get("deprecated") and not new_op.get("deprecated"):
            self.add("endpoint-reactivated", subject)
        self.changes += sunset_changes(old_op, new_op, subject, "operation")
        a = str(old_op.get("x-stability-level", "stable"))
        b = str(new_op.get("x-stability-level", "stable"))
        if b not in STABILITY:
            self.add("api-invalid-stability-level", subject, b)
        elif a != b and a in STABILITY:
            worse = STABILITY.index(b) < STABILITY.index(a)
            self.add(
                "api-stability-decreased" if worse else "api-stability-increased",
                subject,
                f"{a} -> {b}",
            )
        return a not in ("draft", "alpha")

    def metadata(self, old_op: Mapping[str, Any], new_op: Mapping[str, Any], subject: str) -> None:
        a, b = old_op.get("operationId"), new_op.get("operationId")
        if a != b:
            if a is None:
                self.add("api-operation-id-added", subject, str(b))
            else:
                self.add("api-operation-id-removed", subject, f"{a} -> {b}")
        old_tags, new_tags = list(old_op.get("tags") or []), list(new_op.get("tags") or [])
        for tag in old_tags:
            if tag not in new_tags:
                self.add("api-tag-removed", subject, str(tag))
        for tag in new_tags:
            if tag not in old_tags:
                self.add("api-tag-added", subject, str(tag))

    # -- parameters --------------------------------------------------------------------------

    def _parameters(
        self, doc: Mapping[str, Any], path: str, item: Mapping[str, Any], op: Mapping[str, Any]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        positions = {name: str(i) for i, name in enumerate(_path_params(path))}
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param, _ = deref(doc, raw)
            where, name = str(param.get("in", "?")), str(param.get("name", "?"))
            if where == "path":
                key = (where, "#" + positions.get(name, name))
            elif where == "header":
                key = (where, name.lower())
            else:
                key = (where, name)
            params[key] = param
        return params

    def _parameter_removal(self, param: Mapping[str, Any]) -> str:
        if not param.get("deprecated"):
            return "request-parameter-removed"
        sunset = sunset_of(param)
        if isinstance(sunset, date) and sunset > self.today:
            return "request-parameter-removed-before-sunset"
        return "request-parameter-removed-with-deprecation"

    def parameters(
        self,
        old_path: str,
        new_path: str,
        old_item: Mapping[str, Any],
        new_item: Mapping[str, Any],
        old_op: Mapping[str, Any],
        new_op: Mapping[str, Any],
        subject: str,
    ) -> None:
        old = self._parameters(self.docs.old, old_path, old_item, old_op)
        new = self._parameters(self.docs.new, new_path, new_item, new_op)
        for key, param in old.items():
            label = f"{subject} {key[0]} {param.get('name', key[1])}"
            if key not in new:
                self.add(self._parameter_removal(param), label)
                continue
            other = new[key]
            if not param.get("required") and other.get("required"):
                self.add("request-parameter-became-required", label)
            elif param.get("required") and not other.get("required") and key[0] != "path":
                self.add("request-parameter-became-optional", label)
            self.changes += sunset_changes(param, other, label, "parameter")
            if bool(param.get("deprecated")) != bool(other.get("deprecated")):
                self.add(
                    "request-parameter-deprecated"
                    if other.get("deprecated")
                    else "request-parameter-reactivated",
                    label,
                )
            for attr in ("style", "explode", "allowReserved"):
                if param.get(attr) != other.get(attr):
                    detail = f"{attr} {param.get(attr)} -> {other.get(attr)}"
                    self.add("request-parameter-style-changed", label, detail)
            self.changes += diff_schema(
                self.docs, _param_schema(param), _param_schema(other), label, PARAMETER
            )
        for key, param in new.items():
            if key in old:
                continue
            label = f"{subject} {key[0]} {param.get('name', key[1])}"
            if key[0] == "path":
                self.add("new-request-path-parameter", label)
            elif param.get("required"):
                self.add("new-required-request-parameter", label)
            else:
                self.add("new-optional-request-parameter", label)

    # -- security ----------------------------------------------------------------------------

    def _requirements(
        self, doc: Mapping[str, Any], op: Mapping[str, Any]
    ) -> tuple[bool, dict[str, list[str]]]:
        """Whether the operation can be called without credentials, and its named security
        alternatives (``name+name`` -> scopes); the operation's ``security``, else the
        document's."""
        requirements = op["security"] if "security" in op else doc.get("security")
        anonymous = not requirements
        alternatives: dict[str, list[str]] = {}
        for requirement in requirements or []:
            if not requirement:
                anonymous = True
                continue
            label = "+".join(sorted(requirement))
            alternatives[label] = sorted(
                str(s) for scopes in requirement.values() for s in (scopes or [])
            )
        return anonymous, alternatives

    def security(self, old_op: Mapping[str, Any], new_op: Mapping[str, Any], subject: str) -> None:
        old_anonymous, old = self._requirements(self.docs.old, old_op)
        new_anonymous, new = self._requirements(self.docs.new, new_op)
        if old_anonymous and not new_anonymous:
            self.add("api-security-required", subject, ", ".join(new))
        for name, scopes in old.items():
            if name not in new:
                self.add("api-security-removed", subject, name)
                continue
            for scope in scopes:
                if scope not in new[name]:
                    self.add("api-security-scope-removed", subject, f"{name} {scope}")
            for scope in new[name]:
                if scope not in scopes:
                    self.add("api-security-scope-added", subject, f"{name} {scope}")
        if old or old_anonymous == new_anonymous:
            for name in new:
                if name not in old:
                    self.add("api-security-added", subject, name)

    # -- bodies and responses ----------------------------------------------------------------

    def request_body(self, old_raw: Any, new_raw: Any, subject: str) -> None:
        label = f"{subject} body"
        if old_raw is None and new_raw is None:
            return
        if old_raw is None:
            new, _ = deref(self.docs.new, new_raw)
            required = new.get("required")
            self.add(
                "request-body-added-required" if required else "request-body-added-optional", label
            )
            return
        if new_raw is None:
            self.add("request-body-removed", label)
            return
        old, _ = deref(self.docs.old, old_raw)
        new, _ = deref(self.docs.new, new_raw)
        if not old.get("required") and new.get("required"):
            self.add("request-body-became-required", label)
        elif old.get("required") and not new.get("required"):
            self.add("request-body-became-optional", label)
        self.content(old, new, label, REQUEST_BODY)

    def content(
        self, old: Mapping[str, Any], new: Mapping[str, Any], label: str, place: Place
    ) -> None:
        """Media types added or removed; each common one's schema compared."""
        side = "request-body" if place is REQUEST_BODY else "response"
        schema_side = "request-body" if place is REQUEST_BODY else "response-body"
        old_content, new_content = _media(old), _media(new)
        for media, body in old_content.items():
            where = (
                f"{label} {media}" if len(old_content) > 1 or media not in new_content else label
            )
            if media not in new_content:
                self.add(f"{side}-media-type-removed", f"{label} {media}")
                continue
            other = new_content[media]
            if "schema" in body and "schema" not in other:
                self.add(f"{schema_side}-media-type-schema-removed", where)
            elif "schema" not in body and "schema" in other:
                self.add(f"{schema_side}-media-type-schema-added", where)
            elif "schema" in body:
                self.changes += diff_schema(
                    self.docs, body["schema"], other["schema"], where, place
                )
        for media in new_content:
            if media not in old_content:
                self.add(f"{side}-media-type-added", f"{label} {media}")

    def responses(self, old_op: Mapping[str, Any], new_op: Mapping[str, Any], subject: str) -> None:
        old = {str(k).upper(): v for k, v in (old_op.get("responses") or {}).items()}
        new = {str(k).upper(): v for k, v in (new_op.get("responses") or {}).items()}
        for code in old:
            if code not in new:
                kind = "success" if code.startswith("2") else "non-success"
                self.add(f"response-{kind}-status-removed", f"{subject} {code}")
        for code in new:
            if code not in old:
                kind = "success" if code.startswith("2") else "non-success"
                self.add(f"response-{kind}-status-added", f"{subject} {code}")
        for code, raw in old.items():
            if code not in new:
                continue
            label = f"{subject} {code}"
            old_resp, _ = deref(self.docs.old, raw)
            new_resp, _ = deref(self.docs.new, new[code])
            self.headers(old_resp, new_resp, label)
            self.content(old_resp, new_resp, label, RESPONSE_BODY)

    def headers(self, old_resp: Mapping[str, Any], new_resp: Mapping[str, Any], label: str) -> None:
        old = {str(k).lower(): v for k, v in (old_resp.get("headers") or {}).items()}
        new = {str(k).lower(): v for k, v in (new_resp.get("headers") or {}).items()}
        for name, raw in old.items():
            header, _ = deref(self.docs.old, raw)
            subject = f"{label} header {name}"
            if name not in new:
                required = header.get("required")
                self.add(
                    "required-response-header-removed"
                    if required
                    else "optional-response-header-removed",
                    subject,
                )
                continue
            other, _ = deref(self.docs.new, new[name])
            if header.get("required") and not other.get("required"):
                self.add("response-header-became-optional", subject)
            elif not header.get("required") and other.get("required"):
                self.add("response-header-became-required", subject)
            self.changes += diff_schema(
                self.docs, _param_schema(header), _param_schema(other), subject, RESPONSE_HEADER
            )
        for name in new:
            if name not in old:
                self.add("response-header-added", f"{label} header {name}")


def _param_schema(param: Mapping[str, Any]) -> Any:
    """A parameter's or header's schema (``schema``, else the first ``content`` one)."""
    if "schema" in param:
        return param["schema"]
    for media in (param.get("content") or {}).values():
        if isinstance(media, Mapping) and "schema" in media:
            return media["schema"]
    return {}


def _media(holder: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``content`` keyed by media type without parameters (``; charset=utf-8``), lower-cased."""
    content = holder.get("content") or {}
    out: dict[str, dict[str, Any]] = {}
    for media, body in content.items():
        key = str(media).split(";")[0].strip().lower()
        out.setdefault(key, dict(body) if isinstance(body, Mapping) else {})
    return out


def diff_security_schemes(docs: Docs) -> list[Change]:
    """Security schemes (``components.securitySchemes``) added, removed or changed."""
    old = (docs.old.get("components") or {}).get("securitySchemes") or {}
    new = (docs.new.get("components") or {}).get("securitySchemes") or {}
    changes: list[Change] = []
    for name, raw in old.items():
        if name not in new:
            changes.append(Change("api-security-component-removed", name))
            continue
        a, _ = deref(docs.old, raw)
        b, _ = deref(docs.new, new[name])
        if a.get("type") != b.get("type"):
            changes.append(
                Change(
                    "api-security-component-type-changed",
                    name,
                    f"{a.get('type')} -> {b.get('type')}",
                )
            )
            continue
        for attr in ("in", "name", "scheme", "openIdConnectUrl"):
            if str(a.get(attr, "")).lower() != str(b.get(attr, "")).lower():
                detail = f"{attr} {a.get(attr)} -> {b.get(attr)}"
                changes.append(Change("api-security-component-changed", name, detail))
        changes += _oauth_flows(name, a.get("flows") or {}, b.get("flows") or {})
    for name in new:
        if name not in old:
            changes.append(Change("api-security-component-added", name))
    return changes


def _oauth_flows(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for flow, a in old.items():
        b = new.get(flow)
        if not isinstance(a, Mapping) or not isinstance(b, Mapping):
            if b is None:
                changes.append(
                    Change("api-security-component-changed", name, f"flow {flow} removed")
                )
            continue
        for attr, check_id in (
            ("authorizationUrl", "api-security-component-oauth-url-changed"),
            ("tokenUrl", "api-security-component-oauth-token-url-changed"),
        ):
            if a.get(attr) != b.get(attr):
                changes.append(
                    Change(check_id, f"{name} {flow}", f"{a.get(attr)} -> {b.get(attr)}")
                )
        old_scopes, new_scopes = a.get("scopes") or {}, b.get("scopes") or {}
        for scope in old_scopes:
            if scope not in new_scopes:
                changes.append(
                    Change("api-security-component-oauth-scope-removed", f"{name} {flow}", scope)
                )
            elif old_scopes[scope] != new_scopes[scope]:
                changes.append(
                    Change("api-security-component-oauth-scope-changed", f"{name} {flow}", scope)
                )
        for scope in new_scopes:
            if scope not in old_scopes:
                changes.append(
                    Change("api-security-component-oauth-scope-added", f"{name} {flow}", scope)
                )
    return changes


def _delivery_headers(doc: Mapping[str, Any], op: Mapping[str, Any]) -> dict[str, Any]:
    """A webhook delivery's header parameters as a response's ``headers`` (name -> header)."""
    headers: dict[str, Any] = {}
    for raw in op.get("parameters") or []:
        param, _ = deref(doc, raw)
        if param.get("in") == "header":
            headers[str(param.get("name", "?"))] = param
    return {"headers": headers}


def diff_webhooks(docs: Docs, today: date) -> list[Change]:
    """Webhook deliveries: the client receives the body and reads the headers, so both are
    compared as a response's."""
    old_hooks = docs.old.get("webhooks") or {}
    new_hooks = docs.new.get("webhooks") or {}
    endpoints = _Endpoints(docs, today)
    for name, raw in old_hooks.items():
        old_item, _ = deref(docs.old, raw)
        new_item, _ = deref(docs.new, new_hooks[name]) if name in new_hooks else ({}, None)
        for method in _methods(old_item):
            subject = f"webhook {name}"
            if method not in new_item:
                endpoints.add("webhook-removed", subject)
                continue
            old_op, new_op = old_item[method], new_item[method]
            endpoints.headers(
                _delivery_headers(docs.old, old_op), _delivery_headers(docs.new, new_op), subject
            )
            old_body, _ = deref(docs.old, old_op.get("requestBody") or {})
            new_body, _ = deref(docs.new, new_op.get("requestBody") or {})
            endpoints.content(old_body, new_body, subject, RESPONSE_BODY)
    for name, raw in new_hooks.items():
        new_item, _ = deref(docs.new, raw)
        old_item = deref(docs.old, old_hooks[name])[0] if name in old_hooks else {}
        for method in _methods(new_item):
            if method not in old_item:
                endpoints.add("webhook-added", f"webhook {name}")
    return endpoints.changes


def diff_servers(docs: Docs) -> list[Change]:
    """Server URLs added or removed (the SDK keeps its own default base URL)."""
    old = [str(s.get("url")) for s in docs.old.get("servers") or [] if isinstance(s, Mapping)]
    new = [str(s.get("url")) for s in docs.new.get("servers") or [] if isinstance(s, Mapping)]
    return [Change("api-server-removed", u) for u in old if u not in new] + [
        Change("api-server-added", u) for u in new if u not in old
    ]


def diff_documents(
    old: Mapping[str, Any], new: Mapping[str, Any], today: date | None = None
) -> list[Change]:
    """All semantic changes from ``old`` (e.g. the snapshot) to ``new`` (e.g. the live schema).

    Args:
        old: the old document, prepared (:func:`cannon_studio_schema.drift.prepare`).
        new: the new document, prepared the same way.
        today: the date sunsets are compared with (default: today, UTC).

    Returns:
        The changes, most severe first, each reported once (a shared response component used
        by many responses yields one line).

    Raises:
        SchemaError: a reference is not local or does not resolve.
    """
    docs = Docs(old, new)
    when = today or datetime.now(UTC).date()
    endpoints = _Endpoints(docs, when)
    endpoints.run()
    changes = (
        endpoints.changes
        + diff_security_schemes(docs)
        + diff_webhooks(docs, when)
        + diff_servers(docs)
    )
    unique = list(dict.fromkeys(changes))
    return sorted(unique, key=lambda c: -LEVELS.index(c.level))


__all__ = ["diff_documents"]
