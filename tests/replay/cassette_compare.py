"""What a cassette says about the API, with what changes from one recording to the next masked.

Two recordings of the same scenario against the same sandbox differ in request ids, task ids,
timestamps, dates and how many times a pending request was polled; they must agree on
everything else: which requests were sent (method, path, body), and for each the status codes,
content types and bodies of the answers (operations' outputs, asset names and formats, prices,
error codes). A committed cassette that no longer agrees with a fresh recording replays an API
the sandbox no longer speaks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

_ID = re.compile(r"\b([a-z0-9]+)_[0-9a-f]{12,}\b")
"""Generated ids: ``req_000010dcd837090e5d``, ``mus_41bc1864590e``."""
_TIMES = re.compile(r"(At|Until)Ms$|^serverTime$|^timestamp$")
"""Keys whose values are clock readings."""
PENDING = frozenset({"queued", "processing"})


def _mask(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if _TIMES.search(key) and value is not None:
        return "<time>"
    if isinstance(value, str):
        return _ID.sub(r"\1_<id>", value)
    return value


def _body(raw: Any) -> Any:
    """A body as JSON when it is JSON, as its first bytes when it is binary, else as text."""
    if isinstance(raw, dict):  # vcrpy: {"string": ...}
        raw = raw.get("string")
    if raw is None:
        return None
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return {"binary": raw[:8].hex()}
    try:
        return _mask(json.loads(raw))
    except ValueError:
        return _mask(raw)


def _content_type(headers: dict[str, Any]) -> str | None:
    for name, values in headers.items():
        if name.lower() == "content-type":
            return str(values[0] if isinstance(values, list) else values).split(";")[0]
    return None


def meaning(path: Path) -> dict[str, list[Any]]:
    """Per request sent (``METHOD path body``), the distinct answers in order; a poll that found
    the request still pending is left out (how many there are depends on timing)."""
    cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
    answers: dict[str, list[Any]] = {}
    for interaction in cassette["interactions"]:
        request, response = interaction["request"], interaction["response"]
        body = _body(request.get("body"))
        key = f"{request['method']} {_mask(request['uri'])} {json.dumps(body, sort_keys=True)}"
        answer = {
            "status": response["status"]["code"],
            "content-type": _content_type(response.get("headers", {})),
            "body": _body(response.get("body")),
        }
        status = answer["body"].get("status") if isinstance(answer["body"], dict) else None
        if request["method"] == "GET" and status in PENDING:
            continue
        seen = answers.setdefault(key, [])
        if not seen or seen[-1] != answer:
            seen.append(answer)
    return answers
