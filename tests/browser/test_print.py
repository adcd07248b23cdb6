"""Printing a section: no page of the PDF holds fewer than 5 lines, and the page's filter choice is printed."""

from __future__ import annotations

import io
import re

import pytest

from adass_survey.pages.export import export_site

from .conftest import folder_server, notebook_dir, open_page, served_notebooks

SECTIONS = [n for n in served_notebooks() if re.match(r"\d\d-", n) and not n.startswith("00-")]
MIN_LINES = 5
"""Fewer lines than this on a printed page is a chart, a heading or a table's last rows alone on it; lines per page
are measured in docs/dashboards.md ("Print")."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Every section exported, served over HTTP on 127.0.0.1."""
    out = tmp_path_factory.mktemp("print") / "site"
    export_site(notebook_dir(), out, only=SECTIONS)
    with folder_server(out) as url:
        yield url


def pdf_lines(pdf: bytes) -> list[int]:
    """The number of non-blank text lines on each page of a PDF."""
    from pypdf import PdfReader

    return [
        sum(1 for line in (p.extract_text() or "").splitlines() if line.strip())
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def _print(browser, url: str) -> bytes:
    page = open_page(browser)
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        return page.pdf(format="A4")
    finally:
        page.context.close()


@pytest.mark.parametrize("notebook", SECTIONS)
def test_no_printed_page_holds_fewer_than_five_lines(site, browser, notebook) -> None:
    from pypdf import PdfReader

    pdf = _print(browser, f"{site}{notebook.removesuffix('.ipynb')}.html")
    lines = pdf_lines(pdf)
    print(f"{notebook}: {len(lines)} pages, lines per page {lines}")
    short = [(n + 1, count) for n, count in enumerate(lines) if count < MIN_LINES]
    assert not short, f"{notebook}: pages (number, lines) with fewer than {MIN_LINES} lines: {short} of {lines}"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # nothing a reader cannot use on paper: no "Download this table: ·" line, no navigation links
    assert "Download this table" not in text and "Next:" not in text and "Previous:" not in text, notebook


def test_the_filter_choice_is_printed(site, browser) -> None:
    from pypdf import PdfReader

    notebook = next(n for n in SECTIONS if n.startswith("07-"))
    pdf = _print(browser, f"{site}{notebook.removesuffix('.ipynb')}.html#f-council_type-county")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Show every chart of this page for: County council" in text, text[:600]
    assert "Unitary" not in text.split("Synthetic respondent data")[0], "only the chosen option prints"
    assert "Showing 17 county councils" in text and "Showing all 58 councils" not in text
