"""Batch outputs to object storage (``--out s3://bucket/prefix``) against moto's S3 server on
loopback: assets and report land, an interrupted upload leaves no object under its final name,
a re-run downloads only what is missing, a refusing store ends with one sentence and a resume."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx2
import pytest
from batch_support import expected_states, mixed_jobs, write_jobs
from cannon_studio import AssetDownloadError, Cannon
from cannon_studio.assets import asset_urls
from cannon_studio.batch import (
    REPORT_NAME,
    BatchJournalError,
    BatchStoppedError,
    BatchStorageError,
    ObjectStore,
    _transfer,
    run_worker,
    submit_batch,
    write_html_report_to_store,
)
from cannon_studio.batch._journal import Journal, open_journal
from cannon_studio.batch._storage import SIZE_META, parse_storage_options
from cannon_studio.cli import cli
from cannon_studio.cli._batch_output import resume_storage_words
from cdp_browser import chromium
from click.testing import CliRunner
from s3_support import FAKE_CREDENTIALS, MotoS3, pending_uploads


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[MotoS3]:
    """moto's S3 server for this module, on a free loopback port."""
    server = MotoS3()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def bucket(moto_s3: MotoS3) -> str:
    return moto_s3.new_bucket()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every asset URL the batch runner downloads, in order."""
    seen: list[str] = []
    real = _transfer.download

    def counting(url: str, *args: Any, **kwargs: Any) -> Path:
        seen.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(_transfer, "download", counting)
    return seen


def _objects(moto_s3: MotoS3, prefix: str) -> dict[str, int]:
    """``{key under prefix: size}`` of every object under ``bucket/prefix``."""
    fs = moto_s3.fs()
    found = fs.find(prefix, detail=True)
    return {key[len(prefix) + 1 :]: info["size"] for key, info in found.items()}


def _cli_env(sandbox: Any) -> dict[str, str | None]:
    """The command line's environment: the sandbox's URL and key, no log."""
    return {
        "CANNON_BASE_URL": sandbox.base_url,
        "CANNON_API_KEY": sandbox.api_key,
        "CANNON_LOG": None,
        "COLUMNS": "300",
    }


def _report(moto_s3: MotoS3, prefix: str) -> list[dict[str, Any]]:
    text = moto_s3.fs().cat_file(f"{prefix}/{REPORT_NAME}").decode()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_assets_and_report_land_under_the_prefix(
    client: Cannon, cannon_sandbox: Any, moto_s3: MotoS3, bucket: str, tmp_path: Path
) -> None:
    jobs = mixed_jobs(10, seed=3, fail_rate=0.2)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    journal = tmp_path / "journal.sqlite"
    summary = client.batch(
        file,
        f"s3://{bucket}/runs/first",
        journal=journal,
        storage_options={"endpoint_url": moto_s3.endpoint},
    )
    expected = expected_states(jobs)
    assert summary.counts["succeeded"] == Counter(expected.values())["succeeded"]
    report = _report(moto_s3, f"{bucket}/runs/first")
    assert {row["id"]: row["state"] for row in report} == expected
    # one create per created job
    created = [row for row in report if row["state"] in ("succeeded", "failed")]
    assert len(cannon_sandbox.sandbox.ledger()) == len(created)
    # every file of every succeeded job is there, whole, with the asset's bytes
    objects = _objects(moto_s3, f"{bucket}/runs/first")
    with Journal(journal, readonly=True) as j:
        outputs = {job_id: row.output for job_id, row in j.rows().items()}
    fs = moto_s3.fs()
    listed = {REPORT_NAME}
    with httpx2.Client() as http:
        for row in report:
            if row["state"] != "succeeded":
                assert row["files"] == []
                continue
            urls = asset_urls(outputs[row["id"]] or {})
            assert len(row["files"]) == len(urls)
            for entry, url in zip(row["files"], urls, strict=True):
                listed.add(entry["path"])
                key = f"{bucket}/runs/first/{entry['path']}"
                data = fs.cat_file(key)
                assert len(data) == entry["bytes"] == objects[entry["path"]] > 0
                assert (
                    hashlib.sha256(data).digest() == hashlib.sha256(http.get(url).content).digest()
                )
                assert fs.metadata(key)[SIZE_META] == str(entry["bytes"])
    # nothing else under the prefix (no temporary keys), no upload left open, nothing local
    assert set(objects) == listed
    assert pending_uploads(fs, bucket) == []
    local = {p.name for p in tmp_path.iterdir()}
    assert local - {"jobs.jsonl"} <= {p.name for p in tmp_path.glob("*journal.sqlite*")}


def _run(client: Cannon, file: Path, out: str, journal: Path, endpoint: str) -> Any:
    return client.batch(file, out, journal=journal, storage_options={"endpoint_url": endpoint})


def test_a_rerun_downloads_only_what_is_missing(
    client: Cannon,
    cannon_sandbox: Any,
    moto_s3: MotoS3,
    bucket: str,
    tmp_path: Path,
    downloads: list[str],
) -> None:
    """A run that stopped while downloading (two jobs back in ``downloading``, one of their files
    never uploaded): the next run creates nothing and downloads that one file only; the file
    already in the store is checked by its size, not fetched again."""
    jobs = [
        {  # two files: the sound effect and the video with it
            "id": "a",
            "operation": "soundfx.generate",
            "input": {"prompt": "a", "video_url": "https://example.com/v.mp4"},
        },
        {"id": "b", "operation": "image.generate", "input": {"prompt": "b"}},
        {"id": "c", "operation": "image.generate", "input": {"prompt": "c"}},
    ]
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    journal, out = tmp_path / "journal.sqlite", f"s3://{bucket}/again"
    _run(client, file, out, journal, moto_s3.endpoint)
    first = {row["id"]: row for row in _report(moto_s3, f"{bucket}/again")}
    assert len(first["a"]["files"]) == 2
    assert len(downloads) == sum(len(row["files"]) for row in first.values()) == 4
    # as if the run had stopped during job a's second upload and job b's first
    fs = moto_s3.fs()
    fs.rm(f"{bucket}/again/{first['a']['files'][1]['path']}")
    with Journal(journal) as j:
        j.update("a", state="downloading", files=[])
        j.update("b", state="downloading", files=[])
    created = len(cannon_sandbox.sandbox.ledger())
    downloads.clear()
    summary = _run(client, file, out, journal, moto_s3.endpoint)
    assert summary.counts["succeeded"] == 3
    assert len(cannon_sandbox.sandbox.ledger()) == created  # nothing created again
    assert len(downloads) == 1  # only the missing file
    again = {row["id"]: row for row in _report(moto_s3, f"{bucket}/again")}
    assert again == first
    for row in again.values():
        for entry in row["files"]:
            assert fs.info(f"{bucket}/again/{entry['path']}")["size"] == entry["bytes"]
    # a third run over a finished batch downloads nothing
    downloads.clear()
    _run(client, file, out, journal, moto_s3.endpoint)
    assert downloads == []


def test_an_object_the_runner_did_not_write_is_never_overwritten(
    client: Cannon, moto_s3: MotoS3, bucket: str, tmp_path: Path
) -> None:
    """A key the job's file would take already holds something else (no size in its metadata,
    or an empty object): it is left as it is and the job stays unfinished with one sentence."""
    jobs = [{"id": "img", "operation": "image.generate", "input": {"prompt": "x"}}]
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    fs = moto_s3.fs()
    fs.pipe_file(f"{bucket}/keep/img/image.png", b"somebody else's")
    summary = _run(client, file, f"s3://{bucket}/keep", tmp_path / "j.sqlite", moto_s3.endpoint)
    assert summary.counts["downloading"] == 1
    assert fs.cat_file(f"{bucket}/keep/img/image.png") == b"somebody else's"
    (row,) = _report(moto_s3, f"{bucket}/keep")
    assert (
        "never overwritten" in row["error"] and f"s3://{bucket}/keep/img/image.png" in row["error"]
    )
    assert pending_uploads(fs, bucket) == []


def test_an_s3_output_needs_a_journal_elsewhere(
    client: Cannon, cannon_sandbox: Any, moto_s3: MotoS3, bucket: str, tmp_path: Path
) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(2, seed=1, fail_rate=0.0))
    with pytest.raises(BatchJournalError, match=r"s3:// output keeps no journal: give --journal"):
        client.batch(file, f"s3://{bucket}/x", storage_options={"endpoint_url": moto_s3.endpoint})
    assert cannon_sandbox.sandbox.ledger() == []
    assert moto_s3.fs().find(bucket) == []


class _Broken(Exception):
    """The fault injected into an upload."""


def test_an_upload_that_fails_midway_leaves_no_object(
    moto_s3: MotoS3, bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault in the fsspec layer after a part was sent (a network error, Ctrl-C): nothing
    under the final name, and the multipart upload is aborted (no parts left billed)."""
    store = ObjectStore(f"s3://{bucket}/cut", {"endpoint_url": moto_s3.endpoint})
    monkeypatch.setattr("cannon_studio.batch._storage.UPLOAD_PART_BYTES", 5 << 20)
    local = tmp_path / "big.bin"
    local.write_bytes(os.urandom(6 << 20))
    for fault in (_Broken("connection reset"), KeyboardInterrupt()):
        real_open = store.fs.open

        def failing_open(
            *args: Any, fault: BaseException = fault, real_open: Any = real_open, **kwargs: Any
        ) -> Any:
            handle = real_open(*args, **kwargs)
            real_write, written = handle.write, [0]

            def write(data: bytes) -> int:
                if written[0] >= (5 << 20):  # the first part is on the server by now
                    raise fault
                written[0] += len(data)
                return int(real_write(data))

            handle.write = write
            return handle

        monkeypatch.setattr(store.fs, "open", failing_open)
        with pytest.raises(type(fault)):
            store.upload(local, f"{bucket}/cut/job/big.bin", 6 << 20)
        monkeypatch.setattr(store.fs, "open", real_open)
        fs = moto_s3.fs()
        assert not fs.exists(f"{bucket}/cut/job/big.bin")
        assert pending_uploads(fs, bucket) == []
    # the same file then goes up whole
    assert store.upload(local, f"{bucket}/cut/job/big.bin", 6 << 20) == 6 << 20
    assert moto_s3.fs().cat_file(f"{bucket}/cut/job/big.bin") == local.read_bytes()


