"""Write a SYNTHETIC survey-tool export calibrated to reproduce every figure the report publishes.

The report gives only aggregates; no respondent-level data were ever published. :func:`generate`
makes a respondent-level file in the exact shape a web survey tool exports (see
``docs/data-flow.md``: two header rows, one column per option of a multi-choice question, cp1252,
CRLF), messy like a real export, and calibrated so that the default cohort (``n=58``,
``seed=2011``) reproduces the published counts exactly; :func:`write_export` writes it and
:func:`run_synth` is the ``synth`` command. What each respondent answers is drawn by
:mod:`adass_survey.synth.draw`, how it is written by :mod:`adass_survey.synth.render`."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .. import SYNTHETIC_NOTICE
from ..core.codebook import MISSING, Codebook, load_codebook
from ..core.paths import project_root
from .draw import META_BLANK, Synthetic, draw_multi, draw_tables, draw_text_themes, export_columns, load_yaml
from .render import place_verbatim, render_closed, render_meta, render_number, render_percent, render_text


def generate(n: int = 58, seed: int = 2011, codebook: Codebook | None = None, intended: bool = True) -> Synthetic:
    """Generate a synthetic cohort and the themes its free-text answers were written to carry.

    Parameters
    ----------
    n : number of respondents; 58 reproduces the report's counts exactly, another n keeps the
        proportions (largest-remainder rounding of every target)
    seed : seed of ``numpy.random.default_rng``; the same (n, seed) always gives the same cohort
    codebook : the questionnaire (default ``data/codebook.yaml``)
    intended : also return the intended themes (skip for a large n to save memory)

    Returns
    -------
    Synthetic

    Examples
    --------
    >>> cohort = generate(58, 2011)
    >>> cohort.export.shape[0]
    58
    >>> sorted(cohort.intended.columns)
    ['question_id', 'respondent_id', 'theme']
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    codebook = codebook or load_codebook()
    targets = load_yaml("targets.yaml")
    phrases = load_yaml("phrases.yaml")
    reference_n = int(targets["reference_n"])
    rng = np.random.default_rng(seed)

    closed = draw_tables(rng, targets["tables"], n, reference_n)
    meta = render_meta(rng, n, phrases)
    implies = {"brokerage_in_house": ["hourly_unit_cost"], "brokerage_external": ["hourly_unit_cost"]}
    verbatim: dict[str, list[dict]] = {}
    for quote in phrases.get("verbatim", []):
        verbatim.setdefault(quote["question"], []).append(quote)

    cells: dict[tuple[str, str | None], np.ndarray] = {}
    wanted_themes = []
    for q in codebook.questions:
        if q.type in META_BLANK:
            cells[(q.id, None)] = meta[q.id]
        elif q.type in ("single", "yes_no", "likert5"):
            cells[(q.id, None)] = render_closed(rng, q, closed[q.id], phrases)
        elif q.type == "percent_text":
            bands = closed[q.id].copy()
            text = render_percent(rng, bands, closed["full_take_up_year"] == "2011_12", phrases)
            text[closed["strategy"] == MISSING] = ""
            cells[(q.id, None)] = text
        elif q.type == "number":
            cells[(q.id, None)] = render_number(rng, closed["council_type"], phrases)
        elif q.type == "multi":
            ticked = draw_multi(rng, targets["multi"][q.id], n)
            for option in q.options:
                cells[(q.id, option.code)] = np.where(ticked[option.code], option.label, "").astype(object)
        elif q.type == "text":
            spec = targets["text"][q.id]
            matrix = draw_text_themes(rng, q, spec, closed, n, reference_n)
            texts = render_text(rng, q, matrix, phrases, implies)
            place_verbatim(q, matrix, texts, verbatim.get(q.id, []), exact="profiles" in spec)
            cells[(q.id, None)] = texts
            if not intended:
                continue
            rows, cols = np.nonzero(matrix)
            wanted_themes.append(
                pd.DataFrame(
                    {
                        "respondent_id": meta["respondent_id"][rows].astype(np.int64),
                        "question_id": q.id,
                        "theme": np.array([t.code for t in q.frame], dtype=object)[cols],
                    }
                )
            )
    columns = export_columns(codebook)
    export = pd.DataFrame(
        {i: cells[(qid, option)] for i, (qid, option, _, _) in enumerate(columns)}, index=pd.RangeIndex(n), dtype=object
    )  # object, not arrow strings: cells share a few template strings, so a million rows stay small
    export.columns = pd.MultiIndex.from_tuples([(c[2], c[3]) for c in columns], names=["header", "subheader"])
    if not wanted_themes:
        return Synthetic(export=export, intended=pd.DataFrame(columns=["respondent_id", "question_id", "theme"]))
    return Synthetic(export=export, intended=pd.concat(wanted_themes, ignore_index=True))


