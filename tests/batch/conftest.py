"""Fixtures of the batch tests: clients against the pytest plugin's sandbox server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import SandboxProcess
from cannon_studio import AsyncCannon, Cannon


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CANNON_API_KEY", "CANNON_BASE_URL", "CANNON_WEBHOOK_SECRET", "CANNON_LOG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def client(cannon_sandbox: Any) -> Iterator[Cannon]:
    """A sync client against the session sandbox (instant mode, reset per test)."""
    with Cannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as c:
        yield c


@pytest.fixture
async def aclient(cannon_sandbox: Any) -> AsyncIterator[AsyncCannon]:
    """An async client against the same sandbox server."""
    async with AsyncCannon(api_key=cannon_sandbox.api_key, base_url=cannon_sandbox.base_url) as c:
        yield c


@pytest.fixture(scope="module")
def sandbox_process() -> Iterator[SandboxProcess]:
    """``python -m cannon_studio_sandbox`` in its own process, for the runs in subprocesses."""
    sandbox = SandboxProcess()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _postgres_program(name: str) -> str | None:
    """``initdb`` / ``pg_ctl`` on PATH or in Debian's ``/usr/lib/postgresql/<version>/bin``."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for the session: a fresh cluster in a temporary directory, on a
    free loopback port, stopped and removed at the end. Root runs it as the ``postgres`` user
    (``initdb`` refuses root). Its URL (``postgresql://postgres@127.0.0.1:<port>``) has no
    database: see ``postgres_url``. Missing binaries skip the tests here and fail them in CI
    (``.ci/run`` installs Debian's ``postgresql``)."""
    initdb, pg_ctl = _postgres_program("initdb"), _postgres_program("pg_ctl")
    if initdb is None or pg_ctl is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (.ci/run installs Debian's postgresql)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="cannon-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = base / "data"
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [*as_user, pg_ctl, "-D", str(data), "-l", str(base / "log"), "-o", options, "-w"]
    subprocess.run([*start, "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new, empty database on the session's server: its URL."""
    import psycopg

    name = f"batch_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"
