"""Download output assets: streamed, size-checked, atomic, confined to the target directory.

Asset URLs are absolute (signed, cloud-storage style) and may live on another host than the API,
so downloads never send the API key: the clients use a separate HTTP client without it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

import httpx2

from ._constants import DEFAULT_DOWNLOAD_NAME, DOWNLOAD_CHUNK_BYTES
from ._errors import AssetDownloadError, make_status_error

ProgressCallback = Callable[[int, "int | None"], object]
"""``progress(bytes_done, total_bytes_or_None)``, called after each chunk."""

# Which output fields hold assets (schema output components); other *_url fields are inputs
# echoed back (VideoOutput.audio_url) or provider-temporary (provider_image_urls).
_ASSET_FIELDS: dict[str, tuple[str, ...]] = {
    "video": ("video_url",),
    "image": ("image_urls", "image_url"),
    "audio": ("audio_url", "sfx_video_url"),
    "3d": ("model_url", "preview_image_url"),
    "character": ("preview_image_url",),
}
_SKIP_EXTRA = frozenset({"provider_image_urls"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]")


def asset_urls(output: Any) -> list[str]:
    """The asset URLs of an output model (or its dict form), in a stable order, deduplicated.

    Known fields per ``asset_type`` come first; other ``*_url`` / ``*_urls`` keys of an output
    (e.g. a subtitles file, or an unknown asset kind) follow. Only http(s) URLs are returned.
    """
    if output is None:
        return []
    data: dict[str, Any] = output.to_dict() if hasattr(output, "to_dict") else dict(output)
    keys = list(_ASSET_FIELDS.get(str(data.get("asset_type", "")), ()))
    known = {key for fields in _ASSET_FIELDS.values() for key in fields}
    keys += [
        key
        for key in data
        if (key.endswith("_url") or key.endswith("_urls"))
        and key not in known
        and key not in _SKIP_EXTRA
    ]
    urls: list[str] = []
    for key in keys:
        value = data.get(key)
        for item in value if isinstance(value, list) else [value]:
            if (
                isinstance(item, str)
                and item.startswith(("http://", "https://"))
                and item not in urls
            ):
                urls.append(item)
    return urls


def safe_filename(url: str, default: str = DEFAULT_DOWNLOAD_NAME) -> str:
    """A file name from the last path segment of ``url`` that cannot leave a directory (pure).

    Percent-escapes are decoded, then separators, ``..``, control and other unusual characters
    are replaced; a name made only of dots or empty becomes ``default``.
    """
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    segment = segment.replace("\\", "_").replace("/", "_").replace("\x00", "")
    segment = unicodedata.normalize("NFKC", segment)
    segment = _UNSAFE.sub("_", segment).strip(" .")
    if not segment or set(segment) <= {".", "_"}:
        return default
    return segment[:200]


def _target(url: str, dest: str | os.PathLike[str]) -> Path:
    path = Path(dest)
    if path.is_dir() or str(dest).endswith(("/", os.sep)):
        path.mkdir(parents=True, exist_ok=True)
        name = safe_filename(url)
        target = (path / name).resolve()
        if target.parent != path.resolve():
            raise AssetDownloadError(f"refusing to write outside {path}: {name!r}")
        return target
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _expected_total(response: httpx2.Response, expected_size: int | None) -> int | None:
    if expected_size is not None:
        return expected_size
    if response.headers.get("content-encoding", "identity") not in ("", "identity"):
        return None
    raw = response.headers.get("content-length")
    return int(raw) if raw is not None and raw.isascii() and raw.isdigit() else None


def _check_status(response: httpx2.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise make_status_error(response)


def _check_url(url: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise AssetDownloadError(f"not an http(s) asset URL: {url[:80]!r}")


def _open_part(target: Path) -> tuple[BinaryIO, Path]:
    """Open a new hidden ``.part`` file beside ``target`` for an atomic write.

    Created with ``open(..., "xb")`` (not ``mkstemp``, which forces mode 0600), so the finished
    file gets the permissions the user's umask gives any new file.
    """
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
        try:
            return open(tmp, "xb"), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file beside {target}")


def download(
    url: str,
    dest: str | os.PathLike[str],
    *,
    http_client: httpx2.Client | None = None,
    progress: ProgressCallback | None = None,
    expected_size: int | None = None,
) -> Path:
    """Stream ``url`` to a file atomically and return its path.

    Args:
        url: absolute http(s) asset URL.
        dest: an existing directory (the name comes from the URL, safely) or a file path.
        http_client: client to use (default: a short-lived one). It must not carry the API key.
        progress: ``progress(bytes_done, total_or_None)`` after each chunk.
        expected_size: expected size in BYTES (default: ``Content-Length`` when not encoded).

    Raises:
        AssetDownloadError: bad URL, unsafe name, or size mismatch (nothing left behind).
        APIStatusError: the asset host answered with an error status.
    """
    _check_url(url)
    target = _target(url, dest)
    owned = http_client is None
    client = http_client or httpx2.Client(follow_redirects=True, timeout=60.0)
    try:
        with client.stream("GET", url) as response:
            _check_status(response)
            total = _expected_total(response, expected_size)
            handle, tmp = _open_part(target)
            try:
                done = 0
                with handle:
                    for chunk in response.iter_bytes(DOWNLOAD_CHUNK_BYTES):
                        handle.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
                _check_size(url, done, total)
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
    finally:
        if owned:
            client.close()
    return target


async def adownload(
    url: str,
    dest: str | os.PathLike[str],
    *,
    http_client: httpx2.AsyncClient | None = None,
    progress: ProgressCallback | None = None,
    expected_size: int | None = None,
) -> Path:
    """Async twin of ``download`` (same arguments, units and errors)."""
    _check_url(url)
    target = _target(url, dest)
    owned = http_client is None
    client = http_client or httpx2.AsyncClient(follow_redirects=True, timeout=60.0)
    try:
        async with client.stream("GET", url) as response:
            if response.status_code >= 400:
                await response.aread()
                raise make_status_error(response)
            total = _expected_total(response, expected_size)
            handle, tmp = _open_part(target)
            try:
                done = 0
                with handle:
                    async for chunk in response.aiter_bytes(DOWNLOAD_CHUNK_BYTES):
                        handle.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
                _check_size(url, done, total)
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
    finally:
        if owned:
            await client.aclose()
    return target


def _check_size(url: str, done: int, total: int | None) -> None:
    if total is not None and done != total:
        raise AssetDownloadError(
            f"size mismatch for {urlsplit(url).path}: got {done} bytes, expected {total}"
        )


def iter_bytes(
    url: str, *, http_client: httpx2.Client | None = None, chunk_size: int = DOWNLOAD_CHUNK_BYTES
) -> Iterator[bytes]:
    """Stream an asset's bytes (chunks of ``chunk_size`` BYTES) without writing a file."""
    _check_url(url)
    owned = http_client is None
    client = http_client or httpx2.Client(follow_redirects=True, timeout=60.0)
    try:
        with client.stream("GET", url) as response:
            _check_status(response)
            yield from response.iter_bytes(chunk_size)
    finally:
        if owned:
            client.close()


