"""A job's files: which names its assets get in ``DIR/<job id>/``, and fetching them verified.

Downloads go through ``cannon_studio.assets.download`` / ``adownload`` (atomic: a file under its
final name is always complete) with the client's download client (no API key, retries). A file
counts only once this process has verified it: its size equals the bytes received, the
``Content-Length`` when the host sent one, and is not zero. A file found on disk that no run
recorded (a killed run's, or one written by anything else) is never trusted: it is downloaded
again and replaced, so an empty or short file cannot pass for a finished one. Leftover ``.part``
files are removed only when their writer is gone (or they expired), never another live run's.

A write the local disk refuses (full, read-only, quota) raises ``BatchStorageError``, which
stops the run with every job's state kept.

A job folder in an object store (``_storage.ObjectDir``, for ``--out s3://...``) gets the same
verified downloads, each staged in a temporary directory and then uploaded by the store (see
``_storage`` for how an upload never leaves a partial object or replaces one); an object the
store already holds whole is not downloaded again.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import httpx2

from .._download_file import part_owner
from .._errors import AssetDownloadError
from ..assets import _unique_names, adownload, asset_urls, download
from ._errors import BatchStorageError
from ._lock import writer_gone
from ._storage import ObjectDir, staging_dir

__all__ = ["STORAGE_ERRNOS", "adownload_missing", "download_missing", "planned_files"]

# ``_unique_names`` is the package's own naming of several assets in one directory (the one
# ``download_many`` uses), so a resumed job finds its files under the names it gave them.

STORAGE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}
)
"""``errno`` values of a local write that mean "this storage cannot take the run's files"."""


def planned_files(output: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(url, file name)`` for every asset of an output (JSON form), named as
    ``download_many`` names them: safe, and unique within the output (pure)."""
    urls = asset_urls(output)
    return list(zip(urls, _unique_names(urls), strict=True))


def _storage_error(where: Path, exc: OSError | AssetDownloadError) -> BatchStorageError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BatchStorageError(str(where), reason)


@contextlib.contextmanager
def _storage_errors(target: Path) -> Iterator[None]:
    """A download that failed because the local disk refused the write: ``BatchStorageError``."""
    try:
        yield
    except AssetDownloadError as exc:
        if exc.errno in STORAGE_ERRNOS:
            raise _storage_error(target, exc) from None
        raise


