"""Server work benchmark: the server's own processor for each kind of work, beside its kernels' for the same work.

Run: ``.venv/bin/python benchmarks/server_work.py [--rounds 3] [--refill-wait 40]``.
Writes ``benchmarks/results/server_work.md`` and ``benchmarks/results/server_work.json``. Not a test: the numbers
depend on the machine.

Each round starts Voilà exactly as ``scripts/serve.sh`` does (through the browser tests' helpers) and reads the
processor time (user + system, from ``/proc``) of the server process and of its kernels at three moments:

1. every section's pool filled (the server's start included);
2. one live page of each pooled section asked for, one after the other, over plain HTTP (each takes its section's
   preheated kernel, which the server then stops);
3. ``--refill-wait`` seconds later: the pools refilled (a kernel started, the notebook run, the page rendered).

The server's share matters most: it runs in one event loop, where every page is sent, so its work on a refill delays
the pages of the readers arriving meanwhile. The kernels' share is the floor beside it: their own work on the same
refills, in processes of their own (at a lower priority, ``refill_niceness``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "benchmarks"))

from readers import _children, section_notebooks, static_pages_as_served  # noqa: E402

from conftest import start_voila, stop_process_group, wait_until_ready  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """Processor time (user + system) a process has used so far, in seconds; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


class KernelClock:
    """The processor time of every kernel a server has started, those already gone included (last reading)."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.seen: dict[int, float] = {}

    def read(self) -> float:
        for pid in _children(self.server_pid):
            self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_seconds(pid))
        return sum(self.seen.values())


def one_round(sections: list[str], refill_wait: float) -> dict:
    """Processor seconds of the server and of its kernels: pools filled, live pages sent, pools refilled."""
    with tempfile.TemporaryDirectory(prefix="adass-server-work-") as tmp:
        server = start_voila(Path(tmp))
        pid = server.process.pid
        kernels = KernelClock(pid)
        sampling = True

        def sample() -> None:  # kernels released after their page are gone by the next reading: read often
            while sampling:
                kernels.read()
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            wait_until_ready(server)
            time.sleep(3)
            filled = (cpu_seconds(pid), kernels.read())
            pages = []
            for section in sections:
                start = time.perf_counter()
                with urllib.request.urlopen(f"{server.url}voila/render/{section}", timeout=120) as response:
                    response.read()
                    pages.append((time.perf_counter() - start, bool(response.headers.get("X-Adass-Fallback"))))
            sent = (cpu_seconds(pid), kernels.read())
            time.sleep(refill_wait)
            refilled = (cpu_seconds(pid), kernels.read())
            ready = server.log.read_text(encoding="utf-8", errors="replace").count(": ready for a reader")
        finally:
            sampling = False
            sampler.join()
            stop_process_group(server.process)
    live = [seconds for seconds, static in pages if not static]
    return {
        "pools_filled": {"server_s": filled[0], "kernels_s": filled[1]},
        "live_pages": len(live),
        "live_page_wall_p50_s": statistics.median(live) if live else None,
        "pages_sent": {"server_s": sent[0] - filled[0], "kernels_s": sent[1] - filled[1]},
        "refills": {"server_s": refilled[0] - sent[0], "kernels_s": refilled[1] - sent[1]},
        "ready_lines": ready,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--refill-wait", type=float, default=40, help="seconds for the pools to refill")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sections = section_notebooks()
    static_pages_as_served()
    rounds = [one_round(sections, args.refill_wait) for _ in range(args.rounds)]

    def median(part: str, key: str) -> float:
        return statistics.median(r[part][key] for r in rounds)

    pages = statistics.median(r["live_pages"] for r in rounds)
    content = {
        "machine": {"cores": len(os.sched_getaffinity(0)), "load_average_at_end": os.getloadavg()},
        "sections": sections,
        "rounds": rounds,
        "median": {
            part: {"server_s": median(part, "server_s"), "kernels_s": median(part, "kernels_s")}
            for part in ("pools_filled", "pages_sent", "refills")
        },
        "live_pages_median": pages,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "server_work.json").write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    (args.results / "server_work.md").write_text(render(content), encoding="utf-8")
    print(render(content))
    return 0


def render(c: dict) -> str:
    """The results as a Markdown table (medians over the rounds)."""
    n = len(c["sections"])
    m = c["median"]
    rows = [
        ("every pool filled (the server's start included)", "pools_filled", n),
        ("one live page of each section, one after the other", "pages_sent", c["live_pages_median"]),
        ("the pools refilled after those pages", "refills", c["live_pages_median"]),
    ]
    lines = [
        "# Server work",
        "",
        f"{c['machine']['cores']} cores; {len(c['rounds'])} rounds, medians; {n} pooled sections. Processor seconds "
        "(user + system) of the server process, beside those of its kernels (the floor: the kernels' own work, in "
        "processes of their own).",
        "",
        "| work | server s | per page s | kernels s | per page s |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, key, count in rows:
        server, kernels = m[key]["server_s"], m[key]["kernels_s"]
        per = max(count, 1)
        lines.append(f"| {label} | {server:.2f} | {server / per:.3f} | {kernels:.2f} | {kernels / per:.3f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
