"""``cannon-studio batch submit`` and ``batch worker``: one batch on a shared PostgreSQL journal,
worked on by any number of processes and machines.

\b
cannon-studio batch submit FILE --journal URL [--max-credits N] [--batch-id ID] [--json]
cannon-studio batch worker --journal URL --out DIR|s3://BUCKET/PREFIX [--concurrency N]
                           [--lease SECONDS] [--worker-id ID] [--reuse-requests]
                           [--storage-option KEY=VALUE] [--json]

Exit codes as ``batch``: 0 done; 2 bad file or unusable journal; 3 the API could not be reached
or refused the key; 5 storage or the journal refused a write; 130 Ctrl-C, 143 SIGTERM (the
worker's claims are given back at once; start it again to go on).
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import click
from rich.text import Text

from cannon_studio import Cannon, CannonError, ConfigurationError
from cannon_studio.batch import (
    DEFAULT_CONCURRENCY,
    BatchFileError,
    BatchJournalError,
    BatchRerunError,
    BatchStorageError,
    SubmitSummary,
    WorkerSummary,
    journal_location,
    run_worker,
    submit_batch,
)
from cannon_studio.batch._journal_postgres import DEFAULT_LEASE_S, is_postgres_url
from cannon_studio.batch._storage import open_output
from cannon_studio.cli._batch import _file_error
from cannon_studio.cli._batch_output import STORAGE_OPTION, out_value, storage_options
from cannon_studio.cli._batch_progress import BatchProgress
from cannon_studio.cli._exit_codes import CliError, ExitCode
from cannon_studio.cli._render import echo_json
from cannon_studio.cli._state import current_state, shared_options

__all__ = ["shared_journal_commands"]

JOURNAL_HELP = (
    "The shared journal: a postgresql:// URL (password from PGPASSWORD or ~/.pgpass; needs "
    "cannon-studio[postgres])."
)


@shared_options(api=False, json_help="Print what was loaded as JSON on stdout.")
@click.command("submit")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--journal", "journal", required=True, metavar="URL", help=JOURNAL_HELP)
@click.option(
    "--max-credits",
    type=click.IntRange(min=0),
    metavar="N",
    help="The batch's budget across all workers (submitting again with a new N replaces it).",
)
@click.option("--batch-id", metavar="ID", help="Id the idempotency keys derive from.")
def submit_command(file: Path, journal: str, max_credits: int | None, batch_id: str | None) -> None:
    """Validate FILE line by line and load its jobs into the shared journal, once.

    Nothing is sent to the API: start workers with `cannon-studio batch worker`. The same file
    again loads nothing (the same batch id); another file needs another journal.
    """
    state = current_state()
    try:
        summary: SubmitSummary = submit_batch(
            file, journal, batch_id=batch_id, max_credits=max_credits
        )
    except BatchFileError as exc:
        raise _file_error(exc, state.json) from None
    except BatchStorageError as exc:
        raise CliError(str(exc), ExitCode.STORAGE, json_output=state.json) from None
    except (BatchJournalError, ValueError) as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None
    if state.json:
        echo_json(summary.to_dict())
        return
    where = journal_location(journal)
    if summary.already_submitted:
        line = (
            f"batch {summary.batch_id} is already in {where} ({summary.jobs} jobs); nothing loaded"
        )
    else:
        line = (
            f"batch {summary.batch_id}: {summary.loaded} jobs loaded into {where} "
            f"({summary.chained} take values from others) in {summary.elapsed_s:.1f} s"
        )
    if summary.max_credits is not None:
        line += f"; budget {summary.max_credits} credits"
    state.out.print(Text(line))
    state.out.print(
        Text(f"start workers anywhere: cannon-studio batch worker --journal {where} --out DIR")
    )


class _Terminated(BaseException):
    """SIGTERM reached the worker (handled like Ctrl-C)."""


@shared_options(json_help="Print this worker's summary as JSON on stdout.")
@click.command("worker")
@click.option("--journal", "journal", required=True, metavar="URL", help=JOURNAL_HELP)
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR|s3://BUCKET/PREFIX",
    callback=out_value,
    help="Directory for the files of the jobs this worker runs (DIR/<job id>/), or "
    "s3://BUCKET/PREFIX (needs cannon-studio[s3]).",
)
@STORAGE_OPTION
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Jobs in flight at once in this worker.",
)
@click.option(
    "--lease",
    "lease_s",
    type=click.FloatRange(min=0.5),
    default=DEFAULT_LEASE_S,
    show_default=True,
    metavar="SECONDS",
    help="How long a claim lasts without renewal: a dead worker's jobs wait this long.",
)
@click.option("--worker-id", metavar="ID", help="The id this worker claims under.")
@click.option(
    "--reuse-requests",
    is_flag=True,
    help="Re-use the requests an earlier run of the same batch id created.",
)
def worker_command(
    journal: str,
    out_dir: str | Path,
    concurrency: int,
    lease_s: float,
    worker_id: str | None,
    reuse_requests: bool,
    storage_option: tuple[str, ...],
) -> None:
    """Claim and run the jobs of a submitted batch until none is left; start as many as you like.

    Each job is driven by one worker at a time under a lease this worker renews; a dead
    worker's jobs are taken over when their lease expires and continue where they stopped
    (same idempotency key: never created or charged twice).
    """
    state = current_state()
    if not is_postgres_url(journal):
        raise CliError(
            "workers share a PostgreSQL journal (--journal postgresql://...); on one machine "
            "run cannon-studio batch FILE --out DIR",
            ExitCode.USAGE,
            json_output=state.json,
        )
    try:
        out = open_output(out_dir, storage_options(storage_option, out_dir))
    except BatchStorageError as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None
    progress = BatchProgress(state.err, live=state.live_progress)
    stop = threading.Event()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        with progress, Cannon(api_key=state.api_key, base_url=state.base_url) as client:
            summary: WorkerSummary = run_worker(
                client,
                journal,
                out=out,
                worker_id=worker_id,
                concurrency=concurrency,
                lease_s=lease_s,
                reuse_requests=reuse_requests,
                on_event=progress,
                stop=stop,
            )
    except (KeyboardInterrupt, _Terminated) as exc:
        terminated = isinstance(exc, _Terminated)
        raise CliError(
            f"{'terminated (SIGTERM)' if terminated else 'interrupted'}; this worker's jobs "
            "were given back to the journal. Start a worker again to go on.",
            ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED,
        ) from None
    except BatchRerunError as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None
    except BatchStorageError as exc:
        raise CliError(str(exc), ExitCode.STORAGE, json_output=state.json) from None
    except (BatchJournalError, ConfigurationError, ValueError) as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None
    except CannonError as exc:
        raise CliError(str(exc), ExitCode.API_ERROR, json_output=state.json) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if state.json:
        echo_json(summary.to_dict())
    else:
        done = ", ".join(f"{n} {s}" for s, n in sorted(summary.outcomes.items())) or "none"
        line = (
            f"worker {summary.worker_id}: {summary.claimed} claims; ended here: {done}; "
            f"credits {summary.credits}; {summary.elapsed_s:.1f} s"
        )
        if summary.held:
            line += f"; {summary.held} held back by the budget"
        state.out.print(Text(line))
    if summary.error is not None:
        raise CliError(
            f"{summary.error}; every job's state is in the journal: start a worker again to go on",
            ExitCode.STORAGE if summary.storage_error else ExitCode.API_ERROR,
        )


shared_journal_commands = (submit_command, worker_command)
"""The commands added to the ``batch`` group."""
