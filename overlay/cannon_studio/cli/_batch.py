"""``cannon-studio batch``: run a job file durably, show a journal, merge shard reports.

\b
cannon-studio batch FILE --out DIR|s3://BUCKET/PREFIX [--concurrency N] [--max-credits N] [--shard K/N]
                       [--retry-failed] [--batch-id ID] [--reuse-requests] [--journal PATH]
                       [--storage-option KEY=VALUE] [--html PAGE] [--json]
cannon-studio batch status DIR [--html PAGE] [--json]
cannon-studio batch report DIR_OR_REPORT... [--output FILE] [--html PAGE] [--json]
cannon-studio batch example > jobs.jsonl

Exit codes: 0 every job succeeded; 1 some failed, were skipped, held back by the budget or are
unfinished; 2 bad file (the line and field named, nothing sent), unusable journal, or a file
already run as a batch (--reuse-requests or --batch-id decides); 3 the API could not be
reached or refused the key; 5 local storage refused a write (disk full, read-only directory,
journal not writable: state kept, resume command printed); 6 another run is using DIR;
130 interrupted by Ctrl-C, 143 by SIGTERM (run the same command to resume).
"""

from __future__ import annotations

import asyncio
import shlex
import signal
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cannon_studio import AsyncCannon, CannonError, ConfigurationError
from cannon_studio.batch import (
    DEFAULT_CONCURRENCY,
    JOURNAL_NAME,
    BatchFileError,
    BatchJournalError,
    BatchLockedError,
    BatchStoppedError,
    BatchStorageError,
    BatchSummary,
    ReportRow,
    Shard,
    arun_batch,
    example_pipeline,
    journal_location,
    merge_reports,
    open_journal,
    read_report,
    write_html_report,
)
from cannon_studio.batch._claims import queue_status
from cannon_studio.batch._html_live import LiveHtmlReport
from cannon_studio.batch._journal_postgres import is_postgres_url
from cannon_studio.batch._previews import previews_note
from cannon_studio.batch._report import report_rows, summarize, write_report
from cannon_studio.batch._storage import (
    ObjectStore,
    Output,
    is_remote,
    journal_for,
    open_output,
    read_report_from,
)
from cannon_studio.cli._batch_output import (
    OUT_HELP,
    STORAGE_OPTION,
    out_value,
    report_page_in_store,
    report_place,
    resume_storage_words,
    storage_options,
)
from cannon_studio.cli._batch_progress import BatchProgress, state_style
from cannon_studio.cli._exit_codes import CliError, ExitCode
from cannon_studio.cli._render import echo_json
from cannon_studio.cli._state import AppState, current_state, shared_options

__all__ = ["batch"]

MAX_LISTED = 20
"""Batches up to this size get a row per job at the end; larger ones list this many of the
jobs that did not succeed (the report has them all)."""


SUMMARY_JSON_HELP = "Print the summary as JSON on stdout."
"""The help of ``--json`` on the batch commands."""