_KILLED_UPLOAD = """
import os, sys, time
from pathlib import Path
from cannon_studio.batch import _storage
_storage.UPLOAD_PART_BYTES = 5 << 20
store = _storage.ObjectStore(sys.argv[1], {"endpoint_url": sys.argv[2]})
real_open = store.fs.open
def slow_open(*args, **kwargs):
    handle = real_open(*args, **kwargs)
    real_write, sent = handle.write, [0]
    def write(data):
        if sent[0] >= (5 << 20):  # the first part went up: say so, then hang until killed
            print("part sent", flush=True)
            time.sleep(600)
        sent[0] += len(data)
        return real_write(data)
    handle.write = write
    return handle
store.fs.open = slow_open
store.upload(Path(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
"""


def test_a_killed_upload_leaves_no_object_and_the_next_run_aborts_it(
    moto_s3: MotoS3, bucket: str, tmp_path: Path
) -> None:
    """``kill -9`` during an upload: no object under the final name (only an invisible, unfinished
    multipart upload), which the next run's start aborts; the file then goes up whole."""
    local = tmp_path / "video.mp4"
    local.write_bytes(os.urandom(6 << 20))
    key = f"{bucket}/killed/job/video.mp4"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(_KILLED_UPLOAD),
            f"s3://{bucket}/killed",
            moto_s3.endpoint,
            str(local),
            key,
            str(6 << 20),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "part sent"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
    fs = moto_s3.fs()
    assert not fs.exists(key)
    assert [u["Key"] for u in pending_uploads(fs, bucket)] == ["killed/job/video.mp4"]
    store = ObjectStore(f"s3://{bucket}/killed", {"endpoint_url": moto_s3.endpoint})
    store.prepare()  # what a run does first (moto dates every upload in 2010: expired)
    assert pending_uploads(fs, bucket) == []
    assert store.whole_size(key) is None
    store.upload(local, key, 6 << 20)
    assert store.whole_size(key) == 6 << 20


