"""The static export (``python -m adass_survey export``): pages that need no kernel and no network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adass_survey.pages.export import export_site

from .conftest import Traffic, folder_server, notebook_dir, open_page, save_screenshot, served_notebooks
from .test_dashboards import PATH_PATTERN, TRACEBACK_PATTERN

# Executing every notebook belongs to the export itself (and the benchmark); here the first section, and the
# landing page when there is one, keep the test short.
EXPORTED = [n for n in served_notebooks() if n.startswith("00-")][:1] + [
    n for n in served_notebooks() if not n.startswith("00-")
][:1]


@pytest.fixture(scope="module")
def static_site(tmp_path_factory):
    """Export the chosen notebooks and serve the folder over plain HTTP on 127.0.0.1."""
    out = tmp_path_factory.mktemp("static") / "site"
    pages = export_site(notebook_dir(), out, only=EXPORTED)
    with folder_server(out) as url:
        yield url, pages


def test_index_lists_every_section(static_site, browser) -> None:
    url, _ = static_site
    page = open_page(browser)
    try:
        page.goto(url + "index.html")
        links = page.locator(".adass-tree a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        banner = page.inner_text(".adass-banner")
    finally:
        page.context.close()
    assert links == [n.replace(".ipynb", ".html") for n in served_notebooks()]
    assert "Synthetic respondent data" in banner


@pytest.mark.parametrize("notebook", EXPORTED)
def test_static_page_is_complete_offline_and_has_no_widgets(static_site, browser, notebook) -> None:
    url, pages = static_site
    name = notebook.removesuffix(".ipynb")
    assert Path(pages[0]).parent.joinpath(f"{name}.html").exists()
    traffic = Traffic()
    page = open_page(browser, traffic)
    try:
        page.goto(f"{url}{name}.html")
        page.wait_for_load_state("load")
        text = page.inner_text("body")
        images = page.evaluate(
            "() => [...document.images].map(i => [i.getAttribute('alt'), i.naturalWidth, i.offsetParent !== null,"
            " i.getAttribute('src').slice(0, 40)])"
        )
        controls = page.locator("input, button, .jupyter-widgets, select:not(.adass-static-filter)").count()
        code = page.locator(".jp-CodeCell .jp-InputArea, .cm-editor").count()
        scripts = page.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
        save_screenshot(page, f"static-{name}")
    finally:
        page.context.close()
    assert "Synthetic respondent data" in text
    assert traffic.external == [] and scripts == [], (traffic.external, scripts)
    assert controls == 0, "a static page has its filters as plain <select> controls only, no widgets"
    assert code == 0
    assert TRACEBACK_PATTERN.search(text) is None
    assert PATH_PATTERN.search(text) is None
    assert all(alt and alt.strip() for alt, *_ in images), images
    assert all(width > 0 for _, width, shown, _ in images if shown), "every chart on screen is drawn"
    assert all(src.startswith("data:image/png") for _, _, shown, src in images if shown), "and inside the page"
    hidden = [src for _, _, shown, src in images if not shown]
    assert all(src.startswith("files/") for src in hidden), "the other views' charts are files beside the page"
    folder = Path(pages[0]).parent
    linked = re.findall(r'(?:src|href)="(files/[^"]+)"', (folder / f"{name}.html").read_text(encoding="utf-8"))
    assert all((folder / f).is_file() for f in linked), "every file a page links to is there"
    if not notebook.startswith("00-"):
        assert [shown for *_, shown, _ in images].count(True), "a section page must embed its default chart"
