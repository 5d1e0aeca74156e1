"""A job's files: which names its assets get in ``DIR/<job id>/``, and fetching only the missing.

Downloads go through ``cannon_studio.assets.download`` / ``adownload`` (atomic: a file under its
final name is always complete) with the client's download client (no API key, retries). A file
already present under its final name is kept; leftover ``.part`` files of a killed run are
removed first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx2

from ..assets import _unique_names, adownload, asset_urls, download

__all__ = ["adownload_missing", "download_missing", "planned_files"]

# ``_unique_names`` is the package's own naming of several assets in one directory (the one
# ``download_many`` uses), so a resumed job finds its files under the names it gave them.


def planned_files(output: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(url, file name)`` for every asset of an output (JSON form), named as
    ``download_many`` names them: safe, and unique within the output (pure)."""
    urls = asset_urls(output)
    return list(zip(urls, _unique_names(urls), strict=True))


def _prepare(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob(".*.part"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _record(path: Path) -> dict[str, Any]:
    return {"name": path.name, "bytes": path.stat().st_size}


def _missing(
    output: Mapping[str, Any], directory: Path
) -> tuple[list[Path], list[tuple[str, Path]]]:
    """Every target file of the output, and the ``(url, target)`` pairs not on disk yet."""
    planned = planned_files(output)
    if planned:
        _prepare(directory)
    targets = [directory / name for _, name in planned]
    missing = [
        (url, target)
        for (url, _), target in zip(planned, targets, strict=True)
        if not target.is_file()
    ]
    return targets, missing


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
    targets, missing = _missing(output, directory)
    for url, target in missing:
        download(url, target, http_client=http_client)
    return [_record(target) for target in targets]


async def adownload_missing(
    output: Mapping[str, Any], directory: Path, http_client: httpx2.AsyncClient
) -> list[dict[str, Any]]:
    """Async twin of ``download_missing``."""
    targets, missing = _missing(output, directory)
    for url, target in missing:
        await adownload(url, target, http_client=http_client)
    return [_record(target) for target in targets]