def test_a_store_that_refuses_midway_stops_the_run_and_the_resume_finishes(
    client: Cannon,
    cannon_sandbox: Any,
    moto_s3: MotoS3,
    bucket: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Access denied on an upload (a fault in the fsspec layer): the run stops with every job's
    state kept (exit code 5) and no partial object; the next run creates nothing twice."""
    jobs = mixed_jobs(6, seed=4, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    journal, out = tmp_path / "journal.sqlite", f"s3://{bucket}/denied"

    def denied(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Access Denied")

    monkeypatch.setattr("s3fs.S3FileSystem.open", denied)
    with pytest.raises(BatchStoppedError) as stopped:
        _run(client, file, out, journal, moto_s3.endpoint)
    assert isinstance(stopped.value.cause, BatchStorageError)
    assert stopped.value.summary.exit_code == 5
    assert "access denied" in str(stopped.value.cause)
    assert f"s3://{bucket}/denied/" in str(stopped.value.cause)
    assert "testing-secret-key" not in str(stopped.value) + repr(stopped.value.cause)
    monkeypatch.undo()
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    assert [k for k in _objects(moto_s3, f"{bucket}/denied") if k != REPORT_NAME] == []
    summary = _run(client, file, out, journal, moto_s3.endpoint)
    assert summary.ok
    ledger = cannon_sandbox.sandbox.ledger()
    assert len(ledger) == len(jobs)  # every job created once, across both runs
    assert Counter(e["idempotency_key"] for e in ledger).most_common(1)[0][1] == 1


def test_cli_missing_bucket_is_one_sentence_with_the_resume_command(
    cannon_sandbox: Any, moto_s3: MotoS3, tmp_path: Path
) -> None:
    """``--out s3://`` on the command line, the endpoint from ``AWS_ENDPOINT_URL``: a bucket
    that does not exist is one sentence, exit code 5, nothing sent; the printed resume command
    then runs the batch once the bucket exists."""
    jobs = mixed_jobs(4, seed=5, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    journal = tmp_path / "journal.sqlite"
    name = f"later-{os.getpid()}-{time.monotonic_ns()}"
    env = _cli_env(cannon_sandbox) | {"AWS_ENDPOINT_URL": moto_s3.endpoint}
    args = ["batch", str(file), "--out", f"s3://{name}/run", "--journal", str(journal)]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 5, result.output
    assert result.stderr.count("\n") == 1
    assert f"cannot write s3://{name}: no such bucket" in result.stderr
    resume = result.stderr.split("resume with: ", 1)[1].strip()
    assert resume == f"cannon-studio batch {file} --out s3://{name}/run --journal {journal}"
    assert cannon_sandbox.sandbox.api_key not in result.output
    assert cannon_sandbox.sandbox.ledger() == []
    moto_s3.fs().mkdir(name)
    again = CliRunner().invoke(cli, resume.split()[1:], env=env, catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert f"report: s3://{name}/run/report.jsonl" in again.stdout
    assert len(cannon_sandbox.sandbox.ledger()) == len(jobs)
    assert {row["state"] for row in _report(moto_s3, f"{name}/run")} == {"succeeded"}


class _Links(HTMLParser):
    """Every relative URL a page loads or links to (``src``, ``href``, ``poster``)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "poster") and value and not value.startswith("#"):
                self.urls.append((tag, name, value.split("#", 1)[0]))


