"""The HTML of a batch's report: the pages, their cards, summary, filters, style and script.

Pure string building (previews come from ``PreviewCache``). Every string from the journal goes
through ``html.escape``; class names and ids in CSS selectors are made from positions, never
from journal text. Cards are ordered by state (what was generated first, then what went wrong),
file order within a state, and split into pages of ``page_size`` cards: the page count grows
with the batch, the cost of opening one page does not.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from ._html_source import ReportBatch, ReportJob
from ._journal import STATES
from ._previews import PreviewCache

__all__ = ["DEFAULT_PAGE_SIZE", "PageSet"]

DEFAULT_PAGE_SIZE = 500
"""Cards per page file."""

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif", ".bmp"})
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mov", ".m4v", ".mkv"})
AUDIO_SUFFIXES = frozenset({".mp3", ".wav", ".ogg", ".oga", ".m4a", ".aac", ".flac", ".opus"})
MODEL_SUFFIXES = frozenset({".glb", ".gltf", ".obj", ".fbx", ".usdz", ".stl", ".ply"})

TOP_JOBS = 5
"""How many of the slowest and of the most expensive jobs the summary names."""

MAX_TEXT = 4000
"""Characters of a text output shown on a card (the rest is cut, with an ellipsis)."""

_STATE_ORDER = (
    "succeeded",
    "failed",
    "skipped",
    "held",
    "downloading",
    "processing",
    "queued",
    "creating",
    "pending",
)
"""Sections of the page, in this order: what was generated first, then what went wrong."""

_UNFINISHED = frozenset({"pending", "creating", "queued", "processing", "downloading"})


# ------------------------------------------------------------------------------ formatting
def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 60:
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    minutes, secs = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _size(value: int | None) -> str:
    if value is None:
        return ""
    amount = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return ""


def _url_path(relative: str) -> str:
    """A relative file path as a URL path: every segment percent-encoded (quotes, spaces, ``#``,
    ``?`` and non-ASCII letters keep the link working)."""
    return "/".join(quote(part, safe="") for part in relative.split(os.sep))


def _href(target: Path, page_dir: Path) -> str:
    """A relative URL from the page's directory to ``target``."""
    return _url_path(os.path.relpath(target, page_dir))