class _BatchGroup(click.Group):
    """``batch FILE ...`` runs a file; ``batch status|report ...`` are sub-commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_BatchGroup, epilog=__doc__.split("\n\n", 2)[2] if __doc__ else None)
def batch() -> None:
    """Run a JSON Lines job file durably: resumable after any stop, never charged twice.

    \b
    cannon-studio batch jobs.jsonl --out runs/spring
    cannon-studio batch status runs/spring
    cannon-studio batch report runs/shard-1 runs/shard-2 --output merged.jsonl
    cannon-studio batch report runs/spring --html runs/spring/report.html

    One job per line: {"id": "clip-1", "operation": "video.generate", "input": {...}}; an input
    value may be {"from": "<job id>", "output": "<output field>"}. Files go to DIR/<job id>/,
    the journal to DIR/journal.sqlite, the report to DIR/report.jsonl.
    """


def _resume_command(file: Path, out: str | Path, options: dict[str, Any]) -> str:
    words = ["cannon-studio", "batch", str(file), "--out", str(out)]
    for flag, value in options.items():
        if value is None or value is False:
            continue
        words += [flag] if value is True else [flag, str(value)]
    return shlex.join(words)


def _jobs_table(rows: Sequence[ReportRow], title: str) -> Table:
    table = Table(show_edge=False, title=title, title_justify="left")
    for name in ("job", "operation", "state", "request id", "credits", "seconds", "files", "error"):
        table.add_column(
            name, overflow="fold", justify="right" if name in ("credits", "seconds") else "left"
        )
    for row in rows:
        table.add_row(
            Text(row.id),
            Text(row.operation),
            Text(row.state, style=state_style(row.state)),
            Text(row.request_id or ""),
            Text("" if row.credits is None else str(row.credits)),
            Text("" if row.seconds is None else f"{row.seconds:.1f}"),
            Text(", ".join(str(f["path"]).split("/", 1)[-1] for f in row.files)),
            Text(row.error or "", style="red"),
        )
    return table


def _render_summary(console: Console, summary: BatchSummary, rows: Sequence[ReportRow]) -> None:
    """Every job when there are at most ``MAX_LISTED``; else the counts per state and the jobs
    that did not succeed; then credits, held and time."""
    if len(rows) <= MAX_LISTED:
        console.print(_jobs_table(rows, "jobs"))
    else:
        table = Table(title="jobs per state", title_justify="left", show_edge=False)
        table.add_column("state")
        table.add_column("jobs", justify="right")
        for state, count in summary.counts.items():
            if count:
                table.add_row(Text(state, style=state_style(state)), str(count))
        table.add_row(Text("total", style="bold"), str(summary.jobs))
        console.print(table)
        not_ok = [row for row in rows if row.state != "succeeded"]
        if not_ok:
            console.print(_jobs_table(not_ok[:MAX_LISTED], "not succeeded"))
        if len(not_ok) > MAX_LISTED:
            console.print(
                f"... and {len(not_ok) - MAX_LISTED} more (see the report)", highlight=False
            )
    counts = ", ".join(f"{n} {state}" for state, n in summary.counts.items() if n)
    line = f"{summary.jobs} jobs: {counts}; credits charged: {summary.credits}"
    if summary.held:
        line += f"; held back by the budget: {summary.held}"
    if summary.elapsed_s:
        line += f"; {summary.elapsed_s:.1f} s"
    console.print(Text(line))


HTML_HELP = (
    "Also write the HTML report: offline pages, a card per job with its preview "
    "(poster frames and waveforms need the [report] extra)."
)


def _html_option(more: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--html PAGE`` (the page's path), with ``more`` added to its help."""
    return click.option(
        "--html",
        "html_page",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="PAGE",
        help=f"{HTML_HELP} {more}".strip(),
    )


def _write_html(state: AppState, sources: Sequence[Path], page: Path, **options: Any) -> None:
    """Write the HTML report of ``sources`` to ``page``; a missing PyAV is one line on stderr."""
    try:
        write_html_report(list(sources), page, **options)
    except (BatchJournalError, OSError, ValueError) as exc:
        raise CliError(
            f"cannot write the HTML report {page}: {exc}", ExitCode.USAGE, json_output=state.json
        ) from None
    note = previews_note()
    if note:
        state.err.print(Text(note, style="yellow"))
    if not state.json:
        state.out.print(f"HTML report: {page}", highlight=False)


def _file_error(exc: BatchFileError, json_output: bool) -> CliError:
    lines = [str(p) for p in exc.problems[:MAX_LISTED]]
    if len(exc.problems) > MAX_LISTED:
        lines.append(f"... and {len(exc.problems) - MAX_LISTED} more")
    message = f"{exc}\n  " + "\n  ".join(lines) + "\nnothing was sent"
    details = {
        "type": "BatchFileError",
        "problems": [
            {"line": p.line, "field": p.field, "message": p.message, "job_id": p.job_id}
            for p in exc.problems
        ],
    }
    return CliError(message, ExitCode.USAGE, details=details, json_output=json_output)


