"""Compare benchmark: twenty readers open "Compare my council" at the same moment; time until the form is on screen.

Run: ``.venv/bin/python benchmarks/compare.py [--readers 20] [--rounds 3]``.
Writes ``benchmarks/results/compare.md`` and ``benchmarks/results/compare.json``. Not a test: the numbers depend on
the machine, which the table describes.

Each round starts Voilà exactly as ``scripts/serve.sh`` does (through the browser tests' helpers), waits until every
section is rendered once, as after a launch, then ``--readers`` readers (one browser context each, one headless
Chromium) open ``14-compare-my-council`` together. Measured: seconds from the navigation to the first question of
the form visible (p50, p95, max), which readers got the live page and which the static copy, and errors. Then, in
the same round, the floor: the same readers opening the static copy (``notebooks/site/14-compare-my-council.html``)
from a plain file server. Target: the live p95 at most 1.25 times the floor's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "benchmarks"))

from readers import LOOPBACK_ONLY, percentile, static_pages_as_served  # noqa: E402

from conftest import (  # noqa: E402 - the browser tests' helpers start Voilà exactly as serve.sh does
    CHROMIUM,
    CHROMIUM_ARGS,
    folder_server,
    notebook_dir,
    render_url,
    start_voila,
    stop_process_group,
    wait_until_ready,
)

RESULTS = REPO / "benchmarks" / "results"
NOTEBOOK = "14-compare-my-council.ipynb"
FORM = "fieldset.adass-cmp-q"
PAGE_TIMEOUT_S = 180
TARGET = 1.25


async def one_reader(browser, url: str) -> dict:
    """One reader in a context of their own: seconds to the form's first question visible, and the page kind."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        response = await page.goto(url, timeout=PAGE_TIMEOUT_S * 1000, wait_until="commit")
        await page.wait_for_selector(FORM, state="visible", timeout=PAGE_TIMEOUT_S * 1000)
        seconds = time.perf_counter() - start
        questions = await page.locator(FORM).count()
        static = bool(response and response.headers.get("x-adass-fallback"))
        return {"seconds": seconds, "questions": questions, "static": static}
    except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the run
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    finally:
        await context.close()


async def crowd(url: str, readers: int) -> list[dict]:
    """``readers`` readers opening ``url`` together."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, LOOPBACK_ONLY], headless=True
        )
        try:
            return list(await asyncio.gather(*(one_reader(browser, url) for _ in range(readers))))
        finally:
            await browser.close()


def summary(results: list[dict]) -> dict:
    """Percentiles of the readers who got a form, the static copies among them, and the errors.

    Examples
    --------
    >>> summary([{"seconds": 1.0, "questions": 18, "static": True}, {"error": "TimeoutError"}])["errors"]
    1
    """
    seconds = [r["seconds"] for r in results if "seconds" in r]
    return {
        "forms": sum(1 for r in results if r.get("questions") == 18),
        "static_copies": sum(1 for r in results if r.get("static")),
        "p50_s": percentile(seconds, 50),
        "p95_s": percentile(seconds, 95),
        "max_s": max(seconds) if seconds else None,
        "errors": sum(1 for r in results if "error" in r),
        "seconds": seconds,
    }


def one_round(readers: int) -> dict:
    """A freshly started server that has rendered every page, the crowd on the live page, then the crowd on the floor."""
    with tempfile.TemporaryDirectory(prefix="adass-compare-") as tmp:
        server = start_voila(Path(tmp))
        try:
            wait_until_ready(server)
            time.sleep(5)
            live = summary(asyncio.run(crowd(render_url(server, NOTEBOOK), readers)))
        finally:
            stop_process_group(server.process)
    time.sleep(10)  # the server and its kernels are gone: the floor runs on a quiet machine, as the readers did
    with folder_server(notebook_dir() / "site") as url:
        floor = summary(asyncio.run(crowd(f"{url}{NOTEBOOK.removesuffix('.ipynb')}.html", readers)))
    time.sleep(5)
    return {"live": live, "static_floor": floor}


def pooled(rounds: list[dict], key: str) -> dict:
    """One summary over every round's readers."""
    seconds = [s for r in rounds for s in r[key]["seconds"]]
    return {
        "forms": sum(r[key]["forms"] for r in rounds),
        "static_copies": sum(r[key]["static_copies"] for r in rounds),
        "p50_s": percentile(seconds, 50),
        "p95_s": percentile(seconds, 95),
        "max_s": max(seconds) if seconds else None,
        "errors": sum(r[key]["errors"] for r in rounds),
    }


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def render(c: dict) -> str:
    """The results as Markdown."""
    m, live, floor = c["machine"], c["live"], c["static_floor"]
    ratio = f"{c['ratio_p95']:.2f}" if c["ratio_p95"] is not None else "–"
    met = "met" if c["ratio_p95"] is not None and c["ratio_p95"] <= TARGET else "missed"
    lines = [
        "# Compare benchmark",
        "",
        f"Machine: {m['cores']} cores, Python {m['python']}; load average {m['load_average_at_start'][0]:.1f} at "
        f"start, {m['load_average_at_end'][0]:.1f} at end. {c['readers']} readers at once open "
        f"`{NOTEBOOK}` (a browser context each, one headless Chromium), {c['rounds_count']} round(s), each on a "
        "freshly started server (repository configuration, every page rendered once), then the floor: the same readers "
        "opening the static copy from a plain file server. Percentiles pool every round's readers.",
        "",
        "| | forms of 18 questions | static copies | first question visible p50 s | p95 s | max s | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| live (Voilà) | {live['forms']} / {c['readers'] * c['rounds_count']} | {live['static_copies']} "
        f"| {_s(live['p50_s'])} | {_s(live['p95_s'])} | {_s(live['max_s'])} | {live['errors']} |",
        f"| static copy (file server) | {floor['forms']} / {c['readers'] * c['rounds_count']} | – "
        f"| {_s(floor['p50_s'])} | {_s(floor['p95_s'])} | {_s(floor['max_s'])} | {floor['errors']} |",
        "",
        f"Live p95 / static p95: **{ratio}** (target at most {TARGET}: {met}).",
        "",
        "Each round, p95 in seconds: "
        + "; ".join(
            f"round {n}: live {_s(r['live']['p95_s'])}, static {_s(r['static_floor']['p95_s'])}"
            for n, r in enumerate(c["rounds"], 1)
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not (notebook_dir() / NOTEBOOK).is_file():
        print(f"compare: {NOTEBOOK} is not among the served notebooks", file=sys.stderr)
        return 2
    static_pages_as_served()
    load_start = os.getloadavg()
    rounds = []
    for number in range(1, args.rounds + 1):
        rounds.append(one_round(args.readers))
        last = rounds[-1]
        print(
            f"compare: round {number}: live p95 {_s(last['live']['p95_s'])} s, "
            f"static p95 {_s(last['static_floor']['p95_s'])} s",
            flush=True,
        )
    live, floor = pooled(rounds, "live"), pooled(rounds, "static_floor")
    content = {
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "load_average_at_start": load_start,
            "load_average_at_end": os.getloadavg(),
        },
        "readers": args.readers,
        "rounds_count": args.rounds,
        "live": live,
        "static_floor": floor,
        "ratio_p95": live["p95_s"] / floor["p95_s"] if live["p95_s"] and floor["p95_s"] else None,
        "target_ratio": TARGET,
        "rounds": rounds,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "compare.json").write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    (args.results / "compare.md").write_text(render(content), encoding="utf-8")
    print(render(content))
    return 0


if __name__ == "__main__":
    sys.exit(main())
