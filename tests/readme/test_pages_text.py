"""What the README and the docs pages say, checked against the code and the house rules.

- No process narrative: the words of a work log never appear in user-facing text.
- The README stays short, keeps exactly the two set-up commands, and every link it makes into
  the repository resolves (MkDocs checks the links between docs pages; the README is not one).
- Figures that the code defines are quoted as the code defines them.
"""

from __future__ import annotations

import re

import pytest
from cannon_studio._constants import DEFAULT_SYNC_MAX_CONCURRENCY, MAX_IN_FLIGHT_REQUESTS

from tests.readme.pages import PAGES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
NARRATIVE = re.compile(r"session|stream|issue [0-9]", re.IGNORECASE)


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_no_process_narrative(page: object) -> None:
    text = page.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    hits = [line for line in text.splitlines() if NARRATIVE.search(line)]
    assert hits == []


def test_readme_is_short() -> None:
    assert len(README.splitlines()) <= 300


def test_readme_set_up_commands_are_make_demo_and_make_test() -> None:
    commands = set(re.findall(r"^(make [a-z-]+)", README, re.MULTILINE))
    assert commands == {"make demo", "make test"}


def test_readme_install_line_is_a_real_pip_line() -> None:
    assert re.search(r'^pip install "cannon-studio\[[a-z,]+\]"$', README, re.MULTILINE)
    assert "<this repository>" not in README


def test_readme_links_resolve_inside_the_repository() -> None:
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    assert local, "the README links into docs/"
    assert [link for link in local if not (ROOT / link).is_file()] == []


def test_readme_says_why_python_dateutil_is_not_a_dependency() -> None:
    assert "python-dateutil" in README
    assert "datetime.fromisoformat" in README
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "dateutil" not in pyproject


def test_max_concurrency_defaults_are_the_code_s() -> None:
    """The async default is twice the client's in-flight limit; one figure wherever it is quoted."""
    text = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)
    # "async: tasks, default 128" (Waiting) and "async default twice `max_in_flight`, 128" (Options)
    quoted = re.findall(r"async(?::| default)[^.|]{0,40}?(\d+)", text)
    assert len(quoted) >= 2, "the pages quote the async max_concurrency default"
    assert set(quoted) == {str(2 * MAX_IN_FLIGHT_REQUESTS)}
    assert f"default {DEFAULT_SYNC_MAX_CONCURRENCY}" in text


def test_batch_page_opens_with_same_file_same_requests() -> None:
    """Before anything else, the batch page says a re-run is not a new batch unless asked."""
    lines = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    while body and not body[0].strip():
        body.pop(0)
    assert body[0].startswith("!!! "), "the page opens with a call-out"
    opening = [body[0]]
    for line in body[1:]:
        if line.strip() and not line.startswith("    "):
            break
        opening.append(line)
    text = "\n".join(opening)
    assert "same file" in text.lower()
    assert "--batch-id" in text and "--reuse-requests" in text
