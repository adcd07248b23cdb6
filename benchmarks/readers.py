"""Readers benchmark: many concurrent readers opening section dashboards of one standalone Voilà server.

Run: ``.venv/bin/python benchmarks/readers.py [--readers 20] [--pages-per-reader 2] [--rounds 3] [--deadline 600]``.
Writes ``benchmarks/results/readers.md`` (a table) and ``benchmarks/results/readers.json``.
Not a test: the numbers depend on the machine, which the table describes.

The script exports the static pages when stale and starts Voilà exactly as ``scripts/serve.sh`` does (through the
browser tests' helpers) on a free port of 127.0.0.1, then ``--readers`` readers, all at once, each open
``--pages-per-reader`` section dashboards one after the other in headless Chromium (Debian's ``/usr/bin/chromium``;
one browser, one context and one tab per reader, as a reader follows the section links). The load is bounded: a
fixed number of page opens, each with a timeout, and an overall deadline after which unfinished readers are
cancelled; the server is stopped at the end. Measured: time from navigation to the first chart on screen (p50, p95,
max), errors (timeouts, pages without a chart, HTTP errors, script errors, requests that failed), and the memory of
the server and of each kernel it started, sampled twice a second with psutil (``/proc`` when psutil is missing).
Then, in the same run, two floors: the same readers opening the static copies, and pages holding only each
section's first chart, from a plain file server. ``--rounds`` (3) repeats the whole, live readers and floors in turn,
since one run of 40 pages on 2 cores varies by seconds; the percentiles pool every round's pages, and each round's
p95 is listed as well.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from conftest import (  # noqa: E402 - the browser tests' helpers start Voilà exactly as serve.sh does
    CHROMIUM,
    CHROMIUM_ARGS,
    folder_server,
    notebook_dir,
    served_notebooks,
    start_voila,
    stop_process_group,
    wait_until_ready,
)

RESULTS = REPO / "benchmarks" / "results"
FIRST_CHART = ".adass-main img:visible"  # a dashboard's cells or a static copy (whose other views are hidden)
PAGE_TIMEOUT_S = 180
# Nothing leaves this machine: every other host name fails to resolve in the browser itself (a route in Playwright
# would pass each of the readers' requests through this script, a cost no reader's browser has).
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
NO_CHART_GRACE_S = 15
# The browser's clock at the start of the navigation, and the paint time of the first chart after it (Element Timing),
# both in milliseconds: with the wall clock at the reader's request, the chart's paint counted from that request.
PAINTED_AT_JS = """() => new Promise(resolve => {
  const done = entries => resolve(entries.length
    ? [performance.timeOrigin, Math.min(...entries.map(e => e.renderTime || e.loadTime))] : null);
  new PerformanceObserver((list, observer) => { observer.disconnect(); done(list.getEntries()); })
    .observe({type: 'element', buffered: true});
  setTimeout(() => done([]), 2000);
})"""


# --------------------------------------------------------------------------------- memory


def _rss_mb(pid: int) -> float:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        import psutil

        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        found, todo = [], [pid]
        while todo:
            parent = todo.pop()
            for path in Path(f"/proc/{parent}/task").glob("*/children"):
                kids = [int(k) for k in path.read_text().split()]
                found += kids
                todo += kids
        return found


class MemorySampler(threading.Thread):
    """Samples the server's and its kernels' resident memory until stopped."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[dict] = []
        self.kernel_peak: dict[int, float] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                server = _rss_mb(self.pid)
                kernels = {}
                for child in _children(self.pid):
                    try:
                        kernels[child] = _rss_mb(child)
                    except (OSError, ProcessLookupError, Exception):  # noqa: BLE001 - a kernel that just ended
                        continue
                for pid, rss in kernels.items():
                    self.kernel_peak[pid] = max(rss, self.kernel_peak.get(pid, 0.0))
                self.samples.append(
                    {
                        "t": time.monotonic(),
                        "server_mb": server,
                        "kernels": len(kernels),
                        "kernels_mb": sum(kernels.values()),
                    }
                )
            except (OSError, ProcessLookupError, Exception):  # noqa: BLE001 - the server is stopping
                pass
            self._halt.wait(self.every)

    def stop(self) -> dict:
        self._halt.set()
        self.join(timeout=5)
        if not self.samples:
            return {}
        total = [s["server_mb"] + s["kernels_mb"] for s in self.samples]
        per_kernel = sorted(self.kernel_peak.values())
        return {
            "server_process_peak_mb": max(s["server_mb"] for s in self.samples),
            "server_total_peak_mb": max(total),
            "kernels_peak_count": max(s["kernels"] for s in self.samples),
            "kernel_count_seen": len(per_kernel),
            "kernel_peak_mb_median": statistics.median(per_kernel) if per_kernel else 0.0,
            "kernel_peak_mb_max": max(per_kernel) if per_kernel else 0.0,
        }


