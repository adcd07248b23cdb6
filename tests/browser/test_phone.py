"""A director reading a section on a phone (390 × 844 CSS px): every chart's labels read at 12 px or more, and the
first screen reaches the section's short answer (on the landing page, the key messages' heading and the first key
message); on the live dashboards and on the static copies alike.

A chart is a PNG, so the size a reader sees is the image's own text size (the text chunk every chart image carries,
``adass_survey.present.png.TEXT_SIZE_KEY``, written from the figure's text when it was drawn) times the image's shown
width over its natural width, for the image the browser chose (``currentSrc``).
"""

from __future__ import annotations

import base64
import io
import urllib.request

import pytest
from PIL import Image

from adass_survey.present.png import TEXT_SIZE_KEY

from .conftest import (
    choose,
    goto_live,
    notebook_dir,
    open_page,
    render_url,
    served_notebooks,
    wait_for_dashboard,
)

PHONE = {"width": 390, "height": 844}
SMALLEST_LABEL_PX = 12
SHORT_ANSWER = "The short answer"
CHART_PAGES = [n for n in served_notebooks() if n.startswith(("02-", "07-"))]
SECTIONS = [n for n in served_notebooks() if f"**{SHORT_ANSWER}.**" in (notebook_dir() / n).read_text("utf-8")]
LANDING = next(n for n in served_notebooks() if n.startswith("00-"))
FIRST_SCREEN_PAGES = [LANDING, *SECTIONS]
FILTER = "County council"  # a view not shown at first: its charts are files fetched once chosen

SHOWN_CHARTS = """() => [...document.querySelectorAll('figure.adass-chart img')]
    .filter(img => img.getBoundingClientRect().width > 0)
    .map(img => ({src: img.currentSrc, shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
                  complete: img.complete}))"""
SCROLL_THROUGH_CHARTS = """async () => {
    for (const img of document.querySelectorAll('figure.adass-chart img')) {
        if (img.getBoundingClientRect().width > 0) {
            img.scrollIntoView();
            await new Promise(resolve => setTimeout(resolve, 100));
        }
    }
    window.scrollTo(0, 0);
}"""
SHORT_ANSWER_BOTTOM = """(text) => {
    const lead = [...document.querySelectorAll('strong, h1, h2, h3')].find(e => e.textContent.trim().startsWith(text));
    if (!lead) { return null; }
    const bottom = e => e.getBoundingClientRect().bottom + window.scrollY;
    const item = [...document.querySelectorAll('li')].find(
        li => lead.compareDocumentPosition(li) & Node.DOCUMENT_POSITION_FOLLOWING);
    return {lead: bottom(lead), first_item: item ? bottom(item) : null};
}"""


@pytest.fixture(scope="module")
def site(static_pages_url):
    """The static pages (the landing page and every section with a short answer among them), served over HTTP on 127.0.0.1."""
    return static_pages_url


def _phone(browser):
    page = open_page(browser)
    page.set_viewport_size(PHONE)
    return page


def _image_bytes(src: str) -> bytes:
    if src.startswith("data:"):
        return base64.b64decode(src.split(",", 1)[1])
    with urllib.request.urlopen(src, timeout=60) as response:
        return response.read()


def label_sizes(page) -> list[float]:
    """The smallest label of every chart shown, in CSS px: the image's smallest text × shown / natural width.

    Each chart is scrolled into view first: the charts of a view chosen after the page loaded are lazy images,
    fetched as a reader reaches them.
    """
    page.evaluate(SCROLL_THROUGH_CHARTS)
    page.wait_for_function(f"() => ({SHOWN_CHARTS})().every(c => c.complete && c.natural > 0)", timeout=120_000)
    sizes = []
    for chart in page.evaluate(SHOWN_CHARTS):
        text = Image.open(io.BytesIO(_image_bytes(chart["src"]))).text
        assert TEXT_SIZE_KEY in text, f"a chart image does not say its text size: {chart['src'][:80]}"
        sizes.append(float(text[TEXT_SIZE_KEY]) * chart["shown"] / chart["natural"])
    return sizes


def _check_labels(page, where: str) -> None:
    for view in ("first view", FILTER):
        if view == FILTER:
            choose(page, FILTER)
        sizes = label_sizes(page)
        assert sizes, f"{where} ({view}): no chart shown"
        assert min(sizes) >= SMALLEST_LABEL_PX, (
            f"{where} ({view}): labels of {min(sizes):.1f} px on a 390 px phone (all: {[round(s, 1) for s in sizes]})"
        )


def _check_short_answer(page, where: str, landing: bool = False) -> None:
    """The short answer's lead ends within the first screen; on the landing page (``landing``), where the lead is the
    key messages' heading, the first key message (the first list item after it) ends there too."""
    found = page.evaluate(SHORT_ANSWER_BOTTOM, SHORT_ANSWER)
    assert found is not None, f"{where}: no '{SHORT_ANSWER}'"
    ends = {f"'{SHORT_ANSWER}'": found["lead"]}
    if landing:
        assert found["first_item"] is not None, f"{where}: no key message after '{SHORT_ANSWER}'"
        ends["the first key message"] = found["first_item"]
    for what, bottom in ends.items():
        assert bottom <= PHONE["height"], f"{where}: {what} ends {bottom:.0f} px down, below the first screen"


def test_sections_are_found() -> None:
    assert len(SECTIONS) >= 13 and set(CHART_PAGES) <= set(SECTIONS) and len(CHART_PAGES) == 2
    assert LANDING not in SECTIONS and SHORT_ANSWER in (notebook_dir() / LANDING).read_text("utf-8")


@pytest.mark.parametrize("notebook", CHART_PAGES)
def test_static_chart_labels_read_at_12_px_on_a_phone(browser, site, notebook: str) -> None:
    page = _phone(browser)
    try:
        page.goto(f"{site}{notebook.removesuffix('.ipynb')}.html")
        page.wait_for_load_state("load")
        _check_labels(page, f"static {notebook}")
    finally:
        page.context.close()


@pytest.mark.parametrize("notebook", CHART_PAGES)
def test_live_chart_labels_read_at_12_px_on_a_phone(browser, voila_server, notebook: str) -> None:
    page = _phone(browser)
    try:
        goto_live(page, render_url(voila_server, notebook))
        wait_for_dashboard(page)
        _check_labels(page, f"live {notebook}")
    finally:
        page.context.close()


def test_static_first_screen_reaches_the_short_answer(browser, site) -> None:
    page = _phone(browser)
    try:
        for notebook in FIRST_SCREEN_PAGES:
            page.goto(f"{site}{notebook.removesuffix('.ipynb')}.html")
            page.wait_for_load_state("load")
            _check_short_answer(page, f"static {notebook}", landing=notebook == LANDING)
    finally:
        page.context.close()


def test_live_first_screen_reaches_the_short_answer(browser, voila_server) -> None:
    page = _phone(browser)
    try:
        for notebook in FIRST_SCREEN_PAGES:
            goto_live(page, render_url(voila_server, notebook))
            wait_for_dashboard(page)
            _check_short_answer(page, f"live {notebook}", landing=notebook == LANDING)
    finally:
        page.context.close()
