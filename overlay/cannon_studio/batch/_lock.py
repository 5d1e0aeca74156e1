"""One driver per output directory: an exclusive, process-lifetime lock file, and which
leftover temporary files belong to a writer that is gone.

A run takes ``DIR/.batch.lock`` (and ``<journal>.lock`` when the journal lives elsewhere) with
``flock(LOCK_EX | LOCK_NB)`` before it opens the journal, and keeps it until its report is
written. A second run on the same directory refuses at once with one sentence
(``BatchLockedError``) instead of waiting: two runs would drive the same jobs and download the
same files. The operating system drops the lock when the holder exits, ``kill -9`` included,
so a stale lock file never blocks a resume. The file is kept (deleting a lock file another
process may be opening would let two runs in).

``flock`` is advisory and local to one kernel on most network file systems; the journal in WAL
mode must not sit on NFS anyway (SQLite's shared memory index needs one host).

Temporary files carry their writer's process id (``.<name>.<pid>-<token>.part`` downloads,
``.report.jsonl.<pid>.tmp`` reports): clean-up removes one only when its writer is this process
or no longer exists, or when it has not been written to for ``LEFTOVER_EXPIRY_S``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from pathlib import Path
from typing import IO

from ._errors import BatchLockedError, BatchStorageError

__all__ = ["LEFTOVER_EXPIRY_S", "LOCK_NAME", "DirectoryLock", "writer_gone"]

LOCK_NAME = ".batch.lock"
"""Name of the lock file inside an output directory."""

LEFTOVER_EXPIRY_S = 3600.0
"""A temporary file not written to for this many SECONDS is a leftover whoever wrote it (a
writer on another host, or a process id taken over by another program)."""

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class DirectoryLock:
    """Exclusive locks on lock files, held until ``release`` (or the process ends).

    Args:
        paths: the lock files to take, in order (created when missing).

    Raises (from ``acquire``):
        BatchLockedError: another process holds one of them (the ones taken are released).
        BatchStorageError: a lock file cannot be created (read-only directory, full disk).
    """

    def __init__(self, *paths: Path) -> None:
        self.paths = list(dict.fromkeys(paths))
        self._held: list[IO[str]] = []

    def acquire(self) -> DirectoryLock:
        """Take every lock now or none; return ``self``."""
        try:
            for path in self.paths:
                self._take(path)
        except BaseException:
            self.release()
            raise
        return self

    def _take(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        except OSError as exc:
            raise BatchStorageError(str(path), exc.strerror or str(exc)) from None
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read(200).strip() or None
            handle.close()
            raise BatchLockedError(str(path.parent), holder)
        self._held.append(handle)
        with contextlib.suppress(OSError):  # who holds it: for the refusal's sentence only
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
            handle.flush()

    def release(self) -> None:
        """Drop every lock held (closing the file releases it)."""
        while self._held:
            with contextlib.suppress(OSError):
                self._held.pop().close()

    def __enter__(self) -> DirectoryLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


def writer_gone(pid: int | None, path: Path, *, now: float | None = None) -> bool:
    """Whether the temporary file ``path`` written by process ``pid`` is a leftover: the writer
    is this process (a file of its own from an earlier attempt) or no longer exists, or the file
    has not been written to for ``LEFTOVER_EXPIRY_S``. ``pid=None``: the age alone decides."""
    if pid is not None and (pid == os.getpid() or not _alive(pid)):
        return True
    try:
        age = (time.time() if now is None else now) - path.stat().st_mtime
    except OSError:
        return False
    return age > LEFTOVER_EXPIRY_S