# --------------------------------------------------------------------------------- readers


async def controls_live(page, timeout: float) -> None:
    """Until the page's controls are live: its HTML is all there (a page with widgets ends with a loading note),
    and the note, if any, is gone."""
    await page.wait_for_load_state("domcontentloaded", timeout=timeout)
    await page.wait_for_selector("#loading", state="detached", timeout=timeout)


def page_records() -> dict[str, list]:
    """What ``one_page`` records beside the first chart: paint times (from the navigation and from the request),
    controls-live times, and the pages answered by a static copy."""
    return {"painted": [], "from_request": [], "live": [], "static": []}


async def one_page(page, url: str, errors: list[dict], plain: list[float], extra: dict) -> float | None:
    """Open one page in the reader's tab; seconds to the first chart on screen, or None.

    The page is then kept until its controls are live (on a page with widgets, Voilà's front end has connected
    them; a section page has HTML filters, live as soon as they are drawn): that time goes to ``extra["live"]``, and
    the browser's own paint time of the first chart (Element Timing) to ``extra["painted"]``, counted from the start
    of the navigation, and to ``extra["from_request"]``, counted from the reader's request (the wall clock before
    ``goto``): the moment the chart was on the screen, without the time this script takes to notice it. A page that
    finishes without any chart (a text-only section) is timed to the end of rendering and listed in ``plain``, not
    counted as an error.
    """
    timeout = PAGE_TIMEOUT_S * 1000
    try:
        asked, start = time.time(), time.perf_counter()
        response = await page.goto(url, timeout=timeout, wait_until="commit")
        static_copy = response is not None and bool(response.headers.get("x-adass-fallback"))
        if static_copy:
            extra["static"].append(url)
        chart_task = asyncio.ensure_future(page.wait_for_selector(FIRST_CHART, state="visible", timeout=timeout))
        live_task = asyncio.ensure_future(controls_live(page, timeout))
        await asyncio.wait({chart_task, live_task}, return_when=asyncio.FIRST_COMPLETED)
        seen = time.perf_counter() - start if chart_task.done() and not chart_task.exception() else None
        await live_task
        if not static_copy:  # a static copy has no controls to wait for: it would pull the percentiles down
            extra["live"].append(time.perf_counter() - start)
        if seen is None:
            try:  # widget views draw their charts just after the controls are live
                await asyncio.wait_for(asyncio.shield(chart_task), timeout=NO_CHART_GRACE_S)
            except TimeoutError:
                chart_task.cancel()
                plain.append(time.perf_counter() - start - NO_CHART_GRACE_S)
                return None
            seen = time.perf_counter() - start
        painted = await page.evaluate(PAINTED_AT_JS)
        if painted is not None:
            origin_ms, paint_ms = painted
            extra["painted"].append(paint_ms / 1000)
            extra["from_request"].append(origin_ms / 1000 + paint_ms / 1000 - asked)
        return seen
    except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the run
        errors.append({"url": url, "kind": type(error).__name__, "detail": str(error).splitlines()[0][:200]})
        return None


