"""Download output assets: streamed, size-checked (and checksum-checked when the asset host
declares a checksum), atomic, confined to the target directory.

Asset URLs are absolute (signed, cloud-storage style) and may live on another host than the API,
so downloads never send the API key: the clients use a separate HTTP client without it. They are
also untrusted: every request of a download (each redirect hop) passes a ``DownloadPolicy``
(``_asset_policy``: http(s) only, no userinfo, no loopback, private, link-local or multicast
address by name, by resolution or as the connection's peer). The clients' download clients
apply the client's policy; the short-lived client used without ``http_client=`` applies
``policy`` (default ``DownloadPolicy()``); a URL with userinfo is refused with any client.

Bodies are decoded (``gzip``, ``deflate``, ``br``, ``zstd``) and counted decoded; a body in any
other ``Content-Encoding`` is refused, never saved still encoded.

Nothing already on disk is replaced unless ``overwrite=True`` is asked for: a name that exists
gets a ``-1``, ``-2``, ... suffix (the finished file is linked into place with ``os.link``, which
never replaces, so two processes downloading into one directory cannot clobber each other).
``max_bytes`` bounds the DECODED size, so an endless body or a compression bomb stops early, and
``timeout`` the whole transfer (connect, redirects, retries, every byte of the body: a host that
drips its body one byte a second is cut off at it, with ``APITimeoutError``).
Every failure is a typed error (``AssetDownloadError``, or the ``APIStatusError`` of the asset
host's error status) and leaves nothing behind.
"""

# ruff: noqa: ASYNC109  (the async twins mirror the sync ones: adownload(timeout=seconds))

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    aclosing,
    closing,
    nullcontext,
)
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx2

from ._asset_policy import AsyncGuardedTransport, DownloadPolicy, GuardedTransport
from ._backoff import check_seconds
from ._constants import (
    DEFAULT_DOWNLOAD_NAME,
    DEFAULT_DOWNLOAD_TIMEOUT_S,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DOWNLOAD_CHUNK_BYTES,
)
from ._deadline import Deadline, async_deadline_stream, deadline_scope, sync_deadline_stream
from ._download_file import (
    ProgressCallback,
    Sink,
    count_bytes,
    declared_checksum,
    suffixed,
    where,
)
from ._errors import AssetDownloadError, CannonError, DownloadRefusedError, make_status_error
from ._logging import redact, safe_url
from ._proxies import AsyncEnvironmentTransport, EnvironmentTransport

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


def _check_url(url: object) -> str:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        shown = redact(safe_url(url))[:80] if isinstance(url, str) else type(url).__name__
        raise AssetDownloadError(f"not an http(s) asset URL: {shown!r}")
    if "@" in urlsplit(url).netloc:
        raise DownloadRefusedError(
            f"asset URL {where(url)} carries a user name or password; refused, not sent"
        )
    return url


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


_DECODABLE = frozenset(
    {"identity", "gzip", "deflate"}
    | ({"br"} if _available("brotli") or _available("brotlicffi") else set())
    | ({"zstd"} if _available("compression.zstd") or _available("backports.zstd") else set())
)
"""Content encodings httpx2 decodes here (br and zstd come with the httpx2[brotli,zstd] extras
the core install depends on)."""


def _check_encoding(url: str, response: httpx2.Response) -> None:
    """Refuse a body in an encoding that would be saved still encoded."""
    for value in response.headers.get_list("content-encoding", split_commas=True):
        encoding = value.strip().lower()
        if encoding and encoding not in _DECODABLE:
            raise AssetDownloadError(
                f"{where(url)} is sent with content-encoding {encoding[:40]!r}, which cannot be "
                "decoded; refusing to save it still encoded",
                url=url,
            )


def _as_download_error(url: str, exc: BaseException) -> AssetDownloadError:
    """A typed, redacted error for a transport, decoding, redirect or local I/O failure."""
    detail = redact(str(exc))[:300]
    return AssetDownloadError(
        f"download of {where(url)} failed: {type(exc).__name__}: {detail}",
        url=url,
        errno=exc.errno if isinstance(exc, OSError) else None,
    )


