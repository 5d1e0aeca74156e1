"""The HTML report of a batch, opened in a real headless Chromium.

What a person would see: every job's card with its preview decoded, the filters changing what
is shown (with JavaScript on and off), hostile strings as text, no console error, and no request
leaving the machine. Each run keeps a screenshot of the demo pipeline's page under
``out/test-artifacts/``.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import mixed_jobs, write_jobs
from cannon_studio import Cannon
from cannon_studio.batch import REPORT_NAME, load_jobs, write_html_report
from cannon_studio.batch import _previews as previews_module
from cannon_studio.batch._html_live import LiveHtmlReport
from cannon_studio.batch._journal import JobRow, Journal
from cannon_studio.batch._previews import PreviewCache
from cannon_studio.cli import cli
from cannon_studio_sandbox import Sandbox, SandboxConfig
from cdp_browser import chromium
from click.testing import CliRunner
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
DEMO_JOBS = ROOT / "overlay" / "cannon_studio" / "batch" / "example-pipeline.jsonl"
ARTIFACTS = ROOT / "out" / "test-artifacts"

VISIBLE_CARDS = "[...document.querySelectorAll('.card')].filter(c => c.offsetParent !== null)"


def _run_batch(jobs: Any, out: Path) -> None:
    sandbox = Sandbox(SandboxConfig.instant())
    with sandbox.serve() as server, Cannon(api_key=sandbox.api_key, base_url=server.base_url) as c:
        c.batch(jobs, out)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo pipeline run as a batch against the sandbox (instant mode)."""
    out = tmp_path_factory.mktemp("demo") / "run"
    _run_batch(DEMO_JOBS, out)
    return out


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch with succeeded, failed and skipped jobs of several operations."""
    base = tmp_path_factory.mktemp("mixed")
    _run_batch(write_jobs(base / "jobs.jsonl", mixed_jobs(40, seed=3, fail_rate=0.3)), base / "run")
    return base / "run"


def _journal_rows(out: Path) -> list[JobRow]:
    with Journal(out / "journal.sqlite", readonly=True) as journal:
        return list(journal.rows().values())


def _cli_report(out: Path, page: Path, *extra: str) -> Any:
    return CliRunner().invoke(cli, ["batch", "report", str(out), "--html", str(page), *extra])


def _wait_for_media(page: Any) -> dict[str, Any]:
    """Scroll every card into view, then wait until each image and each poster decoded."""
    result: dict[str, Any] = page.js(
        """(async () => {
          for (const card of document.querySelectorAll('.card')) {
            card.scrollIntoView(); await new Promise(r => requestAnimationFrame(r));
          }
          const decoded = async (src) => {
            const img = new Image(); img.src = src;
            try { await img.decode(); } catch (e) { return 0; }
            return img.naturalWidth;
          };
          const images = await Promise.all([...document.querySelectorAll('img')].map(
            async (img) => { try { await img.decode(); } catch (e) {} return [img.alt, img.naturalWidth]; }));
          const posters = await Promise.all([...document.querySelectorAll('video')].map(
            async (v) => [v.closest('.card').querySelector('.id').textContent, v.poster, await decoded(v.poster)]));
          return {images, posters};
        })()"""
    )
    return result


# ------------------------------------------------------------------------------- demo pipeline
def test_demo_pipeline_page_shows_every_job_with_its_preview(demo_dir: Path) -> None:
    page_path = demo_dir.parent / "report.html"
    result = _cli_report(demo_dir, page_path)
    assert result.exit_code == 0, result.output
    assert f"HTML report: {page_path}" in result.output
    jobs = load_jobs(DEMO_JOBS)
    rows = {row.id: row for row in _journal_rows(demo_dir)}
    with chromium(width=1280, height=1000) as page:
        page.open(page_path.as_uri())
        cards = page.js(
            "[...document.querySelectorAll('.card')].map(c => ({"
            " id: c.querySelector('.id').textContent,"
            " op: c.querySelector('.op').textContent,"
            " state: c.querySelector('.badge').textContent,"
            " text: c.innerText,"
            " chain: [...c.querySelectorAll('.chain a')].map(a => a.textContent),"
            " kind: c.querySelector('.media').tagName.toLowerCase()"
            " + (c.querySelector('.media audio') ? '+audio' : '')}))"
        )
        media = _wait_for_media(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(ARTIFACTS / "html-report-demo.png")
        assert page.errors == []
    # Every job of the file, as the journal holds it.
    assert [c["id"] for c in cards] == [job.id for job in jobs]
    for card in cards:
        row = rows[card["id"]]
        assert (card["op"], card["state"]) == (row.operation, row.state)
        assert row.request_id and row.request_id in card["text"]
        assert f"credits\n{row.credits}" in card["text"]
    # The preview of each job follows from what its files are.
    kinds = {c["id"]: c["kind"] for c in cards}
    for job_id, row in rows.items():
        suffixes = {Path(f["name"]).suffix for f in row.files}
        if ".png" in suffixes:
            assert kinds[job_id] == "img"
        elif ".mp4" in suffixes:
            assert kinds[job_id] == "video"
        elif ".mp3" in suffixes:
            assert kinds[job_id] == "div+audio"
        else:  # a prompt output: its text
            assert kinds[job_id] == "blockquote"
            text = next(c["text"] for c in cards if c["id"] == job_id)
            assert row.output and row.output["enhancedPrompt"] in text
    # Every image decoded (the keyframe and the waveform), every video has a decoded poster.
    assert media["images"] and all(width > 0 for _, width in media["images"])
    videos = [job_id for job_id, kind in kinds.items() if kind == "video"]
    assert sorted(p[0] for p in media["posters"]) == sorted(videos)
    assert all(poster and width > 0 for _, poster, width in media["posters"])
    # Chains: each card links to the jobs it takes from and the jobs that take from it.
    for job in jobs:
        links = next(c["chain"] for c in cards if c["id"] == job.id)
        feeds = [j.id for j in jobs if job.id in j.depends_on]
        assert links == [*(r.job_id for r in job.references), *feeds]


def test_the_page_works_offline(demo_dir: Path) -> None:
    """Chromium runs with every host unresolvable and a proxy to nowhere: the page still shows
    every preview, and nothing but the page's own files (and the browser's built-in data:
    icons) was requested."""
    page_path = demo_dir.parent / "offline.html"
    write_html_report(demo_dir, page_path)
    text = page_path.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    assert "Content-Security-Policy" in text
    with chromium() as page:
        page.open(page_path.as_uri())
        media = _wait_for_media(page)
        assert page.errors == []
        requests = list(page.requests)
    assert all(width > 0 for _, width in media["images"])
    assert requests and all(url.startswith(("file://", "data:")) for url in requests), requests
    assert any(url.endswith(".png") for url in requests)


# ------------------------------------------------------------------------------------- filters
@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
def test_filters_change_what_is_shown(mixed_dir: Path, javascript: bool) -> None:
    rows = _journal_rows(mixed_dir)
    states = {row.state for row in rows}
    assert {"succeeded", "failed", "skipped"} <= states
    page_path = mixed_dir.parent / f"filters-{javascript}.html"
    write_html_report(mixed_dir, page_path)
    with chromium(javascript=javascript) as page:
        page.open(page_path.as_uri())
        assert page.js(f"{VISIBLE_CARDS}.length") == len(rows)
        radios = page.js(
            "Object.fromEntries([...document.querySelectorAll('input[type=radio]')]"
            ".map(i => [i.name + ':' + i.value, i.id]))"
        )
        for state in sorted(states):
            page.click(f"label[for={radios['state:' + state]}]")
            shown = page.js(f"{VISIBLE_CARDS}.map(c => c.querySelector('.id').textContent)")
            assert shown, state
            assert sorted(shown) == sorted(r.id for r in rows if r.state == state)
        page.click(f"label[for={radios['state:']}]")
        operations = sorted({row.operation for row in rows})
        for operation in operations:
            page.click(f"label[for={radios['operation:' + operation]}]")
            shown = page.js(f"{VISIBLE_CARDS}.map(c => c.querySelector('.id').textContent)")
            assert sorted(shown) == sorted(r.id for r in rows if r.operation == operation)
        # Both at once: the failed jobs of the last operation.
        page.click(f"label[for={radios['state:failed']}]")
        shown = page.js(f"{VISIBLE_CARDS}.map(c => c.querySelector('.id').textContent)")
        assert sorted(shown) == sorted(
            r.id for r in rows if r.operation == operations[-1] and r.state == "failed"
        )
        counter = page.js("document.getElementById('shown').textContent")
        assert page.errors == []
    if javascript:
        assert counter == f"showing {len(shown)} of {len(rows)} jobs"
    else:
        assert counter == ""


def test_failed_and_skipped_cards_say_why(mixed_dir: Path) -> None:
    page_path = mixed_dir.parent / "errors.html"
    write_html_report(mixed_dir, page_path)
    rows = _journal_rows(mixed_dir)
    with chromium() as page:
        page.open(page_path.as_uri())
        errors = page.js(
            "Object.fromEntries([...document.querySelectorAll('.card')].map(c =>"
            " [c.querySelector('.id').textContent, c.querySelector('.error')?.textContent ?? null]))"
        )
    for row in rows:
        if row.state in ("failed", "skipped"):
            assert row.error and errors[row.id] == row.error
        else:
            assert errors[row.id] is None


# ------------------------------------------------------------------------------ hostile content
HOSTILE_ID = '<script>window.pwned = "id"</script>'
HOSTILE_ERROR = "<img src=x onerror=\"window.pwned='error'\"> & </p><script>window.pwned=1</script>"
HOSTILE_TEXT = "A prompt <script>window.pwned='text'</script> with \"quotes\" & <b>tags</b>"
ODD_NAME = 'it\'s "quoted" — ünïcødé #1 ?x=1.png'


def _hostile_batch(out: Path) -> None:
    """A journal written by hand, as another tool or backend might: hostile ids, errors and
    outputs, and a file whose name has quotes, a hash, a question mark and non-ASCII letters."""
    (out / "odd job").mkdir(parents=True)
    Image.new("RGB", (64, 36), (200, 80, 40)).save(out / "odd job" / ODD_NAME, format="PNG")
    (out / "mesh").mkdir()
    (out / "mesh" / "model.glb").write_bytes(b"glTF\x02\x00\x00\x00")
    with Journal(out / "journal.sqlite") as journal:
        journal.add(
            [
                JobRow(
                    id=HOSTILE_ID,
                    seq=0,
                    line=1,
                    operation="prompt.enhance.image",
                    content_hash="x",
                    state="succeeded",
                    output={"enhancedPrompt": HOSTILE_TEXT},
                ),
                JobRow(
                    id="odd job",
                    seq=1,
                    line=2,
                    operation="image.generate",
                    content_hash="y",
                    state="succeeded",
                    files=[{"name": ODD_NAME, "bytes": 100}],
                ),
                JobRow(
                    id="mesh",
                    seq=3,
                    line=4,
                    operation="model3d.generate",
                    content_hash="m",
                    state="succeeded",
                    files=[{"name": "model.glb", "bytes": 8}],
                ),
                JobRow(
                    id="bad",
                    seq=2,
                    line=3,
                    operation="<i>op</i>",
                    content_hash="z",
                    state="failed",
                    error=HOSTILE_ERROR,
                    files=[{"name": "../../../etc/passwd", "bytes": 1}],
                ),
            ]
        )
        journal.set_meta({"batch_id": "<b>batch</b>", "source": "<script>x</script>.jsonl"})


def test_hostile_strings_stay_text_and_odd_file_names_keep_their_links(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _hostile_batch(out)
    page_path = tmp_path / "pages" / "hostile.html"
    write_html_report(out, page_path)
    text = page_path.read_text(encoding="utf-8")
    assert "<script>window.pwned" not in text and "<img src=x" not in text
    with chromium() as page:
        page.open(page_path.as_uri())
        seen = page.js(
            "({pwned: window.pwned ?? null,"
            " ids: [...document.querySelectorAll('.card .id')].map(e => e.textContent),"
            " error: document.querySelector('.error').textContent,"
            " text: document.querySelector('blockquote').textContent,"
            " op: [...document.querySelectorAll('.op')].map(e => e.textContent),"
            " scripts: document.scripts.length,"
            " model: document.querySelector('.media.model a').textContent,"
            " links: [...document.querySelectorAll('.files a')].map(a => decodeURIComponent(new URL(a.href).pathname)),"
            " files: [...document.querySelectorAll('.files li')].map(li => li.textContent)})"
        )
        media = _wait_for_media(page)
        assert page.errors == []
    assert seen["pwned"] is None
    assert seen["scripts"] == 1  # the page's own
    assert seen["ids"] == [HOSTILE_ID, "odd job", "mesh", "bad"]
    assert (seen["error"], seen["text"]) == (HOSTILE_ERROR, HOSTILE_TEXT)
    assert "<i>op</i>" in seen["op"]
    # The odd name links to the file itself (from another directory), and its image decodes.
    assert seen["links"] == [
        str((out / "odd job" / ODD_NAME).resolve()),
        str((out / "mesh" / "model.glb").resolve()),
    ]
    assert seen["model"] == "3D asset: model.glb"
    assert media["images"] == [[ODD_NAME, 64]]
    # A path that would leave the output directory is named, not linked.
    assert any("etc/passwd" in f and "not linked" in f for f in seen["files"])


# ---------------------------------------------------------------------- sources and degradation
def test_report_jsonl_alone_and_shards_merged(tmp_path: Path, demo_dir: Path) -> None:
    only_report = tmp_path / "copy"
    shutil.copytree(demo_dir, only_report)
    (only_report / "journal.sqlite").unlink()
    page = write_html_report(only_report / REPORT_NAME, tmp_path / "from-report.html")
    text = page.read_text(encoding="utf-8")
    assert text.count('class="card ') == len(load_jobs(DEMO_JOBS))
    assert "Chains are not shown" in text and "not recorded" in text
    # Two sources with the same jobs: one card each (as merge_reports keeps them).
    result = CliRunner().invoke(
        cli,
        ["batch", "report", str(demo_dir), str(only_report), "--html", str(tmp_path / "m.html")],
    )
    assert result.exit_code == 0, result.output
    merged = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert merged.count('class="card ') == len(load_jobs(DEMO_JOBS))


def test_without_pyav_the_page_says_so_in_one_sentence(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "av", None)  # what find_spec reports for a missing module
    result = _cli_report(demo_dir, tmp_path / "plain.html")
    assert result.exit_code == 0, result.output
    assert "need PyAV" in result.stderr
    text = (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert "pip install &#x27;cannon-studio[report]&#x27;" in text
    assert "poster=" not in text and 'class="wave"' not in text
    assert not (tmp_path / "plain_files").exists()
    assert text.count("<video ") == sum(
        1 for row in _journal_rows(demo_dir) for f in row.files if f["name"].endswith(".mp4")
    )


def test_previews_are_made_once(demo_dir: Path, tmp_path: Path) -> None:
    write_html_report(demo_dir, tmp_path / "a.html")
    made = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "a_files").iterdir()}
    write_html_report(demo_dir, tmp_path / "a.html")
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "a_files").iterdir()} == made
    assert len(made) == sum(
        1
        for row in _journal_rows(demo_dir)
        for f in row.files
        if f["name"].endswith((".mp4", ".mp3"))
    )


# ----------------------------------------------------------------------------------- live view
@pytest.fixture
def unfinished_dir(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "run"
    with Journal(out / "journal.sqlite") as journal:
        journal.add(
            [
                JobRow(id="a", seq=0, line=1, operation="image.generate", content_hash="a"),
                JobRow(id="b", seq=1, line=2, operation="image.generate", content_hash="b"),
            ]
        )
        journal.update("a", state="processing", request_id="req_1")
        yield out


def test_status_html_reloads_while_jobs_are_unfinished(unfinished_dir: Path) -> None:
    page = unfinished_dir / "status.html"
    result = CliRunner().invoke(cli, ["batch", "status", str(unfinished_dir), "--html", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="3">' in text
    assert "2 job(s) unfinished" in text


def test_the_live_page_follows_a_run_and_ends_static(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(8, seed=1))
    out, page = tmp_path / "run", tmp_path / "live.html"
    live = LiveHtmlReport(page, out, min_interval_s=0.0)
    seen: list[int] = []

    def on_event(event: object) -> None:
        live(event)
        if page.is_file():
            seen.append(page.read_text(encoding="utf-8").count('class="card '))

    sandbox = Sandbox(SandboxConfig.instant())
    with sandbox.serve() as server, Cannon(api_key=sandbox.api_key, base_url=server.base_url) as c:
        c.batch(jobs, out, on_event=on_event)
    live.close()
    rows = _journal_rows(out)
    assert live.writes > 1 and seen and all(n == len(rows) for n in seen)
    text = page.read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in text
    assert text.count('class="card ') == len(rows)
    assert text.count("badge b-succeeded") == sum(1 for r in rows if r.state == "succeeded")


# ------------------------------------------------------------------------------- large batches
def _many_jobs(out: Path, n: int) -> list[JobRow]:
    """``n`` jobs without files: every third failed, each taking a value from the one before."""
    rows = [
        JobRow(
            id=f"job-{i:04d}",
            seq=i,
            line=i + 1,
            operation=("prompt.enhance.image", "image.generate")[i % 2],
            content_hash=str(i),
            state="failed" if i % 3 == 0 else "succeeded",
            error="refused" if i % 3 == 0 else None,
            credits=i % 7,
            seconds=float(i % 11),
        )
        for i in range(n)
    ]
    references = {
        f"job-{i:04d}": [[f"job-{i - 1:04d}", "enhancedPrompt", "input.prompt"]]
        for i in range(1, n)
    }
    with Journal(out / "journal.sqlite") as journal:
        journal.add(rows)
        journal.set_meta({"batch_id": "many", "references": json.dumps(references)})
    return rows


def test_a_large_batch_is_split_into_linked_pages(tmp_path: Path) -> None:
    out = tmp_path / "run"
    rows = _many_jobs(out, 250)
    page = tmp_path / "pages" / "report.html"
    (page.parent).mkdir()
    (page.parent / "report-9.html").write_text("an older, longer report")
    write_html_report(out, page, page_size=100)
    files = sorted(p.name for p in page.parent.glob("report*.html"))
    assert files == ["report-2.html", "report-3.html", "report.html"]
    texts = {name: (page.parent / name).read_text(encoding="utf-8") for name in files}
    ids = {
        name: re.findall(r'<code class="id">([^<]*)</code>', text) for name, text in texts.items()
    }
    every = [job_id for name in files for job_id in ids[name]]
    assert sorted(every) == sorted(r.id for r in rows)  # each job once
    # Ordered by state: the succeeded first, then the failed; the summary's link leads there.
    failed_ids = {r.id for r in rows if r.state == "failed"}
    first_failed_page = next(
        n for n in ("report.html", "report-2.html", "report-3.html") if failed_ids & set(ids[n])
    )
    assert f'href="{first_failed_page}#state-failed"' in texts["report.html"]
    # A chain link to a job on another page names that page, and the job is there.
    for text in texts.values():
        for target, n in re.findall(r'href="(report(?:-\d)?\.html)#job-(\d+)"', text):
            assert f'id="job-{n}"' in texts[target]
    with chromium() as browser:
        browser.open((page.parent / "report-2.html").as_uri())
        seen = browser.js(
            "({cards: document.querySelectorAll('.card').length,"
            " shown: document.getElementById('shown').textContent,"
            " pages: [...document.querySelectorAll('.pages a')].map(a => a.textContent)})"
        )
        browser.click(".pages a[href='report-3.html']")
        browser.wait_event("Page.loadEventFired")
        last = browser.js("document.querySelectorAll('.card').length")
        assert browser.errors == []
    assert seen == {
        "cards": 100,
        "shown": "showing 100 of 100 jobs on this page",
        "pages": ["1", "2", "3", "1", "2", "3"],
    }
    assert last == 50


def test_many_previews_are_made_in_threads_alike(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = [
        ("poster" if f["name"].endswith(".mp4") else "waveform", demo_dir / row.id / f["name"])
        for row in _journal_rows(demo_dir)
        for f in row.files
        if f["name"].endswith((".mp4", ".mp3"))
    ]
    alone = PreviewCache(tmp_path / "alone", workers=1)
    alone.prepare(media)
    monkeypatch.setattr(previews_module, "PARALLEL_FROM", 1)
    pooled = PreviewCache(tmp_path / "pooled", workers=2)
    pooled.prepare([*media, ("poster", demo_dir / "report.jsonl")])  # not a video: named
    made = {p.name: p.read_bytes() for p in (tmp_path / "alone").iterdir()}
    assert len(made) == len(media)
    assert {p.name: p.read_bytes() for p in (tmp_path / "pooled").iterdir()} == made
    assert [failure.split(":")[0] for failure in pooled.failures] == ["report.jsonl"]
    assert all(pooled.poster(path) or pooled.waveform(path) for _, path in media)


def test_batch_run_with_html_writes_the_final_page(cannon_sandbox: Any, tmp_path: Path) -> None:
    """``cannon-studio batch FILE --out DIR --html PAGE``: the live page, static at the end."""
    jobs = write_jobs(tmp_path / "jobs.jsonl", mixed_jobs(6, seed=2, fail_rate=0.0))
    page = tmp_path / "live.html"
    env = {"CANNON_BASE_URL": cannon_sandbox.base_url, "CANNON_API_KEY": cannon_sandbox.api_key}
    result = CliRunner().invoke(
        cli, ["batch", str(jobs), "--out", str(tmp_path / "run"), "--html", str(page)], env=env
    )
    assert result.exit_code == 0, result.output
    assert f"HTML report: {page}" in result.stdout
    text = page.read_text(encoding="utf-8")
    assert text.count('class="card ') == len(_journal_rows(tmp_path / "run"))
    assert 'http-equiv="refresh"' not in text
