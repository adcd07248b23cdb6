"""What a reader of the Voilà dashboards sees: every section renders clean, offline, with the site frame.

One page load per notebook (module-scoped fixture ``rendered``) feeds several checks.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import (
    Traffic,
    choose,
    goto_live,
    notebook_dir,
    open_page,
    render_url,
    save_screenshot,
    served_notebooks,
    wait_for_dashboard,
)

NOTEBOOKS = served_notebooks()

# A path of a machine (POSIX or Windows), a Python file in a traceback, or a site-packages folder.
PATH_PATTERN = re.compile(
    r"(/(home|root|tmp|work|usr|opt|var|Users)/[\w.-]+|[A-Za-z]:\\\\?[\w.-]+\\|site-packages|File \"[^\"]+\.py\"|\.py:\d+)"
)
TRACEBACK_PATTERN = re.compile(
    r"(Traceback \(most recent call last\)|There was an error when executing cell|"
    r"\b\w+Error: |\bException: )"
)


@dataclass
class Rendered:
    """What one page load of a dashboard showed."""

    notebook: str
    text: str
    code_blocks: int
    stderr_outputs: int
    error_outputs: int
    images: list[dict] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    header: dict = field(default_factory=dict)
    print_view: dict = field(default_factory=dict)
    filter_change: dict | None = None
    download: dict | None = None


PRINTED = """() => {
  const shown = el => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  const controls = [...document.querySelectorAll(
      'select, .widget-dropdown, .widget-select, .widget-select-multiple, .widget-radio, .widget-toggle-buttons,'
      + ' .widget-checkbox, .widget-button, .widget-text, .widget-slider, .widget-hslider, .widget-combobox')];
  return {
    banner: shown(document.querySelector('.adass-banner')),
    nav: shown(document.querySelector('.adass-nav')),
    controls: controls.filter(shown).length,
    images: [...document.images].filter(shown).map(i => i.src.slice(-64)),
    tables: [...document.querySelectorAll('table')].filter(shown).length,
  };
}"""


def _print_view(page) -> dict:
    """Return what shows on screen and what stays visible when the page is printed.

    A filter panel holds every view, one shown at a time: what prints is compared with what is on screen.
    """
    screen = page.evaluate(PRINTED)
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    page.emulate_media(media="screen")
    return {
        "banner": printed["banner"],
        "nav": printed["nav"],
        "controls": screen["controls"],
        "controls_shown": printed["controls"],
        "images": screen["images"],
        "images_shown": printed["images"],
        "tables": screen["tables"],
        "tables_shown": printed["tables"],
    }


SNAPSHOT = """() => ({
  charts: [...document.images].filter(i => i.offsetParent !== null).map(i => i.src.length + ':' + i.src.slice(-64)),
  base: document.body.innerText.split('\\n').filter(line => /\\bbase\\b|\\(n = \\d+\\)/i.test(line)),
})"""


def _change_first_filter(page) -> dict | None:
    """Choose the page's first filter option (a header link); return the charts and base lines before and after."""
    links = page.locator(".adass-choices li li a:visible")
    if links.count() < 2:
        return None
    before = page.evaluate(SNAPSHOT)
    chosen = links.nth(1).inner_text()
    links.nth(1).click()
    after = before
    for _ in range(100):
        page.wait_for_timeout(200)
        after = page.evaluate(SNAPSHOT)
        if after["charts"] != before["charts"] and after["base"] != before["base"]:
            break
    return {"option": chosen, "before": before, "after": after}


def _download_first_csv(page) -> dict | None:
    """Click the page's first CSV download link; return the file's rows and the table shown beside it."""
    links = page.locator("a[download$='.csv']:visible")  # a panel holds every view, one shown at a time
    if links.count() == 0:
        return None
    link = links.first
    shown = link.evaluate(
        """a => {
          const view = a.closest('.adass-view, .jp-OutputArea-output');
          const table = view && view.querySelector('table');
          if (!table) return null;
          return [...table.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => td.innerText.trim()));
        }"""
    )
    with page.expect_download() as info:
        link.click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    return {"filename": download.suggested_filename, "rows": list(csv.DictReader(io.StringIO(text))), "table": shown}


