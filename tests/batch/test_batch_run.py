"""Running batches against the sandbox: outcomes, ledger, credits, files, resume, async twin."""

from __future__ import annotations

import _thread
import asyncio
import hashlib
import json
import os
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
import pytest
from batch_support import expected_states, mixed_jobs, read_jsonl, ref, write_jobs
from cannon_studio import AsyncCannon, Cannon
from cannon_studio.assets import asset_urls
from cannon_studio.batch import (
    JOURNAL_NAME,
    REPORT_NAME,
    BatchEvent,
    BatchJournalError,
    BatchStoppedError,
)
from cannon_studio.batch._jobs import jobs_from_mappings
from cannon_studio.batch._journal import Journal
from cannon_studio.batch._keys import batch_id_for, idempotency_key

from tests.client_modes import MODES, client_for, resolve


def check_run(jobs: list[dict[str, Any]], out: Path, sandbox: Any) -> list[dict[str, Any]]:
    """Assert the report, ledger, credits and files of a finished run; return the report."""
    expected = expected_states(jobs)
    report = read_jsonl(out / REPORT_NAME)
    assert {row["id"]: row["state"] for row in report} == expected
    ledger = sandbox.ledger()
    by_id = {entry["id"]: entry for entry in ledger}
    created = [row for row in report if row["state"] in ("succeeded", "failed")]
    # exactly one request per created job, none for skipped ones
    assert len(ledger) == len(created)
    assert sorted(row["request_id"] for row in created) == sorted(by_id)
    assert Counter(entry["idempotency_key"] for entry in ledger).most_common(1)[0][1] == 1
    for row in created:
        entry = by_id[row["request_id"]]
        assert entry["idempotency_key"] == row["idempotency_key"]
        assert entry["credits"] == row["credits"]
    assert sum(row["credits"] or 0 for row in report) == sandbox.credits_charged()
    with Journal(out / JOURNAL_NAME) as journal:
        outputs = {job_id: r.output for job_id, r in journal.rows().items()}
    with httpx2.Client() as http:
        for row in report:
            if row["state"] != "succeeded":
                assert row["files"] == []
                continue
            urls = asset_urls(outputs[row["id"]] or {})
            assert len(row["files"]) == len(urls)
            for file, url in zip(row["files"], urls, strict=True):
                data = (out / file["path"]).read_bytes()
                assert len(data) == file["bytes"]
                assert (
                    hashlib.sha256(data).digest() == hashlib.sha256(http.get(url).content).digest()
                )
    return report


@pytest.mark.parametrize("mode", MODES)
async def test_mixed_batch_runs_every_job_once(
    mode: str, cannon_sandbox: Any, tmp_path: Path
) -> None:
    jobs = mixed_jobs(40, seed=3)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    events: list[BatchEvent] = []
    options = {"api_key": cannon_sandbox.api_key, "base_url": cannon_sandbox.base_url}
    async with client_for(mode, **options) as client:
        summary = await resolve(
            client.batch(file, tmp_path / "out", concurrency=8, on_event=events.append)
        )
        report = check_run(jobs, tmp_path / "out", cannon_sandbox.sandbox)
        states = Counter(expected_states(jobs).values())
        assert summary.jobs == len(jobs)
        assert summary.counts["succeeded"] == states["succeeded"]
        assert summary.exit_code == (0 if states["succeeded"] == len(jobs) else 1)
        assert summary.credits == cannon_sandbox.sandbox.credits_charged()
        # one event per state change; every job ends where the report says
        last = {e.job_id: e.state for e in events}
        assert last == {row["id"]: row["state"] for row in report}
        # running it again creates nothing and changes nothing
        again = await resolve(client.batch(file, tmp_path / "out"))
    assert again.counts == summary.counts
    assert len(cannon_sandbox.sandbox.ledger()) == len(
        [r for r in report if r["state"] in ("succeeded", "failed")]
    )