async def reader(
    browser, urls: list[str], times: list[float], errors: list[dict], plain: list[float], extra: dict
) -> None:
    """One reader: a browser profile of their own (a context) and one tab, opening the pages one after the other
    as a reader follows the section links; the tab is closed at the end as a reader closes it (its unload handlers
    run, so Voilà can shut a connected kernel down)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append({"kind": "script error", "detail": str(error)[:200]}))
        page.on(
            "response",
            lambda response: (
                errors.append({"kind": f"HTTP {response.status}", "detail": response.url[:200]})
                if response.status >= 400
                else None
            ),
        )
        page.on(
            "requestfailed",  # a request to any other host than this machine fails: the browser cannot resolve it
            lambda request: (
                errors.append({"kind": "request failed", "detail": f"{request.failure} {request.url[:200]}"})
                if request.failure != "net::ERR_ABORTED"  # cancelled by the browser as the reader moves on
                else None
            ),
        )
        for url in urls:
            seconds = await one_page(page, url, errors, plain, extra)
            if seconds is not None:
                times.append(seconds)
        try:
            await page.close(run_before_unload=True)
            await asyncio.sleep(0.5)
        except Exception:  # noqa: BLE001 - the page may already be gone
            pass
    finally:
        await context.close()


async def run_readers(
    server_url: str, sections: list[str], readers: int, pages: int, deadline: float, extra: dict, url_of=None
) -> dict:
    """Run the readers against a server; ``url_of(server_url, notebook)`` gives a page's address (default: the
    dashboard's)."""
    url_of = url_of or render_url_of
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[dict] = []
    plain: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, LOOPBACK_ONLY], headless=True
        )
        try:
            plans = [
                [url_of(server_url, sections[(r + k) % len(sections)]) for k in range(pages)] for r in range(readers)
            ]
            start = time.perf_counter()
            tasks = [asyncio.create_task(reader(browser, plan, times, errors, plain, extra)) for plan in plans]
            done, pending = await asyncio.wait(tasks, timeout=deadline)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            wall = time.perf_counter() - start
        finally:
            await browser.close()
    unfinished = (
        readers * pages
        - len(times)
        - len(plain)
        - len([e for e in errors if not e["kind"].startswith(("HTTP", "script"))])
    )
    return {
        "times": times,
        "plain": plain,
        "errors": errors,
        "wall_s": wall,
        "cancelled_readers": len(pending),
        "unfinished_pages": max(unfinished, 0),
    }


def render_url_of(server_url: str, notebook: str) -> str:
    return f"{server_url}voila/render/{notebook}"


def static_url_of(server_url: str, notebook: str) -> str:
    return f"{server_url}{notebook.removesuffix('.ipynb')}.html"


def floor_run(folder: Path, sections: list[str], readers: int, pages: int, deadline: float) -> dict:
    """The same readers opening the pages of ``folder`` (``NN-name.html``) from a plain file server.

    No kernel, no Voilà and no script: what is left is Chromium loading the same number of pages on the same cores.
    Returns first chart p50/p95 (as seen and as painted) and the errors.
    """
    extra = page_records()
    with folder_server(folder) as url:
        run = asyncio.run(run_readers(url, sections, readers, pages, deadline, extra, static_url_of))
    return {
        "chart_seconds": run["times"],
        "painted_seconds": extra["painted"],
        "from_request_seconds": extra["from_request"],
        "errors": len(run["errors"]) + run["unfinished_pages"],
        "wall_s": run["wall_s"],
    }


def chart_summary(chart: list[float], painted: list[float], from_request: list[float]) -> dict:
    """First chart percentiles: as Playwright sees it, as painted (from the navigation) and from the request.

    Examples
    --------
    >>> chart_summary([1.0, 3.0], [0.5], [])["first_chart_p50_s"]
    2.0
    """
    return {
        "pages_with_chart": len(chart),
        "first_chart_p50_s": percentile(chart, 50),
        "first_chart_p95_s": percentile(chart, 95),
        "first_chart_painted_p50_s": percentile(painted, 50),
        "first_chart_painted_p95_s": percentile(painted, 95),
        "first_chart_painted_from_request_p50_s": percentile(from_request, 50),
        "first_chart_painted_from_request_p95_s": percentile(from_request, 95),
    }


def pooled_floor(runs: list[dict]) -> dict:
    """One floor over every round: the pages of all rounds together, errors summed."""
    return {
        **chart_summary(
            [t for r in runs for t in r["chart_seconds"]],
            [t for r in runs for t in r["painted_seconds"]],
            [t for r in runs for t in r["from_request_seconds"]],
        ),
        "errors": sum(r["errors"] for r in runs),
        "wall_s": sum(r["wall_s"] for r in runs),
    }


