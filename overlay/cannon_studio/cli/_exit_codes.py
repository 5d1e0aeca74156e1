"""Exit codes and the translation of library errors into short command-line messages.

No user error ends in a traceback: every :class:`cannon_studio.CannonError` (and bad local input)
becomes a :class:`CliError` with a one-line message and the documented exit code. Messages are
built from the error's own text, field and allowed values, never from the API key or the webhook
secret.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import IntEnum
from typing import IO, Any

import click
import httpx2

import cannon_studio as cs

__all__ = [
    "RERUN_META_KEY",
    "CliError",
    "DetailedBadParameter",
    "DetailedUsageError",
    "ExitCode",
    "click_error_details",
    "json_error",
    "remember_rerun",
    "translate_errors",
]

RERUN_META_KEY = "cannon_studio.rerun_argv"
"""``click.Context.meta`` key of the argv that re-runs the current create (without its key)."""


def remember_rerun(ctx: click.Context, argv: Sequence[str]) -> None:
    """Record the command line that re-runs this create, minus any ``--idempotency-key``.

    When the create then fails with an unknown outcome, the error message prints it with the
    key the client sent, so running it again returns the same request instead of charging twice.
    """
    ctx.meta[RERUN_META_KEY] = list(argv)


def _rerun_command(exc: BaseException) -> str | None:
    key = getattr(exc, "idempotency_key", None)
    ctx = click.get_current_context(silent=True)
    argv = ctx.meta.get(RERUN_META_KEY) if ctx is not None else None
    if not isinstance(key, str) or not argv:
        return None
    return shlex.join(["cannon-studio", *argv, "--idempotency-key", key])


class ExitCode(IntEnum):
    """Process exit codes of ``cannon-studio`` (documented in ``--help``)."""

    SUCCESS = 0
    """Everything asked for succeeded."""
    REQUEST_FAILED = 1
    """A request ended ``failed`` (or, for ``download``, has not succeeded); a webhook did not verify."""
    USAGE = 2
    """Bad flags or arguments, unknown operation, bad field value, missing API key or secret."""
    API_ERROR = 3
    """The API answered with an error status (4xx/5xx) or could not be reached."""
    TIMEOUT = 4
    """The ``--timeout`` deadline passed while waiting, or an HTTP call timed out."""
    STORAGE = 5
    """``batch``: local storage refused a write (full disk, read-only directory, a journal that
    cannot be written); every job's state is kept, the resume command is printed."""
    IN_USE = 6
    """``batch``: another run holds the output directory (one driver per directory)."""
    INTERRUPTED = 130
    """Ctrl-C (the conventional 128 + SIGINT)."""
    TERMINATED = 143
    """``batch`` stopped by SIGTERM (128 + 15), handled like Ctrl-C: state kept, resume printed."""


def json_error(message: str, exit_code: int, details: dict[str, Any] | None = None) -> str:
    """The documented ``--json`` error object: ``{"error": {"message", "exit_code", ...}}``."""
    payload = {"message": message, "exit_code": int(exit_code), **(details or {})}
    return json.dumps({"error": payload}, default=str)


class DetailedUsageError(click.UsageError):
    """A usage error (exit code 2) that also carries machine-readable ``details`` for ``--json``
    (``type``, ``operation``, ``field``, ``allowed``...)."""

    def __init__(self, message: str, ctx: click.Context | None = None, **details: Any) -> None:
        super().__init__(message, ctx)
        self.details = {key: value for key, value in details.items() if value is not None}


class DetailedBadParameter(click.BadParameter):
    """A bad option value (exit code 2) with ``details`` for ``--json`` (see above)."""

    def __init__(
        self,
        message: str,
        ctx: click.Context | None = None,
        param: click.Parameter | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message, ctx, param)
        self.details = {key: value for key, value in details.items() if value is not None}


def click_error_details(exc: click.ClickException) -> dict[str, Any]:
    """``type`` and the other ``--json`` fields of one of click's own errors."""
    details: dict[str, Any] = {"type": type(exc).__name__}
    details.update(getattr(exc, "details", {}))
    return details