def _page_links(text: str) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(text)
    return parser.urls


def test_the_html_report_lands_beside_the_files_and_links_what_exists(
    cannon_sandbox: Any, moto_s3: MotoS3, bucket: str, tmp_path: Path
) -> None:
    """``--html`` with an s3:// output: the page goes under the prefix; every URL in it is
    relative and names an object that exists (assets, poster frames, waveforms); copied to a
    disk, the page shows every preview in headless Chromium. ``batch report s3://...`` makes
    it again from the store's report.jsonl."""
    jobs = mixed_jobs(12, seed=6, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    env = _cli_env(cannon_sandbox)
    option = ["--storage-option", f"endpoint_url={moto_s3.endpoint}"]
    out = f"s3://{bucket}/looked"
    args = ["batch", str(file), "--out", out, "--journal", str(tmp_path / "j.sqlite")]
    result = CliRunner().invoke(
        cli, [*args, *option, "--html", "ignored/dir/report.html"], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert f"HTML report: {out}/report.html" in result.stdout
    assert not (tmp_path / "ignored").exists()
    fs = moto_s3.fs()
    objects = _objects(moto_s3, f"{bucket}/looked")
    page = fs.cat_file(f"{bucket}/looked/report.html").decode()
    links = _page_links(page)
    report = _report(moto_s3, f"{bucket}/looked")
    files = {entry["path"] for row in report for entry in row["files"]}
    assert files and {unquote(url) for _, _, url in links} >= files  # every file is linked
    kinds = {Path(p).suffix for p in files}
    assert {".png", ".mp4", ".mp3"} <= kinds  # images, videos and audio in this batch
    for _, _, url in links:
        assert "://" not in url and not url.startswith("/")
        assert unquote(url) in objects, url
    assert any(tag == "video" and name == "poster" for tag, name, _ in links)
    # the prefix copied to a disk: the page works there, every preview decoded
    local = tmp_path / "synced"
    fs.get(f"{bucket}/looked/", str(local), recursive=True)
    with chromium(width=1280, height=1000) as browser:
        browser.open((local / "report.html").as_uri())
        media = browser.js(
            """(async () => {
              for (const c of document.querySelectorAll('.card')) {
                c.scrollIntoView(); await new Promise(r => requestAnimationFrame(r)); }
              return Promise.all([...document.querySelectorAll('img')].map(async (img) => {
                try { await img.decode(); } catch (e) {} return img.naturalWidth; }));
            })()"""
        )
        assert browser.errors == []
    assert media and all(width > 0 for width in media)
    # made again from the store alone, under another name
    again = CliRunner().invoke(
        cli,
        ["batch", "report", out, *option, "--html", "again.html"],
        env={"AWS_ENDPOINT_URL": None, "COLUMNS": "300"},
        catch_exceptions=False,
    )
    assert again.exit_code == 0, again.output
    assert f"HTML report: {out}/again.html" in again.stdout
    text = moto_s3.fs().cat_file(f"{bucket}/looked/again.html").decode()
    assert {unquote(url) for _, _, url in _page_links(text)} >= files


def test_a_key_taken_during_the_upload_is_not_replaced(
    moto_s3: MotoS3, bucket: str, tmp_path: Path
) -> None:
    """The completion is conditional (If-None-Match: *): an object written by someone else under
    the key while the upload ran stays as it is; the upload is aborted; the job is told why."""
    store = ObjectStore(f"s3://{bucket}/race", {"endpoint_url": moto_s3.endpoint})
    local = tmp_path / "image.png"
    local.write_bytes(b"ours" * 1000)
    key = f"{bucket}/race/job/image.png"
    moto_s3.fs().pipe_file(key, b"theirs")
    with pytest.raises(AssetDownloadError, match="created by another writer"):
        store.upload(local, key, 4000)
    fs = moto_s3.fs()
    assert fs.cat_file(key) == b"theirs"
    assert pending_uploads(fs, bucket) == []


def test_storage_options_never_echo_a_credential() -> None:
    with pytest.raises(ValueError, match="item 2 has no KEY=") as refused:
        parse_storage_options(["endpoint_url=http://127.0.0.1:9", "AKIASECRETVALUE"])
    assert "AKIASECRETVALUE" not in str(refused.value)
    store = ObjectStore("s3://bucket/p", {"key": "AKIAID", "secret": "s3cr3t"})
    assert "s3cr3t" not in repr(store) + str(store) and "AKIAID" not in repr(store)
    assert resume_storage_words({"endpoint_url": "http://h", "secret": "s3cr3t"}) == [
        "--storage-option",
        "endpoint_url=http://h",
    ]


def test_an_s3_output_with_the_postgresql_journal_and_its_html_report(
    client: Cannon,
    cannon_sandbox: Any,
    moto_s3: MotoS3,
    bucket: str,
    postgres_url: str,
    tmp_path: Path,
) -> None:
    """The shared journal in PostgreSQL, the files in the bucket: the report lands, and the
    HTML report read from that journal links objects that exist."""
    jobs = mixed_jobs(6, seed=9, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    out = f"s3://{bucket}/shared"
    summary = client.batch(
        file, out, journal=postgres_url, storage_options={"endpoint_url": moto_s3.endpoint}
    )
    assert summary.ok
    assert len(cannon_sandbox.sandbox.ledger()) == len(jobs)
    report = _report(moto_s3, f"{bucket}/shared")
    assert {row["state"] for row in report} == {"succeeded"}
    store = ObjectStore(out, {"endpoint_url": moto_s3.endpoint})
    with open_journal(postgres_url, readonly=True) as journal:
        assert write_html_report_to_store(store, journal) == f"{out}/report.html"
    objects = _objects(moto_s3, f"{bucket}/shared")
    links = {
        unquote(url)
        for _, _, url in _page_links(moto_s3.fs().cat_file(f"{bucket}/shared/report.html").decode())
    }
    assert {entry["path"] for row in report for entry in row["files"]} <= links
    assert links <= set(objects)
    assert list(tmp_path.iterdir()) == [file]  # nothing written locally


def test_workers_on_the_shared_journal_write_to_one_prefix(
    client: Cannon,
    cannon_sandbox: Any,
    moto_s3: MotoS3,
    bucket: str,
    postgres_url: str,
    tmp_path: Path,
) -> None:
    """``batch worker --out s3://...`` and ``run_worker(out=ObjectStore(...))`` on one submitted
    batch: every job created once, every file whole under the prefix, nothing local."""
    jobs = mixed_jobs(16, seed=10, fail_rate=0.0)
    submit_batch(write_jobs(tmp_path / "jobs.jsonl", jobs), postgres_url)
    out = f"s3://{bucket}/workers"
    env = _cli_env(cannon_sandbox)
    args = ["batch", "worker", "--journal", postgres_url, "--out", out, "--concurrency", "2"]
    option = ["--storage-option", f"endpoint_url={moto_s3.endpoint}"]
    first = CliRunner().invoke(cli, [*args, *option, "--json"], env=env, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    second = run_worker(
        client, postgres_url, out=ObjectStore(out, {"endpoint_url": moto_s3.endpoint}), poll_s=0.1
    )
    assert second.exit_code == 0
    ledger = cannon_sandbox.sandbox.ledger()
    assert len(ledger) == len(jobs)
    assert Counter(e["idempotency_key"] for e in ledger).most_common(1)[0][1] == 1
    objects = _objects(moto_s3, f"{bucket}/workers")
    with open_journal(postgres_url, readonly=True) as journal:
        rows = journal.rows()
    assert {row.state for row in rows.values()} == {"succeeded"}
    for row in rows.values():
        for f in row.files:
            assert objects[f"{row.id}/{f['name']}"] == f["bytes"] > 0
    assert pending_uploads(moto_s3.fs(), bucket) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.jsonl"]
