"""Dashboard timings in Chromium: first chart (cold and preheated kernels), filter update, static page, nbconvert.

Run: ``.venv/bin/python benchmarks/dashboards.py [NN-name.ipynb ...]`` (needs Debian's chromium at /usr/bin/chromium).
Writes ``benchmarks/results/dashboards.md`` (a table) and ``benchmarks/results/dashboards.json``.
Not a test: the numbers depend on the machine; the table records its CPU count.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from adass_survey.pages.export import execute_notebook, export_site  # noqa: E402
from conftest import (  # noqa: E402 - the browser tests' helpers start Voilà exactly as serve.sh does
    CHART_PAINTED_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    FILTERS,
    folder_server,
    notebook_dir,
    open_page,
    ready_count,
    render_url,
    served_notebooks,
    start_voila,
    stop_process_group,
    wait_for_refill,
    wait_until_ready,
)

RESULTS = REPO / "benchmarks" / "results"
FIRST_CHART = ".adass-main img:visible"  # a dashboard's cells or a static copy (whose other views are hidden)
CHART_OR_DONE = (
    "() => [...document.querySelectorAll('.adass-main img')].some(i => i.getBoundingClientRect().height > 0)"
    " || !document.getElementById('loading')"
)
IMAGES_LIST = (  # the images on screen and whether each is drawn: a filter panel holds every view, one shown at a
    # time, and the chart of a view not shown at first is fetched when it is chosen
    "() => [...document.images].filter(i => i.offsetParent !== null)"
    ".map(i => i.src.length + i.src.slice(-40) + ':' + i.naturalWidth)"
)


def _chart_appears(page, timeout_ms: int = 20_000) -> bool:
    """Wait for a chart image (widget views render after the cells); False when none comes."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(FIRST_CHART, state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


def first_chart(browser, url: str) -> dict:
    """Seconds from navigation to the first chart on screen, and to the page's controls being live.

    ``seen``: Playwright sees a chart image visible; ``painted``: the browser's own paint time of that chart (Element
    Timing); ``live``: the controls work (a section page's filters are HTML, live when drawn; on a page with widgets,
    Voilà's front end has connected them and its loading note is gone). All None when the page has no chart.
    """
    page = open_page(browser)
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(CHART_OR_DONE, timeout=300_000)  # a chart, or a page done without one
        if not _chart_appears(page):
            return {"seen": None, "painted": None, "live": None}
        seen = time.perf_counter() - start
        painted = page.evaluate(CHART_PAINTED_JS)
        page.wait_for_load_state("domcontentloaded")  # the loading note comes at the end of a page with widgets
        page.wait_for_selector("#loading", state="detached", timeout=300_000)
        return {"seen": seen, "painted": painted, "live": time.perf_counter() - start}
    finally:
        page.context.close()


def filter_update_seconds(browser, url: str) -> float | None:
    """Seconds from choosing another option of the first dropdown to the chart being redrawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = open_page(browser)
    try:
        page.goto(url)
        page.wait_for_selector("#loading", state="detached", timeout=300_000)
        if not _chart_appears(page):
            return None
        # Widget views render after the cells: wait for the filter itself, not a count taken at the first chart.
        dropdown = page.locator(FILTERS)
        try:
            dropdown.first.wait_for(state="attached", timeout=10_000)
        except PlaywrightTimeout:
            return None
        page.wait_for_timeout(1_000)
        before = page.evaluate(IMAGES_LIST)
        start = time.perf_counter()
        dropdown.first.select_option(index=1)
        # Redrawn = the last change of the page's images. The view first clears its output (the old chart goes
        # within milliseconds), then draws the new chart, or a message when the group is too small to show: so
        # the images are polled every 10 ms until they have not changed for 1.5 s, and the last change counts.
        last, current, last_change = before, before, None
        while time.perf_counter() - start < 30:
            page.wait_for_timeout(10)
            current = page.evaluate(IMAGES_LIST)
            if current != last:
                last, last_change = current, time.perf_counter()
            elif last_change is not None and time.perf_counter() - last_change > 1.5:
                break
        return None if last_change is None else last_change - start
    finally:
        page.context.close()


def static_load_seconds(browser, url: str) -> float:
    """Seconds to the load event of a static page."""
    page = open_page(browser)
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="load")
        return time.perf_counter() - start
    finally:
        page.context.close()


def main() -> int:
    """Measure every served notebook and write the results."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        print(f"benchmark: Debian's chromium is missing at {CHROMIUM}", file=sys.stderr)
        return 2
    os.environ.setdefault("MPLBACKEND", "Agg")
    chosen = [a for a in sys.argv[1:] if a.endswith(".ipynb")]  # optional: measure only these notebooks
    notebooks = [n for n in served_notebooks() if not chosen or n in chosen]
    rows = {n: {"notebook": n} for n in notebooks}
    tmp = Path(tempfile.mkdtemp(prefix="adass-bench-"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)

        cold = start_voila(tmp, extra_args=["--VoilaConfiguration.preheat_kernel=False"])
        try:
            for n in notebooks:
                rows[n]["first_chart_cold_s"] = first_chart(browser, render_url(cold, n))["seen"]
                rows[n]["filter_update_s"] = filter_update_seconds(browser, render_url(cold, n))
        finally:
            stop_process_group(cold.process)

        warm = start_voila(tmp)
        try:
            wait_until_ready(warm, notebooks)
            time.sleep(5)
            for n in notebooks:
                refills = ready_count(warm, n)
                timings = first_chart(browser, render_url(warm, n))
                rows[n]["first_chart_preheated_s"] = timings["seen"]
                rows[n]["first_chart_painted_s"] = timings["painted"]
                rows[n]["controls_live_s"] = timings["live"]
                wait_for_refill(warm, n, refills)
        finally:
            stop_process_group(warm.process)

        for n in notebooks:
            start = time.perf_counter()
            execute_notebook(notebook_dir() / n)
            rows[n]["nbconvert_execute_s"] = time.perf_counter() - start

        site = tmp / "site"
        export_site(notebook_dir(), site)
        with folder_server(site) as url:
            for n in notebooks:
                rows[n]["static_load_s"] = static_load_seconds(browser, f"{url}{n.removesuffix('.ipynb')}.html")
        browser.close()

    write_results(list(rows.values()))
    return 0


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def write_results(rows: list[dict]) -> None:
    """Write the markdown table and the JSON of one run."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.system()}
    columns = [
        "first_chart_cold_s",
        "first_chart_preheated_s",
        "first_chart_painted_s",
        "controls_live_s",
        "filter_update_s",
        "static_load_s",
        "nbconvert_execute_s",
    ]
    lines = [
        "# Dashboard timings",
        "",
        f"Written by `benchmarks/dashboards.py` on {machine['cpus']} CPUs ({machine['system']}, Python "
        f"{machine['python']}), headless Debian Chromium at 1280×800. Seconds; — means the page has no chart or "
        "no filter. First chart: Playwright sees a chart image on screen; painted: the browser's own paint time of "
        "that chart (Element Timing); controls live: the filters work (a section page's are HTML, live when drawn; a page with widgets waits for Voilà's front end and its loading note goes).",
        "",
        "| notebook | first chart, cold kernel | first chart, preheated | painted (browser) | controls live | "
        "filter update | static page load | nbconvert execute |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append("| " + " | ".join([row["notebook"], *(_fmt(row.get(c)) for c in columns)]) + " |")
    (RESULTS / "dashboards.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "dashboards.json").write_text(
        json.dumps({"machine": machine, "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