@shared_options(json_help=SUMMARY_JSON_HELP)
@batch.command("run", hidden=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR|s3://BUCKET/PREFIX",
    callback=out_value,
    help=OUT_HELP,
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Jobs in flight at once.",
)
@click.option(
    "--max-credits",
    type=click.IntRange(min=0),
    metavar="N",
    help="Stop creating jobs once N credits are charged (in-flight jobs still finish).",
)
@click.option("--shard", metavar="K/N", help="Run only the K-th of N disjoint parts of the file.")
@click.option("--retry-failed", is_flag=True, help="Create new requests for failed jobs.")
@click.option("--batch-id", metavar="ID", help="Id the idempotency keys derive from.")
@click.option(
    "--reuse-requests",
    is_flag=True,
    help="Re-use the requests of an earlier run of the same file (same batch id) instead of "
    "stopping when the API answers with them.",
)
@click.option(
    "--journal",
    "journal_path",
    metavar="PATH|URL",
    help=f"Journal file (default DIR/{JOURNAL_NAME}), or a postgresql:// URL (password from "
    "PGPASSWORD or ~/.pgpass; needs cannon-studio[postgres]).",
)
@STORAGE_OPTION
@_html_option("Rewritten as jobs change while the run goes (a live view).")
@click.option(
    "--webhook-listen",
    metavar="HOST:PORT",
    help="Wait on webhooks: listen for the API's deliveries on HOST:PORT (0.0.0.0:8080); "
    "polling stays on as a safety net. Secret from CANNON_WEBHOOK_SECRET; needs "
    "cannon-studio[webhooks].",
)
@click.option(
    "--webhook-url",
    metavar="URL",
    help="The public URL the API reaches --webhook-listen at (a reverse proxy or tunnel); "
    "default: http://HOST:PORT/webhooks/cannon.",
)
def run_command(
    file: Path,
    out_dir: str | Path,
    concurrency: int,
    max_credits: int | None,
    shard: str | None,
    retry_failed: bool,
    batch_id: str | None,
    reuse_requests: bool,
    journal_path: str | None,
    storage_option: tuple[str, ...],
    html_page: Path | None,
    webhook_listen: str | None,
    webhook_url: str | None,
) -> None:
    """Run (or resume) FILE; see `cannon-studio batch --help`."""
    state = current_state()
    part: Shard | None = None
    if shard is not None:
        try:
            part = Shard.parse(shard)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--shard") from None
    listen = _listen_address(webhook_listen, webhook_url)
    options = storage_options(storage_option, out_dir)
    try:
        out = open_output(out_dir, options)
        journal_for(out, journal_path)
    except (BatchStorageError, BatchJournalError) as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None
    resume = _resume_command(
        file,
        out_dir,
        {
            "--concurrency": concurrency if concurrency != DEFAULT_CONCURRENCY else None,
            "--max-credits": max_credits,
            "--shard": shard,
            "--batch-id": batch_id,
            "--reuse-requests": reuse_requests,
            "--journal": None if journal_path is None else journal_location(journal_path),
            "--webhook-listen": webhook_listen,
            "--webhook-url": webhook_url,
        },
    )
    if extra := resume_storage_words(options):
        resume += " " + shlex.join(extra)
    progress = BatchProgress(
        state.err, live=state.live_progress, counts=_current_counts(out_dir, journal_path)
    )
    live_page = (
        LiveHtmlReport(html_page, out, journal_path=journal_path)
        if html_page and isinstance(out, Path)
        else None
    )

    def on_event(event: Any) -> None:
        progress(event)
        if live_page is not None:
            live_page(event)

    try:
        with progress:
            summary = asyncio.run(
                _run(
                    state,
                    file,
                    out,
                    concurrency=concurrency,
                    max_credits=max_credits,
                    shard=part,
                    retry_failed=retry_failed,
                    batch_id=batch_id,
                    reuse_requests=reuse_requests,
                    journal_path=journal_path,
                    on_event=on_event,
                    webhooks=None if listen is None else (*listen, webhook_url),
                )
            )
    except BatchFileError as exc:
        raise _file_error(exc, state.json) from None
    except BatchLockedError as exc:
        raise CliError(str(exc), ExitCode.IN_USE, json_output=state.json) from None
    except BatchStorageError as exc:
        raise CliError(
            f"{exc}; nothing was lost. Free space or fix the directory (or the bucket), then "
            f"resume with: {resume}",
            ExitCode.STORAGE,
            details={"resume": resume},
            json_output=state.json,
        ) from None
    except (BatchJournalError, ConfigurationError, ValueError) as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None
    except BatchStoppedError as exc:
        _print_result(state, exc.summary, out)
        storage = isinstance(exc.cause, BatchStorageError)
        message = (
            f"{exc.cause}; every job's state is in the journal. Free space or fix the "
            f"directory (or the bucket), then resume with: {resume}"
            if storage
            else f"{exc}\nresume with: {resume}"
        )
        raise CliError(
            message,
            ExitCode.STORAGE if storage else ExitCode.API_ERROR,
            details={"summary": exc.summary.to_dict(), "resume": resume},
        ) from None
    except (KeyboardInterrupt, _Terminated) as exc:
        rows = _report_rows(out)
        summary = summarize(rows, interrupted=True, out_dirs=[str(out)])
        _print_result(state, summary, out)
        terminated = isinstance(exc, _Terminated)
        raise CliError(
            f"{'terminated (SIGTERM)' if terminated else 'interrupted'}; every job's state is "
            f"in the journal. resume with: {resume}",
            ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED,
            details={"resume": resume},
        ) from None
    except CannonError as exc:
        raise CliError(str(exc), ExitCode.API_ERROR, json_output=state.json) from None
    finally:
        if live_page is not None:
            live_page.close()
    _print_result(state, summary, out)
    if html_page is not None and isinstance(out, ObjectStore):
        page = report_page_in_store(out, journal_path, html_page, json_output=state.json)
        if not state.json:
            state.out.print(f"HTML report: {page}", highlight=False)
    elif html_page is not None and not state.json:
        state.out.print(f"HTML report: {html_page}", highlight=False)
    if summary.exit_code != 0:
        raise CliError(
            f"{summary.jobs - summary.counts['succeeded']} of {summary.jobs} job(s) did not "
            f"succeed; see {report_place(out)}"
            + (f" (resume or raise --max-credits: {resume})" if summary.held else ""),
            ExitCode.REQUEST_FAILED,
        )