def _prepare(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _storage_error(directory, exc) from None
    for leftover in directory.glob(".*.part"):
        if writer_gone(part_owner(leftover.name), leftover):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _missing(
    output: Mapping[str, Any], directory: Path, verified: Mapping[str, int]
) -> tuple[list[Path], list[tuple[str, Path]]]:
    """Every target file of the output, and the ``(url, target)`` pairs still to fetch: all
    but those this job already verified (``verified``: name -> BYTES) and still finds whole."""
    planned = planned_files(output)
    if planned:
        _prepare(directory)
    targets = [directory / name for _, name in planned]
    missing = [
        (url, target)
        for (url, _), target in zip(planned, targets, strict=True)
        if not _still_whole(target, verified.get(target.name))
    ]
    return targets, missing


def _still_whole(target: Path, size: int | None) -> bool:
    if not size:
        return False
    try:
        return target.stat().st_size == size
    except OSError:
        return False


class _Received:
    """The ``progress`` callback of one download: the bytes received and the declared total."""

    def __init__(self) -> None:
        self.done = 0
        self.total: int | None = None

    def __call__(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total


def _verified(url: str, path: Path, target: Path, received: _Received) -> int:
    """Check a finished download; its size in BYTES. A file that is not whole is removed."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AssetDownloadError(f"{target.name} vanished after its download: {exc}") from None
    problem = None
    if path != target:
        problem = f"landed as {path.name}, not {target.name}"
    elif size == 0:
        problem = "the asset host sent an empty file"
    elif size != received.done or (received.total is not None and size != received.total):
        expected = received.total if received.total is not None else received.done
        problem = f"{size} bytes on disk, {expected} expected"
    if problem is not None:
        with contextlib.suppress(OSError):
            path.unlink()
        raise AssetDownloadError(f"{target.name} not kept: {problem}", url=url)
    return size


def _records(targets: list[Path], verified: Mapping[str, int]) -> list[dict[str, Any]]:
    return [{"name": target.name, "bytes": verified[target.name]} for target in targets]


def _remote_missing(
    output: Mapping[str, Any], directory: ObjectDir, verified: MutableMapping[str, int]
) -> tuple[list[str], list[tuple[str, str]]]:
    """Every file name of the output, and the ``(url, name)`` pairs the store lacks (those it
    holds whole are added to ``verified``)."""
    planned = planned_files(output)
    missing: list[tuple[str, str]] = []
    for url, name in planned:
        if name in verified:
            continue
        size = directory.store.whole_size(directory / name)
        if size is None:
            missing.append((url, name))
        else:
            verified[name] = size
    return [name for _, name in planned], missing


def _remote_records(names: list[str], verified: Mapping[str, int]) -> list[dict[str, Any]]:
    return [{"name": name, "bytes": verified[name]} for name in names]


def _to_store(
    output: Mapping[str, Any],
    directory: ObjectDir,
    http_client: httpx2.Client,
    verified: MutableMapping[str, int],
) -> list[dict[str, Any]]:
    names, missing = _remote_missing(output, directory, verified)
    for url, name in missing:
        with staging_dir() as stage:
            target, received = stage / name, _Received()
            with _storage_errors(target):
                path = download(url, target, http_client=http_client, progress=received)
            size = _verified(url, path, target, received)
            verified[name] = directory.store.upload(path, directory / name, size)
    return _remote_records(names, verified)


async def _ato_store(
    output: Mapping[str, Any],
    directory: ObjectDir,
    http_client: httpx2.AsyncClient,
    verified: MutableMapping[str, int],
) -> list[dict[str, Any]]:
    names, missing = await asyncio.to_thread(_remote_missing, output, directory, verified)
    for url, name in missing:
        with staging_dir() as stage:
            target, received = stage / name, _Received()
            with _storage_errors(target):
                path = await adownload(url, target, http_client=http_client, progress=received)
            size = _verified(url, path, target, received)
            verified[name] = await asyncio.to_thread(
                directory.store.upload, path, directory / name, size
            )
    return _remote_records(names, verified)


def download_missing(
    output: Mapping[str, Any],
    directory: Path | ObjectDir,
    http_client: httpx2.Client,
    verified: MutableMapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Download the output's assets that this job has not verified yet; return every file.

    Args:
        output: the request's output (JSON form).
        directory: the job's directory, or its folder in an object store.
        http_client: the client's download client.
        verified: name -> BYTES of the files this job already verified (filled as files are
            verified, so a second attempt with fresh URLs keeps them).

    Returns:
        ``[{"name": str, "bytes": int}]`` for all of the output's files, in output order.

    Raises:
        AssetDownloadError, APIStatusError, APIConnectionError: a download failed or was not
            whole (what was verified stays; the failed file leaves nothing behind).
        BatchStorageError: the local disk (or the object store) refused a write.
    """
    verified = {} if verified is None else verified
    if isinstance(directory, ObjectDir):
        return _to_store(output, directory, http_client, verified)
    targets, missing = _missing(output, directory, verified)
    for url, target in missing:
        received = _Received()
        with _storage_errors(target):
            path = download(url, target, http_client=http_client, progress=received, overwrite=True)
        verified[target.name] = _verified(url, path, target, received)
    return _records(targets, verified)


async def adownload_missing(
    output: Mapping[str, Any],
    directory: Path | ObjectDir,
    http_client: httpx2.AsyncClient,
    verified: MutableMapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Async twin of ``download_missing``."""
    verified = {} if verified is None else verified
    if isinstance(directory, ObjectDir):
        return await _ato_store(output, directory, http_client, verified)
    targets, missing = _missing(output, directory, verified)
    for url, target in missing:
        received = _Received()
        with _storage_errors(target):
            path = await adownload(
                url, target, http_client=http_client, progress=received, overwrite=True
            )
        verified[target.name] = _verified(url, path, target, received)
    return _records(targets, verified)
