"""Comparing the operations of the create endpoint: added, removed, envelopes and inputs.

The operations are read from :class:`cannon_studio_schema.ApiSchema`, so every document shape
the schema model understands (unions by reference or inline, discriminators, a flat enum) is
compared by operation id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..errors import SchemaError
from ..model import CREATE_PATH, ApiSchema
from .changes import REQUEST, Change, Docs
from .nodes import flatten
from .schemas import diff_content, diff_schema


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
            *diff_content(
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