def _current_counts(out_dir: str | Path, journal_path: str | None) -> dict[str, int] | None:
    where = journal_path or str(Path(out_dir) / JOURNAL_NAME)
    if "://" not in where and not Path(where).is_file():
        return None
    try:
        with open_journal(where, readonly=True) as journal:
            rows = list(journal.rows().values())
    except (BatchJournalError, BatchStorageError):
        return None
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    return counts


class _Terminated(Exception):
    """The run was stopped by SIGTERM (after the journal and report were written)."""


def _listen_address(listen: str | None, public_url: str | None) -> tuple[str, int] | None:
    """``--webhook-listen HOST:PORT`` as ``(host, port)`` (``None`` without it).

    Raises:
        click.BadParameter: not HOST:PORT with a port in 0-65535, or ``--webhook-url`` alone.
    """
    if listen is None:
        if public_url is not None:
            raise click.BadParameter(
                "--webhook-url needs --webhook-listen HOST:PORT (where to receive them)",
                param_hint="--webhook-url",
            )
        return None
    host, sep, port = listen.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise click.BadParameter(
            f"expected HOST:PORT (e.g. 0.0.0.0:8080), got {listen!r}", param_hint="--webhook-listen"
        )
    return host, int(port)


async def _run(
    state: AppState,
    file: Path,
    out_dir: Output,
    webhooks: tuple[str, int, str | None] | None = None,
    **options: Any,
) -> BatchSummary:
    """Run the batch; SIGTERM stops it like Ctrl-C (the running task is cancelled, every job
    keeps its journaled state, the report is written), then ``_Terminated`` is raised.
    ``webhooks``: ``(host, port, public_url)`` of a receiver the waits listen to."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    terminated: list[bool] = []

    def on_sigterm() -> None:
        terminated.append(True)
        if task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, on_sigterm)
        installed = True
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        installed = False
    try:
        async with AsyncCannon(api_key=state.api_key, base_url=state.base_url) as client:
            if webhooks is None:
                return await arun_batch(client, file, out_dir, **options)
            host, port, public_url = webhooks
            receiver = client.webhook_receiver(host=host, port=port, public_url=public_url)
            try:
                await receiver.start()
            except OSError as exc:
                raise ConfigurationError(
                    f"--webhook-listen {host}:{port}: cannot listen ({exc.strerror or exc})"
                ) from None
            try:
                return await arun_batch(client, file, out_dir, webhooks=receiver, **options)
            finally:
                await receiver.close()
    except asyncio.CancelledError:
        if terminated:
            raise _Terminated from None
        raise
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGTERM)


def _report_rows(out: Output) -> list[ReportRow]:
    """The report's rows as written at the end of the run (none when it cannot be read)."""
    try:
        return read_report_from(out)
    except (BatchStorageError, OSError, ValueError, KeyError):
        return []