class PageSet:
    """The pages of one batch's report.

    Args:
        batch: what the sources hold.
        page_path: the first page; the others are ``<stem>-2<suffix>``, ``<stem>-3<suffix>``...
        previews: where poster frames and waveforms come from.
        page_size: cards per page.
    """

    def __init__(
        self, batch: ReportBatch, page_path: Path, previews: PreviewCache, page_size: int
    ) -> None:
        self.batch = batch
        self.page_dir = page_path.parent.resolve()
        self.previews = previews
        self._files: dict[tuple[Path, str], tuple[Path, str] | None] = {}
        self._root_urls: dict[Path, str] = {}
        self.index = {job.id: n for n, job in enumerate(batch.jobs)}
        self.operations = sorted({job.operation for job in batch.jobs})
        self.op_class = {op: f"o{n}" for n, op in enumerate(self.operations)}
        self.states = self._states()
        rank = {state: n for n, state in enumerate(self.states)}
        order = sorted(range(len(batch.jobs)), key=lambda n: (rank[batch.jobs[n].state], n))
        self.pages = [order[i : i + page_size] for i in range(0, len(order), page_size)] or [[]]
        self.page_of = {n: p for p, numbers in enumerate(self.pages) for n in numbers}
        self.files = [page_path.name] + [
            f"{page_path.stem}-{p + 1}{page_path.suffix}" for p in range(1, len(self.pages))
        ]
        self.current = 0
        timed = [j for j in batch.jobs if j.seconds is not None]
        self.slowest = sorted(timed, key=lambda j: j.seconds or 0.0, reverse=True)[:TOP_JOBS]
        costly = [j for j in batch.jobs if j.credits]
        self.costliest = sorted(costly, key=lambda j: j.credits or 0, reverse=True)[:TOP_JOBS]
        self.first_page: dict[str, int] = {}
        self.page_titles: list[str] = []
        start = 0
        for p, numbers in enumerate(self.pages):
            states = dict.fromkeys(batch.jobs[n].state for n in numbers)
            for state in states:
                self.first_page.setdefault(state, p)
            end = start + len(numbers)
            self.page_titles.append(f"jobs {start + 1}-{end}: {', '.join(states)}")
            start = end
        # Filter classes and section ids by position: a state read from a hand-edited report
        # may hold any text, and these names go into CSS selectors.
        self.state_class = {state: f"s{n}" for n, state in enumerate(self.states)}
        self.section_id = {
            state: f"state-{state}" if state in STATES else f"state-other-{n}"
            for n, state in enumerate(self.states)
        }

    # -- one card ---------------------------------------------------------------------------
    def _file(self, root: Path, relative: str) -> tuple[Path, str] | None:
        """The file a report path names and its URL from the page, or None when the path would
        leave the output directory (``..``, absolute); checked on the text, without a
        system call."""
        key = (root, relative)
        if key in self._files:
            return self._files[key]
        found = None
        if relative and "\x00" not in relative and not PurePosixPath(relative).is_absolute():
            base = str(root)
            joined = os.path.normpath(os.path.join(base, relative))
            if joined.startswith(base + os.sep):
                if root not in self._root_urls:
                    self._root_urls[root] = _href(root, self.page_dir)
                inner = _url_path(joined[len(base) + 1 :])
                prefix = self._root_urls[root]
                found = (Path(joined), inner if prefix == "." else f"{prefix}/{inner}")
        self._files[key] = found
        return found

    def _page_href(self, page: int, fragment: str = "") -> str:
        """A link to ``page`` (and a fragment in it) from the page being written."""
        base = "" if page == self.current else quote(self.files[page], safe="")
        return f"{base}#{fragment}" if fragment else base or "#"

    def _media(self) -> Iterator[tuple[str, Path]]:
        """``("poster" | "waveform", file)`` for every video and audio file of the batch."""
        for job in self.batch.jobs:
            for relative, _ in job.files:
                found = self._file(job.root, relative)
                if found is None:
                    continue
                target = found[0]
                suffix = target.suffix.lower()
                if suffix in VIDEO_SUFFIXES:
                    yield "poster", target
                elif suffix in AUDIO_SUFFIXES:
                    yield "waveform", target

    def _job_link(self, job_id: str) -> str:
        n = self.index.get(job_id)
        if n is None:
            return f"<code>{_e(job_id)}</code>"
        href = self._page_href(self.page_of[n], f"job-{n}")
        return f'<a href="{_e(href)}"><code>{_e(job_id)}</code></a>'

    def _preview(self, job: ReportJob, files: list[tuple[Path, str, int | None]]) -> str:
        for target, href, _ in files:
            suffix = target.suffix.lower()
            if suffix in IMAGE_SUFFIXES:
                return (
                    f'<img class="media" src="{_e(href)}" alt="{_e(target.name)}" '
                    'loading="lazy" decoding="async">'
                )
            if suffix in VIDEO_SUFFIXES:
                poster = self.previews.poster(target)
                poster_attr = f' poster="{_e(_href(poster, self.page_dir))}"' if poster else ""
                return (
                    f'<video class="media" controls preload="none"{poster_attr} '
                    f'src="{_e(href)}"></video>'
                )
            if suffix in AUDIO_SUFFIXES:
                wave = self.previews.waveform(target)
                wave_img = (
                    f'<img class="wave" src="{_e(_href(wave, self.page_dir))}" '
                    f'alt="waveform of {_e(target.name)}" loading="lazy">'
                    if wave
                    else ""
                )
                return (
                    f'<div class="media audio">{wave_img}'
                    f'<audio controls preload="none" src="{_e(href)}"></audio></div>'
                )
            if suffix in MODEL_SUFFIXES:
                return (
                    f'<div class="media model"><a href="{_e(href)}">3D asset: '
                    f"{_e(target.name)}</a></div>"
                )
        if job.text:
            text = job.text if len(job.text) <= MAX_TEXT else job.text[:MAX_TEXT] + "…"
            return f'<blockquote class="media text">{_e(text)}</blockquote>'
        if files:
            target, href, _ = files[0]
            return f'<div class="media model"><a href="{_e(href)}">{_e(target.name)}</a></div>'
        return f'<div class="media empty">{_e(job.state)}</div>'

    def card(self, n: int, job: ReportJob) -> str:
        files: list[tuple[Path, str, int | None]] = []
        outside: list[str] = []
        for relative, size in job.files:
            found = self._file(job.root, relative)
            if found is None:
                outside.append(relative)
            else:
                files.append((*found, size))
        facts = [
            ("credits", "-" if job.credits is None else str(job.credits)),
            ("seconds", _seconds(job.seconds)),
            ("request", job.request_id or "-"),
        ]
        if job.attempt > 1:
            facts.append(("attempt", str(job.attempt)))
        parts = [
            f'<article class="card {self.state_class[job.state]} {self.op_class[job.operation]}"'
            f' id="job-{n}">',
            self._preview(job, files),
            f'<h3><code class="id">{_e(job.id)}</code>'
            f' <span class="badge{_badge(job.state)}">{_e(job.state)}</span></h3>',
            f'<p class="op">{_e(job.operation)}</p>',
            "<dl>" + "".join(f"<dt>{k}</dt><dd>{_e(v)}</dd>" for k, v in facts) + "</dl>",
        ]
        if job.error and job.state != "succeeded":
            parts.append(f'<p class="error">{_e(job.error)}</p>')
        for source, output, input_field in job.takes:
            parts.append(
                f'<p class="chain">takes {_e(input_field)} from {self._job_link(source)}'
                f" ({_e(output)})</p>"
            )
        if job.feeds:
            links = ", ".join(self._job_link(j) for j in job.feeds)
            parts.append(f'<p class="chain">feeds {links}</p>')
        if files or outside:
            items = [
                f'<li><a href="{_e(href)}">{_e(target.name)}</a> {_size(size)}</li>'
                for target, href, size in files
            ] + [f"<li>{_e(r)} (outside the output directory: not linked)</li>" for r in outside]
            parts.append(f'<ul class="files">{"".join(items)}</ul>')
        parts.append("</article>")
        return "".join(parts)

    # -- the page ---------------------------------------------------------------------------
    def _states(self) -> list[str]:
        present = {job.state for job in self.batch.jobs}
        known = [s for s in _STATE_ORDER if s in present]
        return known + sorted(present - set(known))

    def _summary(self, counts: Mapping[str, int], credits: int) -> str:
        batch = self.batch
        rows = "".join(
            f'<tr><th><a href="{_e(self._page_href(self.first_page[s], self.section_id[s]))}">'
            f"{_e(s)}</a></th><td>{counts[s]}</td></tr>"
            for s in self.states
        )

        def listing(jobs: Iterable[ReportJob], value: Any) -> str:
            items = "".join(
                f"<li>{self._job_link(j.id)} {_e(j.operation)}: {_e(value(j))}</li>" for j in jobs
            )
            return f"<ol>{items}</ol>" if items else "<p>none</p>"

        wall = (
            _seconds(batch.span[1] - batch.span[0])
            if batch.span is not None
            else "not recorded (report.jsonl has no history; the journal has)"
        )
        return (
            '<section class="summary" aria-label="summary">'
            f'<table class="counts"><caption>{len(batch.jobs)} jobs</caption>{rows}</table>'
            '<dl class="totals">'
            f"<dt>credits charged</dt><dd>{credits}</dd>"
            f"<dt>wall time</dt><dd>{_e(wall)}</dd>"
            "</dl>"
            '<div class="top"><h2>slowest</h2>'
            + listing(self.slowest, lambda j: _seconds(j.seconds))
            + '</div><div class="top"><h2>most expensive</h2>'
            + listing(self.costliest, lambda j: f"{j.credits} credits")
            + "</div></section>"
        )

    def _filters(self, jobs: list[ReportJob]) -> str:
        """Radio buttons for the states and operations of this page's cards."""
        counts: dict[str, int] = {}
        op_counts: dict[str, int] = {}
        for job in jobs:
            counts[job.state] = counts.get(job.state, 0) + 1
            op_counts[job.operation] = op_counts.get(job.operation, 0) + 1
        states = "".join(
            f'<input type="radio" name="state" id="f{self.state_class[s]}" value="{_e(s)}" '
            f'data-c="{self.state_class[s]}">'
            f'<label for="f{self.state_class[s]}">{_e(s)} ({counts[s]})</label>'
            for s in self.states
            if s in counts
        )
        ops = "".join(
            f'<input type="radio" name="operation" id="f{self.op_class[op]}" value="{_e(op)}" '
            f'data-c="{self.op_class[op]}">'
            f'<label for="f{self.op_class[op]}">{_e(op)} ({op_counts[op]})</label>'
            for op in self.operations
            if op in op_counts
        )
        return (
            '<form class="filters" aria-label="filters">'
            '<fieldset><legend>state</legend><input type="radio" name="state" id="fs-all" '
            'value="" checked><label for="fs-all">all</label>'
            f"{states}</fieldset>"
            '<fieldset><legend>operation</legend><input type="radio" name="operation" '
            'id="fo-all" value="" checked><label for="fo-all">all</label>'
            f"{ops}</fieldset>"
            '<p id="shown" aria-live="polite"></p></form>'
        )

    def _filter_css(self) -> str:
        rules = []
        for s in self.states:
            c = self.state_class[s]
            rules.append(
                f"body:has(#f{c}:checked) .card:not(.{c}),"
                f"body:has(#f{c}:checked) section.state:not(:has(.{c})){{display:none}}"
            )
        for op in self.operations:
            c = self.op_class[op]
            rules.append(
                f"body:has(#f{c}:checked) .card:not(.{c}),"
                f"body:has(#f{c}:checked) section.state:not(:has(.{c})){{display:none}}"
            )
        return "\n".join(rules)

    def _pager(self) -> str:
        """Links to every page (none when there is one), each titled with its states."""
        if len(self.pages) == 1:
            return ""
        links = []
        for p, title in enumerate(self.page_titles):
            current = ' aria-current="page"' if p == self.current else ""
            links.append(
                f'<a href="{_e(self._page_href(p) if p != self.current else "#")}"'
                f' title="{_e(title)}"{current}>{p + 1}</a>'
            )
        return (
            f'<nav class="pages" aria-label="pages">page {self.current + 1} of '
            f"{len(self.pages)}: {' '.join(links)}</nav>"
        )

    def render_all(
        self, *, title: str, refresh_s: float | None, note: str | None
    ) -> list[tuple[str, str]]:
        """Every page as ``(file name, HTML)``, the first page first."""
        self.previews.prepare(self._media())
        pages = []
        for p in range(len(self.pages)):
            self.current = p
            pages.append((self.files[p], self.render(title=title, refresh_s=refresh_s, note=note)))
        self.current = 0
        return pages

    def render(self, *, title: str, refresh_s: float | None, note: str | None) -> str:
        """The page ``self.current``."""
        batch = self.batch
        credits = sum(j.credits or 0 for j in batch.jobs)
        counts = dict.fromkeys(self.states, 0)
        for job in batch.jobs:
            counts[job.state] += 1
        numbers = self.pages[self.current]
        sections = []
        for state in self.states:
            cards = "".join(
                self.card(n, batch.jobs[n]) for n in numbers if batch.jobs[n].state == state
            )
            if cards:
                sections.append(
                    f'<section class="state" id="{self.section_id[state]}">'
                    f"<h2>{_e(state)} ({counts[state]})</h2>"
                    f'<div class="grid">{cards}</div></section>'
                )
        style = _STYLE + "\n" + self._filter_css()
        meta = batch.meta
        facts = [
            f"batch <code>{_e(meta['batch_id'])}</code>" if meta.get("batch_id") else "",
            f"shard {_e(meta['shard'])}" if meta.get("shard") not in (None, "all") else "",
            f"jobs from <code>{_e(meta['source'])}</code>" if meta.get("source") else "",
            f"written {_e(time.strftime('%Y-%m-%d %H:%M:%S %Z'))}",
        ]
        notes = [note] if note else []
        if not batch.chains_known:
            notes.append(
                "Chains are not shown: this journal (or report.jsonl) does not record which job "
                "took values from which."
            )
        if self.previews.failures:
            notes.append(
                f"No preview could be made of {len(self.previews.failures)} file(s): "
                + ", ".join(self.previews.failures[:5])
            )
        unfinished = sum(counts.get(s, 0) for s in _UNFINISHED)
        refresh = (
            f'<meta http-equiv="refresh" content="{max(1, round(refresh_s))}">'
            if refresh_s is not None and unfinished
            else ""
        )
        csp = (
            "default-src 'none'; img-src 'self' file: data:; media-src 'self' file:; "
            f"style-src {_sha(style)}; script-src {_sha(_SCRIPT)}; "
            "base-uri 'none'; form-action 'none'"
        )
        return (
            "<!doctype html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="referrer" content="no-referrer">{refresh}'
            f"<title>{_e(title)}</title><style>{style}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p>{' · '.join(f for f in facts if f)}</p>"
            + "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
            + (
                f'<p class="note live">{unfinished} job(s) unfinished; this page is rewritten '
                "as they change.</p>"
                if refresh
                else ""
            )
            + "</header>"
            + self._summary(counts, credits)
            + self._filters([batch.jobs[n] for n in numbers])
            + self._pager()
            + f"<main>{''.join(sections)}</main>"
            + self._pager()
            + f"<script>{_SCRIPT}</script></body></html>\n"
        )


