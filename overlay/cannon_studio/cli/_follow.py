"""Following requests to the end: wait with the progress display, print, download."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console

from cannon_studio import RequestFailedError
from cannon_studio.cli._exit_codes import (
    CliError,
    ExitCode,
)
from cannon_studio.cli._render import (
    echo_json,
    file_rows,
    human_size,
    render_request,
    request_dict,
)
from cannon_studio.cli._state import (
    AppState,
)


def _wait_kwargs(timeout: float | None, on_update: Callable[[Any], None]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"on_update": on_update}
    if timeout is not None:
        kwargs["max_wait"] = timeout
    return kwargs


def _follow_one(
    state: AppState, handle: Any, *, timeout: float | None, download_dir: Path | None
) -> None:
    """Wait for one request with the progress display, print it, download its assets."""
    progress = state.progress()
    failed = False
    with _interrupt_hint(state, [handle.id]):
        progress.add(handle.id, handle.operation, handle.status)
        with progress:
            try:
                handle.wait(**_wait_kwargs(timeout, progress.update))
            except RequestFailedError:
                failed = True
            progress.update(handle)
        _print_finished(state, handle, download_dir=download_dir, failed=failed)


@contextmanager
def _interrupt_hint(state: AppState, request_ids: Sequence[str]) -> Iterator[None]:
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


def _download(state: AppState, handle: Any, directory: Path, *, spinner: bool = True) -> list[Path]:
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


def _print_finished(
    state: AppState,
    handle: Any,
    *,
    download_dir: Path | None,
    failed: bool,
    lines: bool = False,
    out: Console | None = None,
) -> None:
    data = request_dict(handle)
    failed = failed or data.get("status") == "failed"
    assets = [] if failed else list(handle.asset_urls())
    downloads = (
        _download(state, handle, download_dir, spinner=out is None)
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


def _as_completed(
    client: Any, handles: list[Any], timeout: float | None, on_update: Callable[[Any], None]
) -> Iterator[Any]:
    yield from client.requests.as_completed(handles, **_wait_kwargs(timeout, on_update))