def synthesize(n: int = 58, seed: int = 2011) -> pd.DataFrame:
    """Return a SYNTHETIC export as strings (columns: the two header rows as a two-level index).

    Parameters
    ----------
    n : number of respondents (58 reproduces every published count)
    seed : random seed

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> frame = synthesize()
    >>> frame.shape[0], frame.columns[0]
    (58, ('Respondent ID', ''))
    >>> int((frame.xs("Which region is your council in?", axis=1, level=0).iloc[:, 0] != "").sum())
    58
    """
    return generate(n, seed, intended=False).export


def answers_by_question(frame: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Name an export's columns by question id (``<id>__<option>`` for a multi-choice option).

    The export's columns must be in codebook order, as :func:`synthesize` writes them.

    Examples
    --------
    >>> answers_by_question(synthesize(5, 1)).columns[:3].tolist()
    ['respondent_id', 'collector_id', 'start_date']
    """
    codebook = codebook or load_codebook()
    names = [qid if option is None else f"{qid}__{option}" for qid, option, _, _ in export_columns(codebook)]
    named = frame.copy()
    named.columns = names
    return named


def write_export(frame: pd.DataFrame, path: str | Path, encoding: str = "cp1252") -> Path:
    """Write an export with its two header rows: CSV (CRLF, minimal quoting) or ``.xlsx`` by suffix.

    The file is written next to its destination and renamed into place, so a failed write leaves
    nothing half-written.

    Parameters
    ----------
    frame : an export as returned by :func:`synthesize`
    path : destination (``.csv`` or ``.xlsx``)
    encoding : text encoding of a CSV (default cp1252, as the survey tool writes)

    Returns
    -------
    pathlib.Path of the written file

    Examples
    --------
    >>> import tempfile
    >>> out = write_export(synthesize(3, 1), Path(tempfile.mkdtemp()) / "export.csv")
    >>> out.read_bytes().split(b"\\r\\n")[1].startswith(b",,,,")
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header1 = [str(c[0]) for c in frame.columns]
    header2 = [str(c[1]) for c in frame.columns]
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if path.suffix.lower() == ".xlsx":
            rows = pd.DataFrame([header1, header2] + frame.to_numpy().tolist())
            rows.to_excel(tmp, header=False, index=False, engine="openpyxl")
        else:
            with open(tmp, "w", encoding=encoding, newline="") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(header1)
                writer.writerow(header2)
                frame.to_csv(handle, header=False, index=False, lineterminator="\r\n")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def run_synth(args) -> int:
    """Command line: ``python -m adass_survey synth [--n N] [--seed S] [--out FILE] [--encoding E]``.

    Examples
    --------
    >>> import argparse, tempfile
    >>> out = Path(tempfile.mkdtemp()) / "x.csv"
    >>> run_synth(argparse.Namespace(n=4, seed=1, out=out, encoding="cp1252"))  # doctest: +ELLIPSIS
    wrote 4 SYNTHETIC respondents ...
    0
    """
    frame = synthesize(args.n, args.seed)
    out = write_export(frame, args.out, encoding=args.encoding)
    print(f"wrote {len(frame)} SYNTHETIC respondents (seed {args.seed}) to {_shown(out)}")
    print(f"SYNTHETIC: {SYNTHETIC_NOTICE}")
    return 0
