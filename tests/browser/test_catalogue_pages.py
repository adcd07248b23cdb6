"""Filters switch precomputed views in the browser: with the page's kernel stopped, and on a static page offline."""

from __future__ import annotations

import subprocess

import pytest

from adass_survey.pages.export import export_site

from .conftest import (
    Traffic,
    choose,
    folder_server,
    goto_live,
    kernel_gone,
    kernel_id_of,
    notebook_dir,
    open_page,
    render_url,
    save_screenshot,
    wait_for_dashboard,
)

NOTEBOOK = "07-restrictions.ipynb"
CHOICE = "County council"  # an option of the council-type filter; 17 county councils responded
SNAPSHOT = """el => ({
  base: [...el.querySelectorAll('.adass-base')].filter(e => e.offsetParent !== null).map(e => e.innerText),
  charts: [...el.querySelectorAll('img')].filter(e => e.offsetParent !== null).map(i => i.src.slice(-48)),
  drawn: [...el.querySelectorAll('img')].filter(e => e.offsetParent !== null).every(i => i.naturalWidth > 0),
})"""


def _first_panel(page):
    panel = page.locator(".adass-static-panel").first
    panel.wait_for(state="attached", timeout=60_000)
    return None, panel


def _choose(page, select, panel) -> tuple[dict, dict]:
    before = panel.evaluate(SNAPSHOT)
    choose(page, CHOICE)
    after = before
    for _ in range(50):
        page.wait_for_timeout(100)
        after = panel.evaluate(SNAPSHOT)
        if after != before and after["drawn"]:  # the chosen view's chart is a file beside the page, fetched now
            break
    return before, after


def test_filter_switches_with_the_kernel_stopped(voila_server, browser) -> None:
    page = open_page(browser)
    try:
        goto_live(page, render_url(voila_server, NOTEBOOK))
        wait_for_dashboard(page)
        kernel = kernel_id_of(page)
        subprocess.run(
            ["pkill", "-f", f"kernel-{kernel}"], check=False
        )  # the server has released it already, as a rule
        stopped = kernel_gone(kernel)
        select, panel = _first_panel(page)
        before, after = _choose(page, select, panel)
        save_screenshot(page, "filter-with-kernel-stopped")
    finally:
        page.context.close()
    assert stopped, "the page's kernel is still running"
    assert before["base"] == ["Showing all 58 councils (n = 58)"], before
    assert after["base"] == ["Showing 17 county councils (n = 17)"], after
    assert after["charts"] and after["charts"] != before["charts"] and after["drawn"]


@pytest.fixture(scope="module")
def static_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("static") / "site"
    export_site(notebook_dir(), out, only=[NOTEBOOK])
    with folder_server(out) as url:
        yield url + NOTEBOOK.replace(".ipynb", ".html")


def test_static_page_filters_work_offline(static_page, browser) -> None:
    traffic = Traffic()
    page = open_page(browser, traffic)
    try:
        page.goto(static_page)
        page.wait_for_load_state("load")
        select, panel = _first_panel(page)
        before, after = _choose(page, select, panel)
        scripts = page.evaluate("() => document.scripts.length")
        save_screenshot(page, "static-filter-county")
    finally:
        page.context.close()
    assert traffic.external == [] and scripts == 0
    assert before["base"] == ["Showing all 58 councils (n = 58)"], before
    assert after["base"] == ["Showing 17 county councils (n = 17)"], after
    assert after["charts"] and after["charts"] != before["charts"] and after["drawn"]
