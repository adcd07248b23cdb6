"""A section page reads before its scripts run: every output is drawn on the server, widgets come after.

The reader's first chart then costs the HTML, not the start of Voilà's front end (about 4 MB of script), so it
shows in well under a second and a crowd of readers sharing a machine still sees charts at once
(``benchmarks/dashboards.py`` and ``readers.py`` measure it). A filter panel's default view is drawn on the server
too and stands in for the panel until the live widget (dropdowns and the same view) replaces it.
"""

from __future__ import annotations

from .conftest import VIEWPORT, goto_live, render_url, save_screenshot, wait_for_dashboard

NOTEBOOK = "07-restrictions.ipynb"  # two filter panels and a chart outside them
SHOWN = """() => {
  const shown = el => el.offsetParent !== null && el.getBoundingClientRect().height > 0;
  return {
    charts: [...document.querySelectorAll('#rendered_cells img')].filter(shown).map(i => i.alt),
    bases: [...document.querySelectorAll('.adass-base')].filter(shown).map(e => e.innerText.trim()),
    controls: [...document.querySelectorAll('select, input, button')].filter(shown).length,
    loading: [...document.querySelectorAll('#loading')].filter(shown).length,
    copies: document.querySelectorAll('.adass-prerendered').length,
    panels: document.querySelectorAll('.adass-panel').length,
    text: document.body.innerText,
  };
}"""


def _without_scripts(browser, url: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    try:
        page = context.new_page()
        goto_live(page, url)
        save_screenshot(page, "07-without-scripts")
        return page.evaluate(SHOWN)
    finally:
        context.close()


def test_page_reads_without_scripts(voila_server, browser) -> None:
    shown = _without_scripts(browser, render_url(voila_server, NOTEBOOK))
    assert "Restrictions on direct payments" in shown["text"] and "The short answer." in shown["text"]
    assert len(shown["charts"]) >= 2 and all(shown["charts"]), f"charts drawn on the server, with alt text: {shown}"
    assert shown["bases"].count("Showing all 58 councils (n = 58)") == 2, "each panel's default view, with its base"
    assert shown["copies"] == 2 and shown["panels"] == 0, "the panels' server-drawn views, no widget"
    assert shown["loading"] == 0, "without scripts no controls come, so the page does not say they are loading"


def test_live_panel_replaces_its_server_drawn_view(voila_server, browser) -> None:
    without = _without_scripts(browser, render_url(voila_server, NOTEBOOK))
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        goto_live(page, render_url(voila_server, NOTEBOOK))
        wait_for_dashboard(page)
        live = page.evaluate(SHOWN)
    finally:
        context.close()
    assert live["panels"] == 2 and live["copies"] == 0, "each live panel took its server-drawn view off the page"
    assert live["charts"] == without["charts"], "the live page shows the same charts, each once"
    assert live["bases"] == without["bases"]
    assert live["controls"] >= 4, "two dropdowns per panel"
    assert live["loading"] == 0, "the loading note is gone once the controls are live"
