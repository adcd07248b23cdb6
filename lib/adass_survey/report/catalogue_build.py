"""Build the views catalogue: compute every call of every notebook once, then swap the folder in whole.

Run by ``python -m adass_survey catalogue`` (and by ``scripts/serve.sh`` before Voilà starts). The cost
of drawing, suppressing and auditing each view moves here, from every reader's kernel. The calls are independent,
so they are computed on one process per core; the stored views are the same bytes as when computed one by one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from ..core.atomic import replaced_folder
from ..core.errors import SurveyInputError
from .catalogue import (
    FORMAT,
    MANIFEST,
    call_key,
    catalogue_dir,
    checksum,
    entry_bytes,
    inputs_key,
    notebook_calls,
    notebooks_dir,
    skipped,
)


def planned_calls(notebooks: Path) -> dict[str, tuple[str, list, str]]:
    """Every distinct view the notebooks show, by catalogue key: (function name, arguments, first notebook).

    A call that is not a view (``report.survey()``, the researcher's route to the data) is not one to store; a call
    whose arguments do not fit its function is left out with a note on stderr (it fails, with its own error, when
    its cell runs).

    Examples
    --------
    >>> calls = planned_calls(notebooks_dir())
    >>> sorted({name for name, _, _ in calls.values()})[:3]
    ['banner', 'caveats', 'coder_agreement']
    """
    from . import LIVE, arguments

    calls = {}
    for notebook in sorted(Path(notebooks).glob("*.ipynb")):
        for name, args, kwargs in notebook_calls(notebook):
            if name not in LIVE:
                if not _is_facade_function(name):
                    skipped(f"{notebook.name}: report.{name}(...)", "not a view the notebooks can show")
                continue
            try:
                full = arguments(name, args, kwargs)
            except TypeError as error:
                skipped(f"{notebook.name}: report.{name}(...)", str(error))
                continue
            calls.setdefault(call_key(name, full, {}), (name, full, notebook.name))
    return calls


def _is_facade_function(name: str) -> bool:
    """True for a public function of the report facade that is not a view (``survey``, ``section_data``)."""
    from .. import report

    return not name.startswith("_") and callable(getattr(report, name, None))


def damaged_entries(notebooks: Path | None = None, folder: Path | None = None) -> list[str] | None:
    """The planned calls whose stored entry is missing or is not the bytes its checksum names; None when the
    catalogue as a whole is not current (no manifest, or another key).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> damaged_entries(notebooks_dir(), pathlib.Path(tempfile.mkdtemp())) is None
    True
    """
    folder = Path(folder) if folder else catalogue_dir()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("key") != inputs_key():
        return None
    sums = {call["key"]: call.get("sha256", "") for call in manifest.get("calls", []) if "key" in call}
    return [key for key in planned_calls(notebooks or notebooks_dir()) if entry_bytes(folder, key, sums) is None]


def is_current(notebooks: Path | None = None, folder: Path | None = None) -> bool:
    """True when the catalogue's key is the current one and it holds every call of the notebooks, each entry intact.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> is_current(notebooks_dir(), pathlib.Path(tempfile.mkdtemp()))
    False
    """
    return damaged_entries(notebooks, folder) == []


def available_cores() -> int:
    """The processor cores this process may run on.

    Examples
    --------
    >>> available_cores() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _compute(call: tuple[str, list, str]) -> dict:
    from . import compute

    name, args, _notebook = call
    return compute(name, args, {})


def computed(calls: dict[str, tuple[str, list, str]], workers: int) -> Iterator[tuple[str, dict]]:
    """Each call's catalogue entry, by key, as it is ready: on ``workers`` processes, or here when 1.

    The processes are started fresh (``spawn``, as on Windows), so a worker inherits no thread or lock of this one;
    each loads the processed survey once. A call that fails raises here, with its own error.

    Examples
    --------
    >>> [key for key, _ in computed({"k": ("caveats", ["7", None], "01-x.ipynb")}, workers=1)]
    ['k']
    """
    if workers <= 1 or len(calls) <= 1:
        for key, call in calls.items():
            yield key, _compute(call)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(calls)), mp_context=context) as pool:
        futures = {pool.submit(_compute, call): key for key, call in calls.items()}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()


def build_catalogue(
    notebooks: Path | None = None, out: Path | None = None, progress=None, workers: int | None = None
) -> dict:
    """Compute and store every view the notebooks show; returns the manifest written.

    Parameters
    ----------
    notebooks : folder of the notebooks (default ``notebooks/``)
    out : catalogue folder (default ``data/catalogue``); replaced whole, only on success
    progress : optional ``callable(str)`` for progress lines
    workers : processes computing the views (default: one per available core; 1 computes them here)

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "01-x.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ["report.caveats(\\\\"7\\\\")"]}]}')
    >>> manifest = build_catalogue(folder, folder / "catalogue")
    >>> [call["name"] for call in manifest["calls"]]
    ['caveats']
    """
    from . import survey

    out = Path(out) if out else catalogue_dir()
    if out.exists() and any(not p.name.endswith(".json") for p in out.iterdir()):
        raise SurveyInputError(
            out,
            "the folder holds files other than a views catalogue, so it is not replaced",
            "choose an empty folder or the catalogue folder for --out",
        )
    survey()  # builds the processed data first if it is missing or stale: the key depends on it
    calls = planned_calls(notebooks or notebooks_dir())
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    key = inputs_key()
    manifest = {"format": FORMAT, "key": key, "calls": []}
    sums = {}
    with replaced_folder(out) as staging:
        for number, (name_key, entry) in enumerate(computed(calls, workers or available_cores()), 1):
            data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
            (staging / f"{name_key}.json").write_bytes(data)
            sums[name_key] = checksum(data)
            name, _, notebook = calls[name_key]
            say(f"catalogue: {number}/{len(calls)} {notebook} report.{name}")
        for name_key, (name, args, notebook) in calls.items():  # in the notebooks' order, whatever finished first
            manifest["calls"].append(
                {"key": name_key, "name": name, "arguments": args, "notebook": notebook, "sha256": sums[name_key]}
            )
        manifest["seconds"] = round(time.perf_counter() - started, 1)
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def run_catalogue(args) -> int:
    """``python -m adass_survey catalogue``: build the views catalogue unless it is current, printing progress."""
    folder = Path(args.out) if args.out else catalogue_dir()
    damaged = None if args.force else damaged_entries(args.notebooks, folder)
    if damaged == []:
        print("catalogue: current, nothing to do (--force rebuilds it)")
        return 0
    if damaged:
        print(f"catalogue: {len(damaged)} entries missing or damaged (their checksums differ); rebuilding")
    manifest = build_catalogue(args.notebooks, folder, progress=None if args.quiet else print)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"catalogue: {len(manifest['calls'])} views in {manifest['seconds']} s, {size / 1e6:.1f} MB")
    return 0