@pytest.fixture(scope="module", params=NOTEBOOKS)
def rendered(request, voila_server, browser) -> Rendered:
    """Load one dashboard once, record what it shows, and save its screenshots."""
    notebook = request.param
    traffic = Traffic()
    page = open_page(browser, traffic)
    try:
        goto_live(page, render_url(voila_server, notebook))
        wait_for_dashboard(page)
        save_screenshot(page, notebook.removesuffix(".ipynb"))
        result = Rendered(
            notebook=notebook,
            text=page.inner_text("body"),
            code_blocks=page.locator(
                ".jp-CodeCell .jp-InputArea:visible, .jp-CodeMirrorEditor:visible, .cm-editor:visible"
            ).count(),
            stderr_outputs=page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count(),
            error_outputs=page.locator(".jp-OutputArea-output.jp-RenderedText[data-mime-type*=error]").count(),
            images=page.evaluate(
                "() => [...document.images].map(i => ({alt: i.getAttribute('alt'), src: i.src.slice(0, 40),"
                " width: i.naturalWidth, shown: i.offsetParent !== null}))"
            ),
            external_requests=list(traffic.external),
            hosts=list(traffic.hosts),
            header=page.evaluate(
                """() => ({
                  title: document.querySelector('.adass-site-title')?.innerText,
                  banner: document.querySelector('.adass-banner')?.innerText,
                  prev: document.querySelector('.adass-nav-prev')?.getAttribute('href'),
                  next: document.querySelector('.adass-nav-next')?.getAttribute('href'),
                  index: document.querySelector('.adass-nav-index')?.getAttribute('href'),
                })"""
            ),
            print_view=_print_view(page),
        )
        result.download = _download_first_csv(page)
        result.filter_change = _change_first_filter(page)
    finally:
        page.context.close()
    return result


def test_no_source_code(rendered: Rendered) -> None:
    assert rendered.code_blocks == 0, f"{rendered.notebook} shows {rendered.code_blocks} code blocks"
    assert "import " not in rendered.text, f"{rendered.notebook} shows Python source"


def test_no_traceback(rendered: Rendered) -> None:
    match = TRACEBACK_PATTERN.search(rendered.text)
    assert match is None, (
        f"{rendered.notebook} shows an error: …{rendered.text[max(0, match.start() - 80) : match.end() + 80]}…"
    )
    assert rendered.stderr_outputs == 0, f"{rendered.notebook} shows {rendered.stderr_outputs} stderr outputs"


def test_no_file_path(rendered: Rendered) -> None:
    match = PATH_PATTERN.search(rendered.text)
    assert match is None, f"{rendered.notebook} shows a file path: {match.group(0)!r}"


def test_every_chart_has_alt_text(rendered: Rendered) -> None:
    for image in rendered.images:
        assert image["alt"] and image["alt"].strip(), f"{rendered.notebook}: image without alt text {image['src']}"
        if image["shown"]:  # the charts of views not chosen load when they are chosen
            assert image["width"] > 0, f"{rendered.notebook}: image did not load {image['src']}"


def test_no_request_leaves_localhost(rendered: Rendered) -> None:
    assert rendered.hosts, "no request was recorded: the route did not run"
    assert rendered.external_requests == [], f"{rendered.notebook} asked for {rendered.external_requests}"


def test_header_banner_and_navigation(rendered: Rendered) -> None:
    from adass_survey import SYNTHETIC_NOTICE

    position = NOTEBOOKS.index(rendered.notebook)
    header = rendered.header
    assert header["title"] == "ADASS Personalisation Survey 2011"
    assert "Synthetic respondent data" in header["banner"] and SYNTHETIC_NOTICE in header["banner"]
    expected_prev = NOTEBOOKS[position - 1] if position > 0 else None
    expected_next = NOTEBOOKS[position + 1] if position + 1 < len(NOTEBOOKS) else None
    assert (header["prev"] or "").endswith(expected_prev or "") and bool(header["prev"]) == bool(expected_prev)
    assert (header["next"] or "").endswith(expected_next or "") and bool(header["next"]) == bool(expected_next)
    if NOTEBOOKS[0].startswith("00-"):
        assert header["index"].endswith(NOTEBOOKS[0])


def test_print_view_keeps_charts_tables_and_banner_drops_controls(rendered: Rendered) -> None:
    view = rendered.print_view
    assert view["banner"], "the synthetic-data banner must print"
    assert not view["nav"], "navigation must not print"
    assert view["controls_shown"] == 0, f"{view['controls_shown']} of {view['controls']} controls would print"
    assert view["images_shown"] == view["images"], "every chart on screen must print, and only those"
    assert view["tables_shown"] == view["tables"], "every table on screen must print, and only those"