class CliError(click.ClickException):
    """A user-facing failure: one message on stderr, optionally a JSON object on stdout.

    Args:
        message: the human message (printed as ``Error: <message>`` on stderr).
        exit_code: an :class:`ExitCode`.
        details: extra machine-readable fields (``field``, ``allowed``, ``status_code``,
            ``request_id``...) for ``--json`` output.
        json_output: also print ``{"error": {...}}`` on stdout (set when ``--json`` is on).
    """

    def __init__(
        self,
        message: str,
        exit_code: ExitCode,
        *,
        details: dict[str, Any] | None = None,
        json_output: bool = False,
    ) -> None:
        super().__init__(message)
        # click declares exit_code as a class-level default; each CliError carries its own.
        self.exit_code = int(exit_code)  # type: ignore[misc]
        self.details = details or {}
        self.json_output = json_output

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the message to stderr (and the JSON error object to stdout in ``--json`` mode)."""
        if self.json_output:
            click.echo(json_error(self.message, self.exit_code, self.details))
        click.echo(f"Error: {self.message}", err=True)


def _api_error_message(exc: Any) -> tuple[str, dict[str, Any]]:
    status_code = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    details: dict[str, Any] = {"type": type(exc).__name__, "status_code": status_code}
    text = str(getattr(exc, "message", "") or exc)
    if isinstance(body, dict):
        for key in ("code", "field", "allowed", "request_id"):
            if body.get(key) is not None:
                details[key] = body[key]
        text = str(body.get("error") or text)
    message = f"API error {status_code}: {text}" if status_code else text
    if details.get("field"):
        message += f" (field: {details['field']}"
        if details.get("allowed"):
            message += "; allowed: " + ", ".join(str(v) for v in details["allowed"])
        message += ")"
    hints = {
        401: "check --api-key or CANNON_API_KEY",
        402: "the account has too few credits; `cannon-studio status` shows the balance",
        403: "the API key lacks the scope for this call",
        404: "unknown id, or the request belongs to another API key",
        429: "rate limited; try again later",
    }
    if isinstance(status_code, int) and status_code in hints:
        message += f" ({hints[status_code]})"
    return message, details


@contextmanager
def translate_errors(
    *,
    json_output: bool = False,
    describe_field: Callable[[str], str] | None = None,
) -> Iterator[None]:
    """Turn library errors raised inside the block into :class:`CliError` with the right exit code.

    Args:
        json_output: the ``--json`` flag (errors then also go to stdout as JSON).
        describe_field: maps an ``InputValidationError.field`` (e.g. ``input.aspect_ratio``) to
            a label naming the command-line flag; defaults to the field itself.

    Raises:
        CliError: for every ``CannonError`` and ``KeyboardInterrupt``; other exceptions pass
            (they are bugs and keep their traceback).
    """

    def fail(
        message: str, exit_code: ExitCode, /, exc: BaseException | None = None, **details: Any
    ) -> CliError:
        rerun = _rerun_command(exc) if exc is not None else None
        if rerun is not None:
            message += (
                "\nThe request may have been created. Re-run exactly this to get it back "
                f"(it is charged at most once):\n  {rerun}"
            )
            details.update(idempotency_key=getattr(exc, "idempotency_key", None), rerun=rerun)
        request_id = getattr(exc, "request_id", None)
        if request_id and "request_id" not in details:
            details["request_id"] = request_id
        return CliError(message, exit_code, details=details, json_output=json_output)

    try:
        yield
    except CliError:
        raise
    except KeyboardInterrupt:
        raise fail("interrupted", ExitCode.INTERRUPTED) from None
    except cs.InputValidationError as exc:
        field = getattr(exc, "field", None)
        allowed = getattr(exc, "allowed", None)
        label = describe_field(field) if (describe_field and field) else field
        message = str(exc)
        if label and label not in message:
            message = f"{label}: {message}"
        if allowed and "allowed" not in message.lower():
            message += "; allowed values: " + ", ".join(str(v) for v in allowed)
        raise fail(
            message,
            ExitCode.USAGE,
            type="InputValidationError",
            operation=getattr(exc, "operation", None),
            field=field,
            allowed=list(allowed) if allowed else None,
        ) from None
    except cs.ConfigurationError as exc:
        raise fail(str(exc), ExitCode.USAGE, type="ConfigurationError") from None
    except cs.RequestFailedError as exc:
        request = getattr(exc, "request", None)
        request_id = getattr(request, "id", None)
        reason = getattr(exc, "error_message", None) or str(exc)
        message = f"request {request_id} failed: {reason}" if request_id else str(exc)
        raise fail(
            message, ExitCode.REQUEST_FAILED, type="RequestFailedError", request_id=request_id
        ) from None
    except cs.WaitTimeoutError as exc:
        request_id = getattr(exc, "request_id", None)
        message = str(exc)
        if request_id:
            message += f" (resume with: cannon-studio wait {request_id})"
        raise fail(
            message, ExitCode.TIMEOUT, type="WaitTimeoutError", request_id=request_id
        ) from None
    except cs.APITimeoutError as exc:
        raise fail(
            f"the API did not answer in time: {exc}",
            ExitCode.TIMEOUT,
            exc=exc,
            type="APITimeoutError",
        ) from None
    except cs.APIConnectionError as exc:
        raise fail(
            f"cannot reach the API: {exc}", ExitCode.API_ERROR, exc=exc, type="APIConnectionError"
        ) from None
    except cs.APIStatusError as exc:
        message, details = _api_error_message(exc)
        raise fail(message, ExitCode.API_ERROR, exc=exc, **details) from None
    except cs.WebhookVerificationError as exc:
        raise fail(
            f"webhook did not verify: {exc}", ExitCode.REQUEST_FAILED, type=type(exc).__name__
        ) from None
    except cs.CannonError as exc:
        raise fail(str(exc), ExitCode.API_ERROR, exc=exc, type=type(exc).__name__) from None
    except httpx2.HTTPError as exc:  # e.g. an asset host that refuses the download
        raise fail(f"HTTP error: {exc}", ExitCode.API_ERROR, type=type(exc).__name__) from None
    except OSError as exc:  # a download directory that cannot be written, an unreadable file
        raise fail(
            f"{exc.strerror or exc}: {exc.filename}", ExitCode.USAGE, type="OSError"
        ) from None


EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  request failed (or, for download, has not succeeded); webhook did not verify
  2  usage error: bad flags, unknown operation, bad field value, missing API key
  3  API error: the API answered 4xx/5xx, or could not be reached
  4  timeout: --max-wait passed while waiting, or an HTTP call timed out
  130  interrupted (Ctrl-C; the request keeps running, `wait` resumes it)
\b
Environment: CANNON_API_KEY, CANNON_BASE_URL (default https://www.cannonstudio.app),
CANNON_WEBHOOK_SECRET, CANNON_LOG=debug|info.
"""
