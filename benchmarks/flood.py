"""A flood of page requests that never open a websocket: memory, kernels alive, and how fast the next reader is served.

Starts standalone Voilà through ``scripts/serve.sh`` (set-up skipped) on a free 127.0.0.1 port with the repository's
configuration, waits until the server has rendered the flooded section once, then sends N page requests
(default 100), C at a time (default 10), without a browser, the way a crawler or a loop of ``curl`` would. Meanwhile it
samples, every 0.1 s, the server's kernel processes and the resident memory of the server and its kernels (psutil).
After the flood, one more request of the same section measures what the next reader waits. The server is stopped at
the end. Results go to ``benchmarks/results/flood.json`` and ``benchmarks/results/flood.md``.

    .venv/bin/python benchmarks/flood.py           # 100 requests, 10 at a time, repository settings
    .venv/bin/python benchmarks/flood.py --fresh   # the section's notebook changed just before: the flood meets a render

The server serves a temporary copy of ``notebooks/`` (every section, each rendered when the server starts, as in
production) with the flooded section's static page exported into its ``site/``; ``notebooks/site/`` itself is not
touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "flood.json"
CONFIG_DATA = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.DOTALL)
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kernels_and_memory(pid: int) -> tuple[int, float, float]:
    """Kernel processes of the server, and the resident memory (MiB) of the server and of its kernels."""
    try:
        server = psutil.Process(pid)
        children = server.children(recursive=True)
        server_rss = server.memory_info().rss
    except psutil.Error:
        return 0, 0.0, 0.0
    count, kernel_rss = 0, 0
    for child in children:
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                count += 1
                kernel_rss += child.memory_info().rss
        except psutil.Error:
            pass
    return count, server_rss / MIB, kernel_rss / MIB


def get(url: str, timeout: float) -> dict:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read().decode("utf-8", "replace")
            status, fallback = response.status, response.headers.get("X-Adass-Fallback")
    except urllib.error.HTTPError as error:
        body, status, fallback = "", error.code, error.headers.get("X-Adass-Fallback")
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        return {"status": None, "error": type(error).__name__, "seconds": time.monotonic() - start}
    return {
        "status": status,
        "fallback": fallback,
        "live": bool(CONFIG_DATA.search(body)),
        "seconds": time.monotonic() - start,
    }


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.3)


def run(args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="flood-"))
    folder = tmp / "notebooks"
    folder.mkdir()
    for notebook in sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        shutil.copy(notebook, folder / notebook.name)
    print(f"flood: exporting the static page of {args.section}", flush=True)
    from adass_survey.pages.export import export_site

    export_site(folder, folder / "site", only=[args.section])
    port = free_port()
    log = tmp / "voila.log"
    env = {
        **os.environ,
        "ADASS_SKIP_SETUP": "1",
        "ADASS_HOST": "127.0.0.1",
        "ADASS_PORT": str(port),
        "ADASS_NOTEBOOKS": str(folder),
    }
    memory_before = psutil.virtual_memory().used
    with log.open("w") as handle:
        server = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/voila/render/{args.section}"
    samples: list[tuple[float, int, float, float]] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append((time.monotonic(), *kernels_and_memory(server.pid)))
            time.sleep(0.1)

    try:
        wait_for(
            lambda: "Every page rendered once" in log.read_text(),
            args.startup_timeout,
            "every section rendered once",
        )
        if args.settle:
            time.sleep(args.settle)
        if args.fresh:
            (folder / args.section).touch()  # a new version: the first request renders it again
        idle_kernels, idle_server, idle_kernel_rss = kernels_and_memory(server.pid)
        system_before_flood = psutil.virtual_memory().used
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(lambda _: get(url, args.request_timeout), range(args.requests)))
        flood_seconds = time.monotonic() - started
        next_reader = get(url, args.request_timeout)
        time.sleep(args.watch_after)  # a kernel started late by the flood must show up in the samples too
        stop.set()
        sampler.join()
        system_after = psutil.virtual_memory().used
    finally:
        stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
    peak = max(samples, key=lambda s: s[2] + s[3])
    seconds = sorted(r["seconds"] for r in results)
    return {
        "machine": {
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
            "python": platform.python_version(),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        },
        "section": args.section,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "fresh": args.fresh,
        "idle": {
            "kernels": idle_kernels,
            "server_mib": round(idle_server),
            "kernels_mib": round(idle_kernel_rss),
            "kernel_mib_mean": round(idle_kernel_rss / idle_kernels) if idle_kernels else None,
        },
        "kernels_alive_max": max(s[1] for s in samples),
        "memory_peak_mib": round(peak[2] + peak[3]),
        "memory_added_by_flood_mib": round(max(s[2] + s[3] for s in samples) - (idle_server + idle_kernel_rss)),
        "system_memory_used_before_server_gib": round(memory_before / 1024**3, 2),
        "system_memory_delta_during_flood_mib": round((system_after - system_before_flood) / MIB),
        "statuses": {str(k): sum(1 for r in results if r["status"] == k) for k in {r["status"] for r in results}},
        "live_pages": sum(1 for r in results if r.get("live")),
        "static_copies": sum(1 for r in results if r.get("fallback")),
        "errors": sum(1 for r in results if r["status"] != 200),
        "flood_seconds": round(flood_seconds, 2),
        "request_seconds": {
            "p50": round(seconds[len(seconds) // 2], 3),
            "p95": round(seconds[int(len(seconds) * 0.95) - 1], 3),
            "max": round(seconds[-1], 3),
        },
        "next_reader_seconds": round(next_reader["seconds"], 3),
        "next_reader_got": "live page" if next_reader.get("live") else (next_reader.get("fallback") or "?"),
    }


def markdown(result: dict) -> str:
    m, idle = result["machine"], result["idle"]
    seconds = result["request_seconds"]
    return f"""{result["requests"]} requests of `{result["section"]}`, {result["concurrency"]} at a time, no websocket
({"the notebook changed just before" if result["fresh"] else "its render current"}); {m["cores"]} cores, load
{m["load_average"][0]}.

| what | measured |
| --- | ---: |
| idle server: kernels / server MiB / kernels MiB | {idle["kernels"]} / {idle["server_mib"]:,} / {idle["kernels_mib"]:,} |
| kernels alive, most at any time | {result["kernels_alive_max"]} |
| memory of the server and its kernels at the peak | {result["memory_peak_mib"]:,} MiB |
| answered 200 / errors | {result["statuses"].get("200", 0)} / {result["errors"]} |
| request p50 / p95 / max | {seconds["p50"]} / {seconds["p95"]} / {seconds["max"]} s |
| the next reader | {result["next_reader_seconds"]} s ({result["next_reader_got"]}) |
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", default="07-restrictions.ipynb")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="change the section's notebook just before the flood")
    parser.add_argument("--request-timeout", type=float, default=120)
    parser.add_argument("--startup-timeout", type=float, default=900)
    parser.add_argument("--settle", type=float, default=0, help="seconds to wait after the section is ready")
    parser.add_argument("--watch-after", type=float, default=10)
    parser.add_argument("--no-results", action="store_true", help="print the results only")
    args = parser.parse_args()
    result = run(args)
    print(json.dumps(result, indent=2))
    if not args.no_results:
        name = "flood-fresh" if args.fresh else "flood"
        RESULTS.parent.mkdir(exist_ok=True)
        (RESULTS.parent / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (RESULTS.parent / f"{name}.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
