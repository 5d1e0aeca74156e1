"""Network failures name their reason in one sentence: connection refused, a timeout with its
length, an untrusted certificate; regenerate and the drift check exit 2 with it."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import check_drift
import pytest
import regenerate
from cannon_studio_schema import SchemaError
from cannon_studio_schema.source import read_source

from tests.schema_source.servers import Recorder, closed_port, self_signed


@pytest.fixture
def silent() -> Iterator[str]:
    """A listener that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1/openapi"
    listener.close()


def test_connection_refused_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    port = closed_port()
    url = f"http://127.0.0.1:{port}/api/v1/openapi"
    assert regenerate.main([url]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.endswith(f"could not connect to 127.0.0.1:{port}: connection refused.")
    assert check_drift.main(["--url", url, "--skip-generated"]) == 2
    assert "connection refused" in capsys.readouterr().err


def test_timeout_names_its_length(silent: str) -> None:
    started = time.monotonic()
    with pytest.raises(SchemaError, match=r"timed out after 0\.5 s\.$"):
        read_source(silent, timeout_s=0.5)
    assert time.monotonic() - started < 5


def test_untrusted_certificate_is_named(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.fail("this test needs the openssl command (.ci/run installs it)")
    _, context = self_signed(tmp_path)
    with Recorder(tls=context) as server:
        url = server.serve("/api/v1/openapi", b"{}")
        with pytest.raises(SchemaError, match="certificate verify failed") as caught:
            read_source(url, api_key="cs_live_never_sent", api_base_url=server.origin)
    assert "\n" not in str(caught.value) and server.hits == []
