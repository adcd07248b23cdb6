"""Count answers into tidy tables, with Wilson 95% confidence intervals and report-style wording.

Every table here is *unsuppressed*: it holds true counts. Pass it through
:mod:`adass_survey.disclosure` before showing it to anyone (charts, pages and downloads take a
:class:`~adass_survey.disclosure.table.SuppressedTable`, never one of these frames).

A frequency table has one row per category and the columns ``question_id, category, label, count,
base, percent, ci_low, ci_high`` (percentages 0-100, unrounded). ``table.attrs["kind"]`` says how
its counts relate to the base: ``"additive"`` (categories partition the base: single choice, yes/no,
Likert, bands) or ``"binary"`` (each category is a separate yes/no out of the base: multi-choice
options and free-text themes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.codebook import MISSING, Codebook, Question, load_codebook
from ..core.proportions import percent, round_half_up, wilson_interval

MISSING_LABEL = "No response"
UNCODED = "uncoded"
UNCODED_LABEL = "Answer not matched to a theme (uncoded)"
COLUMNS = ["question_id", "category", "label", "count", "base", "percent", "ci_low", "ci_high"]


def wilson_percentages(count, base) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% intervals of ``count / base``, element by element, as percentages (NaN where the base is 0).

    Each interval is :func:`adass_survey.core.proportions.wilson_interval` (the one formula), times 100.

    Examples
    --------
    >>> low, high = wilson_percentages(52, 58)
    >>> round(float(low), 1), round(float(high), 1)
    (79.2, 95.2)
    >>> [round(float(v), 1) for v in wilson_percentages([0, 3], [0, 8])[0]]
    [nan, 13.7]
    """
    count, base = np.broadcast_arrays(np.asarray(count, dtype=float), np.asarray(base, dtype=float))
    pairs = [wilson_interval(c, b) if b > 0 else (np.nan, np.nan) for c, b in zip(count.ravel(), base.ravel())]
    low = np.array([100 * p[0] for p in pairs], dtype=float).reshape(count.shape)
    high = np.array([100 * p[1] for p in pairs], dtype=float).reshape(count.shape)
    return low, high


def format_count_percent(count: int, base: int) -> str:
    """Write a count with its percentage of the base, rounded as the report does.

    Examples
    --------
    >>> format_count_percent(55, 58)
    '55 (95%)'
    >>> format_count_percent(0, 0)
    '0 (-)'
    """
    if not base:
        return f"{int(count)} (-)"
    return f"{int(count)} ({percent(count, base)}%)"


def figure_with_base(count: int, base: int, what: str = "councils") -> str:
    """Write a headline figure with its base and Wilson 95% confidence interval.

    Examples
    --------
    >>> figure_with_base(52, 58, "councils")
    '52 of 58 councils (90%, 95% CI 79% to 95%)'
    """
    low, high = wilson_percentages(count, base)
    pct = percent(count, base)
    return f"{int(count)} of {int(base)} {what} ({pct}%, 95% CI {round_half_up(float(low))}% to {round_half_up(float(high))}%)"


