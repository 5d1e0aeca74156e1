"""Reading an OpenAPI document from a file or a URL: untrusted data, read within limits.

Every schema read of the project comes through here: ``make regenerate``, ``make check-drift``,
``cannon-studio schema check``/``diff`` and the embedded snapshot. A document is treated as data
from a stranger:

- **The API key has one home.** :func:`key_allowed` is the one decision of whether a fetch may
  carry the key: only to the configured API origin, and only when that origin is https (or plain
  http on a loopback address, the sandbox). A URL on any other origin is fetched without the key
  (:attr:`Fetched.note` says so). Redirects are followed by hand, at most
  :data:`MAX_REDIRECTS`, and only within the origin first asked: a redirect to another host or
  from https to http is refused with one sentence, so the key cannot leave with it (httpx2 strips
  ``Authorization`` across origins, but not ``x-api-key``).
- **Nothing is read through a reference.** Any ``$ref`` (or ``$dynamicRef``) that does not start
  with ``#`` is refused by name before anything else sees the document, so no validator or
  resolver downstream ever opens a file or a URL because a document asked it to.
- **Limits, each refused in one sentence:** :data:`MAX_DOCUMENT_BYTES` of text,
  :data:`MAX_DEPTH` levels of nesting, :data:`MAX_REFS` references and :data:`MAX_NODES` values
  after YAML aliases are expanded (a "billion laughs" document stops there).
- **YAML is YAML 1.2** (ruamel.yaml, safe loader: no Python object tags): ``16:9``, ``yes`` and
  ``on`` are strings, ``0o17`` is 15, ``1_000`` is a string. Keys that YAML reads as numbers or
  booleans (``200:`` under ``responses``) become the strings JSON would have, and dates their ISO
  text, so a YAML document reads exactly as its JSON twin.

JSON is tried first (its errors carry a line number). ruamel.yaml is imported only for YAML
documents: the embedded snapshot is JSON, and a client's first call should not pay for the import.
"""

from __future__ import annotations

import datetime as _dt
import functools
import ipaddress
import json
import re
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx2

from .errors import SchemaError

