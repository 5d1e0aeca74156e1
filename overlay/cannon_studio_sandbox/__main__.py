"""``python -m cannon_studio_sandbox`` (also ``cannon-studio sandbox``, through the entry point
``cannon_studio.commands:sandbox``): run the sandbox server from the command line (argparse).

Without the ``[sandbox]`` extra, ``python -m cannon_studio_sandbox`` prints one sentence naming
the extra and exits 2, as ``cannon-studio sandbox`` does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .extra import missing_extra_sentence

try:
    from .config import DEFAULT_ACCOUNT, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET, SandboxConfig
    from .control import Sandbox
    from .guard import is_loopback
    from .ratelimit import parse_rate
    from .scopes import READ_ONLY
    from .server import base_url, bind, serve_forever
except ModuleNotFoundError as missing:
    _SENTENCE = missing_extra_sentence(missing)
    if _SENTENCE is None:
        raise
    if __name__ == "__main__":  # python -m cannon_studio_sandbox, without the extra
        print(f"error: {_SENTENCE}", file=sys.stderr)
        sys.exit(2)
    raise ImportError(_SENTENCE, name=__name__) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m cannon_studio_sandbox`` (and ``cannon-studio sandbox``)."""
    parser = argparse.ArgumentParser(
        prog="cannon-studio sandbox",
        description="Run the Cannon Studio sandbox: a local reference server for the API contract.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to bind (default 127.0.0.1); another than loopback needs "
        "--allow-non-loopback",
    )
    parser.add_argument(
        "--allow-non-loopback",
        action="store_true",
        help="allow a --host reachable from other machines (the sandbox is a development tool)",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name accepted in the Host header besides loopback and IP literals "
        "(repeatable; DNS-rebinding defence)",
    )
    parser.add_argument(
        "--control-token",
        default=None,
        metavar="TOKEN",
        help="token the control API (/_sandbox/*) asks for in x-sandbox-token "
        "(default: a random one, printed at start; at least 16 characters)",
    )
    parser.add_argument(
        "--port", type=int, default=8787, help="TCP port; 0 picks a free one (default 8787)"
    )
    parser.add_argument(
        "--api-key",
        default=DEFAULT_API_KEY,
        help="API key to accept (default: the development key)",
    )
    parser.add_argument(
        "--webhook-secret",
        default=DEFAULT_WEBHOOK_SECRET,
        help="whsec_... secret that signs webhooks",
    )
    parser.add_argument(
        "--instant",
        action="store_true",
        help="requests finish at once (no queue or processing time)",
    )
    parser.add_argument(
        "--credits", type=int, default=10_000, help="initial credits per account (default 10000)"
    )
    parser.add_argument(
        "--failure-rate", type=float, default=0.0, help="share of requests that fail, 0..1"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for durations, failures and faults"
    )
    parser.add_argument(
        "--read-only-key",
        action="append",
        default=[],
        metavar="KEY",
        help="also accept KEY with only the requests:read scope (same account; repeatable)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate,
        default=None,
        metavar="N/s",
        help="allow N requests per second per API key; more get 429 with Retry-After",
    )
    parser.add_argument(
        "--refund-failed",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="give the credits of failed requests back (default: --no-refund-failed)",
    )
    parser.add_argument(
        "--log-level", default="warning", help="uvicorn log level (default warning)"
    )
    return parser


def _rate(text: str) -> float:
    try:
        return parse_rate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    """The :class:`SandboxConfig` of parsed command-line arguments (see :func:`build_parser`).

    Raises:
        ValueError: inconsistent or invalid values (e.g. a read-only key equal to ``--api-key``).
    """
    read_only = [key for key in args.read_only_key if key != args.api_key]
    if len(read_only) != len(args.read_only_key):
        raise ValueError("--read-only-key must differ from --api-key")
    common = {
        "api_keys": {args.api_key: DEFAULT_ACCOUNT} | dict.fromkeys(read_only, DEFAULT_ACCOUNT),
        "key_scopes": dict.fromkeys(read_only, READ_ONLY),
        "webhook_secret": args.webhook_secret,
        "initial_credits": args.credits,
        "failure_rate": args.failure_rate,
        "seed": args.seed,
        "rate_limit_per_s": args.rate_limit,
        "refund_failed": args.refund_failed,
    }
    return SandboxConfig.instant(**common) if args.instant else SandboxConfig(**common)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m cannon_studio_sandbox --host 127.0.0.1 --port 8787 [--api-key KEY] [--instant]``.

    Also ``--read-only-key KEY`` (a key with only ``requests:read``), ``--rate-limit N/s`` and
    ``--refund-failed`` / ``--no-refund-failed``.

    Also ``--control-token TOKEN`` (default random), ``--allow-non-loopback`` (needed for a
    ``--host`` other than loopback; a warning is printed) and ``--allowed-host NAME``.

    Prints ``Cannon Studio sandbox on http://HOST:PORT  api key: KEY``, ``webhook secret: whsec_...``
    and ``control token: TOKEN`` (flushed) before serving; with ``--port 0`` the chosen port is
    printed. Serves until
    interrupted (Ctrl-C / SIGTERM). Returns the exit code (0; 2 for usage errors).
    """
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    read_only = [k for k, v in config.key_scopes.items() if "requests:write" not in v]
    if not is_loopback(args.host):
        if not args.allow_non_loopback:
            parser.print_usage(sys.stderr)
            print(
                f"error: --host {args.host} is reachable from other machines; the sandbox "
                "accepts a published development key. Add --allow-non-loopback if you mean it.",
                file=sys.stderr,
            )
            return 2
        print(
            f"WARNING: serving on {args.host}: anyone who can reach this port can use the "
            "sandbox's API key; keep the control token secret.",
            file=sys.stderr,
            flush=True,
        )
    try:
        sandbox = Sandbox(config, control_token=args.control_token)
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot bind {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    sandbox.guard.bind(args.host, port, args.allowed_host)
    print(
        f"Cannon Studio sandbox on {base_url(args.host, port)}  api key: {args.api_key}", flush=True
    )
    print(f"webhook secret: {args.webhook_secret}", flush=True)
    for key in read_only:
        print(f"read-only api key: {key}", flush=True)
    print(f"control token: {sandbox.control_token}  (header x-sandbox-token)", flush=True)
    serve_forever(sandbox.app, sock, args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
