"""Errors of the batch runner: a bad job file, an unusable journal, a directory in use, local
storage that cannot be written, a file that was already run as a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .._errors import CannonError

__all__ = [
    "BatchFileError",
    "BatchJournalError",
    "BatchLockedError",
    "BatchRerunError",
    "BatchStorageError",
    "FileProblem",
]


@dataclass(frozen=True)
class FileProblem:
    """One problem found in a job file.

    Attributes:
        line: 1-based line number in the file (0 when the problem is not tied to one line).
        field: what is wrong, as a path: ``operation``, ``input.aspect_ratio``, ``id``,
            ``input.image_url.from``... (``None`` for a line that is not JSON at all).
        message: what is wrong and, where known, the allowed values.
        job_id: the job's id when it is known.
    """

    line: int
    field: str | None
    message: str
    job_id: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        job = f" (job {self.job_id})" if self.job_id else ""
        field = f": {self.field}" if self.field else ""
        return f"{where}{job}{field}: {self.message}"


class BatchFileError(CannonError, ValueError):
    """The job file was refused before anything was sent (nothing created, nothing charged).

    Attributes:
        problems: every problem found (each names the line and the field), in line order.
        line, field, job_id: those of the first problem.
    """

    def __init__(self, problems: Sequence[FileProblem], *, source: str = "job file") -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else FileProblem(0, None, "no problems")
        self.line = first.line
        self.field = first.field
        self.job_id = first.job_id
        more = len(self.problems) - 1
        tail = f" (and {more} more problem(s))" if more > 0 else ""
        super().__init__(f"{source}: {first}{tail}")


class BatchJournalError(CannonError):
    """The journal cannot be used for this run (another batch, another shard, a changed job,
    a newer journal format, or a file that is not a journal)."""


class BatchLockedError(BatchJournalError):
    """Another process is running a batch on this output directory (or journal) right now.

    A run holds an exclusive lock on its output directory for its whole life; a second run on
    the same directory refuses at once (nothing sent, nothing written) instead of waiting.

    Attributes:
        directory: the directory that is in use.
        holder: what the holder wrote into its lock file (``pid <n> on <host>``), when readable.
    """

    def __init__(self, directory: str, holder: str | None) -> None:
        self.directory = directory
        self.holder = holder
        who = f" ({holder})" if holder else ""
        super().__init__(
            f"another cannon-studio batch run{who} is using {directory}; "
            "wait for it to end, or give this run another output directory"
        )


class BatchStorageError(CannonError):
    """Local storage refused a write: the disk is full, the directory is read-only or gone, or
    the journal cannot be written. The run stops; every job keeps its journaled state; free
    space (or fix the directory) and run the same command again to resume.

    Attributes:
        path: the file or directory that could not be written.
        reason: what the operating system or SQLite said (``database or disk is full``,
            ``[Errno 28] No space left on device``...).
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


class BatchRerunError(BatchJournalError):
    """The API answered this run's first create of a job with a request created before the run
    started: the same file (same batch id, hence the same idempotency keys) was run before,
    and the API handed back the earlier request instead of generating anew (nothing charged).

    Re-using the earlier requests is allowed only when asked for (``reuse_requests=True``,
    ``--reuse-requests``); to generate anew, give the run a new batch id (``batch_id=``,
    ``--batch-id``).

    Attributes:
        batch_id: the batch id the keys were derived from.
        job_id: the job whose create was answered with an earlier request.
        request_id: that earlier request.
    """

    def __init__(self, batch_id: str, job_id: str, request_id: str) -> None:
        self.batch_id = batch_id
        self.job_id = job_id
        self.request_id = request_id
        super().__init__(
            f"this file was already run as batch {batch_id}: the API answered job {job_id} with "
            f"request {request_id}, created before this run (nothing was charged); re-use those "
            "requests with --reuse-requests, or start a new batch with --batch-id NEW_ID"
        )