async def aiter_bytes(
    url: str,
    *,
    http_client: httpx2.AsyncClient | None = None,
    chunk_size: int = DOWNLOAD_CHUNK_BYTES,
) -> AsyncIterator[bytes]:
    """Async twin of ``iter_bytes``."""
    _check_url(url)
    owned = http_client is None
    client = http_client or httpx2.AsyncClient(follow_redirects=True, timeout=60.0)
    try:
        async with client.stream("GET", url) as response:
            if response.status_code >= 400:
                await response.aread()
                raise make_status_error(response)
            async for chunk in response.aiter_bytes(chunk_size):
                yield chunk
    finally:
        if owned:
            await client.aclose()


def _unique_names(urls: Sequence[str]) -> list[str]:
    names: list[str] = []
    for url in urls:
        name = safe_filename(url)
        stem, dot, ext = name.partition(".")
        candidate, n = name, 1
        while candidate in names:
            candidate = f"{stem}-{n}{dot}{ext}"
            n += 1
        names.append(candidate)
    return names


def download_many(
    urls: Sequence[str],
    dest_dir: str | os.PathLike[str],
    *,
    http_client: httpx2.Client | None = None,
    progress: ProgressCallback | None = None,
) -> list[Path]:
    """Download several assets into ``dest_dir`` (unique safe names); return the paths."""
    directory = Path(dest_dir)
    directory.mkdir(parents=True, exist_ok=True)
    return [
        download(url, directory / name, http_client=http_client, progress=progress)
        for url, name in zip(urls, _unique_names(urls), strict=True)
    ]


async def adownload_many(
    urls: Sequence[str],
    dest_dir: str | os.PathLike[str],
    *,
    http_client: httpx2.AsyncClient | None = None,
    progress: ProgressCallback | None = None,
) -> list[Path]:
    """Async twin of ``download_many``."""
    directory = Path(dest_dir)
    directory.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240  (local, instant)
    return [
        await adownload(url, directory / name, http_client=http_client, progress=progress)
        for url, name in zip(urls, _unique_names(urls), strict=True)
    ]