LIVE_API_ORIGIN = "https://www.cannonstudio.app"
"""The API origin an API key goes to unless the caller configures another base URL."""

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""Largest document read, in bytes of text (the snapshot is about 0.1 MiB)."""

MAX_DEPTH = 128
"""Deepest nesting of objects and arrays accepted (real schemas stay below 30)."""

MAX_REFS = 20_000
"""Most ``$ref`` values accepted in one document (the snapshot has about 150)."""

MAX_NODES = 2_000_000
"""Most values in one document once YAML aliases are expanded (bounds alias bombs)."""

MAX_REDIRECTS = 5
"""Most same-origin redirects followed for one schema fetch."""

FETCH_TIMEOUT_S = 30.0
"""Seconds allowed for a whole schema fetch (connect, send and the whole body)."""

_REF_KEYS = ("$ref", "$dynamicRef")


# --------------------------------------------------------------------------------------------
# Where the key may go
# --------------------------------------------------------------------------------------------


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower-cased, default ports left out."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default else "")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine: ``localhost`` or 127/8, ::1."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def key_allowed(url: str, api_base_url: str | None = None) -> bool:
    """Whether a request to ``url`` may carry the API key: the one rule for every schema fetch.

    The key goes only to the configured API origin (``api_base_url``, default
    :data:`LIVE_API_ORIGIN`), and only when that origin is https, or plain http on a loopback
    address (the local sandbox). Any other URL, including another port, another scheme or a
    host that merely ends like the API's, is fetched without the key.

    Args:
        url: the URL about to be requested (each redirect hop is asked again).
        api_base_url: the client's configured base URL (``--base-url`` / ``CANNON_BASE_URL``).
    """
    api = urlsplit(api_base_url or LIVE_API_ORIGIN)
    if api.scheme == "https":
        pass
    elif api.scheme != "http" or not is_loopback(api.hostname or ""):
        return False
    return origin(url) == origin(api_base_url or LIVE_API_ORIGIN)


@dataclass(frozen=True)
class Fetched:
    """The text of a schema source and how it was obtained.

    Attributes:
        text: the document text.
        source: the path or URL asked for.
        key_sent: whether the API key was sent (always ``False`` for files).
        note: one sentence for the user when a key was available but not sent, else ``None``.
    """

    text: str
    source: str
    key_sent: bool = False
    note: str | None = None


def is_url(source: str) -> bool:
    """Whether ``source`` is an http(s) URL (anything else is a file path)."""
    return source.lower().startswith(("http://", "https://"))


def read_source(
    source: str,
    *,
    api_key: str | None = None,
    api_base_url: str | None = None,
    timeout_s: float = FETCH_TIMEOUT_S,
) -> Fetched:
    """Read the text of ``source``: an http(s) URL (``GET``) or a file path.

    Args:
        source: URL or path.
        api_key: sent as ``x-api-key`` only where :func:`key_allowed` says so (never shown in
            errors or notes).
        api_base_url: the configured API base URL, the only origin the key may go to (default
            the live API).
        timeout_s: seconds for the whole fetch (connect, send, the whole body).

    Returns:
        The text, and whether the key was sent (with a note when it was withheld).

    Raises:
        SchemaError: unreadable file, unreachable host (with the reason), a timeout, a redirect
            off the origin or too many, a non-200 answer, a body over
            :data:`MAX_DOCUMENT_BYTES` or not UTF-8.
    """
    if is_url(source):
        return _fetch(source, api_key, api_base_url, timeout_s)
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise SchemaError(
                f"The schema file {source} is {size:,} bytes; at most "
                f"{MAX_DOCUMENT_BYTES:,} are read."
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SchemaError(f"Could not read the schema file {source}: {reason}.") from exc
    return Fetched(text, source)


def network_reason(exc: BaseException, timeout_s: float) -> str:
    """What went wrong with a fetch, in a few words: ``connection refused``,
    ``timed out after 30 s``, ``certificate verify failed: ...``, ``name does not resolve``."""
    if isinstance(exc, httpx2.TimeoutException | TimeoutError | socket.timeout):
        return f"timed out after {timeout_s:g} s"
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or ""
            return "certificate verify failed" + (f" ({detail})" if detail else "")
        if isinstance(cause, ssl.SSLError):
            return f"TLS error ({cause.reason or cause.strerror or 'handshake failed'})"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "the host name does not resolve"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[0].lower() + cause.strerror[1:]
        cause = cause.__cause__ or cause.__context__
    text = str(exc).lower()
    for needle, reason in (
        ("certificate verify failed", "certificate verify failed"),
        ("connection refused", "connection refused"),
        ("name or service not known", "the host name does not resolve"),
        ("temporary failure in name resolution", "the host name does not resolve"),
    ):
        if needle in text:
            return reason
    return type(exc).__name__ + (f" ({str(exc)[:120]})" if str(exc) else "")


def _fetch(url: str, api_key: str | None, api_base_url: str | None, timeout_s: float) -> Fetched:
    first = origin(url)
    send_key = bool(api_key) and key_allowed(url, api_base_url)
    note = None
    if api_key and not send_key:
        note = (
            f"The API key was not sent with {url}: it goes only to the API origin "
            f"{origin(api_base_url or LIVE_API_ORIGIN)} over https (or http on loopback)."
        )
    headers = {"accept": "application/json, application/yaml;q=0.9, */*;q=0.1"}
    if send_key and api_key:
        headers["x-api-key"] = api_key
    deadline = time.monotonic() + timeout_s
    current = url
    try:
        with httpx2.Client(follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                remaining = max(deadline - time.monotonic(), 0.001)
                with client.stream("GET", current, headers=headers, timeout=remaining) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        target = urljoin(current, location)
                        if origin(target) != first:
                            raise SchemaError(
                                f"The schema at {url} redirected to another origin "
                                f"({origin(target)}); schema fetches follow redirects within "
                                f"{first} only, so it was not followed."
                            )
                        current = target
                        continue
                    if response.status_code != 200:
                        raise SchemaError(
                            f"Could not fetch the schema from {url}: HTTP {response.status_code}."
                        )
                    body = _read_body(response, url, deadline, timeout_s)
                    break
            else:
                raise SchemaError(
                    f"The schema at {url} redirected more than {MAX_REDIRECTS} times."
                )
    except httpx2.HTTPError as exc:
        host = urlsplit(current).netloc or current
        reason = network_reason(exc, timeout_s)
        if isinstance(exc, httpx2.ConnectError):
            raise SchemaError(
                f"Could not fetch the schema from {url}: could not connect to {host}: {reason}."
            ) from None
        raise SchemaError(f"Could not fetch the schema from {url}: {reason}.") from None
    charset = response.charset_encoding or "utf-8"
    try:
        text = body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise SchemaError(f"The schema from {url} is not text in {charset}.") from None
    return Fetched(text, url, send_key, note)


def _read_body(response: httpx2.Response, url: str, deadline: float, timeout_s: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_DOCUMENT_BYTES:
        raise SchemaError(
            f"The schema from {url} is {int(declared):,} bytes; at most "
            f"{MAX_DOCUMENT_BYTES:,} are read."
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_DOCUMENT_BYTES:
            raise SchemaError(
                f"The schema from {url} is larger than {MAX_DOCUMENT_BYTES:,} bytes; "
                "it was not read further."
            )
        if time.monotonic() > deadline:
            raise httpx2.ReadTimeout(f"timed out after {timeout_s:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------
# Parsing, within limits
# --------------------------------------------------------------------------------------------


def parse_text(text: str, origin: str) -> dict[str, Any]:
    """Parse ``text`` (JSON or YAML 1.2) into a document, within the limits of this module.

    Args:
        text: the document text.
        origin: where it came from (a path or URL), used in error messages only.

    Returns:
        The parsed document (a new dict of plain dicts, lists and JSON scalars the caller owns).

    Raises:
        SchemaError: neither valid JSON nor valid YAML, not a mapping at the top, over a limit,
            or an external reference (named in the sentence).
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise SchemaError(
            f"The schema from {origin} is {len(text):,} characters; at most "
            f"{MAX_DOCUMENT_BYTES:,} are read."
        )
    stripped = text.lstrip()
    document: Any
    is_json = stripped.startswith(("{", "["))
    try:
        if is_json:
            try:
                document = json.loads(text)
            except json.JSONDecodeError as exc:
                raise SchemaError(
                    f"The schema from {origin} is not valid JSON (line {exc.lineno})."
                ) from None
        else:
            document = _load_yaml(text, origin)
    except RecursionError:
        raise SchemaError(
            f"The schema from {origin} is nested more than {MAX_DEPTH} levels deep."
        ) from None
    if not isinstance(document, dict):
        raise SchemaError(f"The schema from {origin} is not a JSON object (nor a YAML mapping).")
    if is_json and _within_limits(document):
        # json.loads made plain values with string keys already: nothing to copy (the common
        # case, and the embedded snapshot's: a check-only walk).
        return document
    # YAML, or a document over a limit: the copying walk converts keys and values and names
    # the place of the first problem in its sentence.
    plain: dict[str, Any] = _checked_copy(document, origin)
    return plain


