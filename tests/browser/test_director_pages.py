"""What a reader meets on the static pages: one synthetic notice, the key messages on the landing page, a styled
index that asks nothing of the reader, and HTML that html-validate passes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from adass_survey import SYNTHETIC_NOTICE

from .conftest import open_page, served_notebooks

ROOT = Path(__file__).resolve().parents[2]
PAGES = [n for n in served_notebooks() if n.startswith(("00-", "07-"))]
VALIDATOR = ROOT / "node_modules" / ".bin" / "html-validate"


@pytest.fixture(scope="module")
def site(static_pages, static_pages_url):
    """The static pages (the landing page, section 07 and the site index among them), served over HTTP on 127.0.0.1,
    and their folder."""
    return static_pages_url, static_pages


def _visible_text(browser, url: str) -> str:
    page = open_page(browser)
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        return page.inner_text("body")
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["index", *(n.removesuffix(".ipynb") for n in PAGES)])
def test_one_synthetic_notice_per_page(site, browser, name) -> None:
    url, _ = site
    text = _visible_text(browser, f"{url}{name}.html")
    assert text.count(SYNTHETIC_NOTICE) == 1, name


def test_landing_page_has_the_seven_key_messages_linked_to_their_figures(site, browser) -> None:
    url, out = site
    messages = pd.read_csv(ROOT / "data" / "published" / "key_messages.csv", dtype=str)
    figures = pd.read_csv(ROOT / "data" / "published" / "figures.csv", dtype=str).set_index("id")
    page = open_page(browser)
    try:
        page.goto(f"{url}00-index.html")
        text = page.inner_text("body")
        links = page.locator("a[href*='#fig-F']").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    finally:
        page.context.close()
    for quote in messages["message_quote"].unique():
        assert quote.strip().rstrip(".") in text, quote
    assert len(links) == 7
    for href in links:
        match = re.fullmatch(r"(\d{2})-[a-z0-9-]+\.html#fig-(F\d{2}-\d{2})", href)
        assert match, href
        assert int(match.group(1)) == int(str(figures.at[match.group(2), "section"]).split(".")[0]), href
    section_07 = (out / next(p for p in PAGES if p.startswith("07-")).replace(".ipynb", ".html")).read_text()
    for figure_id in figures.index[figures["section"].astype(str).str.match(r"7(\.|$)")]:
        assert f'id="fig-{figure_id}"' in section_07, figure_id


def test_static_index_is_styled_numbered_once_and_asks_for_no_command(site, browser) -> None:
    url, _ = site
    page = open_page(browser)
    try:
        page.goto(f"{url}index.html")
        font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        marker = page.evaluate("() => getComputedStyle(document.querySelector('.adass-tree li')).listStyleType")
        items = page.locator(".adass-tree li").all_inner_texts()
        text = page.inner_text("body")
    finally:
        page.context.close()
    assert "serif" not in font.replace("sans-serif", ""), font
    numbered = [t for t in items if re.match(r"\d+\. ", t)]  # "1. Introduction ...": the title's own number
    assert marker == "none" and len(numbered) >= len(items) - 1, (marker, items[:3])
    assert "serve.sh" not in text and "python -m" not in text
    assert "without filters" not in text and "filters" in text


def html_validate_errors(files: list[str], report_file: Path) -> list[tuple[str, str, str]]:
    """html-validate's errors (severity 2) in ``files`` under the repository's rules: (file name, rule, message)."""
    subprocess.run(  # the report goes to a file: node's exit can cut a long report on a pipe
        [str(VALIDATOR), "--config", str(ROOT / ".htmlvalidate.json"), "--formatter", f"json={report_file}", *files],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    report = json.loads(report_file.read_text() or "[]")
    return [
        (Path(f["filePath"]).name, m["ruleId"], m["message"])
        for f in report
        for m in f["messages"]
        if m["severity"] == 2
    ]


ALL_PAGES = ["index", *(n.removesuffix(".ipynb") for n in served_notebooks())]


def structure_problems(html: str) -> list[str]:
    """What a page's head and headings lack: a meta description, one ``<h1>``, headings that skip no level."""
    from html.parser import HTMLParser

    class Outline(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.levels: list[int] = []
            self.description = ""

        def handle_starttag(self, tag: str, attrs) -> None:
            values = dict(attrs)
            if re.fullmatch(r"h[1-6]", tag):
                self.levels.append(int(tag[1]))
            elif tag == "meta" and values.get("name") == "description":
                self.description = values.get("content") or ""

    outline = Outline()
    outline.feed(html)
    levels = outline.levels
    problems = [] if len(outline.description) >= 50 else [f"meta description {outline.description!r}"]
    if levels[:1] != [1] or levels.count(1) != 1:
        problems.append(f"not one <h1> first: {levels[:5]}")
    problems += [f"<h{b}> after <h{a}>" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    return problems


@pytest.fixture(scope="module")
def whole_site(static_pages, tmp_path_factory):
    """Every static page (the site index too) and html-validate's errors on them, by page name."""
    report = tmp_path_factory.mktemp("whole") / "html-validate.json"
    return static_pages, html_validate_errors(sorted(str(p) for p in static_pages.glob("*.html")), report)


@pytest.mark.parametrize("name", ALL_PAGES)
def test_html_validate_reports_no_error(whole_site, name) -> None:
    assert VALIDATOR.exists(), "html-validate is installed by npm ci (scripts/setup.sh)"
    out, errors = whole_site
    assert (out / f"{name}.html").exists(), name
    mine = [e for e in errors if e[0] == f"{name}.html"]
    assert not mine, mine[:20]


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_static_page_has_a_description_and_ordered_headings(whole_site, name) -> None:
    out, _ = whole_site
    problems = structure_problems((out / f"{name}.html").read_text(encoding="utf-8"))
    assert not problems, (name, problems)


def live_body(url: str, timeout: float = 180) -> bytes:
    """The live page at ``url``: asked again while the server answers with the static copy (its pool refilling)."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local)
            body = response.read()
            if not response.headers.get("x-adass-fallback"):
                return body
        assert time.monotonic() < deadline, f"{url}: only the static copy within {timeout:.0f} s"
        time.sleep(2)


@pytest.fixture(scope="module")
def live_pages(voila_server, tmp_path_factory):
    """Every live page (each section's and the entry page) as Voilà serves it, and html-validate's errors on them."""
    from .conftest import render_url, wait_until_ready

    folder = tmp_path_factory.mktemp("live")
    wait_until_ready(voila_server)
    pages = {"tree": f"{voila_server.url}voila/tree"}
    pages |= {n.removesuffix(".ipynb"): render_url(voila_server, n) for n in served_notebooks()}
    for name, url in pages.items():
        (folder / f"{name}.html").write_bytes(live_body(url))
    return folder, html_validate_errors(sorted(str(p) for p in folder.glob("*.html")), folder / "html-validate.json")


@pytest.mark.parametrize("name", ["tree", *ALL_PAGES[1:]])
def test_html_validate_reports_no_error_on_live_pages(live_pages, name) -> None:
    folder, errors = live_pages
    assert (folder / f"{name}.html").exists(), name
    mine = [e for e in errors if e[0] == f"{name}.html"]
    assert not mine, mine[:20]


@pytest.mark.parametrize("name", ALL_PAGES[1:])
def test_every_live_page_has_a_description_and_ordered_headings(live_pages, name) -> None:
    folder, _ = live_pages
    problems = structure_problems((folder / f"{name}.html").read_text(encoding="utf-8"))
    assert not problems, (name, problems)
