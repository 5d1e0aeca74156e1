"""Errors of the batch runner: a bad job file, an unusable journal, a stopped run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .._errors import CannonError

__all__ = ["BatchFileError", "BatchJournalError", "FileProblem"]


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