def _within_limits(document: dict[str, Any]) -> bool:
    """Whether a parsed JSON document keeps every limit and reference rule (no copy, no paths;
    :func:`_checked_copy` says where when it does not)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    nodes = 0
    local: list[str] = []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        nodes += len(node)
        if isinstance(node, dict):
            for key in _REF_KEYS:
                ref = node.get(key)
                if isinstance(ref, str):
                    if not ref.startswith("#"):
                        return False
                    local.append(ref)
            children: Any = node.values()
        else:
            children = node
        if nodes > MAX_NODES or len(local) > MAX_REFS:
            return False
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return all(not ref.startswith("#/") or _points_somewhere(document, ref) for ref in local)


_CORE_SCHEMA = (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
)
"""The YAML 1.2 core schema's implicit scalars (spec 10.3.2): tag, pattern, first characters.

ruamel.yaml's own 1.2 rules are looser than the spec (``1_000`` and ``0b101`` as ints, dates as
timestamps); these are the spec's, so a plain scalar means what YAML 1.2 says it means whatever
``%YAML`` directive the document carries."""


@functools.cache
def _yaml_loader_class() -> Any:
    # Third-party, only for YAML documents (see the module docstring).
    from ruamel.yaml.resolver import VersionedResolver

    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, first in _CORE_SCHEMA:
        for char in [*first, *([""] if tag.endswith(":null") else [])]:
            table.setdefault(char, []).append((tag, re.compile(pattern)))

    class CoreSchemaResolver(VersionedResolver):
        """Resolves plain scalars by the YAML 1.2 core schema, whatever the document's version."""

        @property
        def versioned_resolver(self) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
            return table

    return CoreSchemaResolver


