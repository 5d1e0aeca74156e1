"""Where a batch's outputs go: a local directory (the default) or an object store (``s3://``).

``open_output(out)`` returns a plain ``Path`` for a local directory, which the rest of the batch
runner handles exactly as before, or an ``ObjectStore`` for ``s3://bucket/prefix`` (fsspec's
``s3fs``, the ``[s3]`` extra). ``store / job_id`` names a job's folder as ``Path / job_id``
does, so a job's steps and ``_transfer.download_missing`` take either.

The download rules hold on object storage too:

- Each asset is downloaded as today (``assets.download``: the download policy, ``max_bytes``,
  the declared size and checksum) into a private temporary directory (``TMPDIR``), verified
  (not empty, as many bytes as received and as declared), then uploaded; the local copy is
  removed at once. One file per job is staged at a time.
- **An interrupted upload leaves no object under its final name.** S3 has no rename, and a copy
  from a temporary key would leave that key behind when the process dies between the copy and
  the delete. Instead the file goes up as a *multipart upload* to its final key, opened with
  ``autocommit=False`` and mode ``xb``: parts are uploaded as they fill, and nothing is visible
  under any name until ``CompleteMultipartUpload``, which is sent only after every byte of the
  verified local file was sent (the bytes counted equal its size). Any error before that aborts
  the upload (``AbortMultipartUpload``). A process killed meanwhile leaves an incomplete
  multipart upload, invisible to readers (and still billed for its parts): the next run on the
  prefix aborts those older than ``LEFTOVER_EXPIRY_S`` (a bucket lifecycle rule
  ``AbortIncompleteMultipartUpload`` does the same server-side).
- **Never overwrite.** The completion carries ``If-None-Match: *`` (mode ``xb``): a key that
  appeared meanwhile is not replaced, the server refuses (412) and nothing changes. Servers
  without conditional writes ignore the header; the existence check before the upload still
  protects every key but one created in that instant.
- **A re-run downloads only what is missing.** Every object this runner writes carries its size
  in its user metadata (``x-amz-meta-cannon-studio-bytes``). An object under a job's file name
  whose metadata and actual size agree (and are not zero) is complete and is not fetched again;
  an object there that this runner did not write (no such metadata, or another size) is never
  overwritten: the job stops with one sentence naming it.
- ``report.jsonl`` (and the HTML report) are the runner's own objects and are replaced on each
  run by one ``PutObject`` (S3 swaps whole objects: a reader sees the old or the new one).

Credentials come from the standard AWS chain (environment, ``~/.aws``, instance roles) through
botocore; none is logged, kept in a repr, or put into an error message. ``storage_options``
(``--storage-option KEY=VALUE``) go to ``s3fs.S3FileSystem`` (``endpoint_url`` for an
S3-compatible server; ``AWS_ENDPOINT_URL`` in the environment works too). The Cannon API key is
never given to the storage client: it only sees the verified bytes of the assets.

A refusal of the store (no such bucket, access denied, a full or read-only store) is a
``BatchStorageError`` naming the ``s3://`` place and the reason, which stops the run with every
job's state kept, like a full local disk.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import AssetDownloadError
from ._errors import BatchJournalError, BatchStorageError
from ._lock import LEFTOVER_EXPIRY_S
from ._report import JOURNAL_NAME, REPORT_NAME, ReportRow, read_report, write_report

__all__ = [
    "SIZE_META",
    "ObjectDir",
    "ObjectStore",
    "Output",
    "is_remote",
    "journal_for",
    "open_output",
    "parse_storage_options",
]

SCHEMES = ("s3://",)
"""Output locations handled by ``ObjectStore`` (anything else is a local directory)."""

SIZE_META = "cannon-studio-bytes"
"""User metadata key of every object this runner uploads: its size in BYTES."""

UPLOAD_CHUNK_BYTES = 1 << 20
"""Bytes read from the staged file per write into the upload."""

UPLOAD_PART_BYTES = 8 << 20
"""Size of each multipart upload part in BYTES (S3's minimum is 5 MiB): the memory one upload
holds at most, so ``concurrency`` uploads hold at most ``concurrency`` times this."""


def is_remote(out: str | os.PathLike[str]) -> bool:
    """True when ``out`` names an object store (``s3://...``), not a local directory (pure)."""
    return isinstance(out, str) and out.lower().startswith(SCHEMES)


def parse_storage_options(pairs: Iterable[str]) -> dict[str, str]:
    """``["endpoint_url=http://...", ...]`` as a dict (the CLI's ``--storage-option``).

    Raises:
        ValueError: an item without ``=`` or with an empty key (one sentence naming it).
    """
    options: dict[str, str] = {}
    for n, pair in enumerate(pairs, 1):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():  # the item is not echoed: it may hold a credential
            raise ValueError(f"--storage-option takes KEY=VALUE; item {n} has no KEY=")
        options[key.strip()] = value
    return options


def _reason(exc: BaseException) -> str:
    """What a refusal of the store means, in a few words (no credentials: botocore's messages
    name the bucket, the key and the error code, never the keys)."""
    if isinstance(exc, FileNotFoundError):
        return f"no such bucket or key ({exc.strerror or 'not found'})"
    if isinstance(exc, PermissionError):
        return "access denied (check the credentials and the bucket's policy)"
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return (text or type(exc).__name__).splitlines()[0][:300]


@dataclass(frozen=True)
class ObjectDir:
    """A job's folder in an object store: ``store / job_id``.

    Attributes:
        store: the store.
        prefix: the folder's key path (``bucket/prefix/<job id>``, no trailing slash).
    """

    store: ObjectStore
    prefix: str

    def __truediv__(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def __str__(self) -> str:
        return f"s3://{self.prefix}"


class ObjectStore:
    """Batch outputs in an object store: ``s3://bucket/prefix`` through fsspec's ``s3fs``.

    Args:
        url: ``s3://bucket`` or ``s3://bucket/prefix`` (a trailing slash is ignored).
        storage_options: keyword arguments of ``s3fs.S3FileSystem`` as strings
            (``endpoint_url``, ``region_name`` go into the client's settings; ``anon`` and
            ``requester_pays`` are read as booleans); credentials come from the AWS chain.

    Raises:
        BatchStorageError: the ``[s3]`` extra is not installed, or the URL names no bucket.

    The repr and ``str`` show the URL only, never an option's value.
    """

    def __init__(self, url: str, storage_options: Mapping[str, str] | None = None) -> None:
        path = url.split("://", 1)[1].strip("/")
        if not path:
            raise BatchStorageError(url, "an s3:// output needs a bucket: s3://BUCKET/PREFIX")
        self.root = path
        self.url = f"s3://{path}"
        self.bucket = path.split("/", 1)[0]
        self._option_names = sorted(storage_options or {})
        self.fs = _filesystem(self.url, dict(storage_options or {}))

    def __repr__(self) -> str:
        return f"ObjectStore({self.url!r}, options={self._option_names})"

    def __str__(self) -> str:
        return self.url

    def __truediv__(self, job_id: str) -> ObjectDir:
        return ObjectDir(self, f"{self.root}/{job_id}")

    @property
    def name(self) -> str:
        """The last segment of the prefix (as ``Path.name``)."""
        return self.root.rsplit("/", 1)[-1]

    def key(self, name: str) -> str:
        """The key path of a file directly under the prefix (``report.jsonl``)."""
        return f"{self.root}/{name}"

    # -- the store's answers as our errors -----------------------------------------------------
    @contextlib.contextmanager
    def refusals(self, where: str) -> Iterator[None]:
        """An error of the store (``OSError`` from s3fs, botocore's own) as ``BatchStorageError``
        naming ``s3://<where>``; a key that another writer took meanwhile (the conditional
        completion refused) as ``AssetDownloadError``: that job's problem, not the store's."""
        try:
            yield
        except BatchStorageError:
            raise
        except FileExistsError:
            raise AssetDownloadError(
                f"s3://{where} was created by another writer during the upload; "
                "it is never overwritten: remove it or choose another --out prefix"
            ) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise BatchStorageError(f"s3://{where}", _reason(exc)) from None
        except Exception as exc:  # botocore errors that s3fs does not translate
            if type(exc).__module__.startswith(("botocore", "aiobotocore", "s3fs", "fsspec")):
                raise BatchStorageError(f"s3://{where}", _reason(exc)) from None
            raise

    # -- at the start of a run -----------------------------------------------------------------
    def prepare(self) -> None:
        """Check that the bucket can be reached, and abort this prefix's incomplete multipart
        uploads older than ``LEFTOVER_EXPIRY_S`` (those of killed runs).

        Raises:
            BatchStorageError: no such bucket, access denied, the store cannot be reached.
        """
        with self.refusals(self.bucket):
            if not self.fs.exists(self.bucket):
                raise FileNotFoundError(errno.ENOENT, "the bucket does not exist")
        self.abort_leftover_uploads()

    def abort_leftover_uploads(self, *, older_than_s: float = LEFTOVER_EXPIRY_S) -> int:
        """Abort the incomplete multipart uploads under the prefix started more than
        ``older_than_s`` SECONDS ago; return how many. Errors are ignored (a store that does not
        list uploads keeps them until its lifecycle rule removes them)."""
        prefix = self.root.split("/", 1)[1] + "/" if "/" in self.root else ""
        aborted = 0
        try:
            answer = self.fs.call_s3("list_multipart_uploads", Bucket=self.bucket, Prefix=prefix)
        except Exception:
            return 0
        now = time.time()
        for upload in answer.get("Uploads", []):
            started = upload.get("Initiated")
            age = now - started.timestamp() if hasattr(started, "timestamp") else 0.0
            if age < older_than_s:
                continue
            with contextlib.suppress(Exception):
                self.fs.call_s3(
                    "abort_multipart_upload",
                    Bucket=self.bucket,
                    Key=upload["Key"],
                    UploadId=upload["UploadId"],
                )
                aborted += 1
        return aborted

    # -- a job's files --------------------------------------------------------------------------
    def whole_size(self, path: str) -> int | None:
        """The size in BYTES of the object at ``path`` when this runner wrote it whole; None
        when there is none.

        Raises:
            AssetDownloadError: an object is there that this runner did not write (or whose size
                differs from the one it was written with): it is never overwritten.
            BatchStorageError: the store refused the request.
        """
        with self.refusals(path):
            try:
                info = self.fs.info(path, refresh=True)
            except FileNotFoundError:
                return None
            if info.get("type") == "directory":
                raise AssetDownloadError(f"s3://{path} is a folder of other objects")
            metadata = self.fs.metadata(path, refresh=True)
        size = info.get("size")
        recorded = (metadata or {}).get(SIZE_META)
        if not size or recorded != str(size):
            raise AssetDownloadError(
                f"s3://{path} already exists and was not written whole by a batch run; "
                "it is never overwritten: remove it or choose another --out prefix"
            )
        return int(size)

    def upload(self, local: Path, path: str, size: int) -> int:
        """Upload the verified file ``local`` (``size`` BYTES) to ``path`` without ever leaving
        a partial object there or replacing one (see the module docstring); return its size.

        Raises:
            BatchStorageError: the store refused (full, access denied, a key created meanwhile).
            AssetDownloadError: the object's size after the upload differs from ``size``.
        """
        sent = 0
        with self.refusals(path):
            handle = self.fs.open(
                path,
                "xb",
                autocommit=False,
                block_size=UPLOAD_PART_BYTES,
                Metadata={SIZE_META: str(size)},
            )
            try:
                with open(local, "rb") as source:
                    while chunk := source.read(UPLOAD_CHUNK_BYTES):
                        handle.write(chunk)
                        sent += len(chunk)
                if sent != size:
                    raise AssetDownloadError(f"{local.name}: {sent} bytes read, {size} expected")
                handle.close()
                handle.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    handle.discard()
                # discard() leaves the file open; closing it later (its __del__) would upload
                # the buffer again. It is done with: mark it closed.
                handle.closed = True
                raise
            landed = self.fs.info(path, refresh=True).get("size")
        if landed != size:
            raise AssetDownloadError(f"s3://{path} holds {landed} bytes after upload, not {size}")
        return size

    # -- the runner's own objects ---------------------------------------------------------------
    def put_text(self, name: str, text: str) -> str:
        """Replace the object ``name`` under the prefix with ``text`` (UTF-8) in one request;
        its ``s3://`` URL."""
        path = self.key(name)
        with self.refusals(path):
            self.fs.pipe_file(path, text.encode("utf-8"))
        return f"s3://{path}"

    def put_file(self, local: Path, name: str) -> str:
        """Replace the object ``name`` under the prefix with the file ``local``; its URL."""
        path = self.key(name)
        with self.refusals(path):
            self.fs.put_file(str(local), path)
        return f"s3://{path}"

    def remove_stale_pages(self, stem: str, suffix: str, keep: Iterable[str]) -> None:
        """Remove ``<stem>-<n><suffix>`` pages under the prefix not in ``keep`` (the further
        pages of an earlier, longer HTML report, which would show jobs twice)."""
        kept = set(keep)
        with self.refusals(self.root):
            for path in self.fs.glob(f"{self.root}/{stem}-*{suffix}"):
                name = str(path).rsplit("/", 1)[-1]
                number = name[len(stem) + 1 : len(name) - len(suffix)]
                if number.isdigit() and name not in kept:
                    self.fs.rm_file(path)

    def read_text(self, name: str) -> str | None:
        """The object ``name`` under the prefix as text, or None when there is none."""
        path = self.key(name)
        with self.refusals(path):
            try:
                data: bytes = self.fs.cat_file(path)
            except FileNotFoundError:
                return None
        return data.decode("utf-8")

    def get_file(self, path: str, local: Path) -> None:
        """Download the object at ``path`` (a key path) to ``local``."""
        with self.refusals(path):
            self.fs.get_file(path, str(local))


Output = Path | ObjectStore
"""Where a batch's files go: a local directory, or an object store."""


def _filesystem(url: str, options: dict[str, Any]) -> Any:
    try:
        import s3fs  # the optional [s3] extra, imported when an s3:// output is used
    except ImportError:
        raise BatchStorageError(
            url, "s3:// outputs need the s3 extra: pip install 'cannon-studio[s3]'"
        ) from None
    client_kwargs: dict[str, Any] = {}
    for name in ("endpoint_url", "region_name"):
        if name in options:
            client_kwargs[name] = options.pop(name)
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if "endpoint_url" not in client_kwargs and endpoint:
        client_kwargs["endpoint_url"] = endpoint
    kwargs: dict[str, Any] = dict(options)
    for flag in ("anon", "requester_pays", "use_ssl"):
        if flag in kwargs:
            kwargs[flag] = str(kwargs[flag]).lower() in ("1", "true", "yes")
    try:
        return s3fs.S3FileSystem(client_kwargs=client_kwargs, skip_instance_cache=True, **kwargs)
    except TypeError as exc:
        raise BatchStorageError(url, f"unknown storage option ({exc})") from None


def open_output(
    out: str | os.PathLike[str] | ObjectStore, storage_options: Mapping[str, str] | None = None
) -> Output:
    """Where a batch's files go: ``ObjectStore`` for ``s3://...`` (an ``ObjectStore`` is
    returned as it is), else the local ``Path``.

    Raises:
        BatchStorageError: an ``s3://`` URL without a bucket, or the ``[s3]`` extra missing.
        ValueError: ``storage_options`` given with a local directory or an ``ObjectStore``.
    """
    if isinstance(out, ObjectStore):
        if storage_options:
            raise ValueError("storage options go to ObjectStore(...), not beside it")
        return out
    if is_remote(out):
        return ObjectStore(str(out), storage_options)
    if storage_options:
        raise ValueError("storage options apply to s3:// outputs only")
    return Path(out)


def journal_for(out: Output, journal_path: str | os.PathLike[str] | None) -> str | os.PathLike[str]:
    """The journal of a run: ``journal_path``, or ``journal.sqlite`` in a local output directory.
    An object-store output needs its journal elsewhere (SQLite cannot live on object storage).

    Raises:
        BatchJournalError: ``out`` is an ``ObjectStore`` and no journal was given.
    """
    if journal_path is not None:
        return journal_path
    if isinstance(out, ObjectStore):
        raise BatchJournalError(
            f"an s3:// output keeps no journal: give --journal PATH (a local SQLite file) or "
            f"--journal postgresql://... for {out}"
        )
    return out / JOURNAL_NAME


def write_report_to(out: Output, rows: Iterable[ReportRow]) -> str:
    """Write ``report.jsonl`` into the output (atomically in both kinds); its location.

    Raises:
        OSError: a local write failed (as ``_report.write_report``).
        BatchStorageError: the store refused.
    """
    if isinstance(out, Path):
        return str(write_report(rows, out / REPORT_NAME))
    text = "".join(json.dumps(row.to_dict(), ensure_ascii=False) + "\n" for row in rows)
    return out.put_text(REPORT_NAME, text)


def read_report_from(out: Output, *, required: bool = False) -> list[ReportRow]:
    """The rows of ``report.jsonl`` in the output; empty when there is none yet.

    Raises:
        BatchJournalError: ``required`` and there is no report.
        BatchStorageError: the store refused the read.
    """
    if isinstance(out, Path):
        path = out / REPORT_NAME
        if required or path.is_file():
            return read_report(path)
        return []
    text = out.read_text(REPORT_NAME)
    if text is None:
        if required:
            raise BatchJournalError(f"no {REPORT_NAME} at {out}")
        return []
    return [ReportRow.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]


@contextlib.contextmanager
def staging_dir() -> Iterator[Path]:
    """A private temporary directory for one job's files on their way to the store."""
    with tempfile.TemporaryDirectory(prefix="cannon-studio-stage-") as name:
        yield Path(name)
