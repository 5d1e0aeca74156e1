"""One driver per job on one machine, against a sandbox in its own process: two runs started
together on one output directory, a full disk (a small tmpfs mounted here), SIGTERM.

Asserted through the sandbox's ledger (one create per job) and the files themselves (none empty,
none duplicated, each as large as the report says and as the asset host serves it).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from batch_support import SandboxProcess, mixed_jobs, read_jsonl, runner, wait_started, write_jobs
from cannon_studio.assets import asset_urls
from cannon_studio.batch import JOURNAL_NAME, REPORT_NAME
from cannon_studio.batch._journal import Journal
from cannon_studio.batch._lock import LOCK_NAME, DirectoryLock
from cannon_studio.cli._exit_codes import ExitCode


@pytest.fixture
def timed(sandbox_process: SandboxProcess) -> SandboxProcess:
    """Reset; jobs queue and process for a while, so runs overlap and can be stopped."""
    sandbox_process.control("POST", "reset")
    sandbox_process.control(
        "POST",
        "config",
        {"job_duration_s": [0.3, 1.2], "queue_delay_s": 0.1, "poll_after_ms": 200},
    )
    return sandbox_process


def _image_jobs(n: int) -> list[dict[str, Any]]:
    return [
        {"id": f"img-{i}", "operation": "image.generate", "input": {"prompt": f"a kite {i}"}}
        for i in range(n)
    ]


def _check_outcome(sandbox: SandboxProcess, out: Path, jobs: int) -> None:
    """One create per job; every job succeeded with its files whole: no empty file, no second
    copy of an asset (``name-1.ext``), no leftover ``.part``, sizes as recorded and served."""
    report = read_jsonl(out / REPORT_NAME)
    assert len(report) == jobs
    assert {row["state"] for row in report} == {"succeeded"}, report
    ledger = sandbox.control("GET", "ledger")["entries"]
    assert len(ledger) == jobs, "one create per job"
    assert max(Counter(entry["idempotency_key"] for entry in ledger).values()) == 1
    with Journal(out / JOURNAL_NAME, readonly=True) as journal:
        outputs = {job_id: row.output or {} for job_id, row in journal.rows().items()}
    with httpx2.Client(timeout=60.0) as http:
        for row in report:
            urls = asset_urls(outputs[row["id"]])
            assert len(row["files"]) == len(urls), row
            if not urls:
                continue
            on_disk = sorted(p.name for p in (out / row["id"]).iterdir())
            assert on_disk == sorted(f["path"].split("/")[1] for f in row["files"]), on_disk
            for entry, url in zip(row["files"], urls, strict=True):
                data = (out / entry["path"]).read_bytes()
                assert len(data) == entry["bytes"] > 0
                assert data == http.get(url).content


def test_two_runs_started_together_on_one_out(timed: SandboxProcess, tmp_path: Path) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(40, seed=3, fail_rate=0.0))
    out = tmp_path / "out"
    first = runner(file, out, timed.base_url)
    second = runner(file, out, timed.base_url)
    results = [proc.communicate(timeout=240) for proc in (first, second)]
    codes = sorted(proc.returncode for proc in (first, second))
    assert codes == [ExitCode.SUCCESS, ExitCode.IN_USE], results
    refused = next(
        err for proc, (_, err) in zip((first, second), results, strict=True) if proc.returncode
    )
    assert "another cannon-studio batch run (pid " in refused
    assert f"is using {out}" in refused
    assert "Traceback" not in refused
    _check_outcome(timed, out, 40)
    again = runner(file, out, timed.base_url)  # the lock went with its holder
    again.communicate(timeout=120)
    assert again.returncode == 0
    assert len(timed.control("GET", "ledger")["entries"]) == 40


def test_a_held_directory_refuses_at_once_in_process(tmp_path: Path) -> None:
    out = tmp_path / "out"
    file = write_jobs(tmp_path / "jobs.jsonl", _image_jobs(2))
    from cannon_studio import Cannon
    from cannon_studio.batch import BatchLockedError

    with (
        DirectoryLock(out / LOCK_NAME),
        Cannon(api_key="cs_test_x", base_url="http://127.0.0.1:9", max_retries=0) as client,
        pytest.raises(BatchLockedError, match="another cannon-studio batch run"),
    ):
        client.batch(file, out)
    assert not (out / JOURNAL_NAME).exists(), "nothing written while refused"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 192 KiB tmpfs mounted for the test (root only; CI runs as root), unmounted after."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs the suite as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _grow(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)


def _assert_storage_stop(proc: subprocess.Popen[str], out: Path, file: Path) -> str:
    _, stderr = proc.communicate(timeout=240)
    assert proc.returncode == ExitCode.STORAGE, stderr[-3000:]
    assert "Traceback" not in stderr
    assert "not a batch journal" not in stderr
    assert "OperationalError" not in stderr
    assert f"resume with: cannon-studio batch {file} --out {out}" in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, stderr[-3000:]
    return errors[0]


def test_a_full_disk_stops_with_one_sentence_and_the_resume_completes(
    timed: SandboxProcess, small_disk: Path, tmp_path: Path
) -> None:
    timed.control("POST", "config", {"job_duration_s": [0.0, 0.0], "queue_delay_s": 0.0})
    jobs = mixed_jobs(60, seed=9, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    out = small_disk / "out"
    sentence = _assert_storage_stop(runner(file, out, timed.base_url), out, file)
    assert "cannot write" in sentence
    assert "No space left on device" in sentence or "disk is full" in sentence
    with Journal(out / JOURNAL_NAME, readonly=True) as journal:  # the state was kept
        assert len(journal.rows()) == len(jobs)
    _grow(small_disk)
    resumed = runner(file, out, timed.base_url)
    _, stderr = resumed.communicate(timeout=240)
    assert resumed.returncode == 0, stderr[-3000:]
    _check_outcome(timed, out, len(jobs))


def test_almost_no_space_is_a_storage_stop_not_a_broken_journal(
    timed: SandboxProcess, small_disk: Path, tmp_path: Path
) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", _image_jobs(5))
    out = small_disk / "out"
    out.mkdir()
    filler = small_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk to the last block
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    sentence = _assert_storage_stop(runner(file, out, timed.base_url), out, file)
    assert "cannot write" in sentence
    assert timed.control("GET", "ledger")["entries"] == [], "nothing sent"
    filler.unlink()
    _grow(small_disk)
    resumed = runner(file, out, timed.base_url)
    _, stderr = resumed.communicate(timeout=240)
    assert resumed.returncode == 0, stderr[-3000:]
    _check_outcome(timed, out, 5)


def test_a_read_only_directory_stops_with_one_sentence(
    timed: SandboxProcess, small_disk: Path, tmp_path: Path
) -> None:
    file = write_jobs(tmp_path / "jobs.jsonl", _image_jobs(4))
    out = small_disk / "out"
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    sentence = _assert_storage_stop(runner(file, out, timed.base_url), out, file)
    assert "Read-only file system" in sentence
    assert timed.control("GET", "ledger")["entries"] == [], "nothing sent"
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    _grow(small_disk)
    resumed = runner(file, out, timed.base_url)
    _, stderr = resumed.communicate(timeout=240)
    assert resumed.returncode == 0, stderr[-3000:]
    _check_outcome(timed, out, 4)


def test_sigterm_prints_the_resume_command_and_cleans_up_on_the_next_run(
    timed: SandboxProcess, tmp_path: Path
) -> None:
    jobs = mixed_jobs(80, seed=5, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    out = tmp_path / "out"
    proc = runner(file, out, timed.base_url)
    assert wait_started(proc, out)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.TERMINATED, stderr[-3000:]
    assert "terminated (SIGTERM)" in stderr
    assert f"resume with: cannon-studio batch {file} --out {out}" in stderr
    assert "Traceback" not in stderr
    report = read_jsonl(out / REPORT_NAME)
    assert len(report) == len(jobs)
    assert any(row["state"] != "succeeded" for row in report)
    # what a report writer killed mid-write leaves: removed by the next run
    stale = out / f".{REPORT_NAME}.{2**31 - 1}.tmp"
    stale.write_text("half a report")
    resumed = runner(file, out, timed.base_url)
    _, stderr = resumed.communicate(timeout=240)
    assert resumed.returncode == 0, stderr[-3000:]
    assert not stale.exists()
    _check_outcome(timed, out, len(jobs))
