"""Pipeline benchmark: ``synth`` + ``build`` at several cohort sizes against a bare ``pandas.read_csv``.

Run: ``.venv/bin/python benchmarks/pipeline.py [--sizes 58,10000,100000,1000000] [--skip-ci]``.
Writes ``benchmarks/results/pipeline.md`` (tables) and ``benchmarks/results/pipeline.json``.
Not a test: the numbers depend on the machine, which the table describes (cores, memory, load).

Every step runs in its own Python process, so each peak memory (``ru_maxrss``) is that step's alone:

* ``synth``  — generate the SYNTHETIC export of n respondents and write it as CSV;
* ``read``   — the floor: a bare ``pandas.read_csv`` of the same file (every cell as text);
* ``build``  — :func:`adass_survey.processed.build.build` (load, validate, clean, code, check, write), with the
  per-stage timings and the progress lines it printed;
* ``code``   — the free-text coder alone on one million answers, twice: answers as the export has
  them (many repeats) and every answer made distinct (the worst case for the coder).

The last section times the notebooks' nbval run (the CI cost). Generated files go to a temporary
folder that is removed at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
SIZES = (58, 10_000, 100_000, 1_000_000)
CODE_ANSWERS = 1_000_000
NBVAL = [
    "-m",
    "pytest",
    "-q",
    "--nbval",
    "--nbval-sanitize-with",
    "tests/nbval_sanitize.cfg",
    "--nbval-current-env",
    "notebooks",
    "-p",
    "no:cacheprovider",
]


# --------------------------------------------------------------------------------- child steps


def _usage() -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def _step_synth(n: int, raw: Path) -> dict:
    from adass_survey.synth.generate import synthesize, write_export

    start = time.perf_counter()
    frame = synthesize(n, 2011)
    write_export(frame, raw)
    return {"seconds": time.perf_counter() - start, "file_mb": raw.stat().st_size / 2**20}


def _step_read(raw: Path) -> dict:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(raw, encoding="cp1252", skiprows=2, header=None, dtype=str, keep_default_na=False)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(frame), "data_mb": frame.memory_usage(deep=True).sum() / 2**20}


def _step_build(raw: Path, out: Path) -> dict:
    from adass_survey.processed.build import build

    lines: list[str] = []
    start = time.perf_counter()
    report = build(raw, out, progress=lines.append)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "stages": report.timings,
        "progress_lines": lines,
        "rows_clean": report.rows_clean,
        "theme_rows": report.theme_rows,
    }


def _step_code(n: int, distinct: bool) -> dict:
    """Code ``n`` answers in all, shared evenly over the text questions (answers drawn, not timed)."""
    import numpy as np
    import pandas as pd

    from adass_survey.coding.themes import code_text
    from adass_survey.core.codebook import load_codebook
    from adass_survey.synth.generate import answers_by_question, synthesize

    codebook = load_codebook()
    questions = [q for q in codebook.of_type("text") if q.frame]
    each = -(-n // len(questions))
    pool = answers_by_question(synthesize(min(each, 100_000), 7), codebook)
    results = {}
    total_seconds = 0.0
    for question in questions:
        texts = pd.Series(np.resize(pool[question.id].to_numpy(dtype=object), each), dtype=object)
        if distinct:  # every non-blank answer unique: the coder cannot lean on repeats
            numbered = "answer " + pd.Series(np.arange(each).astype(str), dtype=object) + ": " + texts
            texts = texts.where(texts.str.strip() == "", numbered)
        start = time.perf_counter()
        matrix = code_text(texts, question, codebook.missing_values)
        seconds = time.perf_counter() - start
        total_seconds += seconds
        results[question.id] = {"seconds": seconds, "answered": int(matrix.to_numpy().any(axis=1).sum())}
    answers = each * len(questions)
    return {
        "answers": answers,
        "questions": len(questions),
        "seconds": total_seconds,
        "answers_per_second": answers / total_seconds,
        "per_question": results,
    }


def child(argv: list[str]) -> None:
    """Run one step (in a fresh process) and print its measurements as one JSON line."""
    step, *rest = argv
    base = _usage()["peak_rss_mb"]
    if step == "synth":
        result = _step_synth(int(rest[0]), Path(rest[1]))
    elif step == "read":
        result = _step_read(Path(rest[0]))
    elif step == "build":
        result = _step_build(Path(rest[0]), Path(rest[1]))
    elif step == "code":
        result = _step_code(int(rest[0]), rest[1] == "distinct")
    else:
        raise SystemExit(f"unknown step {step}")
    result.update(_usage(), start_rss_mb=base)
    print("RESULT " + json.dumps(result))


# --------------------------------------------------------------------------------- the parent


def run_step(*args: str) -> dict:
    """Run one step in a child process; return its measurements plus wall time and load average."""
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"step {args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    result = json.loads(lines[-1][len("RESULT ") :])
    result.update(process_wall_s=wall, load_before=load_before, load_after=os.getloadavg()[0])
    return result


def machine() -> dict:
    """Describe the machine: cores, memory, Python and library versions, load."""
    import numpy
    import pandas
    import pyarrow

    meminfo = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines() if ":" in line)
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": model,
        "memory_gb": round(int(meminfo["MemTotal"].split()[0]) / 2**20, 1),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "pyarrow": pyarrow.__version__,
        "os": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


def time_nbval() -> dict:
    """Time the notebooks' nbval run exactly as CI runs it."""
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *NBVAL], cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return {"seconds": seconds, "exit_code": done.returncode, "summary": tail, "load_before": load_before}


