"""Build the views catalogue: compute every call of every notebook once, then swap the folder in whole.

Run by ``python -m adass_survey catalogue`` (and by ``scripts/serve.sh`` before Voilà starts). The cost
of drawing, suppressing and auditing each view moves here, from every reader's kernel.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..core.atomic import replaced_folder
from ..core.errors import SurveyInputError
from .catalogue import FORMAT, MANIFEST, call_key, catalogue_dir, inputs_key, notebook_calls, notebooks_dir


def planned_calls(notebooks: Path) -> dict[str, tuple[str, list, str]]:
    """Every distinct call of the notebooks, by catalogue key: (function name, arguments, first notebook).

    Examples
    --------
    >>> calls = planned_calls(notebooks_dir())
    >>> sorted({name for name, _, _ in calls.values()})[:3]
    ['banner', 'caveats', 'coder_agreement']
    """
    from . import arguments

    calls = {}
    for notebook in sorted(Path(notebooks).glob("*.ipynb")):
        for name, args, kwargs in notebook_calls(notebook):
            full = arguments(name, args, kwargs)
            calls.setdefault(call_key(name, full, {}), (name, full, notebook.name))
    return calls


def is_current(notebooks: Path | None = None, folder: Path | None = None) -> bool:
    """True when the catalogue holds every call of the notebooks and its key is the current one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> is_current(notebooks_dir(), pathlib.Path(tempfile.mkdtemp()))
    False
    """
    folder = Path(folder) if folder else catalogue_dir()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("key") != inputs_key():
        return False
    have = {call["key"] for call in manifest.get("calls", [])}
    return set(planned_calls(notebooks or notebooks_dir())) <= have


def build_catalogue(notebooks: Path | None = None, out: Path | None = None, progress=None) -> dict:
    """Compute and store every view the notebooks show; returns the manifest written.

    Parameters
    ----------
    notebooks : folder of the notebooks (default ``notebooks/``)
    out : catalogue folder (default ``data/catalogue``); replaced whole, only on success
    progress : optional ``callable(str)`` for progress lines

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "01-x.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ["report.caveats(\\\\"7\\\\")"]}]}')
    >>> manifest = build_catalogue(folder, folder / "catalogue")
    >>> [call["name"] for call in manifest["calls"]]
    ['caveats']
    """
    from . import compute, survey

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
    with replaced_folder(out) as staging:
        for number, (name_key, (name, args, notebook)) in enumerate(calls.items(), 1):
            entry = compute(name, args, {})
            (staging / f"{name_key}.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            manifest["calls"].append({"key": name_key, "name": name, "arguments": args, "notebook": notebook})
            say(f"catalogue: {number}/{len(calls)} {notebook} report.{name}")
        manifest["seconds"] = round(time.perf_counter() - started, 1)
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def run_catalogue(args) -> int:
    """``python -m adass_survey catalogue``: build the views catalogue unless it is current, printing progress."""
    folder = Path(args.out) if args.out else catalogue_dir()
    if not args.force and is_current(args.notebooks, folder):
        print("catalogue: current, nothing to do (--force rebuilds it)")
        return 0
    manifest = build_catalogue(args.notebooks, folder, progress=None if args.quiet else print)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"catalogue: {len(manifest['calls'])} views in {manifest['seconds']} s, {size / 1e6:.1f} MB")
    return 0
