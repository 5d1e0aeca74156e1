"""Comparing two whole documents: endpoints, parameters, security, responses, webhooks, servers.

:func:`diff_documents` is the engine's entry point: every semantic change from the old document
to the new one, breaking first, each reported once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..model import CREATE_PATH
from .changes import REQUEST, RESPONSE, Change, Docs
from .nodes import canonical, deref
from .operations import diff_operations
from .schemas import diff_content, diff_schema

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


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
        changes += diff_content(docs, old_resp, new_resp, label, RESPONSE)
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
                changes += diff_content(
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
            changes += diff_content(
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
