"""One filter choice per page: a link of the header sets every panel of the page, and the address keeps it."""

from __future__ import annotations

import pytest

from adass_survey.pages.export import export_site

from .conftest import folder_server, goto_live, notebook_dir, open_page, render_url, served_notebooks

NOTEBOOK = next(n for n in served_notebooks() if n.startswith("07-"))
CHOICE, FRAGMENT = "County council", "#f-council_type-county"
SHOWN = """() => [...document.querySelectorAll('.adass-static-panel')].map(p => [...p.querySelectorAll(
  '.adass-static-view')].filter(v => v.offsetParent !== null).map(v => v.innerText.split('\\n')[0]))"""


@pytest.fixture(scope="module")
def static_url(tmp_path_factory):
    """Section 07 exported, served over HTTP on 127.0.0.1."""
    out = tmp_path_factory.mktemp("choice") / "site"
    export_site(notebook_dir(), out, only=[NOTEBOOK])
    with folder_server(out) as url:
        yield f"{url}{NOTEBOOK.removesuffix('.ipynb')}.html"


def _check(page) -> None:
    before = page.evaluate(SHOWN)
    assert len(before) >= 2 and all(v == ["Showing all 58 councils (n = 58)"] for v in before), before
    page.locator(".adass-choices a", has_text=CHOICE).first.click()
    after = page.evaluate(SHOWN)
    assert page.url.endswith(FRAGMENT), page.url
    assert all(len(v) == 1 and "county councils" in v[0] for v in after), after
    page.reload()
    page.wait_for_load_state("load")
    assert page.url.endswith(FRAGMENT) and page.evaluate(SHOWN) == after, "reloading the address keeps the choice"


@pytest.mark.parametrize("scripts", [True, False])
def test_one_choice_sets_every_panel_of_the_static_page(static_url, browser, scripts) -> None:
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    try:
        page.goto(static_url)
        page.wait_for_load_state("load")
        _check(page)
    finally:
        context.close()


def test_one_choice_sets_every_panel_of_the_live_page(voila_server, browser) -> None:
    page = open_page(browser)
    try:
        goto_live(page, render_url(voila_server, NOTEBOOK))
        page.wait_for_selector(".adass-static-panel", state="attached", timeout=120_000)
        _check(page)
    finally:
        page.context.close()


def test_a_withheld_choice_shows_its_hidden_message(static_url, browser) -> None:
    page = open_page(browser)
    try:
        page.goto(static_url)
        ids = page.locator(".adass-choice-target").evaluate_all("els => els.map(e => e.id)")
        withheld = None
        for cid in ids:
            page.goto(f"{static_url}#{cid}")
            shown = page.locator(".adass-static-view:visible .adass-withheld")
            if shown.count():
                withheld = shown.first.inner_text()
                break
        assert withheld and withheld.startswith("Hidden"), "no choice of the page withholds a group"
    finally:
        page.context.close()