def measure(sizes: list[int], folder: Path, code_answers: int) -> list[dict]:
    rows = []
    for n in sizes:
        raw = folder / f"export_{n}.csv"
        out = folder / f"processed_{n}"
        print(f"n={n:,}: synth", flush=True)
        synth = run_step("synth", str(n), str(raw))
        print(f"n={n:,}: bare read_csv", flush=True)
        read = run_step("read", str(raw))
        print(f"n={n:,}: build", flush=True)
        build = run_step("build", str(raw), str(out))
        rows.append({"n": n, "synth": synth, "read": read, "build": build})
        print(
            f"  synth {synth['seconds']:.2f} s, read {read['seconds']:.2f} s, build {build['seconds']:.2f} s "
            f"(x{build['seconds'] / read['seconds']:.2f}), build peak {build['peak_rss_mb']:.0f} MB",
            flush=True,
        )
        raw.unlink()
        shutil.rmtree(out, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="comma-separated cohort sizes")
    parser.add_argument("--code-answers", type=int, default=CODE_ANSWERS, help="answers in all for the coder")
    parser.add_argument("--skip-ci", action="store_true", help="do not time the nbval run")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for pipeline.md and pipeline.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    folder = Path(tempfile.mkdtemp(prefix="adass-bench-"))
    try:
        info = machine()
        rows = measure(sizes, folder, args.code_answers)
        print(f"coder: {args.code_answers:,} answers", flush=True)
        code = {kind: run_step("code", str(args.code_answers), kind) for kind in ("as_exported", "distinct")}
        ci = None if args.skip_ci else time_nbval()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    info["load_average_at_end"] = os.getloadavg()
    content = {"machine": info, "pipeline": rows, "coder": code, "nbval": ci}
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "pipeline.json").write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    (args.results / "pipeline.md").write_text(render(content), encoding="utf-8")
    print(render(content))
    return 0


# --------------------------------------------------------------------------------- the table