def test_entry_page_lists_every_section_in_order(voila_server, browser) -> None:
    traffic = Traffic()
    page = open_page(browser, traffic)
    try:
        page.goto(voila_server.url)
        links = page.locator(".adass-tree a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        summaries = page.locator(".adass-tree li").evaluate_all(
            "els => els.map(li => (li.querySelector('.adass-tree-summary') || {}).textContent || '')"
        )
        banner = page.inner_text(".adass-banner")
        save_screenshot(page, "entry")
    finally:
        page.context.close()
    assert [link.rsplit("/", 1)[-1] for link in links] == NOTEBOOKS
    missing = [nb for nb, text in zip(NOTEBOOKS, summaries) if not re.search(r"\w.*[.?!]$", text.strip())]
    assert not missing, f"sections listed without a sentence saying what they answer: {missing}"
    assert "Synthetic respondent data" in banner
    assert traffic.external == []


def _offers_filter_panels(notebook: str) -> bool:
    """Whether a notebook shows filter panels (each view with its downloads): known from its own calls."""
    return "report.explore(" in (notebook_dir() / notebook).read_text(encoding="utf-8")


def test_filter_change_updates_chart_and_base(rendered: Rendered) -> None:
    change = rendered.filter_change
    if not _offers_filter_panels(rendered.notebook):
        assert change is None, f"{rendered.notebook} has no filter panel, yet shows a dropdown"
        return
    assert change is not None, f"{rendered.notebook} offers filter panels, but no dropdown was found"
    assert change["before"]["charts"], "no chart before the filter change"
    assert change["after"]["charts"] != change["before"]["charts"], f"chart unchanged after choosing {change['option']}"
    assert change["before"]["base"], "no line stating the base"
    assert change["after"]["base"] != change["before"]["base"], f"base text unchanged after choosing {change['option']}"


def test_download_link_gives_the_rows_shown(rendered: Rendered) -> None:
    download = rendered.download
    if not _offers_filter_panels(rendered.notebook):
        assert download is None, f"{rendered.notebook} has no filter panel, yet offers a CSV download"
        return
    assert download is not None, f"{rendered.notebook} offers filter panels, but no CSV download was found"
    rows, table = download["rows"], download["table"]
    assert download["filename"].endswith(".csv")
    assert rows, "the downloaded CSV has no rows"
    assert table, "no table is shown beside the download link"
    assert len(rows) == len(table), f"{len(rows)} rows downloaded, {len(table)} shown"
    shown_text = " ".join(" ".join(row) for row in table)
    for row in rows:
        assert row["Councils"] in shown_text.split() or row["Councils"] in shown_text, f"{row['Councils']} not shown"
    assert "synthetic" in " ".join(r.get("Status", "") for r in rows) or "published" in " ".join(
        r.get("Status", "") for r in rows
    )


ANSWER_OPTION = "Less than 60%"  # an option of the take-up band filter (the codebook's answer_filters)


def test_filter_by_another_answer_shows_its_councils_and_base(voila_server, browser) -> None:
    pages = [nb for nb in NOTEBOOKS if "take_up_band" in (voila_server.folder / nb).read_text(encoding="utf-8")]
    assert pages, "no served notebook filters by the take-up band (the codebook's answer filter)"
    page = open_page(browser)
    try:
        goto_live(page, render_url(voila_server, pages[0]))
        wait_for_dashboard(page)
        panel = page.locator('.adass-static-panel[data-dims~="take_up_band"]').first
        panel.wait_for(state="attached", timeout=60_000)
        choose(page, ANSWER_OPTION)
        text = ""
        for _ in range(100):
            page.wait_for_timeout(200)
            text = re.sub(r"\s+", " ", panel.inner_text())
            if "answering" in text and "(illustrative)" in text:
                break
        save_screenshot(page, f"answer-filter-{pages[0].removesuffix('.ipynb')}")
    finally:
        page.context.close()
    # 29: the published count of councils below 60% take-up (F02-07, "29 councils (50% of the cohort)")
    assert f'Showing 29 councils answering "{ANSWER_OPTION}"' in text, text[:400]
    assert "(n = 29)" in text and "Illustrative (synthetic data)" in text, text[:400]