def _badge(state: str) -> str:
    """The colour class of a state's badge (none for a state the journal does not know)."""
    return f" b-{state}" if state in STATES else ""


def _sha(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


_STYLE = """
:root{color-scheme:light dark;--bg:#f6f6f4;--fg:#1d1d1f;--card:#fff;--muted:#666;--line:#ddd}
@media (prefers-color-scheme:dark){:root{--bg:#161617;--fg:#eee;--card:#222;--muted:#aaa;
--line:#3a3a3a}}
*{box-sizing:border-box}
body{margin:0;padding:1rem 1.5rem;font:14px/1.4 system-ui,sans-serif;background:var(--bg);
color:var(--fg)}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
header p{margin:.2rem 0;color:var(--muted)}.note{color:#a15c00}
code{font:12px ui-monospace,monospace;overflow-wrap:anywhere}
.summary{display:flex;flex-wrap:wrap;gap:1rem 2.5rem;align-items:flex-start;margin:.8rem 0}
.summary h2{margin:0 0 .3rem;font-size:1rem}.summary ol{margin:0;padding-left:1.3rem}
.counts caption{text-align:left;font-weight:600}.counts th{text-align:left;font-weight:400;
padding-right:1rem}.counts td{text-align:right}
.totals{display:grid;grid-template-columns:auto auto;gap:.1rem 1rem;margin:0}
.totals dt{color:var(--muted)}.totals dd{margin:0}
.filters{position:sticky;top:0;z-index:2;background:var(--bg);padding:.4rem 0;
border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:.3rem 1rem}
.filters fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem;
align-items:center}.filters legend{float:left;margin-right:.4rem;color:var(--muted)}
.filters input{position:absolute;opacity:0;pointer-events:none}
.filters label{border:1px solid var(--line);border-radius:999px;padding:.1rem .6rem;
cursor:pointer;background:var(--card)}
.filters input:checked+label{background:var(--fg);color:var(--bg)}
.filters input:focus-visible+label{outline:2px solid #4a7bd0}
#shown{margin:0;color:var(--muted);align-self:center}
.pages{margin:.6rem 0;display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}
.pages a{padding:0 .4rem;border:1px solid var(--line);border-radius:4px}
.pages a[aria-current]{background:var(--fg);color:var(--bg)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.8rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.5rem;
content-visibility:auto;contain-intrinsic-size:auto 360px;min-width:0}
.card:target{outline:3px solid #4a7bd0}
.card h3{margin:.4rem 0 0;font-size:13px;display:flex;gap:.4rem;align-items:center;
justify-content:space-between}
.media{display:block;width:100%;aspect-ratio:16/9;object-fit:contain;background:#111;
border-radius:4px;margin:0}
.audio{display:flex;flex-direction:column;justify-content:center;gap:.3rem;padding:.4rem}
.audio audio{width:100%}.wave{width:100%;height:40px}
.text{overflow:auto;background:var(--bg);padding:.4rem;font-size:12px;white-space:pre-wrap}
.model,.empty{display:flex;align-items:center;justify-content:center;color:#ccc}
.model a{color:#9cf}
.op{margin:.1rem 0;color:var(--muted)}
.card dl{display:grid;grid-template-columns:auto 1fr;gap:0 .6rem;margin:.3rem 0;font-size:12px}
.card dt{color:var(--muted)}.card dd{margin:0;overflow-wrap:anywhere}
.badge{font-size:11px;border-radius:4px;padding:0 .35rem;font-weight:500;white-space:nowrap}
.b-succeeded{background:#d8f3dc;color:#1b5e20}.b-failed{background:#ffd6d6;color:#8b0000}
.b-skipped,.b-held{background:#eee;color:#555}
.b-pending,.b-creating,.b-queued,.b-processing,.b-downloading{background:#dde8ff;color:#1a3d8f}
.error{color:#c62828;margin:.3rem 0;font-size:12px;overflow-wrap:anywhere;white-space:pre-wrap}
.chain{margin:.2rem 0;font-size:12px}.files{margin:.3rem 0 0;padding-left:1.1rem;font-size:12px}
.files a{overflow-wrap:anywhere}
"""

_SCRIPT = """
(function(){
var form=document.querySelector('form.filters');if(!form)return;
var shown=document.getElementById('shown');
var total=document.querySelectorAll('.card').length;
var key='cannon-report:'+location.pathname;
function picked(name){var e=form.querySelector('input[name='+name+']:checked');
return e&&e.dataset.c?'.'+e.dataset.c:'';}
function count(){var n=document.querySelectorAll('.card'+picked('state')+picked('operation')).length;
shown.textContent='showing '+n+' of '+total+' jobs'+(document.querySelector('.pages')?' on this page':'');}
try{var saved=JSON.parse(sessionStorage.getItem(key)||'{}');
['state','operation'].forEach(function(name){var v=saved[name];if(!v)return;
var inputs=form.elements[name];for(var i=0;i<inputs.length;i++){
if(inputs[i].value===v)inputs[i].checked=true;}});}catch(e){}
form.addEventListener('change',function(){
var data={state:form.elements.state.value,operation:form.elements.operation.value};
try{sessionStorage.setItem(key,JSON.stringify(data));}catch(e){}count();});
count();
})();
""".strip()
