"""A job's files: which names its assets get in ``DIR/<job id>/``, and fetching only the missing.

Downloads go through ``cannon_studio.assets.download`` / ``adownload`` (atomic: a file under its
final name is always complete) with the client's download client (no API key, retries). A file
already present under its final name is kept; leftover ``.part`` files of a killed run are
removed first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx2

from ..assets import adownload, asset_urls, download, safe_filename

__all__ = ["adownload_missing", "download_missing", "planned_files"]


def planned_files(output: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(url, file name)`` for every asset of an output (JSON form); names unique, safe (pure)."""
    planned: list[tuple[str, str]] = []
    taken: set[str] = set()
    for url in asset_urls(output):
        name = safe_filename(url)
        stem, dot, ext = name.partition(".")
        candidate, n = name, 1
        while candidate in taken:
            candidate = f"{stem}-{n}{dot}{ext}"
            n += 1
        taken.add(candidate)
        planned.append((url, candidate))
    return planned


def _prepare(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob(".*.part"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _record(path: Path) -> dict[str, Any]:
    return {"name": path.name, "bytes": path.stat().st_size}


def download_missing(
    output: Mapping[str, Any], directory: Path, http_client: httpx2.Client
) -> list[dict[str, Any]]:
    """Download the output's assets that are not in ``directory`` yet; return every file.

    Returns:
        ``[{"name": str, "bytes": int}]`` for all of the output's files, in output order.

    Raises:
        AssetDownloadError, APIStatusError, APIConnectionError: a download failed (what was
        complete stays; the failed file leaves nothing behind).
    """
    planned = planned_files(output)
    if planned:
        _prepare(directory)
    files: list[dict[str, Any]] = []
    for url, name in planned:
        target = directory / name
        if not target.is_file():
            download(url, target, http_client=http_client)
        files.append(_record(target))
    return files


async def adownload_missing(
    output: Mapping[str, Any], directory: Path, http_client: httpx2.AsyncClient
) -> list[dict[str, Any]]:
    """Async twin of ``download_missing``."""
    planned = planned_files(output)
    if planned:
        _prepare(directory)
    files: list[dict[str, Any]] = []
    for url, name in planned:
        target = directory / name
        if not target.is_file():
            await adownload(url, target, http_client=http_client)
        files.append(_record(target))
    return files


def directory_for(out_dir: Path, job_id: str) -> Path:
    """``DIR/<job id>/`` (job ids are checked to be safe directory names)."""
    return out_dir / job_id


def names_of(files: Sequence[Mapping[str, Any]]) -> list[str]:
    """The file names of a journaled ``files`` list."""
    return [str(f.get("name")) for f in files]
