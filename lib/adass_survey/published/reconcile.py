"""Recompute every published figure from respondent-level data and compare it with the report.

For each row of ``data/published/figures.csv`` the count, the base and the percentage are computed
from a survey (``survey.respondents`` and ``survey.themes``, see ``docs/data-flow.md``) and compared
with what the report prints. A row is ``reproduced`` when everything agrees; a disagreement on a row
that carries an ``erratum_id`` is a listed ``erratum`` (the report contradicts itself there, see
``data/published/errata.csv``); any other disagreement is a ``mismatch``.

Count rules: ``single`` / ``yes_no`` / ``likert5`` questions by code; ``__missing__`` = empty answer;
``multi`` options by their ``<id>__<code>`` boolean column; ``percent_text`` bands by the
``<id>_band`` column; ``text`` themes = distinct respondents with that theme in ``themes``;
``a|b`` = union; ``__all__`` = everyone in the base. Counts are taken within the base of the row's
``base_rule`` (``cohort``, ``answered:<q>``, ``subset:<q>=<code>``, ``frame``).
"""

from __future__ import annotations

import pandas as pd

from ..core.codebook import MISSING, Codebook, load_codebook
from ..core.proportions import percent
from .figures import load_figures, load_frame, load_quantifiers

STATUSES = ("reproduced", "erratum", "mismatch")
INTEGER_COLUMNS = [
    "published_count",
    "reproduced_count",
    "published_base",
    "reproduced_base",
    "percent_printed",
    "percent_reproduced",
]
"""The columns of :data:`COLUMNS` that hold counts, bases and percentages (nullable ``Int64``)."""
COLUMNS = ["id", "section", "question", "category", "check", *INTEGER_COLUMNS, "status", "erratum_id", "note"]

_QUANTIFIERS = load_quantifiers()
RANGES = {name: (float(r.get("min", r.get("above"))), float(r["max"])) for name, r in _QUANTIFIERS["percent"].items()}
"""Percentage ranges of vague quantifiers (``data/published/quantifiers.yaml``; lower bound exclusive for
those in :data:`STRICTLY_ABOVE`)."""

STRICTLY_ABOVE = {name for name, r in _QUANTIFIERS["percent"].items() if "above" in r}
COUNT_RANGES = {name: (int(r["min"]), int(r["max"])) for name, r in _QUANTIFIERS["count"].items()}

ALL = "__all__"
COHORT_QUESTION = "respondent_id"
FRAME_QUESTION = "frame_2011"


class Unreproducible(Exception):
    """A figure cannot be recomputed from the data given (a column or question is absent)."""


def _answers(respondents: pd.DataFrame, column: str) -> pd.Series:
    if column not in respondents.columns:
        raise Unreproducible(f"the data have no column '{column}'")
    return respondents[column].astype("string").str.strip()


def _is_missing(values: pd.Series) -> pd.Series:
    return (values.isna() | (values == "")).astype(bool)