FIRST_IMAGE = re.compile(r'<img\b(?![^>]*\bloading="lazy")[^>]*>', re.IGNORECASE)  # the first chart shown at first


def chart_only_pages(site: Path, out: Path) -> Path:
    """Write, for every static copy in ``site``, a page holding nothing but that section's first chart image.

    Opened by the same readers, these pages measure the machine's own floor: what 20 Chromium readers on these cores
    cost with the lightest page that still has a chart (a text-only section stays a page with its title only).
    """
    out.mkdir(parents=True, exist_ok=True)
    for page in site.glob("[0-9][0-9]-*.html"):
        found = FIRST_IMAGE.search(page.read_text(encoding="utf-8"))
        body = found.group(0) if found else "<p>No chart in this section.</p>"
        (out / page.name).write_text(
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{page.stem}</title></head>'
            f'<body><main class="adass-main"><h1>{page.stem}</h1>{body}</main></body></html>',
            encoding="utf-8",
        )
    return out


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0–100) by linear interpolation; None for no values.

    Examples
    --------
    >>> percentile([1, 2, 3, 4], 50), percentile([5.0], 95), percentile([], 50)
    (2.5, 5.0, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def static_pages_as_served() -> None:
    """Export the static pages when stale, as ``serve`` does before Voilà starts (the browser tests' server skips it).

    A reader who would otherwise wait for a kernel (the section's render under way) gets the
    section's static copy at once; without the pages that reader waits for a fresh kernel instead.
    """
    from adass_survey.pages.export import export_site, static_pages_stale
    from adass_survey.report.catalogue import catalogue_dir

    if static_pages_stale(notebook_dir(), catalogue_dir()):
        export_site(notebook_dir(), notebook_dir() / "site")


def section_notebooks() -> list[str]:
    """Served notebooks that are report sections (the index page has no chart)."""
    return [n for n in served_notebooks() if not n.startswith("00-")]


def one_round(args, sections: list[str]) -> dict:
    """One round: the readers on a freshly started server that has rendered every page once, then the two floors."""
    with tempfile.TemporaryDirectory(prefix="adass-readers-") as tmp:
        server = start_voila(Path(tmp), extra_args=args.voila_option)
        sampler = MemorySampler(server.process.pid)
        sampler.start()
        try:
            wait_until_ready(server)  # the readers arrive at a server that has rendered every page, as after a launch
            time.sleep(5)
            idle = _rss_mb(server.process.pid)
            extra = page_records()
            run = asyncio.run(
                run_readers(server.url, sections, args.readers, args.pages_per_reader, args.deadline, extra)
            )
        finally:
            memory = sampler.stop()
            stop_process_group(server.process)
    time.sleep(10)  # the server and its kernels are gone: the floors run on a quiet machine, as the readers did
    site = notebook_dir() / "site"
    floor = floor_run(site, sections, args.readers, args.pages_per_reader, args.deadline)
    time.sleep(5)
    with tempfile.TemporaryDirectory(prefix="adass-chart-only-") as tmp:
        machine = floor_run(
            chart_only_pages(site, Path(tmp)), sections, args.readers, args.pages_per_reader, args.deadline
        )
    time.sleep(5)
    return {"run": run, "extra": extra, "idle": idle, "memory": memory, "floor": floor, "machine": machine}


def round_summary(one: dict) -> dict:
    """A round's first chart p95 (seen, and painted from the request) live and on both floors, and its errors."""

    def p95(seen: list[float], from_request: list[float]) -> dict:
        return {"seen_p95_s": percentile(seen, 95), "from_request_p95_s": percentile(from_request, 95)}

    return {
        "live": p95(one["run"]["times"], one["extra"]["from_request"]),
        "static_floor": p95(one["floor"]["chart_seconds"], one["floor"]["from_request_seconds"]),
        "chart_only_floor": p95(one["machine"]["chart_seconds"], one["machine"]["from_request_seconds"]),
        "errors": len(one["run"]["errors"]) + one["run"]["unfinished_pages"],
    }


def round_line(one: dict) -> str:
    """A round in one line of progress: first chart p95 as seen (painted from the request), live and floors."""
    summary = round_summary(one)
    return (
        ", ".join(
            f"{label} {_s(summary[key]['seen_p95_s'])} ({_s(summary[key]['from_request_p95_s'])}) s"
            for label, key in (("live", "live"), ("static floor", "static_floor"), ("chart-only", "chart_only_floor"))
        )
        + f", {summary['errors']} errors"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--pages-per-reader", type=int, default=2)
    parser.add_argument("--deadline", type=float, default=600, help="seconds after which unfinished readers stop")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of live readers and both floors, one after the other; percentiles pool every round's pages",
    )
    parser.add_argument(
        "--voila-option",
        action="append",
        default=[],
        help="a Voilà option for this run only, e.g. --voila-option=--VoilaKernelManager.fill_delay=10 (repeatable)",
    )
    args = parser.parse_args(argv)
    sections = section_notebooks()
    if not sections:
        print("readers: no section notebooks to serve", file=sys.stderr)
        return 2
    import numpy
    import pandas

    static_pages_as_served()
    load_start = os.getloadavg()
    rounds = []
    for number in range(1, args.rounds + 1):
        rounds.append(one_round(args, sections))
        print(f"readers: round {number} of {args.rounds}: {round_line(rounds[-1])}", flush=True)
    times = [t for r in rounds for t in r["run"]["times"]]
    extra = {key: [v for r in rounds for v in r["extra"][key]] for key in page_records()}
    memory = max((r["memory"] for r in rounds), key=lambda m: m.get("server_total_peak_mb", 0))
    errors = [e for r in rounds for e in r["run"]["errors"]]
    content = {
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "python": platform.python_version(),
            "pandas": pandas.__version__,
            "numpy": numpy.__version__,
            "load_average_at_start": load_start,
            "load_average_at_end": os.getloadavg(),
        },
        "voila_options": args.voila_option,
        "readers": args.readers,
        "pages_per_reader": args.pages_per_reader,
        "rounds_count": args.rounds,
        "sections": sections,
        "pages_opened": len(times),
        "chart_seconds": times,
        "pages_without_chart": sum(len(r["run"]["plain"]) for r in rounds),
        "rendered_without_chart_seconds": [t for r in rounds for t in r["run"]["plain"]],
        **chart_summary(times, extra["painted"], extra["from_request"]),
        "first_chart_max_s": max(times) if times else None,
        "controls_live_p50_s": percentile(extra["live"], 50),
        "controls_live_p95_s": percentile(extra["live"], 95),
        "static_copies": len(extra["static"]),
        "floor_static_pages": pooled_floor([r["floor"] for r in rounds]),
        "floor_chart_only_pages": pooled_floor([r["machine"] for r in rounds]),
        "rounds": [round_summary(r) for r in rounds],
        "errors": errors,
        "error_count": len(errors) + sum(r["run"]["unfinished_pages"] for r in rounds),
        "cancelled_readers": sum(r["run"]["cancelled_readers"] for r in rounds),
        "wall_s": sum(r["run"]["wall_s"] for r in rounds),
        "server_idle_mb": max(r["idle"] for r in rounds),
        **memory,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "readers.json").write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    (args.results / "readers.md").write_text(render(content), encoding="utf-8")
    print(render(content))
    return 0


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def render(c: dict) -> str:
    """The results as a Markdown table."""
    m = c["machine"]
    kinds: dict[str, int] = {}
    for error in c["errors"]:
        kinds[error["kind"]] = kinds.get(error["kind"], 0) + 1
    lines = [
        "# Readers benchmark",
        "",
        f"Machine: {m['cores']} cores, {m['memory_gb']} GB memory, Python {m['python']}, pandas {m['pandas']}; "
        f"load average {m['load_average_at_start'][0]:.1f} at start, {m['load_average_at_end'][0]:.1f} at end.",
        f"{c['readers']} readers at once, {c['pages_per_reader']} section pages each "
        f"({', '.join(c['sections'])}), one headless Chromium; standalone Voilà on 127.0.0.1"
        + (f", with {' '.join(c['voila_options'])}." if c.get("voila_options") else ".")
        + f" {c.get('rounds_count', 1)} round(s), each a freshly started server that has rendered every page once, then both floors;"
        " the percentiles below pool every round's pages.",
        "",
        "| pages with a chart | text-only pages | first chart p50 s | p95 s | max s | errors | run s | server idle MB "
        "| server + kernels peak MB | kernels at once (peak) | kernel peak MB (median / max) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {c['pages_opened']} / {c['readers'] * c['pages_per_reader'] * c.get('rounds_count', 1)} "
        f"| {c['pages_without_chart']} "
        f"| {_s(c['first_chart_p50_s'])} "
        f"| {_s(c['first_chart_p95_s'])} | {_s(c['first_chart_max_s'])} | {c['error_count']} | {c['wall_s']:.0f} "
        f"| {c['server_idle_mb']:.0f} | {c.get('server_total_peak_mb', 0):.0f} | {c.get('kernels_peak_count', 0)} "
        f"| {c.get('kernel_peak_mb_median', 0):.0f} / {c.get('kernel_peak_mb_max', 0):.0f} |",
        "",
        "Errors by kind: " + (", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())) or "none") + ".",
        "",
        "First chart: Playwright sees a chart image on screen. The browser's own paint time of that chart (Element "
        f"Timing), from the start of the navigation: p50 {_s(c.get('first_chart_painted_p50_s'))} s, p95 "
        f"{_s(c.get('first_chart_painted_p95_s'))} s; from the reader's request: p50 "
        f"{_s(c.get('first_chart_painted_from_request_p50_s'))} s, p95 "
        f"{_s(c.get('first_chart_painted_from_request_p95_s'))} s (the rest, up to the first column, is the time "
        "this script and Playwright take to notice the chart). "
        f"Controls live (filters working: at once on a section page, after Voilà's front end on the compare page): p50 {_s(c.get('controls_live_p50_s'))} s, "
        f"p95 {_s(c.get('controls_live_p95_s'))} s (live pages only). Pages answered by "
        f"the section's static copy (its render under way): {c.get('static_copies', 0)}.",
        "",
    ]
    floor = c.get("floor_static_pages")
    if floor:
        lines += [
            "**Floor, same run:** the same readers and pages opening the static copies from a plain file server (no "
            "Voilà, no kernel, no script): first chart p50 "
            f"{_s(floor['first_chart_p50_s'])} s, p95 {_s(floor['first_chart_p95_s'])} s (painted p50 "
            f"{_s(floor['first_chart_painted_p50_s'])} s, p95 {_s(floor['first_chart_painted_p95_s'])} s; from the "
            f"request p50 {_s(floor.get('first_chart_painted_from_request_p50_s'))} s, p95 "
            f"{_s(floor.get('first_chart_painted_from_request_p95_s'))} s), "
            f"{floor['pages_with_chart']} pages with a chart, {floor['errors']} errors. What is left there is "
            "Chromium loading the pages on the same cores.",
        ]
    machine = c.get("floor_chart_only_pages")
    if machine:
        lines += [
            "",
            "**Machine floor, same run:** the same readers opening, from the same file server, pages that hold only "
            f"each section's first chart: first chart p50 {_s(machine['first_chart_p50_s'])} s, p95 "
            f"{_s(machine['first_chart_p95_s'])} s (painted p50 {_s(machine['first_chart_painted_p50_s'])} s, p95 "
            f"{_s(machine['first_chart_painted_p95_s'])} s; from the request p50 "
            f"{_s(machine.get('first_chart_painted_from_request_p50_s'))} s, p95 "
            f"{_s(machine.get('first_chart_painted_from_request_p95_s'))} s), {machine['errors']} errors: what "
            f"{c['readers']} Chromium readers cost on these cores with the lightest page that still has a chart.",
        ]
    if c.get("rounds"):
        lines += [
            "",
            "Each round, first chart p95 in seconds, as Playwright sees it (painted, from the request):",
            "",
            "| round | live | static floor | chart-only floor | errors |",
            "|---:|---:|---:|---:|---:|",
        ]
        for number, one in enumerate(c["rounds"], 1):
            cells = [
                f"{_s(one[key]['seen_p95_s'])} ({_s(one[key]['from_request_p95_s'])})"
                for key in ("live", "static_floor", "chart_only_floor")
            ]
            lines.append(f"| {number} | {' | '.join(cells)} | {one['errors']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