@pytest.mark.parametrize("mode", MODES)
async def test_each_envelope_is_checked_against_the_schema_once_and_a_filled_one_again(
    mode: str, cannon_sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cannon_studio import _validation

    checked: list[str] = []
    check = _validation.validate_envelope

    def counting(spec: Any, body: dict[str, Any]) -> None:
        checked.append(body["operation"])
        check(spec, body)

    jobs = mixed_jobs(12, seed=5, fail_rate=0.0)
    chained = {job.id for job in jobs_from_mappings(jobs) if job.references}
    assert chained and len(chained) < len(jobs), "the sample has both kinds"
    monkeypatch.setattr(_validation, "validate_envelope", counting)
    options = {"api_key": cannon_sandbox.api_key, "base_url": cannon_sandbox.base_url}
    async with client_for(mode, **options) as client:
        summary = await resolve(
            client.batch(write_jobs(tmp_path / "jobs.jsonl", jobs), tmp_path / "out")
        )
    assert summary.counts["succeeded"] == len(jobs)
    # every line once when the file is read; a job whose references were filled in again at
    # its create (the filled values are new), the others not a second time
    assert len(checked) == len(jobs) + len(chained)


def test_a_lost_journal_creates_nothing_twice(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    """Deterministic keys: a second machine with a fresh journal (told to re-use them) gets the
    original requests."""
    jobs = mixed_jobs(12, seed=9, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    first = client.batch(file, tmp_path / "a")
    charged = cannon_sandbox.sandbox.credits_charged()
    second = client.batch(file, tmp_path / "b", reuse_requests=True)  # the user says so
    assert cannon_sandbox.sandbox.credits_charged() == charged
    assert first.counts == second.counts
    a = {r["id"]: r["request_id"] for r in read_jsonl(tmp_path / "a" / REPORT_NAME)}
    b = {r["id"]: r["request_id"] for r in read_jsonl(tmp_path / "b" / REPORT_NAME)}
    assert a == b
    # ... and a new batch id is a new batch
    client.batch(file, tmp_path / "c", batch_id="another-run")
    assert len(cannon_sandbox.sandbox.ledger()) == 2 * len(a)


def test_resume_from_every_journaled_state(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    """A journal left by a crash: a create that reached the server but was not recorded, a
    request being waited on, a download cut short. The next run finishes all three without a
    second request."""
    jobs = [
        {"id": "sent", "operation": "image.generate", "input": {"prompt": "a"}},
        {"id": "waiting", "operation": "image.generate", "input": {"prompt": "b"}},
        {
            "id": "half",
            "operation": "soundfx.generate",
            "input": {"prompt": "c", "video_url": "https://example.com/v.mp4"},
        },
        {
            "id": "after",
            "operation": "video.generate",
            "input": {"prompt": "d", "image_url": ref("sent", "image_url")},
        },
    ]
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    out = tmp_path / "out"
    parsed = {j.id: j for j in jobs_from_mappings(jobs)}
    batch = batch_id_for(list(parsed.values()))
    keys = {job_id: idempotency_key(batch, job, 1) for job_id, job in parsed.items()}
    # what the crashed run had done on the server
    sent = client.requests.create("image.generate", {"prompt": "a"}, idempotency_key=keys["sent"])
    waiting = client.requests.create(
        "image.generate", {"prompt": "b"}, idempotency_key=keys["waiting"]
    )
    half = client.requests.create(
        "soundfx.generate",
        {"prompt": "c", "video_url": "https://example.com/v.mp4"},
        idempotency_key=keys["half"],
    ).wait()
    half_output = half.output.to_dict() if half.output is not None else {}
    first_url = half.asset_urls()[0]
    (out / "half").mkdir(parents=True)
    first_name = first_url.split("?")[0].rsplit("/", 1)[-1]
    (out / "half" / first_name).write_bytes(httpx2.get(first_url).content)
    # a killed writer's partial file (its process is gone), and a live writer's (its process,
    # our parent, is running): only the first may be removed
    (out / "half" / f".{first_name}.{2**31 - 1}-0123456789ab.part").write_bytes(b"partial")
    live_part = out / "half" / f".{first_name}.{os.getppid()}-ba9876543210.part"
    live_part.write_bytes(b"being written")
    (out / "half" / first_name).write_bytes(b"")  # an empty file is never trusted
    # ... and what it had journaled
    client.batch(file, out, max_credits=0)  # journal the jobs, create nothing
    with Journal(out / JOURNAL_NAME) as journal:
        journal.update("sent", state="creating", idempotency_key=keys["sent"])
        journal.update(
            "waiting", state="queued", idempotency_key=keys["waiting"], request_id=waiting.id
        )
        journal.update(
            "half",
            state="downloading",
            idempotency_key=keys["half"],
            request_id=half.id,
            output=half_output,
            credits=half.credits,
        )
    before = len(cannon_sandbox.sandbox.ledger())
    summary = client.batch(file, out)
    assert summary.counts["succeeded"] == 4
    # only "after" was created now; the three others are the requests made before the crash
    assert len(cannon_sandbox.sandbox.ledger()) == before + 1
    report = {r["id"]: r for r in read_jsonl(out / REPORT_NAME)}
    assert report["sent"]["request_id"] == sent.id
    assert report["waiting"]["request_id"] == waiting.id
    assert report["half"]["request_id"] == half.id
    assert live_part.read_bytes() == b"being written"
    live_part.unlink()
    assert sorted(p.name for p in (out / "half").iterdir()) == sorted(
        f["path"].split("/")[1] for f in report["half"]["files"]
    )
    assert len(report["half"]["files"]) == len(half.asset_urls()) == 2
    for entry in report["half"]["files"]:
        assert entry["bytes"] > 0
        assert (out / entry["path"]).stat().st_size == entry["bytes"]


def test_retry_failed_creates_new_requests_for_failed_jobs_only(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    jobs = mixed_jobs(20, seed=11, fail_rate=0.3)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    client.batch(file, tmp_path / "out")
    first = {r["id"]: r for r in read_jsonl(tmp_path / "out" / REPORT_NAME)}
    failed = [job_id for job_id, r in first.items() if r["state"] == "failed"]
    assert failed, "the seed gives failing jobs"
    before = len(cannon_sandbox.sandbox.ledger())
    client.batch(file, tmp_path / "out", retry_failed=True)
    after = {r["id"]: r for r in read_jsonl(tmp_path / "out" / REPORT_NAME)}
    assert len(cannon_sandbox.sandbox.ledger()) == before + len(failed)
    for job_id in failed:
        assert after[job_id]["attempt"] == 2
        assert after[job_id]["request_id"] != first[job_id]["request_id"]
        assert after[job_id]["idempotency_key"] != first[job_id]["idempotency_key"]
    for job_id, row in first.items():
        if row["state"] == "succeeded":
            assert after[job_id] == row


def test_budget_holds_jobs_back_and_overshoots_by_less_than_one_job(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    jobs = mixed_jobs(30, seed=2, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    limit = 40
    summary = client.batch(file, tmp_path / "out", concurrency=8, max_credits=limit)
    ledger = cannon_sandbox.sandbox.ledger()
    charged = sum(e["credits"] for e in ledger)
    assert summary.credits == charged
    assert summary.held > 0
    assert summary.held + summary.counts["succeeded"] == len(jobs)
    # the last create started below the limit, so the total passes it by less than its price
    assert charged - ledger[-1]["credits"] < limit <= charged or charged < limit
    # a higher budget continues with the held jobs only
    more = client.batch(file, tmp_path / "out", max_credits=10_000)
    assert more.counts["succeeded"] == len(jobs)
    assert len(cannon_sandbox.sandbox.ledger()) == len(jobs)


@pytest.mark.parametrize("reuse_requests", [False, True])
def test_unreachable_api_stops_and_keeps_state(tmp_path: Path, reuse_requests: bool) -> None:
    jobs = mixed_jobs(5, seed=1, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    with (
        Cannon(api_key="cs_test_x", base_url="http://127.0.0.1:9", max_retries=0) as c,
        pytest.raises(BatchStoppedError) as caught,
    ):
        c.batch(file, tmp_path / "out", concurrency=2, reuse_requests=reuse_requests)
    assert caught.value.summary.exit_code == 3
    report = read_jsonl(tmp_path / "out" / REPORT_NAME)
    assert {r["state"] for r in report} <= {"creating", "pending"}
    if reuse_requests:  # no status read first: the first creates were tried, keys journaled
        assert any(r["state"] == "creating" and r["idempotency_key"] for r in report)
    else:  # the server time is read before any create: nothing was sent
        assert {r["state"] for r in report} == {"pending"}
    assert json.loads(json.dumps(caught.value.summary.to_dict()))["exit_code"] == 3


@pytest.fixture
def python_handles_sigint() -> Any:
    """``_thread.interrupt_main`` does nothing while SIGINT is ignored, as it is in a background
    job (``make test &``, some CI runners): give Python's own handler back for the test."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("python_handles_sigint")
def test_sync_ctrl_c_keeps_state_and_the_next_run_finishes(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    jobs = mixed_jobs(30, seed=17, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    seen: list[BatchEvent] = []

    def interrupt_after_a_few(event: BatchEvent) -> None:
        seen.append(event)
        if len(seen) == 12:
            _thread.interrupt_main()

    with pytest.raises(KeyboardInterrupt):
        client.batch(file, tmp_path / "out", concurrency=4, on_event=interrupt_after_a_few)
    report = read_jsonl(tmp_path / "out" / REPORT_NAME)
    assert len(report) == len(jobs)
    assert any(row["state"] != "succeeded" for row in report)
    summary = client.batch(file, tmp_path / "out")
    assert summary.counts["succeeded"] == len(jobs)
    check_run(jobs, tmp_path / "out", cannon_sandbox.sandbox)


async def test_async_cancel_keeps_state_and_the_next_run_finishes(
    aclient: AsyncCannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    jobs = mixed_jobs(30, seed=18, fail_rate=0.0)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    started = asyncio.Event()

    def on_event(event: BatchEvent) -> None:
        if event.state == "succeeded":
            started.set()

    run = asyncio.create_task(
        aclient.batch(file, tmp_path / "out", concurrency=4, on_event=on_event)
    )
    await started.wait()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    report = read_jsonl(tmp_path / "out" / REPORT_NAME)
    assert any(row["state"] != "succeeded" for row in report)
    summary = await aclient.batch(file, tmp_path / "out")
    assert summary.counts["succeeded"] == len(jobs)
    check_run(jobs, tmp_path / "out", cannon_sandbox.sandbox)


def test_expired_asset_urls_fail_the_job_with_a_clear_error(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    """A run that stopped while downloading, resumed after the signed URLs expired: the job
    fails (the URLs cannot be renewed) instead of staying unfinished forever."""
    jobs = [{"id": "img", "operation": "image.generate", "input": {"prompt": "a"}}]
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    out = tmp_path / "out"
    client.batch(file, out)
    with Journal(out / JOURNAL_NAME) as journal:
        journal.update("img", state="downloading", files=[])
    for path in (out / "img").iterdir():
        path.unlink()
    sandbox = cannon_sandbox.sandbox
    cannon_sandbox.advance_clock(sandbox.config.asset_url_ttl_s + 60)  # put back after the test
    summary = client.batch(file, out)
    row = read_jsonl(out / REPORT_NAME)[0]
    assert row["state"] == "failed" and "cannot be downloaded" in row["error"]
    assert summary.exit_code == 1
    assert len(sandbox.ledger()) == 1


def test_a_started_job_that_changed_is_refused(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    jobs = [
        {"id": "a", "operation": "prompt.enhance.image", "input": {"prompt": "one"}},
        {"id": "b", "operation": "prompt.enhance.image", "input": {"prompt": "two [fail]"}},
    ]
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    client.batch(file, tmp_path / "out")
    changed = [{**jobs[0], "input": {"prompt": "one, changed"}}, jobs[1]]
    with pytest.raises(BatchJournalError, match=r"job a .*changed"):
        client.batch(write_jobs(tmp_path / "jobs.jsonl", changed), tmp_path / "out")
    # a failed job may be fixed and retried
    fixed = [jobs[0], {**jobs[1], "input": {"prompt": "two"}}]
    summary = client.batch(
        write_jobs(tmp_path / "jobs.jsonl", fixed), tmp_path / "out", retry_failed=True
    )
    assert summary.counts["succeeded"] == 2
    assert len(cannon_sandbox.sandbox.ledger()) == 3