def _load_yaml(text: str, origin: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    loader = YAML(typ="safe", pure=True)
    loader.Resolver = _yaml_loader_class()
    try:
        return loader.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        why = f": {str(problem).splitlines()[0][:80]}" if problem else ""
        raise SchemaError(
            f"The schema from {origin} is neither JSON nor YAML{where}{why}."
        ) from None


def _key(key: Any) -> str:
    """A mapping key as JSON would have it (YAML may read ``200:`` as an int, ``on:`` as bool)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, int | float):
        return json.dumps(key)
    if isinstance(key, _dt.date):
        return key.isoformat()
    return str(key)


def _pointer(path: list[str]) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in path)


def _checked_copy(document: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """Copy ``document`` into plain JSON values, iteratively, enforcing every limit.

    Raises:
        SchemaError: deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` values or
            :data:`MAX_REFS` references, or an external reference.
    """
    root: dict[str, Any] = {}
    # (source container, target container, depth, path); depth of the root's children is 1.
    stack: list[tuple[Any, Any, int, list[str]]] = [(document, root, 1, [])]
    nodes = 0
    local: list[tuple[str, list[str]]] = []  # (reference, where it is)
    while stack:
        source, target, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            raise SchemaError(
                f"The schema from {origin} is nested more than {MAX_DEPTH} levels deep "
                f"(at {_pointer(path[:8])}...)."
            )
        items = (
            ((_key(k), v) for k, v in source.items())
            if isinstance(source, Mapping)
            else enumerate(source)
        )
        for key, value in items:
            nodes += 1
            if nodes > MAX_NODES:
                raise SchemaError(
                    f"The schema from {origin} has more than {MAX_NODES:,} values "
                    "(YAML aliases expanded)."
                )
            if isinstance(source, Mapping) and key in _REF_KEYS and isinstance(value, str):
                local.append((value, path))
                if len(local) > MAX_REFS:
                    raise SchemaError(
                        f"The schema from {origin} has more than {MAX_REFS:,} references."
                    )
                if not value.startswith("#"):
                    raise SchemaError(
                        f"The schema from {origin} has an external reference {value!r} at "
                        f"{_pointer(path)}; only local references (starting with '#') are "
                        "followed: a document is data, never a path to other files or URLs."
                    )
            copied: Any
            if isinstance(value, Mapping):
                copied = {}
                stack.append((value, copied, depth + 1, [*path, str(key)]))
            elif isinstance(value, list | tuple):
                copied = [None] * len(value)
                stack.append((value, copied, depth + 1, [*path, str(key)]))
            elif isinstance(value, _dt.date):
                copied = value.isoformat()
            elif value is None or isinstance(value, str | int | float | bool):
                copied = value
            else:  # a YAML type JSON has no spelling for (binary, sets...)
                copied = str(value)
            if isinstance(target, dict):
                target[key] = copied
            else:
                target[int(key)] = copied
    for ref, where in local:
        if ref.startswith("#/") and not _points_somewhere(root, ref):
            raise SchemaError(
                f"The schema from {origin} has a reference {ref!r} at {_pointer(where)} that "
                "points nowhere in the document."
            )
    return root


def _points_somewhere(root: Any, ref: str) -> bool:
    """Whether the local JSON pointer ``ref`` (``#/a/b``, percent-encoded) names a node."""
    node = root
    for raw in ref[2:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def read_file(path: Path | str) -> dict[str, Any]:
    """Read and parse the document at ``path`` (JSON or YAML, UTF-8), within the limits.

    Raises:
        SchemaError: the file cannot be read or parsed, or is over a limit.
    """
    return parse_text(read_source(str(path)).text, str(path))