_WRAPPED = (httpx2.HTTPError, httpx2.InvalidURL, httpx2.StreamError, OSError, ValueError)
"""Failures inside a download that become ``AssetDownloadError`` (CannonErrors pass as they are)."""


def _client_or(
    given: httpx2.Client | None, policy: DownloadPolicy | None
) -> AbstractContextManager[httpx2.Client]:
    """``given`` as it is (the caller closes it), or a short-lived client closed after use whose
    every request passes ``policy`` (default ``DownloadPolicy()``)."""
    if given is not None:
        return nullcontext(given)
    guard = GuardedTransport(EnvironmentTransport(), policy or DownloadPolicy(), close_inner=True)
    return httpx2.Client(transport=guard, follow_redirects=True, timeout=60.0)


def _async_client_or(
    given: httpx2.AsyncClient | None, policy: DownloadPolicy | None
) -> AbstractAsyncContextManager[httpx2.AsyncClient]:
    """Async twin of ``_client_or`` (httpx2's own transport: it reports the peer address)."""
    if given is not None:
        return nullcontext(given)
    guard = AsyncGuardedTransport(
        AsyncEnvironmentTransport(), policy or DownloadPolicy(), close_inner=True
    )
    return httpx2.AsyncClient(transport=guard, follow_redirects=True, timeout=60.0)


class _Transfer:
    """Everything of one asset transfer but its I/O, shared by the four sync/async twins.

    ``with _Transfer(...) as transfer:`` around the request: on the way out a failure in
    ``_WRAPPED`` becomes a redacted ``AssetDownloadError`` (a ``CannonError`` passes as it is;
    a timeout once the deadline has passed is ``APITimeoutError``) and an unfinished ``.part``
    file is removed. The twins only send the GET, read an error body, and iterate the chunks.

    Args:
        url: the asset URL (checked: http(s) only, else ``AssetDownloadError``).
        max_bytes: the limit on DECODED bytes, or ``None`` (checked: an integer >= 0).
        timeout: the total deadline in SECONDS, or ``None`` (checked: a finite number > 0).
    """

    def __init__(self, url: object, max_bytes: int | None, timeout: float | None) -> None:
        self.url = _check_url(url)
        self.limit = _check_limit(max_bytes)
        total = check_seconds(timeout, "timeout", allow_none=True, allow_zero=False)
        self.deadline = Deadline(total, lambda: f"download of {where(self.url)}")
        self.done = 0
        self._target: Path | None = None
        self._expected_size: int | None = None
        self._progress: ProgressCallback | None = None
        self._sink: Sink | None = None

    def __enter__(self) -> _Transfer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._sink is not None:
            self._sink.discard()
            self._sink = None
        if exc is None or isinstance(exc, CannonError) or not isinstance(exc, _WRAPPED):
            return
        if isinstance(exc, httpx2.TimeoutException) and self.deadline.expired():
            raise self.deadline.error() from None
        raise _as_download_error(self.url, exc) from None

    def request(self, client: httpx2.Client | httpx2.AsyncClient) -> httpx2.Request:
        """The GET, its phase timeouts (the client's) cut to the time left."""
        left = self.deadline.remaining()
        timeout = client.timeout
        if left is not None:
            left = max(left, 0.001)
            timeout = httpx2.Timeout(
                **{
                    phase: left if value is None else min(value, left)
                    for phase, value in client.timeout.as_dict().items()
                }
            )
        return client.build_request("GET", self.url, timeout=timeout)

    def open(self, client: httpx2.Client) -> httpx2.Response:
        """Send the GET (redirects as the client follows them) within the deadline; the
        response's body is read under it."""
        with deadline_scope(self.deadline.remaining()):
            response = client.send(self.request(client), stream=True)
        return sync_deadline_stream(response, self.deadline)

    async def aopen(self, client: httpx2.AsyncClient) -> httpx2.Response:
        """Async twin of ``open``."""
        import asyncio  # deferred: a sync program never loads asyncio

        left = self.deadline.remaining()
        timer = asyncio.timeout(None if left is None else max(left, 0.0))
        with deadline_scope(left):
            try:
                async with timer:
                    response = await client.send(self.request(client), stream=True)
            except TimeoutError as exc:
                if timer.expired():
                    raise self.deadline.error() from exc
                raise
        return async_deadline_stream(response, self.deadline)

    def to_file(
        self,
        dest: str | os.PathLike[str],
        expected_size: int | None,
        progress: ProgressCallback | None,
    ) -> None:
        """Write the body to a file at (or in) ``dest``: its directory is made now, before
        anything is sent; the ``.part`` file is opened once the answer is known."""
        self._target = _target(self.url, dest)
        self._expected_size = expected_size
        self._progress = progress

    def answered(self, response: httpx2.Response) -> None:
        """Check the answer (an error status's body already read): its status error, or a
        declared size over the limit; then open the ``.part`` file when writing one."""
        if response.status_code >= 400:
            raise make_status_error(response)
        _check_encoding(self.url, response)
        _check_declared(self.url, response, self.limit)
        if self._target is not None:
            total = _expected_total(response, self._expected_size)
            self._sink = Sink(
                self.url,
                self._target,
                total=total,
                limit=self.limit,
                progress=self._progress,
                checksum=declared_checksum(response.headers),
            )

    def write(self, chunk: bytes) -> None:
        """One chunk to the ``.part`` file (counted against ``max_bytes``)."""
        assert self._sink is not None, "to_file() and answered() come first"
        self._sink.write(chunk)

    def passed(self, chunk: bytes) -> bytes:
        """One chunk streamed to the caller: counted against ``max_bytes``, returned as is."""
        self.done += len(chunk)
        count_bytes(self.url, self.done, self.limit)
        return chunk

    def finish(self, overwrite: bool) -> Path:
        """Commit the ``.part`` file (never replacing unless ``overwrite``); the final path."""
        assert self._sink is not None, "to_file() and answered() come first"
        path = self._sink.finish(overwrite)
        self._sink = None
        return path


