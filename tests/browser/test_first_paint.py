"""A section page is drawn on the server, its filters included: it reads, and its filters switch, with no script.

Every output is HTML made by the page's kernel from the views catalogue, and a filter panel's views are shown by
the header's filter links and CSS rules, as on the static copy. A section page therefore loads none of Voilà's front end
(about 5 MB of script and 90 requests): the reader's first chart costs the HTML alone, and a crowd of readers sharing
a machine still sees charts at once (``benchmarks/dashboards.py`` and ``readers.py`` measure it). Nothing will ever
connect to the page's kernel, so the server stops it as soon as the page is sent.
"""

from __future__ import annotations

from .conftest import VIEWPORT, choose, goto_live, kernel_gone, kernel_id_of, render_url, save_screenshot

NOTEBOOK = "07-restrictions.ipynb"  # two filter panels and a chart outside them
CHOICE = "County council"  # an option of the council-type filter; 17 county councils responded
SHOWN = """() => {
  const shown = el => el.offsetParent !== null && el.getBoundingClientRect().height > 0;
  return {
    charts: [...document.querySelectorAll('#rendered_cells img')].filter(shown).map(i => i.alt),
    drawn: [...document.querySelectorAll('#rendered_cells img')].filter(shown).every(i => i.naturalWidth > 0),
    bases: [...document.querySelectorAll('.adass-base')].filter(shown).map(e => e.innerText.trim()),
    controls: [...document.querySelectorAll('.adass-choices li li a')].filter(shown).length,
    loading: [...document.querySelectorAll('#loading')].filter(shown).length,
    widgets: document.querySelectorAll('.jupyter-widgets, .adass-panel').length,
    text: document.body.innerText,
  };
}"""


def _open(browser, url: str, scripts: bool) -> tuple[dict, dict, list[str], str]:
    """The page as shown, then after choosing CHOICE in its first filter; the scripts and stylesheets it loaded (as
    ``type url``); its kernel id."""
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=scripts)
    try:
        page = context.new_page()
        loaded: list[str] = []
        page.on(
            "request",
            lambda r: (
                loaded.append(f"{r.resource_type} {r.url}") if r.resource_type in {"script", "stylesheet"} else None
            ),
        )
        goto_live(page, url)
        page.wait_for_load_state("load")
        before = page.evaluate(SHOWN)
        kernel = kernel_id_of(page)
        choose(page, CHOICE)
        page.wait_for_timeout(1000)  # the chosen view's chart loads when it is shown (lazily)
        after = page.evaluate(SHOWN)
        save_screenshot(page, "07-county" + ("" if scripts else "-without-scripts"))
        return before, after, loaded, kernel
    finally:
        context.close()


def test_page_reads_and_filters_without_scripts(voila_server, browser) -> None:
    before, after, _, _ = _open(browser, render_url(voila_server, NOTEBOOK), scripts=False)
    assert "Restrictions on direct payments" in before["text"] and "The short answer." in before["text"]
    assert len(before["charts"]) >= 2 and all(before["charts"]), f"charts drawn on the server, with alt text: {before}"
    assert before["bases"].count("Showing all 58 councils (n = 58)") == 2, "each panel's default view, with its base"
    assert before["controls"] >= 4 and before["widgets"] == 0, "the page's filter choices, as HTML links"
    assert before["loading"] == 0, "no controls are on their way: the page says nothing is loading"
    assert "Showing 17 county councils (n = 17)" in after["bases"], "a filter switches its view with no script"
    assert after["charts"] != before["charts"] and after["drawn"], "and the chart with it, drawn"


def test_live_page_loads_no_front_end_and_frees_its_kernel(voila_server, browser) -> None:
    url = render_url(voila_server, NOTEBOOK)
    without, _, _, _ = _open(browser, url, scripts=False)
    before, after, loaded, kernel = _open(browser, url, scripts=True)
    assert [u for u in loaded if u.startswith("script") and " data:" not in u] == [], "no script: no front end"
    assert [u for u in loaded if u.startswith("stylesheet")] == [], "the page's styles are inside it: no request"
    assert kernel_gone(kernel), f"the page's kernel {kernel} was not stopped once the page was sent"
    assert before["charts"] == without["charts"] and before["bases"] == without["bases"], "the same page either way"
    assert before["loading"] == 0 and before["widgets"] == 0
    assert "Showing 17 county councils (n = 17)" in after["bases"] and after["drawn"]
