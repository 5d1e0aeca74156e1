"""Following requests to the end, for ``run`` and ``wait``: wait with the progress display on
stderr, print each finished request on stdout, download its assets; Ctrl-C exits 130 with the
command that resumes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console

from cannon_studio import RequestFailedError
from cannon_studio.cli._exit_codes import CliError, ExitCode
from cannon_studio.cli._render import echo_json, file_rows, human_size, render_request, request_dict
from cannon_studio.cli._state import AppState

__all__ = ["as_completed", "download_assets", "follow_one", "interrupt_hint", "print_finished"]


def _wait_kwargs(timeout: float | None, on_update: Callable[[Any], None]) -> dict[str, Any]:
    """The keyword arguments of ``wait``/``as_completed``: ``max_wait`` only when given (else the
    client's default deadline applies)."""
    kwargs: dict[str, Any] = {"on_update": on_update}
    if timeout is not None:
        kwargs["max_wait"] = timeout
    return kwargs


def follow_one(
    state: AppState, handle: Any, *, timeout: float | None, download_dir: Path | None
) -> None:
    """Wait for one request with the progress display, print it, download its assets.

    Args:
        state: the command's state (consoles, ``--json``).
        handle: a ``RequestHandle``.
        timeout: the wait deadline in SECONDS, or ``None`` for the client's default.
        download_dir: where its assets go once it succeeds (``None``: not downloaded).

    Raises:
        CliError: the request failed (exit 1), or Ctrl-C (exit 130); library errors pass
            through to the caller's :meth:`AppState.errors`.
    """
    progress = state.progress()
    failed = False
    with interrupt_hint(state, [handle.id]):
        progress.add(handle.id, handle.operation, handle.status)
        with progress:
            try:
                handle.wait(**_wait_kwargs(timeout, progress.update))
            except RequestFailedError:
                failed = True
            progress.update(handle)
        print_finished(state, handle, download_dir=download_dir, failed=failed)


@contextmanager
def interrupt_hint(state: AppState, request_ids: Sequence[str]) -> Iterator[None]:
    """Ctrl-C while waiting: exit 130 and say how to pick the requests up again."""
    try:
        yield
    except KeyboardInterrupt:
        raise CliError(
            "interrupted; the request(s) keep running server-side "
            f"(resume with: cannon-studio wait {' '.join(request_ids)})",
            ExitCode.INTERRUPTED,
            json_output=state.json,
        ) from None


def download_assets(
    state: AppState, handle: Any, directory: Path, *, spinner: bool = True
) -> list[Path]:
    """Download a handle's assets into ``directory`` (a spinner with the byte count on a TTY,
    unless another live display is already running)."""
    directory.mkdir(parents=True, exist_ok=True)
    if not (spinner and state.live_progress):
        return list(handle.download(directory))
    label = f"downloading {handle.id} into {directory}"
    with state.err.status(label + " …") as status:

        def progress(done: int, total: int | None) -> None:
            status.update(
                f"{label}: {human_size(done)}" + (f" of {human_size(total)}" if total else "")
            )

        return list(handle.download(directory, progress=progress))


def print_finished(
    state: AppState,
    handle: Any,
    *,
    download_dir: Path | None,
    failed: bool,
    lines: bool = False,
    out: Console | None = None,
) -> None:
    """Print one finished request (its assets' URLs, the files downloaded into ``download_dir``).

    With ``lines`` (``wait``: one JSON object per line) a failed request is only printed;
    otherwise it raises ``CliError`` (exit 1) after printing. ``out`` replaces ``state.out`` (the
    live display's console) and turns off the download spinner.
    """
    data = request_dict(handle)
    failed = failed or data.get("status") == "failed"
    assets = [] if failed else list(handle.asset_urls())
    downloads = (
        download_assets(state, handle, download_dir, spinner=out is None)
        if (download_dir and not failed)
        else []
    )
    if state.json:
        echo_json(
            {"request": data, "assets": assets, "downloaded": file_rows(downloads)}, lines=lines
        )
    else:
        render_request(out or state.out, data, assets=assets, downloads=downloads)
    if failed and not lines:
        raise CliError(
            f"request {data.get('id')} failed: {data.get('errorMessage') or 'no error message'}",
            ExitCode.REQUEST_FAILED,
        )


def as_completed(
    client: Any, handles: list[Any], timeout: float | None, on_update: Callable[[Any], None]
) -> Iterator[Any]:
    """``client.requests.as_completed`` with the deadline (SECONDS) and the progress callback."""
    yield from client.requests.as_completed(handles, **_wait_kwargs(timeout, on_update))