def download(
    url: str,
    dest: str | os.PathLike[str],
    *,
    http_client: httpx2.Client | None = None,
    progress: ProgressCallback | None = None,
    expected_size: int | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    policy: DownloadPolicy | None = None,
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
        timeout: total deadline in SECONDS of the whole transfer (connect, redirects, retries
            and every byte of the body; default 3600; ``None``: none). The client's own
            timeouts still bound each connect and each read.
        policy: where the short-lived client may go (default ``DownloadPolicy()``: public
            addresses only). Ignored with ``http_client=``: that client decides (the clients'
            ``download_client()`` applies the client's ``download_policy``).

    Raises:
        DownloadRefusedError: the download policy refused the URL or a redirect hop (nothing
            of its body was read).
        AssetDownloadError: bad URL, unsafe name, size mismatch or over ``max_bytes``, a
            broken transfer (short body, bad or unknown encoding, redirect loop, bad
            ``Location``), a local write failure. Nothing is left behind.
        APIStatusError: the asset host answered with an error status.
        APIConnectionError: the asset host could not be reached (after retries).
        APITimeoutError: the ``timeout`` deadline passed (the body was cut off).
    """
    transfer = _Transfer(url, max_bytes, timeout)
    with _client_or(http_client, policy) as client, transfer:
        transfer.to_file(dest, expected_size, progress)
        with closing(transfer.open(client)) as response:
            if response.status_code >= 400:
                response.read()
            transfer.answered(response)
            for chunk in response.iter_bytes(DOWNLOAD_CHUNK_BYTES):
                transfer.write(chunk)
            return transfer.finish(overwrite)


async def adownload(
    url: str,
    dest: str | os.PathLike[str],
    *,
    http_client: httpx2.AsyncClient | None = None,
    progress: ProgressCallback | None = None,
    expected_size: int | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    policy: DownloadPolicy | None = None,
) -> Path:
    """Async twin of ``download`` (same arguments, units and errors)."""
    transfer = _Transfer(url, max_bytes, timeout)
    async with _async_client_or(http_client, policy) as client:
        with transfer:
            transfer.to_file(dest, expected_size, progress)
            async with aclosing(await transfer.aopen(client)) as response:
                if response.status_code >= 400:
                    await response.aread()
                transfer.answered(response)
                async for chunk in response.aiter_bytes(DOWNLOAD_CHUNK_BYTES):
                    transfer.write(chunk)
                return transfer.finish(overwrite)


def iter_bytes(
    url: str,
    *,
    http_client: httpx2.Client | None = None,
    chunk_size: int = DOWNLOAD_CHUNK_BYTES,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    policy: DownloadPolicy | None = None,
) -> Iterator[bytes]:
    """Stream an asset's bytes (chunks of ``chunk_size`` BYTES) without writing a file.

    Raises the same errors as ``download``; ``max_bytes`` (decoded BYTES) stops the stream,
    ``timeout`` (SECONDS, from the first ``next()``) bounds it as a whole.
    """
    transfer = _Transfer(url, max_bytes, timeout)
    with (
        _client_or(http_client, policy) as client,
        transfer,
        closing(transfer.open(client)) as response,
    ):
        if response.status_code >= 400:
            response.read()
        transfer.answered(response)
        for chunk in response.iter_bytes(chunk_size):
            yield transfer.passed(chunk)


async def aiter_bytes(
    url: str,
    *,
    http_client: httpx2.AsyncClient | None = None,
    chunk_size: int = DOWNLOAD_CHUNK_BYTES,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    policy: DownloadPolicy | None = None,
) -> AsyncIterator[bytes]:
    """Async twin of ``iter_bytes``."""
    transfer = _Transfer(url, max_bytes, timeout)
    async with _async_client_or(http_client, policy) as client:
        with transfer:
            async with aclosing(await transfer.aopen(client)) as response:
                if response.status_code >= 400:
                    await response.aread()
                transfer.answered(response)
                async for chunk in response.aiter_bytes(chunk_size):
                    yield transfer.passed(chunk)


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


def _many_targets(urls: Sequence[str], dest_dir: str | os.PathLike[str]) -> list[tuple[str, Path]]:
    """``(url, target path)`` for each URL of a ``download_many`` call: ``dest_dir`` is made
    (local, instant), the names come from ``_unique_names``."""
    directory = Path(dest_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssetDownloadError(f"cannot create {directory}: {exc.strerror or exc}") from None
    names = _unique_names(urls)
    return [(url, directory / name) for url, name in zip(urls, names, strict=True)]


def download_many(
    urls: Sequence[str],
    dest_dir: str | os.PathLike[str],
    *,
    http_client: httpx2.Client | None = None,
    progress: ProgressCallback | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    policy: DownloadPolicy | None = None,
) -> list[Path]:
    """Download several assets into ``dest_dir``; return the paths (in ``urls`` order).

    Names are unique within the call (``video.mp4``, ``video-1.mp4``...); a name that already
    exists on disk gets the next free suffix unless ``overwrite=True``. ``max_bytes`` (BYTES)
    and ``timeout`` (SECONDS) apply to each asset. Raises what ``download`` raises.
    """
    return [
        download(
            url, target, http_client=http_client, progress=progress, overwrite=overwrite,
            max_bytes=max_bytes, timeout=timeout, policy=policy,
        )
        for url, target in _many_targets(urls, dest_dir)
    ]  # fmt: skip


async def adownload_many(
    urls: Sequence[str],
    dest_dir: str | os.PathLike[str],
    *,
    http_client: httpx2.AsyncClient | None = None,
    progress: ProgressCallback | None = None,
    overwrite: bool = False,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    timeout: float | None = DEFAULT_DOWNLOAD_TIMEOUT_S,
    policy: DownloadPolicy | None = None,
) -> list[Path]:
    """Async twin of ``download_many``."""
    return [
        await adownload(
            url, target, http_client=http_client, progress=progress, overwrite=overwrite,
            max_bytes=max_bytes, timeout=timeout, policy=policy,
        )
        for url, target in _many_targets(urls, dest_dir)
    ]  # fmt: skip