def _as_code(value) -> str | None:
    """Normalise a stored code (``"3"``, ``3``, ``3.0``) to its string; None when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def table_from_rows(rows: list[dict], question_id: str, kind: str) -> pd.DataFrame:
    """Make a frequency table from counted rows: percentages and Wilson intervals added, columns as :data:`COLUMNS`.

    Parameters
    ----------
    rows : one dict per category with ``category``, ``label``, ``count`` and ``base``
    question_id : the question the counts are about
    kind : ``"additive"`` (the categories partition the base) or ``"binary"`` (each is a yes/no of the base)

    Returns
    -------
    pandas.DataFrame
        One row per category; ``attrs["kind"]`` and ``attrs["question_id"]`` set.

    Examples
    --------
    >>> t = table_from_rows([{"category": "yes", "label": "Yes", "count": 52, "base": 58}], "strategy", "additive")
    >>> t[["category", "count", "base"]].values.tolist(), round(float(t["percent"].iloc[0]), 1), t.attrs["kind"]
    ([['yes', 52, 58]], 89.7, 'additive')
    """
    table = pd.DataFrame(rows, columns=["category", "label", "count", "base"])
    table.insert(0, "question_id", question_id)
    table["count"] = table["count"].astype(int)
    table["base"] = table["base"].astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["percent"] = np.where(
            table["base"] > 0, 100 * table["count"] / table["base"].where(table["base"] > 0, 1), np.nan
        )
    table["ci_low"], table["ci_high"] = wilson_percentages(table["count"], table["base"])
    table.attrs["kind"] = kind
    table.attrs["question_id"] = question_id
    return table[COLUMNS]


def _closed_options(question: Question) -> tuple[str, list[tuple[str, str]]]:
    """Processed column and (code, label) options of a closed question."""
    if question.type == "percent_text":
        options = [(b.code, b.label) for b in question.bands]
        if question.unbanded is not None:
            options.append((question.unbanded.code, question.unbanded.label))
        return f"{question.id}_band", options
    if question.type in {"single", "yes_no", "likert5"}:
        return question.id, [(o.code, o.label) for o in question.options]
    raise ValueError(f"question '{question.id}' is of type '{question.type}': no frequency table for it")


def frequency_table(
    respondents: pd.DataFrame, question_id: str, codebook: Codebook | None = None, include_missing: bool = True
) -> pd.DataFrame:
    """Count the answers to one closed question (single, yes/no, Likert or percentage band).

    Multi-choice questions are passed on to :func:`multi_table`.

    Parameters
    ----------
    respondents : processed respondents (one row per respondent)
    question_id : codebook question id
    codebook : defaults to ``data/codebook.yaml``
    include_missing : add a ``__missing__`` row ("No response"); the base is then every respondent,
        otherwise only those who answered

    Returns
    -------
    pandas.DataFrame
        tidy: question_id, category, label, count, base, percent, ci_low, ci_high

    Examples
    --------
    >>> df = pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6})
    >>> t = frequency_table(df, "dp_restrictions")
    >>> t[["category", "count", "base"]].values.tolist()
    [['yes', 52, 58], ['no', 6, 58], ['__missing__', 0, 58]]
    """
    codebook = codebook or load_codebook()
    question = codebook[question_id]
    if question.type == "multi":
        return multi_table(respondents, question_id, codebook)
    column, options = _closed_options(question)
    codes = respondents[column].map(_as_code)
    known = {code for code, _ in options}
    unknown = sorted(set(codes.dropna()) - known)
    if unknown:
        raise ValueError(f"column '{column}' holds codes not in the codebook: {unknown}")
    answered = int(codes.notna().sum())
    base = len(codes) if include_missing else answered
    counts = codes.value_counts()
    rows = [{"category": c, "label": lab, "count": int(counts.get(c, 0)), "base": base} for c, lab in options]
    if include_missing:
        rows.append({"category": MISSING, "label": MISSING_LABEL, "count": len(codes) - answered, "base": base})
    return table_from_rows(rows, question_id, "additive")


def multi_table(
    respondents: pd.DataFrame, question_id: str, codebook: Codebook | None = None, base: str = "answered"
) -> pd.DataFrame:
    """Count each option of a multi-choice question (a respondent may tick several).

    Parameters
    ----------
    base : ``"answered"`` (respondents who ticked at least one option) or ``"cohort"`` (everyone)

    Examples
    --------
    >>> df = pd.DataFrame({"advisory_user_groups__carers": [True, False, True],
    ...                    "advisory_user_groups__older_people": [True, False, False]})
    >>> from adass_survey.core.codebook import Codebook, Question, Option
    >>> cb = Codebook((Question("advisory_user_groups", "multi", "Groups?",
    ...     options=(Option("older_people", "Older people"), Option("carers", "Carers"))),))
    >>> multi_table(df, "advisory_user_groups", cb)[["category", "count", "base"]].values.tolist()
    [['older_people', 1, 2], ['carers', 2, 2]]
    """
    codebook = codebook or load_codebook()
    question = codebook[question_id]
    if question.type != "multi":
        raise ValueError(f"question '{question_id}' is not multi-choice")
    columns = [question.multi_column(o.code) for o in question.options]
    ticks = respondents[columns].fillna(False).astype(bool)
    if base == "answered":
        n = int(ticks.any(axis=1).sum())
    elif base == "cohort":
        n = len(ticks)
    else:
        raise ValueError("base must be 'answered' or 'cohort'")
    rows = [
        {"category": o.code, "label": o.label, "count": int(ticks[col].sum()), "base": n}
        for o, col in zip(question.options, columns)
    ]
    return table_from_rows(rows, question_id, "binary")


def theme_table(
    themes: pd.DataFrame, respondents: pd.DataFrame, question_id: str, codebook: Codebook | None = None
) -> pd.DataFrame:
    """Count the themes coded from one free-text question.

    The base is the respondents (of ``respondents``) who gave a non-blank answer, i.e. who have at
    least one theme row. ``uncoded`` (an answer matching no theme) is always reported, even at 0.

    Examples
    --------
    >>> from adass_survey.core.codebook import Codebook, Question, Theme
    >>> cb = Codebook((Question("risk", "text", "Risk?", frame=(Theme("risk_panels", "Panels"),)),))
    >>> th = pd.DataFrame({"respondent_id": [1, 2, 2, 3], "question_id": "risk",
    ...                    "theme": ["risk_panels", "risk_panels", "uncoded", "uncoded"]})
    >>> resp = pd.DataFrame({"respondent_id": [1, 2, 3, 4]})
    >>> theme_table(th, resp, "risk", cb)[["category", "count", "base"]].values.tolist()
    [['risk_panels', 2, 3], ['uncoded', 2, 3]]
    """
    codebook = codebook or load_codebook()
    question = codebook[question_id]
    if question.type != "text":
        raise ValueError(f"question '{question_id}' is not a free-text question")
    rows_q = themes[(themes["question_id"] == question_id) & themes["respondent_id"].isin(respondents["respondent_id"])]
    known = {t.code for t in question.frame} | {UNCODED}
    unknown = sorted(set(rows_q["theme"]) - known)
    if unknown:
        raise ValueError(f"themes of '{question_id}' not in its coding frame: {unknown}")
    n = int(rows_q["respondent_id"].nunique())
    per_theme = rows_q.drop_duplicates(["respondent_id", "theme"])["theme"].value_counts()
    options = [(t.code, t.label) for t in question.frame] + [(UNCODED, UNCODED_LABEL)]
    rows = [{"category": c, "label": lab, "count": int(per_theme.get(c, 0)), "base": n} for c, lab in options]
    return table_from_rows(rows, question_id, "binary")


def crosstab(
    respondents: pd.DataFrame, row_q: str, col_q: str, codebook: Codebook | None = None, include_missing: bool = False
) -> pd.DataFrame:
    """Cross-tabulate two closed questions in long format.

    Returns one row per (row category, column category) with ``count``, ``row_base`` (the row
    total), ``col_base`` (the column total), ``base`` (grand total) and ``percent`` (of the row).

    Examples
    --------
    >>> df = pd.DataFrame({"council_type": ["county", "county", "unitary"], "on_target": ["yes", "no", "yes"]})
    >>> t = crosstab(df, "council_type", "on_target")
    >>> t[(t.row_category == "county") & (t.col_category == "yes")]["count"].item()
    1
    """
    codebook = codebook or load_codebook()
    parts = {}
    for role, qid in (("row", row_q), ("col", col_q)):
        column, options = _closed_options(codebook[qid])
        codes = respondents[column].map(_as_code)
        if include_missing:
            codes = codes.fillna(MISSING)
            options = options + [(MISSING, MISSING_LABEL)]
        parts[role] = (codes, options)
    (rcodes, ropts), (ccodes, copts) = parts["row"], parts["col"]
    keep = rcodes.notna() & ccodes.notna()
    counts = pd.crosstab(rcodes[keep], ccodes[keep])
    rows = []
    for r, rlab in ropts:
        for c, clab in copts:
            n = int(counts.at[r, c]) if (r in counts.index and c in counts.columns) else 0
            rows.append({"row_category": r, "row_label": rlab, "col_category": c, "col_label": clab, "count": n})
    table = pd.DataFrame(rows)
    table.insert(0, "col_question", col_q)
    table.insert(0, "row_question", row_q)
    table["row_base"] = table.groupby("row_category", sort=False)["count"].transform("sum")
    table["col_base"] = table.groupby("col_category", sort=False)["count"].transform("sum")
    table["base"] = int(table["count"].sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        table["percent"] = np.where(
            table["row_base"] > 0, 100 * table["count"] / table["row_base"].clip(lower=1), np.nan
        )
    table.attrs["kind"] = "crosstab"
    table.attrs["question_id"] = f"{row_q} by {col_q}"
    return table
