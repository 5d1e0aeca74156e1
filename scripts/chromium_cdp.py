"""A real headless Chromium driven over the DevTools protocol (the HTML report's tests and
benchmark).

Debian's ``chromium`` (``.ci/run`` installs it) is started with a fresh profile, no network of
its own (no background services, a proxy to nowhere and a resolver that finds no host), and a
DevTools port the browser picks. ``Page`` records what a person would notice: console errors,
uncaught exceptions, CSP violations, and every request the page makes.

Needs the ``websocket-client`` package (in the ``dev`` extra) and Debian's chromium; never
downloads a browser. ``ChromiumMissing`` says how to install it.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import websocket

CHROMIUM_NAMES = ("chromium", "chromium-browser")
START_TIMEOUT_S = 30.0
CALL_TIMEOUT_S = 30.0

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    # No request may leave: every host resolves to nothing and every proxied request goes to a
    # closed loopback port (the page loads file:// URLs only, which use neither).
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


class ChromiumMissing(RuntimeError):
    """No chromium executable on PATH."""


def chromium_path() -> str:
    """The chromium executable.

    Raises:
        ChromiumMissing: none is installed (the message says how to install it).
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing(
        "chromium is not installed: the HTML report's browser tests and benchmark need "
        "Debian's chromium (apt-get update && apt-get install -y chromium; .ci/run installs it)"
    )


class Page:
    """One browser tab over a flattened DevTools session."""

    def __init__(self, ws: websocket.WebSocket, session_id: str) -> None:
        self._ws = ws
        self._session = session_id
        self._ids = itertools.count(1)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self._events: list[dict[str, Any]] = []

    def _record(self, message: dict[str, Any]) -> None:
        method, params = message.get("method", ""), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = params.get("args", [])
            self.errors.append("console: " + " ".join(str(a.get("value", a)) for a in args))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.errors.append(
                "exception: " + str(details.get("exception", {}).get("description") or details)
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append(
                f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}"
            )
        elif method == "Network.requestWillBeSent":
            self.requests.append(str(params.get("request", {}).get("url")))
        self._events.append(message)

    def _receive(self, deadline: float) -> dict[str, Any]:
        self._ws.settimeout(max(0.05, deadline - time.monotonic()))
        message: dict[str, Any] = json.loads(self._ws.recv())
        if message.get("sessionId") == self._session and "method" in message:
            self._record(message)
        return message

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a DevTools command and return its result (raises on a protocol error)."""
        call_id = next(self._ids)
        self._ws.send(
            json.dumps(
                {"id": call_id, "sessionId": self._session, "method": method, "params": params}
            )
        )
        deadline = time.monotonic() + CALL_TIMEOUT_S
        while True:
            message = self._receive(deadline)
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def wait_event(self, method: str, timeout: float = CALL_TIMEOUT_S) -> dict[str, Any]:
        """Wait for the next ``method`` event of this page."""
        seen = len(self._events)
        deadline = time.monotonic() + timeout
        while True:
            for message in self._events[seen:]:
                if message.get("method") == method:
                    return message
            seen = len(self._events)
            self._receive(deadline)

    def open(self, url: str) -> float:
        """Navigate and wait for the load event; return the SECONDS it took."""
        started = time.perf_counter()
        self._events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")
        return time.perf_counter() - started

    def js(self, expression: str) -> Any:
        """Evaluate ``expression`` in the page (promises awaited) and return its JSON value."""
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def click(self, selector: str) -> None:
        """Click the middle of the element ``selector`` with real mouse events (scrolled into
        view first), as a person would; works with the page's JavaScript off."""
        box = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        """A PNG of the page (the whole page by default)."""
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)[
            "data"
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


@contextlib.contextmanager
def chromium(
    *, width: int = 1280, height: int = 900, javascript: bool = True, executable: str | None = None
) -> Iterator[Page]:
    """A headless Chromium with one page (viewport ``width`` x ``height`` CSS pixels).

    Raises:
        ChromiumMissing: no chromium (when ``executable`` is not given).
        RuntimeError: chromium did not start, or a DevTools call failed.
    """
    executable = executable or chromium_path()
    with tempfile.TemporaryDirectory(
        prefix="cannon-chromium-", ignore_cleanup_errors=True
    ) as profile:
        process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + START_TIMEOUT_S
            while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chromium did not start (exit code {process.poll()})")
                time.sleep(0.05)
            port, path = port_file.read_text().split()[:2]
            ws = websocket.create_connection(
                f"ws://127.0.0.1:{port}{path}", timeout=CALL_TIMEOUT_S, suppress_origin=True
            )
            try:
                ids = itertools.count(10_000)

                def browser_call(method: str, **params: Any) -> dict[str, Any]:
                    call_id = next(ids)
                    ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
                    while True:
                        message = json.loads(ws.recv())
                        if message.get("id") == call_id:
                            if "error" in message:
                                raise RuntimeError(f"{method}: {message['error']}")
                            result: dict[str, Any] = message["result"]
                            return result

                target = browser_call("Target.createTarget", url="about:blank")["targetId"]
                session = browser_call("Target.attachToTarget", targetId=target, flatten=True)[
                    "sessionId"
                ]
                page = Page(ws, session)
                for domain in ("Page", "Runtime", "Log", "Network"):
                    page.call(f"{domain}.enable")
                page.call(
                    "Emulation.setDeviceMetricsOverride",
                    width=width,
                    height=height,
                    deviceScaleFactor=1,
                    mobile=False,
                )
                if not javascript:
                    page.call("Emulation.setScriptExecutionDisabled", value=True)
                yield page
            finally:
                ws.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