def _truthy(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    text = values.astype("string").str.strip().str.lower()
    return text.isin(["true", "1", "yes", "1.0"]).fillna(False).astype(bool)


def _theme_holders(themes: pd.DataFrame, question_id: str, theme: str) -> set:
    chosen = themes[(themes["question_id"] == question_id) & (themes["theme"].astype(str) == theme)]
    return set(chosen["respondent_id"].tolist())


def category_mask(survey, question_id: str, code: str, codebook: Codebook) -> pd.Series:
    """Boolean mask of the respondents in one category (not restricted to a base).

    Parameters
    ----------
    survey : object with ``respondents`` and ``themes`` DataFrames
    question_id : codebook question id
    code : option, band or theme code, ``__missing__`` or ``__all__`` (no ``|`` here)
    codebook : the questionnaire

    Returns
    -------
    pandas.Series of bool, aligned with ``survey.respondents``

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> people = pd.DataFrame({"respondent_id": [1, 2, 3], "dp_restrictions": ["yes", "no", ""]})
    >>> survey = SimpleNamespace(respondents=people, themes=pd.DataFrame(columns=["respondent_id", "question_id", "theme"]))
    >>> category_mask(survey, "dp_restrictions", "__missing__", load_codebook()).tolist()
    [False, False, True]
    """
    respondents = survey.respondents
    if code == ALL:
        return pd.Series(True, index=respondents.index)
    if question_id not in codebook:
        raise Unreproducible(f"'{question_id}' is not a codebook question")
    question = codebook[question_id]
    if question.type in ("single", "yes_no", "likert5"):
        answers = _answers(respondents, question_id)
        return _is_missing(answers) if code == MISSING else (answers == code).fillna(False).astype(bool)
    if question.type == "multi":
        if code == MISSING:
            columns = [question.multi_column(o) for o in question.option_codes()]
            return ~pd.concat([_truthy(respondents[c]) for c in columns if c in respondents], axis=1).any(axis=1)
        column = question.multi_column(code)
        if column not in respondents.columns:
            raise Unreproducible(f"the data have no column '{column}'")
        return _truthy(respondents[column])
    if question.type == "percent_text":
        if code == MISSING:
            return _is_missing(_answers(respondents, question_id))
        return (_answers(respondents, f"{question_id}_band") == code).fillna(False).astype(bool)
    if question.type == "text":
        if code == MISSING:
            return _is_missing(_answers(respondents, question_id))
        holders = _theme_holders(survey.themes, question_id, code)
        return respondents["respondent_id"].isin(holders).astype(bool)
    raise Unreproducible(f"figures about a '{question.type}' question are not supported")


def base_mask(survey, base_rule: str, codebook: Codebook) -> pd.Series:
    """Boolean mask of the respondents in the base of a figure.

    Parameters
    ----------
    survey : object with a ``respondents`` DataFrame
    base_rule : ``cohort``, ``answered:<question>`` or ``subset:<question>=<code>``
    codebook : the questionnaire

    Returns
    -------
    pandas.Series of bool

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> people = pd.DataFrame({"respondent_id": [1, 2, 3], "individual_accounting": ["yes", "no", "no"]})
    >>> base_mask(SimpleNamespace(respondents=people), "subset:individual_accounting=no", load_codebook()).sum()
    np.int64(2)
    """
    respondents = survey.respondents
    if base_rule == "cohort":
        return pd.Series(True, index=respondents.index)
    kind, _, rest = base_rule.partition(":")
    if kind == "answered":
        return ~category_mask(survey, rest, MISSING, codebook)
    if kind == "subset":
        question_id, _, code = rest.partition("=")
        return category_mask(survey, question_id, code, codebook)
    raise Unreproducible(f"unknown base rule '{base_rule}'")


def _count_and_base(figure: dict, survey, frame: pd.DataFrame, codebook: Codebook) -> tuple[int, int]:
    frame_total = int(frame["councils"].sum())
    if figure["question"] == FRAME_QUESTION:
        if figure["category"] != ALL:
            raise Unreproducible("only '__all__' is supported for frame_2011")
        return frame_total, frame_total
    if figure["base_rule"] == "frame":
        base = pd.Series(True, index=survey.respondents.index)
        base_size = frame_total
    else:
        base = base_mask(survey, figure["base_rule"], codebook)
        base_size = int(base.sum())
    if figure["question"] == COHORT_QUESTION:
        return int(base.sum()), base_size
    union = pd.Series(False, index=survey.respondents.index)
    for code in str(figure["category"]).split("|"):
        union |= category_mask(survey, figure["question"], code, codebook)
    return int((union & base).sum()), base_size


def within_check(check: str, count: int, base: int) -> bool:
    """Whether a count satisfies a vague quantifier (``all``, ``half``, ``handful`` and so on).

    Examples
    --------
    >>> within_check("more_than_half", 30, 58), within_check("more_than_half", 29, 58)
    (True, False)
    >>> within_check("handful", 5, 58), within_check("a_couple", 3, 13)
    (True, False)
    """
    if check in _QUANTIFIERS["all"]:
        return count == base
    if check in COUNT_RANGES:
        low, high = COUNT_RANGES[check]
        return low <= count <= high
    if base <= 0:
        return False
    low, high = RANGES[check]
    share = 100.0 * count / base
    above = share > low if check in STRICTLY_ABOVE else share >= low
    return above and share <= high


def _percent(count: int, base: int):
    return percent(count, base) if base else pd.NA


def _compare(figure: dict, count: int, base: int) -> list[str]:
    problems = []
    printed = figure["count"]
    if pd.notna(printed) and int(printed) != count:
        problems.append(f"count {count}, printed {int(printed)}")
    if figure["check"] != "exact" and not within_check(figure["check"], count, base):
        problems.append(f"{count}/{base} does not satisfy '{figure['check']}'")
    if pd.notna(figure["base"]) and int(figure["base"]) != base:
        problems.append(f"base {base}, printed {int(figure['base'])}")
    printed_percent = figure["percent_printed"]
    if pd.notna(printed_percent) and (base == 0 or _percent(count, base) != int(printed_percent)):
        problems.append(f"{count}/{base} = {_percent(count, base) if base else '-'}%, printed {int(printed_percent)}%")
    return problems


def _reconcile_row(figure: dict, survey, frame: pd.DataFrame, codebook: Codebook) -> dict:
    row = {
        "id": figure["id"],
        "section": figure["section"],
        "question": figure["question"],
        "category": figure["category"],
        "check": figure["check"],
        "published_count": figure["count"],
        "reproduced_count": pd.NA,
        "published_base": figure["base"],
        "reproduced_base": pd.NA,
        "percent_printed": figure["percent_printed"],
        "percent_reproduced": pd.NA,
        "erratum_id": figure["erratum_id"] if pd.notna(figure["erratum_id"]) else "",
    }
    try:
        count, base = _count_and_base(figure, survey, frame, codebook)
    except Unreproducible as reason:
        problems = [f"not reproducible: {reason}"]
    else:
        row.update(reproduced_count=count, reproduced_base=base, percent_reproduced=_percent(count, base))
        problems = _compare(figure, count, base)
    if not problems:
        row["status"] = "reproduced"
    else:
        row["status"] = "erratum" if row["erratum_id"] else "mismatch"
    row["note"] = "; ".join(problems)
    return row


def printed_text(row) -> str:
    """What the report printed for a figure, from a row of :func:`reconcile`: ``52 (90%)``, ``6`` or ``vague quantifier (most)``.

    Examples
    --------
    >>> printed_text({"published_count": 52, "percent_printed": 90, "check": "exact"})
    '52 (90%)'
    >>> printed_text({"published_count": pd.NA, "percent_printed": pd.NA, "check": "nearly_all"})
    'vague quantifier (nearly all)'
    """
    count, pct = row["published_count"], row["percent_printed"]
    if pd.isna(count):
        return f"vague quantifier ({row['check'].replace('_', ' ')})"
    return f"{int(count)}" + ("" if pd.isna(pct) else f" ({int(pct)}%)")


def reconcile(survey, figures: pd.DataFrame | None = None, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recompute every published figure from a survey and compare it with the report.

    Parameters
    ----------
    survey : object with ``respondents`` and ``themes`` DataFrames (as written by ``build``)
    figures : published figures; defaults to :func:`adass_survey.published.figures.load_figures`
    frame : the 2011 frame of councils; defaults to :func:`adass_survey.published.figures.load_frame`

    Returns
    -------
    pandas.DataFrame
        One row per figure with the columns of :data:`COLUMNS`; ``status`` is ``reproduced``,
        ``erratum`` (a disagreement the report's own errata explain) or ``mismatch``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> people = pd.DataFrame({"respondent_id": range(1, 59), "dp_restrictions": ["yes"] * 52 + ["no"] * 6})
    >>> survey = SimpleNamespace(respondents=people, themes=pd.DataFrame(columns=["respondent_id", "question_id", "theme"]))
    >>> figures = load_figures()
    >>> result = reconcile(survey, figures[figures["question"] == "dp_restrictions"])
    >>> result[["id", "reproduced_count", "percent_reproduced", "status"]].values.tolist()
    [['F07-01', 52, 90, 'reproduced'], ['F07-02', 6, 10, 'reproduced']]
    """
    figures = load_figures() if figures is None else figures
    frame = load_frame() if frame is None else frame
    codebook = load_codebook()
    rows = [_reconcile_row(figure, survey, frame, codebook) for figure in figures.to_dict("records")]
    result = pd.DataFrame(rows, columns=COLUMNS)
    for column in INTEGER_COLUMNS:
        result[column] = result[column].astype("Int64")
    return result


def summary_line(result: pd.DataFrame) -> str:
    """The closing line of the reconciliation.

    Examples
    --------
    >>> summary_line(pd.DataFrame({"status": ["reproduced", "reproduced", "erratum"]}))
    '3 figures: 2 reproduced, 1 listed errata, 0 mismatches'
    """
    counts = result["status"].value_counts()
    return (
        f"{len(result)} figures: {counts.get('reproduced', 0)} reproduced, "
        f"{counts.get('erratum', 0)} listed errata, {counts.get('mismatch', 0)} mismatches"
    )


def format_table(result: pd.DataFrame) -> str:
    """Fixed-width text table of reconcile rows (``-`` for an empty cell).

    Examples
    --------
    >>> print(format_table(pd.DataFrame([{"id": "F07-01", "status": "reproduced"}])))
    id     status
    F07-01 reproduced
    """
    if result.empty:
        return "(no rows)"
    text = result.astype("object").where(result.notna(), "-").astype(str)
    text = text.replace("", "-")
    widths = {c: max(len(c), int(text[c].str.len().max())) for c in text.columns}
    lines = [" ".join(c.ljust(widths[c]) for c in text.columns)]
    lines += [
        " ".join(v.ljust(widths[c]) for c, v in zip(text.columns, values)) for values in text.itertuples(index=False)
    ]
    return "\n".join(lines)


def _short(result: pd.DataFrame) -> pd.DataFrame:
    shown = result.rename(
        columns={
            "published_count": "count",
            "reproduced_count": "recount",
            "published_base": "base",
            "reproduced_base": "rebase",
            "percent_printed": "pct",
            "percent_reproduced": "repct",
            "erratum_id": "erratum",
        }
    ).copy()
    shown["category"] = shown["category"].str.slice(0, 28)
    return shown


def run_reconcile(args) -> int:
    """Command line ``reconcile``: build the survey from a raw export and compare every figure.

    Parameters
    ----------
    args : namespace with ``raw`` (path of the raw export) and ``all`` (print every row, not only
        errata and mismatches)

    Returns
    -------
    int
        0 when no figure mismatches, 1 otherwise.

    Examples
    --------
    >>> import argparse
    >>> run_reconcile(argparse.Namespace(raw=None, all=False))  # doctest: +SKIP
    0
    """
    from .. import SYNTHETIC_NOTICE
    from ..processed.survey import load_survey

    survey = load_survey(raw_path=args.raw)
    result = reconcile(survey)
    shown = result if args.all else result[result["status"] != "reproduced"]
    if args.raw is not None and "synthetic" in str(args.raw).lower():
        print(SYNTHETIC_NOTICE)
    print(format_table(_short(shown)))
    print(summary_line(result))
    return 0 if (result["status"] != "mismatch").all() else 1