def _print_result(state: AppState, summary: BatchSummary, out: Output) -> None:
    rows = _report_rows(out)
    if state.json:
        echo_json({"summary": summary.to_dict(), "report": report_place(out)})
        return
    _render_summary(state.out, summary, rows)
    state.out.print(f"report: {report_place(out)}", highlight=False)


@batch.command("example")
def example_command() -> None:
    """Print an example job file: six chained jobs, prompt to upscaled lip-synced video.

    \b
        cannon-studio batch example > jobs.jsonl
        cannon-studio batch jobs.jsonl --out runs/first
    """
    click.echo(example_pipeline(), nl=False)


@shared_options(api=False, json_help=SUMMARY_JSON_HELP)
@batch.command("status")
@click.argument("directory", metavar="DIRECTORY|URL")
@_html_option("While jobs are unfinished the page reloads itself every few seconds.")
def status_command(directory: str, html_page: Path | None) -> None:
    """Show the journal of DIRECTORY (or at a postgresql:// URL): jobs per state, credits,
    what did not succeed.

    Reads the journal read-only, so it works while a run is going.
    """
    state = current_state()
    where = directory if "://" in directory else str(Path(directory) / JOURNAL_NAME)
    try:
        with open_journal(where, readonly=True) as journal:
            rows = report_rows(journal)
            meta = journal.meta()
            events = journal.events(limit=5)
    except (BatchJournalError, BatchStorageError) as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None
    summary = summarize(rows, out_dirs=[journal_location(directory)])
    shared = _shared_status(state, directory)
    if html_page is not None:
        if "://" in directory:
            raise CliError(
                "--html reads an output directory; give the run's --out directory",
                ExitCode.USAGE,
                json_output=state.json,
            )
        _write_html(state, [Path(directory)], html_page, refresh_s=3.0)
    if state.json:
        echo_json(
            {
                "summary": summary.to_dict(),
                "batch_id": meta.get("batch_id"),
                "shard": meta.get("shard"),
                "recent": events,
                **(shared or {}),
            }
        )
        return
    state.out.print(
        Text(
            f"batch {meta.get('batch_id')}  shard {meta.get('shard')}  source {meta.get('source')}"
        )
    )
    _render_summary(state.out, summary, rows)
    if shared is not None:
        budget, workers = shared["budget"], shared["workers"]
        line = f"budget: {budget['charged']} of {budget['max_credits']} credits charged"
        if budget["max_credits"] is None:
            line = f"no budget; {budget['charged']} credits charged"
        held = ", ".join(f"{w} ({n})" for w, n in workers.items()) or "none"
        state.out.print(Text(f"{line}; workers holding jobs: {held}"))
    if events:
        state.out.print(Text("last changes:", style="bold"))
        for event in events:
            when = time.strftime("%H:%M:%S", time.localtime(float(event["at"])))
            line = f"  {when}  {event['job_id']}  {event['state']}"
            line += f"  {event['request_id']}" if event.get("request_id") else ""
            line += f"  {event['detail']}" if event.get("detail") else ""
            state.out.print(Text(line, style=state_style(str(event["state"]))))


