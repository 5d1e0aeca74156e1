"""The request commands: ``run OPERATION`` (create and follow), ``get``, ``wait``, ``download``.

Results go to stdout (one JSON object per line for ``wait --json``), progress to stderr; exit 1
when a request failed, 3 on an API error, 4 on the wait deadline, 130 on Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from cannon_studio import NotFoundError
from cannon_studio.cli._exit_codes import EXIT_CODES_HELP, CliError, ExitCode, remember_rerun
from cannon_studio.cli._fields import OperationInfo
from cannon_studio.cli._follow import (
    as_completed,
    download_assets,
    follow_one,
    interrupt_hint,
    print_finished,
)
from cannon_studio.cli._operation_commands import (
    RunGroup,
    describe_field,
    operation_input,
    rerun_argv,
)
from cannon_studio.cli._render import (
    echo_json,
    file_rows,
    model_dict,
    render_downloads,
    render_request,
    request_dict,
)
from cannon_studio.cli._state import (
    current_state,
    deprecated_timeout_option,
    resolve_max_wait,
    shared_options,
)

__all__ = ["download", "get", "run", "wait"]


def _run(op: OperationInfo, params: dict[str, Any]) -> None:
    state = current_state()
    payload = operation_input(op, params)
    remember_rerun(click.get_current_context(), rerun_argv(op))
    with state.errors(describe_field=describe_field(op)):
        client = state.client()
        handle = client.requests.create(
            op.id,
            payload,
            webhook_url=params.get("webhook_url"),
            idempotency_key=params.get("idempotency_key"),
        )
        if params.get("no_wait"):
            accepted = model_dict(getattr(handle, "accepted", None)) or request_dict(handle)
            if state.json:
                echo_json({"accepted": accepted})
            else:
                render_request(state.out, request_dict(handle))
                state.err.print(f"follow it with: cannon-studio wait {handle.id}", highlight=False)
            return
        follow_one(
            state,
            handle,
            timeout=resolve_max_wait(params.get("max_wait"), params.get("timeout_alias")),
            download_dir=params.get("download_dir"),
        )


@click.group(cls=RunGroup, action=_run, epilog=EXIT_CODES_HELP)
def run() -> None:
    """Create a request, follow it with a live progress display, print the output.

    \b
        cannon-studio run OPERATION [--FIELD VALUE ...] [--input FILE.json]
            [--webhook-url URL] [--idempotency-key KEY] [--no-wait] [--download DIR]
            [--max-wait SECONDS]

    Fields are the operation's input fields as kebab-case flags (aspect_ratio and aspectRatio
    are both --aspect-ratio). Arrays repeat the flag; objects take JSON text.
    `cannon-studio run OPERATION --help` lists them.
    """


@shared_options()
@click.command()
@click.argument("request_id")
def get(request_id: str) -> None:
    """Show a request: status, credits, output, asset URLs (exit code 1 if it failed)."""
    state = current_state()
    with state.errors():
        handle = state.client().requests.retrieve(request_id)
        data = request_dict(handle)
        failed = data.get("status") == "failed"
        assets = list(handle.asset_urls()) if data.get("status") == "succeeded" else []
    if state.json:
        echo_json({"request": data, "assets": assets})
    else:
        render_request(state.out, data, assets=assets)
    if failed:
        raise CliError(
            f"request {request_id} failed: {data.get('errorMessage')}", ExitCode.REQUEST_FAILED
        )


@shared_options()
@click.command()
@click.argument("request_ids", nargs=-1, required=True, metavar="REQUEST_ID...")
@click.option(
    "--max-wait",
    "max_wait",
    metavar="SECONDS",
    type=click.FloatRange(min=0, min_open=True),
    help="Give up after SECONDS for all of them (exit code 4).",
)
@click.option(
    "--download",
    "download_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    help="Download each succeeded request's assets into DIR/<request id>/.",
)
def wait(
    request_ids: Sequence[str],
    max_wait: float | None,
    download_dir: Path | None,
    timeout_alias: float | None = None,
) -> None:
    """Wait for one or more requests, printing each as it completes.

    With --json, prints one JSON object per line (JSON Lines) in completion order.
    Exit code 1 if any of them failed, 4 on timeout.
    """
    state = current_state()
    timeout = resolve_max_wait(max_wait, timeout_alias)
    ids = list(dict.fromkeys(request_ids))
    any_failed = False
    unknown: list[str] = []
    with state.errors():
        client = state.client()
        handles = []
        for rid in ids:
            try:
                handles.append(client.requests.retrieve(rid))
            except NotFoundError:
                unknown.append(rid)  # reported after the results of the others
        progress = state.progress()
        for h in handles:
            progress.add(h.id, h.operation, h.status)
        # results go to stdout as they complete; above the live display when both are a terminal
        out = progress.console if (progress.is_live and state.out.is_terminal) else state.out
        with interrupt_hint(state, ids), progress:
            for handle in as_completed(client, handles, timeout, progress.update):
                progress.update(handle)
                failed = request_dict(handle).get("status") == "failed"
                any_failed = any_failed or failed
                print_finished(
                    state,
                    handle,
                    download_dir=download_dir / handle.id if download_dir else None,
                    failed=failed,
                    lines=True,
                    out=out,
                )
    if unknown:
        failed_too = "; at least one other request failed" if any_failed else ""
        raise CliError(
            f"no request {', '.join(repr(rid) for rid in unknown)} for this API key (unknown "
            f"id, or the request belongs to another API key){failed_too}",
            ExitCode.API_ERROR,
            details={"type": "NotFoundError", "status_code": 404, "request_ids": unknown},
            json_output=state.json,
        )
    if any_failed:  # the failed requests are in the output (JSON lines with --json)
        raise CliError("at least one request failed", ExitCode.REQUEST_FAILED)


wait.params.append(deprecated_timeout_option())


@shared_options()
@click.command()
@click.argument("request_id")
@click.argument("directory", type=click.Path(file_okay=False, writable=True, path_type=Path))
def download(request_id: str, directory: Path) -> None:
    """Download the assets of a succeeded request into DIRECTORY (created if missing)."""
    state = current_state()
    with state.errors():
        handle = state.client().requests.retrieve(request_id)
        data = request_dict(handle)
        if data.get("status") != "succeeded":
            reason = data.get("errorMessage") if data.get("status") == "failed" else None
            hint = f": {reason}" if reason else f" (wait for it: cannon-studio wait {request_id})"
            raise CliError(
                f"request {request_id} is {data.get('status')}, not succeeded{hint}",
                ExitCode.REQUEST_FAILED,
                json_output=state.json,
                details={"request_id": request_id, "status": data.get("status")},
            )
        paths = download_assets(state, handle, directory)
    if state.json:
        echo_json({"request_id": request_id, "downloaded": file_rows(paths)})
    elif paths:
        render_downloads(state.out, paths)
    else:
        state.out.print(f"{request_id} has no assets to download")
