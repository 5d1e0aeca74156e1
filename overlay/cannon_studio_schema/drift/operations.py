"""Comparing the operations of Cannon's create endpoint: added, removed, envelopes and inputs.

The operations are read from :class:`cannon_studio_schema.ApiSchema`, so every document shape
the schema model understands (unions by reference or inline, discriminators, a flat enum) is
compared by operation id. This layer applies only when the old document has the create
endpoint; any other document is compared endpoint by endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..errors import SchemaError
from ..model import CREATE_PATH, ApiSchema
from .changes import Change, Docs
from .nodes import view
from .schemas import REQUEST_BODY, diff_schema


def operations(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Each operation's envelope schema node (as written), keyed by id, from the schema model.

    A document the schema model cannot read (no create endpoint, say) has no operations here.
    """
    try:
        model = ApiSchema(doc)
    except SchemaError:
        return {}
    return {op.id: op.envelope for op in model.operations}


def has_operations(doc: Mapping[str, Any]) -> bool:
    """Whether ``doc`` has Cannon's create endpoint with operations the schema model reads."""
    return bool(operations(doc))


def diff_operations(docs: Docs) -> list[Change]:
    """Operations added/removed, and each common operation's envelope and input compared.

    Raises:
        SchemaError: a reference is not local or does not resolve.
    """
    old_ops, new_ops = operations(docs.old), operations(docs.new)
    subject = f"POST {CREATE_PATH} body"
    if old_ops and not new_ops:
        return [Change("cannon-create-body-restructured", subject)]
    changes = [Change("cannon-operation-removed", op) for op in old_ops if op not in new_ops]
    changes += [Change("cannon-operation-added", op) for op in new_ops if op not in old_ops]
    metadata: dict[str, list[tuple[str, Any, Any]]] = {}
    common = [op for op in old_ops if op in new_ops]
    for op in common:
        old_env = view(docs.old, old_ops[op]).schema
        new_env = view(docs.new, new_ops[op]).schema
        if bool(old_env.get("deprecated")) != bool(new_env.get("deprecated")):
            deprecated = bool(new_env.get("deprecated"))
            changes.append(
                Change(
                    "cannon-operation-deprecated" if deprecated else "cannon-operation-reactivated",
                    op,
                )
            )
        changes += diff_schema(docs, old_ops[op], new_ops[op], op, REQUEST_BODY)
        for key in sorted({k for k in {*old_env, *new_env} if k.startswith("x-cannon-")}):
            if old_env.get(key) != new_env.get(key):
                metadata.setdefault(key, []).append((op, old_env.get(key), new_env.get(key)))
    return changes + _metadata_changes(metadata, len(common))


def _metadata_changes(metadata: dict[str, list[tuple[str, Any, Any]]], common: int) -> list[Change]:
    """``x-cannon-*`` annotation changes: one line per operation, or one line when an
    annotation is gone from every operation (the live schema does not carry our annotations)."""
    changes = []
    for key, entries in metadata.items():
        if len(entries) == common and all(new is None for _, _, new in entries):
            changes.append(Change("cannon-annotation-removed", "all operations", key))
            continue
        for op, old, new in entries:
            detail = f"{key} {json.dumps(old)} -> {json.dumps(new)}"
            changes.append(Change("cannon-annotation-changed", op, detail))
    return changes