def _targets(rows: list[dict]) -> list[tuple[str, str, str]]:
    """(target, measured, met?) lines for the issue's targets."""
    checks = []
    by_n = {r["n"]: r for r in rows}
    if 1_000_000 in by_n:
        big = by_n[1_000_000]
        checks.append(("1M rows built in under 15 s", f"{big['build']['seconds']:.1f} s", big["build"]["seconds"] < 15))
    for r in rows:
        if r["n"] < 100_000:
            continue
        stages = r["build"]["stages"]
        extra = stages.get("clean", 0) + stages.get("code", 0)
        ratio = extra / r["read"]["seconds"]
        checks.append((f"clean + code ≤ 1.5 × bare read (n={r['n']:,})", f"{ratio:.2f} ×", ratio <= 1.5))
        memory = r["build"]["peak_rss_mb"] / r["read"]["data_mb"]
        checks.append((f"build peak memory < 3 × data in memory (n={r['n']:,})", f"{memory:.2f} ×", memory < 3))
    if 100_000 in by_n and 1_000_000 in by_n:
        growth = by_n[1_000_000]["build"]["seconds"] / by_n[100_000]["build"]["seconds"]
        checks.append(("linear growth: build time 1M / 100k ≈ 10", f"{growth:.1f}", growth <= 12))
    big = [r for r in rows if r["n"] > 50_000]
    if big:
        shown = all(r["build"]["progress_lines"] for r in big)
        checks.append(("build shows progress on long work", "yes" if shown else "no", shown))
    return [(t, m, "met" if ok else "NOT met") for t, m, ok in checks]


def render(content: dict) -> str:
    """The results as Markdown tables."""
    info, rows, code, ci = content["machine"], content["pipeline"], content["coder"], content["nbval"]
    out = [
        "# Pipeline benchmark",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB memory, Python {info['python']}, "
        f"pandas {info['pandas']}, numpy {info['numpy']}, pyarrow {info['pyarrow']}. Load average at start "
        f"{info['load_average_at_start'][0]:.1f}, at end {info['load_average_at_end'][0]:.1f} "
        "(other work on the machine slows wall-clock times; CPU seconds are less affected).",
        "",
        "| n | file MB | synth s | bare read_csv s | build s | build / read | build CPU s | clean+code / read "
        "| data in memory MB | build peak MB | peak / data | read peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        s, rd, b = r["synth"], r["read"], r["build"]
        extra = b["stages"].get("clean", 0) + b["stages"].get("code", 0)
        out.append(
            f"| {r['n']:,} | {s['file_mb']:.1f} | {s['seconds']:.2f} | {rd['seconds']:.2f} | {b['seconds']:.2f} "
            f"| {b['seconds'] / rd['seconds']:.2f} | {b['cpu_s']:.1f} | {extra / rd['seconds']:.2f} "
            f"| {rd['data_mb']:.1f} | {b['peak_rss_mb']:.0f} | {b['peak_rss_mb'] / rd['data_mb']:.2f} "
            f"| {rd['peak_rss_mb']:.0f} |"
        )
    out += [
        "",
        "Build stages (seconds):",
        "",
        "| n | " + " | ".join(rows[0]["build"]["stages"]) + " |",
        "|---:|" + "---:|" * len(rows[0]["build"]["stages"]),
    ]
    for r in rows:
        out.append(f"| {r['n']:,} | " + " | ".join(f"{v:.2f}" for v in r["build"]["stages"].values()) + " |")
    out += [
        "",
        "Free-text coder (all text questions with a coding frame):",
        "",
        "| answers | kind | seconds | answers per second | peak MB |",
        "|---:|---|---:|---:|---:|",
    ]
    for kind, c in code.items():
        out.append(
            f"| {c['answers']:,} | {kind.replace('_', ' ')} | {c['seconds']:.2f} "
            f"| {c['answers_per_second']:,.0f} | {c['peak_rss_mb']:.0f} |"
        )
    if ci is not None:
        out += [
            "",
            f"CI cost: nbval over `notebooks/` took {ci['seconds']:.1f} s (exit {ci['exit_code']}: "
            f"{ci['summary']}; load average before {ci['load_before']:.1f}). Target < 60 s: "
            f"{'met' if ci['seconds'] < 60 else 'NOT met'}.",
        ]
    out += ["", "Targets:", "", "| target | measured | |", "|---|---:|---|"]
    out += [f"| {t} | {m} | {ok} |" for t, m, ok in _targets(rows)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        sys.exit(main())
