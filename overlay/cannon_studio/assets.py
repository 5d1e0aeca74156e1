"""Download output assets: streamed, size-checked, atomic, confined to the target directory.

Asset URLs are absolute (signed, cloud-storage style) and may live on another host than the API,
so downloads never send the API key: the clients use a separate HTTP client without it.

Nothing already on disk is replaced unless ``overwrite=True`` is asked for: a name that exists
gets a ``-1``, ``-2``, ... suffix (the finished file is linked into place with ``os.link``, which
never replaces, so two processes downloading into one directory cannot clobber each other).
``max_bytes`` bounds the DECODED size, so an endless body or a compression bomb stops early.
Every failure is a typed error (``AssetDownloadError``, or the ``APIStatusError`` of the asset
host's error status) and leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx2

from ._constants import DEFAULT_DOWNLOAD_NAME, DEFAULT_MAX_DOWNLOAD_BYTES, DOWNLOAD_CHUNK_BYTES
from ._download_file import ProgressCallback, Sink, count_bytes, suffixed, where
from ._errors import AssetDownloadError, CannonError, make_status_error
from ._logging import redact, safe_url

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
    """The wanted path of a download (before the no-replace rule picks a free name)."""
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


def _check_limit(max_bytes: int | None) -> int | None:
    if max_bytes is None:
        return None
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 0:
        raise AssetDownloadError(f"max_bytes must be an integer >= 0 or None, got {max_bytes!r}")
    return max_bytes


def _expected_total(response: httpx2.Response, expected_size: int | None) -> int | None:
    if expected_size is not None:
        return expected_size
    if response.headers.get("content-encoding", "identity") not in ("", "identity"):
        return None
    raw = response.headers.get("content-length")
    return int(raw) if raw is not None and raw.isascii() and raw.isdigit() else None


def _check_declared(url: str, response: httpx2.Response, limit: int | None) -> None:
    raw = response.headers.get("content-length", "")
    encoded = response.headers.get("content-encoding", "identity") not in ("", "identity")
    if limit is not None and not encoded and raw.isascii() and raw.isdigit() and int(raw) > limit:
        raise AssetDownloadError(
            f"{where(url)} is {int(raw)} bytes, more than max_bytes={limit}", url=url
        )


def _sink_for(
    url: str,
    target: Path,
    response: httpx2.Response,
    limit: int | None,
    expected_size: int | None,
    progress: ProgressCallback | None,
) -> Sink:
    """The part file for an answered download (both twins): the declared size is checked first."""
    _check_declared(url, response, limit)
    total = _expected_total(response, expected_size)
    return Sink(url, target, total=total, limit=limit, progress=progress)


def _check_status(response: httpx2.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise make_status_error(response)


def _check_url(url: object) -> str:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        shown = redact(safe_url(url))[:80] if isinstance(url, str) else type(url).__name__
        raise AssetDownloadError(f"not an http(s) asset URL: {shown!r}")
    return url


def _as_download_error(url: str, exc: BaseException) -> AssetDownloadError:
    """A typed, redacted error for a transport, decoding, redirect or local I/O failure."""
    detail = redact(str(exc))[:300]
    return AssetDownloadError(
        f"download of {where(url)} failed: {type(exc).__name__}: {detail}", url=url
    )


_WRAPPED = (httpx2.HTTPError, httpx2.InvalidURL, httpx2.StreamError, OSError, ValueError)
"""Failures inside a download that become ``AssetDownloadError`` (CannonErrors pass as they are)."""


def download(
    url: str,
    dest: str | os.PathLike[str],
    *,
    http_client: httpx2.Client | None = None,
    progress: ProgressCallback | None = None,
    expected_size: int | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
) -> Path:
    """Stream ``url`` to a file atomically and return its path.

    Args:
        url: absolute http(s) asset URL.
        dest: an existing directory (the name comes from the URL, safely) or a file path.
        http_client: client to use (default: a short-lived one). It must not carry the API key.
        progress: ``progress(bytes_done, total_or_None)`` after each chunk.
        expected_size: expected size in BYTES (default: ``Content-Length`` when not encoded).
        overwrite: replace an existing file of the same name. Default ``False``: the file gets
            a free ``name-1.ext``, ``name-2.ext``, ... instead, and the RETURNED path says which.
        max_bytes: largest accepted size in BYTES after decoding (default 8 GiB; ``None``: no
            limit). A larger asset raises ``AssetDownloadError`` as soon as the limit is passed.

    Raises:
        AssetDownloadError: bad URL, unsafe name, size mismatch or over ``max_bytes``, a
            broken transfer (short body, bad encoding, redirect loop, bad ``Location``), a local
            write failure. Nothing is left behind.
        APIStatusError: the asset host answered with an error status.
        APIConnectionError: the asset host could not be reached (after retries).
    """
    _check_url(url)
    limit = _check_limit(max_bytes)
    owned = http_client is None
    client = http_client or httpx2.Client(follow_redirects=True, timeout=60.0)
    sink: Sink | None = None
    try:
        target = _target(url, dest)
        with client.stream("GET", url) as response:
            _check_status(response)
            sink = _sink_for(url, target, response, limit, expected_size, progress)
            for chunk in response.iter_bytes(DOWNLOAD_CHUNK_BYTES):
                sink.write(chunk)
            path = sink.finish(overwrite)
            sink = None
            return path
    except CannonError:
        raise
    except _WRAPPED as exc:
        raise _as_download_error(url, exc) from None
    finally:
        if sink is not None:
            sink.discard()
        if owned:
            client.close()


async def adownload(
    url: str,
    dest: str | os.PathLike[str],
    *,
    http_client: httpx2.AsyncClient | None = None,
    progress: ProgressCallback | None = None,
    expected_size: int | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
) -> Path:
    """Async twin of ``download`` (same arguments, units and errors)."""
    _check_url(url)
    limit = _check_limit(max_bytes)
    owned = http_client is None
    client = http_client or httpx2.AsyncClient(follow_redirects=True, timeout=60.0)
    sink: Sink | None = None
    try:
        target = _target(url, dest)
        async with client.stream("GET", url) as response:
            if response.status_code >= 400:
                await response.aread()
                raise make_status_error(response)
            sink = _sink_for(url, target, response, limit, expected_size, progress)
            async for chunk in response.aiter_bytes(DOWNLOAD_CHUNK_BYTES):
                sink.write(chunk)
            path = sink.finish(overwrite)
            sink = None
            return path
    except CannonError:
        raise
    except _WRAPPED as exc:
        raise _as_download_error(url, exc) from None
    finally:
        if sink is not None:
            sink.discard()
        if owned:
            await client.aclose()


def iter_bytes(
    url: str,
    *,
    http_client: httpx2.Client | None = None,
    chunk_size: int = DOWNLOAD_CHUNK_BYTES,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
) -> Iterator[bytes]:
    """Stream an asset's bytes (chunks of ``chunk_size`` BYTES) without writing a file.

    Raises the same errors as ``download``; ``max_bytes`` (decoded BYTES) stops the stream.
    """
    _check_url(url)
    limit = _check_limit(max_bytes)
    owned = http_client is None
    client = http_client or httpx2.Client(follow_redirects=True, timeout=60.0)
    try:
        with client.stream("GET", url) as response:
            _check_status(response)
            _check_declared(url, response, limit)
            done = 0
            for chunk in response.iter_bytes(chunk_size):
                done += len(chunk)
                count_bytes(url, done, limit)
                yield chunk
    except CannonError:
        raise
    except _WRAPPED as exc:
        raise _as_download_error(url, exc) from None
    finally:
        if owned:
            client.close()


async def aiter_bytes(
    url: str,
    *,
    http_client: httpx2.AsyncClient | None = None,
    chunk_size: int = DOWNLOAD_CHUNK_BYTES,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
) -> AsyncIterator[bytes]:
    """Async twin of ``iter_bytes``."""
    _check_url(url)
    limit = _check_limit(max_bytes)
    owned = http_client is None
    client = http_client or httpx2.AsyncClient(follow_redirects=True, timeout=60.0)
    try:
        async with client.stream("GET", url) as response:
            if response.status_code >= 400:
                await response.aread()
                raise make_status_error(response)
            _check_declared(url, response, limit)
            done = 0
            async for chunk in response.aiter_bytes(chunk_size):
                done += len(chunk)
                count_bytes(url, done, limit)
                yield chunk
    except CannonError:
        raise
    except _WRAPPED as exc:
        raise _as_download_error(url, exc) from None
    finally:
        if owned:
            await client.aclose()


def unique_names(names: Sequence[str]) -> list[str]:
    """Make ``names`` unique in order: repeats become ``name-1.ext``, ``name-2.ext``... (pure).

    Linear time: a set of names taken and, per name, the next suffix to try.
    """
    taken: set[str] = set()
    next_n: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        candidate = name
        if candidate in taken:
            n = next_n.get(name, 1)
            while (candidate := suffixed(name, n)) in taken:
                n += 1
            next_n[name] = n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


def _unique_names(urls: Sequence[str]) -> list[str]:
    """The file names ``download_many`` gives ``urls`` (safe, unique within the call; pure).

    Kept for ``cannon_studio.batch``, which must find a resumed job's files under those names.
    """
    return unique_names([safe_filename(url) for url in urls])


def download_many(
    urls: Sequence[str],
    dest_dir: str | os.PathLike[str],
    *,
    http_client: httpx2.Client | None = None,
    progress: ProgressCallback | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
) -> list[Path]:
    """Download several assets into ``dest_dir``; return the paths (in ``urls`` order).

    Names are unique within the call (``video.mp4``, ``video-1.mp4``...); a name that already
    exists on disk gets the next free suffix unless ``overwrite=True``. ``max_bytes`` applies to
    each asset. Raises what ``download`` raises.
    """
    directory = Path(dest_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssetDownloadError(f"cannot create {directory}: {exc.strerror or exc}") from None
    names = _unique_names(urls)
    return [
        download(
            url,
            directory / name,
            http_client=http_client,
            progress=progress,
            overwrite=overwrite,
            max_bytes=max_bytes,
        )
        for url, name in zip(urls, names, strict=True)
    ]


async def adownload_many(
    urls: Sequence[str],
    dest_dir: str | os.PathLike[str],
    *,
    http_client: httpx2.AsyncClient | None = None,
    progress: ProgressCallback | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
) -> list[Path]:
    """Async twin of ``download_many``."""
    directory = Path(dest_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240  (local, instant)
    except OSError as exc:
        raise AssetDownloadError(f"cannot create {directory}: {exc.strerror or exc}") from None
    names = _unique_names(urls)
    return [
        await adownload(
            url,
            directory / name,
            http_client=http_client,
            progress=progress,
            overwrite=overwrite,
            max_bytes=max_bytes,
        )
        for url, name in zip(urls, names, strict=True)
    ]
