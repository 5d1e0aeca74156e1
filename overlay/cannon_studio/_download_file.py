"""The file side of a download, shared by the sync and async twins: a hidden ``.part`` file
beside the target, decoded bytes counted against ``max_bytes``, the size checked, then a commit
that never replaces an existing file (unless asked to). Nothing here does network I/O.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import hashlib
import os
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from ._errors import AssetDownloadError
from ._logging import redact, safe_url

__all__ = [
    "Checksum",
    "ProgressCallback",
    "Sink",
    "count_bytes",
    "declared_checksum",
    "part_owner",
    "suffixed",
    "where",
]

ProgressCallback = Callable[[int, "int | None"], object]
"""``progress(bytes_done, total_bytes_or_None)``, called after each chunk."""


def where(url: str) -> str:
    return redact(urlsplit(safe_url(url)).path or "asset")


def _split_name(name: str) -> tuple[str, str]:
    """``("video", ".mp4")``; ``("archive", ".tar.gz")``; ``(".env", "")`` (pure)."""
    if name.startswith("."):
        return name, ""
    stem, dot, ext = name.partition(".")
    return stem, dot + ext


def suffixed(name: str, n: int) -> str:
    stem, ext = _split_name(name)
    return f"{stem}-{n}{ext}"


def count_bytes(url: str, done: int, limit: int | None) -> None:
    if limit is not None and done > limit:
        raise AssetDownloadError(
            f"{where(url)} is larger than max_bytes={limit} (decoded); download stopped", url=url
        )


def _check_size(url: str, done: int, total: int | None) -> None:
    if total is not None and done != total:
        raise AssetDownloadError(
            f"size mismatch for {where(url)}: got {done} bytes, expected {total}", url=url
        )


_PART_NAME = re.compile(r"\..+\.(\d{1,10})-[0-9a-f]{12}\.part")


def part_owner(name: str) -> int | None:
    """The process id written into a ``.part`` file name by ``_open_part``, or ``None`` (pure).

    ``.video.mp4.4242-1a2b3c4d5e6f.part`` -> ``4242``: clean-up code removes only the ``.part``
    files of writers that are gone, never a live download of another process.
    """
    match = _PART_NAME.fullmatch(name)
    return int(match.group(1)) if match else None


def _open_part(target: Path) -> tuple[BinaryIO, Path]:
    """Open a new hidden ``.part`` file beside ``target`` for an atomic write.

    The name carries the writer's process id and a random token
    (``.<name>.<pid>-<token>.part``), so it is unique per writer and clean-up can tell a live
    writer's file from a leftover (``part_owner``). Created with ``open(..., "xb")`` (not
    ``mkstemp``, which forces mode 0600), so the finished file gets the permissions the user's
    umask gives any new file.
    """
    for _ in range(100):
        tmp = target.parent / f".{target.name[:200]}.{os.getpid()}-{secrets.token_hex(6)}.part"
        try:
            return open(tmp, "xb"), tmp
        except FileExistsError:
            continue
    raise AssetDownloadError(f"could not create a temporary file beside {target}")


_NO_LINKS = frozenset(
    {
        errno.EPERM,
        errno.EACCES,
        errno.EOPNOTSUPP,
        errno.ENOTSUP,
        errno.ENOSYS,
        errno.EXDEV,
        errno.EMLINK,
    }
)
"""``os.link`` errors that mean "no hard links on this file system", not a failed write."""


def _commit(tmp: Path, target: Path, overwrite: bool) -> Path:
    """Move the finished ``tmp`` to ``target`` (or a free ``-N`` name); return the final path.

    Without ``overwrite`` the file is hard-linked into place (``os.link`` fails instead of
    replacing), so a file that appears meanwhile is never clobbered; where hard links are not
    supported, the name is reserved with ``open(..., "xb")`` first and then replaced.
    """
    if overwrite:
        os.replace(tmp, target)
        return target
    n = 0
    while True:
        candidate = target if n == 0 else target.with_name(suffixed(target.name, n))
        try:
            os.link(tmp, candidate)
        except FileExistsError:
            n += 1
            continue
        except OSError as exc:
            if exc.errno not in _NO_LINKS:  # e.g. ``tmp`` vanished, or the disk is full
                raise
            # No hard links here (some network / FAT file systems): reserve the name, then
            # replace it; a failed replace takes the empty placeholder away again.
            try:
                with open(candidate, "xb"):
                    pass
            except FileExistsError:
                n += 1
                continue
            try:
                os.replace(tmp, candidate)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(candidate)
                raise
            return candidate
        os.unlink(tmp)
        return candidate


Checksum = tuple[str, str, bytes]
"""``(header, hashlib algorithm, expected digest)`` an asset host declared for a body."""

_DIGEST_ALGORITHMS = {"md5": "md5", "sha-256": "sha256", "sha-512": "sha512", "sha256": "sha256"}


def _b64(value: str) -> bytes | None:
    try:
        return base64.b64decode(value.strip().strip(":"), validate=True)
    except (binascii.Error, ValueError):
        return None


def declared_checksum(headers: Mapping[str, str]) -> Checksum | None:
    """The checksum an asset host declares for an unencoded body, if any (pure).

    Read, in this order: ``Repr-Digest`` (RFC 9530, ``sha-256=:<base64>:``), ``Digest``
    (RFC 3230), ``x-amz-checksum-sha256`` (S3), ``x-goog-hash`` (``md5=<base64>``, Cloud
    Storage), ``Content-MD5`` (RFC 1864). ``None`` for an encoded body (the digest is then of
    the encoded bytes) or a value that does not decode; a host that sends none gets the size
    check only.
    """
    if headers.get("content-encoding", "identity") not in ("", "identity"):
        return None
    for header in ("repr-digest", "digest", "x-goog-hash"):
        for item in (headers.get(header) or "").split(","):
            name, _, value = item.strip().partition("=")
            algorithm = _DIGEST_ALGORITHMS.get(name.strip().lower())
            digest = _b64(value) if algorithm else None
            if algorithm and digest:
                return header, algorithm, digest
    for header, algorithm in (("x-amz-checksum-sha256", "sha256"), ("content-md5", "md5")):
        digest = _b64(headers.get(header) or "")
        if digest:
            return header, algorithm, digest
    return None


class Sink:
    """One download's temporary file: ``write`` counts decoded bytes (and hashes them when the
    host declared a ``checksum``); ``finish`` checks size and checksum, then commits."""

    def __init__(
        self,
        url: str,
        target: Path,
        *,
        total: int | None,
        limit: int | None,
        progress: ProgressCallback | None,
        checksum: Checksum | None = None,
    ) -> None:
        self.url = url
        self.target = target
        self.total = total
        self.limit = limit
        self.progress = progress
        self.checksum = checksum
        self._hash = hashlib.new(checksum[1]) if checksum is not None else None
        self.done = 0
        self.handle, self.tmp = _open_part(target)

    def write(self, chunk: bytes) -> None:
        self.done += len(chunk)
        count_bytes(self.url, self.done, self.limit)
        self.handle.write(chunk)
        if self._hash is not None:
            self._hash.update(chunk)
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finish(self, overwrite: bool) -> Path:
        self.handle.close()
        _check_size(self.url, self.done, self.total)
        if self.checksum is not None and self._hash is not None:
            header, algorithm, expected = self.checksum
            if self._hash.digest() != expected:
                raise AssetDownloadError(
                    f"checksum mismatch for {where(self.url)}: its {algorithm} differs from "
                    f"the {header} header",
                    url=self.url,
                )
        return _commit(self.tmp, self.target, overwrite)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)