def _shared_status(state: AppState, where: str) -> dict[str, Any] | None:
    """The budget and the workers of a batch loaded with ``batch submit`` (else None)."""
    if not is_postgres_url(where):
        return None
    try:
        return queue_status(where)
    except BatchStorageError as exc:
        raise CliError(str(exc), ExitCode.USAGE, json_output=state.json) from None


@shared_options(api=False, json_help=SUMMARY_JSON_HELP)
@batch.command("report")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCES...")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the merged report (JSON Lines) to this file.",
)
@STORAGE_OPTION
@_html_option("With one s3:// source the page goes under its prefix, named as PAGE's file name.")
def report_command(
    sources: Sequence[str],
    output: Path | None,
    html_page: Path | None,
    storage_option: tuple[str, ...],
) -> None:
    """Merge the reports of several runs (shards): output directories, report.jsonl files,
    a shared journal's postgresql:// URL, or s3://BUCKET/PREFIX outputs (their report.jsonl).

    A directory's journal is read when it has one (current even while a run is going).
    Exit code 0 when every job of every source succeeded, 1 otherwise.
    """
    state = current_state()
    remote = [s for s in sources if is_remote(s)]
    options = storage_options(storage_option, remote[0] if remote else sources[0])
    reports: list[list[ReportRow]] = []
    outs: list[Output] = []
    for source in sources:
        try:
            if is_remote(source):
                out = open_output(source, options)
                outs.append(out)
                reports.append(read_report_from(out, required=True))
            elif "://" in source:
                with open_journal(source, readonly=True) as journal:
                    reports.append(report_rows(journal))
            else:
                outs.append(Path(source))
                reports.append(read_report(Path(source)))
        except (BatchJournalError, BatchStorageError, OSError, ValueError, KeyError) as exc:
            raise CliError(
                f"cannot read a report from {journal_location(source)}: {exc}",
                ExitCode.USAGE,
                json_output=state.json,
            ) from None
    rows = merge_reports(reports)
    summary = summarize(rows, out_dirs=[str(s) for s in sources])
    if output is not None:
        write_report(rows, output)
    if html_page is not None:
        stores = [out for out in outs if isinstance(out, ObjectStore)]
        if stores and len(sources) > 1:
            raise CliError(
                "--html with an s3:// source takes that one source only",
                ExitCode.USAGE,
                json_output=state.json,
            )
        if stores:
            page = report_page_in_store(stores[0], None, html_page, json_output=state.json)
            if not state.json:
                state.out.print(f"HTML report: {page}", highlight=False)
        elif any("://" in source for source in sources):
            raise CliError(
                "--html reads output directories; give the workers' --out directories",
                ExitCode.USAGE,
                json_output=state.json,
            )
        else:
            _write_html(state, [Path(source) for source in sources], html_page)
    if state.json:
        echo_json({"summary": summary.to_dict(), "output": str(output) if output else None})
    else:
        _render_summary(state.out, summary, rows)
        if output is not None:
            state.out.print(f"merged report: {output}", highlight=False)
    if summary.exit_code != 0:
        raise CliError(
            f"{summary.jobs - summary.counts['succeeded']} of {summary.jobs} job(s) did not succeed",
            ExitCode.REQUEST_FAILED,
        )
