"""Crowd benchmark: a dozen readers request one section at the same moment; memory of the served kernels.

Run: ``.venv/bin/python benchmarks/crowd.py [--readers 12] [--notebook 07-restrictions.ipynb]``.
Writes ``benchmarks/results/crowd.md`` and ``benchmarks/results/crowd.json``. Not a test: the numbers depend
on the machine.

The script builds the views catalogue (timed) and the static pages when stale, starts Voilà exactly as
``scripts/serve.sh`` does, waits until every section has been rendered once, then measures, side by side in one run:
``--readers`` simultaneous plain HTTP requests of one section's page (following redirects, to the end of the body),
the same number of requests of that section's static copy, the kernels still alive and their resident memory, the
whole server's, and the catalogue's build time and size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "benchmarks"))

from readers import _children, _rss_mb, static_pages_as_served  # noqa: E402

from adass_survey.report.catalogue import catalogue_dir  # noqa: E402
from adass_survey.report.catalogue_build import build_catalogue  # noqa: E402
from conftest import render_url, start_voila, stop_process_group, wait_until_ready  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"


def fetch_seconds(url: str) -> tuple[float, int, str]:
    """Seconds to read a whole page (redirects followed), its status, and why it was the static copy ("" if not)."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        response.read()
        return time.perf_counter() - start, response.status, response.headers.get("X-Adass-Fallback", "")


def crowd(url: str, readers: int) -> dict:
    """``readers`` simultaneous requests of one address: p50, p95, max and where they ended."""
    with ThreadPoolExecutor(readers) as pool:
        results = list(pool.map(fetch_seconds, [url] * readers))
    seconds = sorted(r[0] for r in results)
    return {
        "p50_s": statistics.median(seconds),
        "p95_s": seconds[max(0, round(0.95 * len(seconds)) - 1)],
        "max_s": seconds[-1],
        "statuses": sorted({r[1] for r in results}),
        # The header names the reason ("rendering"); the copy is served at the page's own address.
        "static_copies": sum(bool(r[2]) for r in results),
        "fallback_reasons": sorted({r[2] for r in results if r[2]}),
    }


def main() -> int:
    """Measure and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=12)
    parser.add_argument("--notebook", default="07-restrictions.ipynb")
    args = parser.parse_args()
    started = time.perf_counter()
    manifest = build_catalogue()
    row = {
        "catalogue_build_s": time.perf_counter() - started,
        "catalogue_views": len(manifest["calls"]),
        "catalogue_mb": sum(p.stat().st_size for p in catalogue_dir().iterdir()) / 1e6,
    }
    static_pages_as_served()
    server = start_voila(Path(tempfile.mkdtemp(prefix="adass-crowd-")))
    try:
        wait_until_ready(server)
        time.sleep(5)
        kernels = [
            pid for pid in _children(server.process.pid) if "ipykernel" in Path(f"/proc/{pid}/cmdline").read_text()
        ]
        rss = sorted(_rss_mb(pid) for pid in kernels)
        row.update(
            {
                "kernels_alive": len(rss),
                "kernel_rss_mb_median": statistics.median(rss) if rss else None,
                "kernel_rss_mb_max": max(rss) if rss else None,
                "server_rss_mb": _rss_mb(server.process.pid) + sum(_rss_mb(p) for p in _children(server.process.pid)),
            }
        )
        static = f"{server.url}voila/files/site/{args.notebook.removesuffix('.ipynb')}.html"
        row["static"] = crowd(static, args.readers)
        row["live"] = crowd(render_url(server, args.notebook), args.readers)
        row["ratio_p95"] = row["live"]["p95_s"] / max(row["static"]["p95_s"], 1e-3)
    finally:
        stop_process_group(server.process)
    RESULTS.mkdir(parents=True, exist_ok=True)
    row.update({"readers": args.readers, "notebook": args.notebook, "cpus": os.cpu_count()})
    (RESULTS / "crowd.json").write_text(json.dumps(row, indent=1))
    live, static = row["live"], row["static"]
    (RESULTS / "crowd.md").write_text(
        f"| {args.readers} simultaneous requests of {args.notebook} | p50 | p95 | max | answered by the static copy (X-Adass-Fallback) |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| dashboard page | {live['p50_s']:.2f} s | {live['p95_s']:.2f} s | {live['max_s']:.2f} s | {live['static_copies']} |\n"
        f"| static copy | {static['p50_s']:.2f} s | {static['p95_s']:.2f} s | {static['max_s']:.2f} s | — |\n\n"
        f"Ratio of p95s: {row['ratio_p95']:.1f}×. Kernels alive once every page was rendered: "
        f"{row['kernels_alive']} (RSS median {row['kernel_rss_mb_median'] or 0:.0f} MB, max "
        f"{row['kernel_rss_mb_max'] or 0:.0f} MB); whole server {row['server_rss_mb']:.0f} MiB. "
        f"Catalogue: {row['catalogue_views']} views, "
        f"{row['catalogue_mb']:.1f} MB, built in {row['catalogue_build_s']:.0f} s ({os.cpu_count()} cores).\n"
    )
    print((RESULTS / "crowd.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
