"""Code free-text answers into the themes of the codebook's coding frames.

Each theme of a ``text`` question's ``frame`` carries ``patterns``: regular expressions searched
case-insensitively (word boundaries and negations are written into the patterns themselves, e.g.
``(?<!no )anecdotal``). An answer is coded to every theme one of whose patterns it contains
(multi-label); a non-blank answer that matches no theme is coded ``uncoded``; a blank answer is not
coded at all.

The coder is vectorised: one compiled regular expression per theme, applied with
``Series.str.contains`` to the *distinct* answers only, then mapped back to every row. A million
answers drawn from a few thousand distinct texts code in about a second.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..core.codebook import Codebook, Question

UNCODED = "uncoded"

# Typographic characters a word processor puts into pasted answers, folded before matching so
# patterns only need the plain ASCII forms.
_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)

THEME_COLUMNS = ["respondent_id", "question_id", "theme"]


def theme_regex(patterns: Iterable[str]) -> re.Pattern | None:
    """Compile a theme's patterns into one case-insensitive regular expression.

    Parameters
    ----------
    patterns : the theme's regular expressions (alternatives)

    Returns
    -------
    re.Pattern or None
        ``None`` when the theme has no patterns (it can then never match).

    Examples
    --------
    >>> bool(theme_regex([r"\\bRAP\\b", r"statutory return"]).search("We use the rap return"))
    True
    >>> theme_regex([]) is None
    True
    """
    patterns = [p for p in patterns if p]
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def fold_text(texts: pd.Series) -> pd.Series:
    """Fold curly quotes, dashes and non-breaking spaces to ASCII and collapse white space.

    Examples
    --------
    >>> fold_text(pd.Series(["people\u2019s  overall\u00a0experience"])).tolist()
    ["people's overall experience"]
    """
    folded = texts.astype("string").str.translate(_FOLD)
    return folded.str.replace(r"\s+", " ", regex=True).str.strip()


def _blank_mask(folded: pd.Series, missing_values: Iterable[str]) -> np.ndarray:
    missing = {m.strip().lower() for m in missing_values}
    blank = folded.isna() | (folded.fillna("") == "")
    if missing:
        blank |= folded.fillna("").str.lower().isin(missing)
    return blank.to_numpy(dtype=bool)


def code_text(texts: pd.Series, question: Question, missing_values: Iterable[str] = ()) -> pd.DataFrame:
    """Code the answers to one text question into a boolean theme matrix.

    Parameters
    ----------
    texts : answers (strings; NA or empty means no answer)
    question : a ``text`` question of the codebook, with its ``frame``
    missing_values : answers that count as blank (e.g. the codebook's ``missing_values``), compared
        after trimming and lower-casing

    Returns
    -------
    pandas.DataFrame
        Same index as ``texts``; one boolean column per theme in frame order plus ``uncoded``.
        A blank answer is ``False`` everywhere.

    Examples
    --------
    >>> from adass_survey.core.codebook import Question, Theme
    >>> q = Question("q", "text", "Why?", frame=(Theme("cost", "Cost", (r"\\bcosts?\\b",)),))
    >>> code_text(pd.Series(["The cost", "no idea", ""]), q).to_dict("list")
    {'cost': [True, False, False], 'uncoded': [False, True, False]}
    """
    if not question.frame:
        raise ValueError(f"question '{question.id}' has no coding frame")
    codes = [t.code for t in question.frame]
    raw_index, raw_uniques = pd.factorize(pd.Series(texts), use_na_sentinel=True)
    folded_index, uniques = pd.factorize(fold_text(pd.Series(raw_uniques, dtype="object")), use_na_sentinel=True)
    # distinct raw answers are folded (and then matched) once each; every row points at its folded text
    uniques_index = np.where(raw_index >= 0, np.append(folded_index, -1)[raw_index], -1)
    unique_texts = pd.Series(uniques, dtype="string")
    matrix = np.zeros((len(unique_texts), len(codes)), dtype=bool)
    for j, theme in enumerate(question.frame):
        regex = theme_regex(theme.patterns)
        if regex is not None and len(unique_texts):
            with warnings.catch_warnings():  # groups in a pattern are harmless here
                warnings.filterwarnings("ignore", message="This pattern is interpreted", category=UserWarning)
                matrix[:, j] = unique_texts.str.contains(regex, na=False).to_numpy(dtype=bool)
    unique_blank = _blank_mask(unique_texts, missing_values)
    matrix[unique_blank, :] = False
    uncoded = ~matrix.any(axis=1) & ~unique_blank
    unique_matrix = np.column_stack([matrix, uncoded])
    rows = np.zeros((len(uniques_index), len(codes) + 1), dtype=bool)
    present = uniques_index >= 0
    rows[present] = unique_matrix[uniques_index[present]]
    return pd.DataFrame(rows, index=texts.index, columns=[*codes, UNCODED])


def code_answers(respondents: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Code every text question of a respondent table into tidy (respondent, question, theme) rows.

    Parameters
    ----------
    respondents : one row per respondent with a ``respondent_id`` column and one column per text
        question (named by question id) holding the raw answer
    codebook : the questionnaire; every ``text`` question present in ``respondents`` is coded

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id, question_id, theme``: one row per respondent x question x matched
        theme; ``uncoded`` for a non-blank answer that matches no theme; no row for a blank answer.
        Ordered by question (codebook order), respondent (input order), theme (frame order).

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({"respondent_id": [1, 2, 3],
    ...                    "risk_management": ["We use a risk matrix", "zzz", ""]})
    >>> code_answers(df, cb).values.tolist()
    [[1, 'risk_management', 'risk_matrix'], [2, 'risk_management', 'uncoded']]
    """
    pieces = []
    ids = respondents["respondent_id"].to_numpy()
    for question_id, themes, row_pos, theme_pos in _theme_positions(respondents, codebook):
        # text columns are taken from tiny ``str`` arrays: no Python string object per theme row
        pieces.append(
            pd.DataFrame(
                {
                    "respondent_id": ids[row_pos],
                    "question_id": pd.array([question_id], dtype="str").take(np.zeros(len(row_pos), dtype=np.intp)),
                    "theme": pd.array(themes, dtype="str").take(theme_pos),
                }
            )
        )
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in THEME_COLUMNS})
    return pd.concat(pieces, ignore_index=True)[THEME_COLUMNS]


def _theme_positions(respondents: pd.DataFrame, codebook: Codebook):
    """Per coded text question: its id, its theme codes and the (row, theme) positions of the matches."""
    for question in codebook.of_type("text"):
        if question.id not in respondents.columns or not question.frame:
            continue
        matrix = code_text(respondents[question.id], question, codebook.missing_values)
        row_pos, theme_pos = np.nonzero(matrix.to_numpy())
        yield question.id, list(matrix.columns), row_pos, theme_pos


def theme_table(respondents: pd.DataFrame, codebook: Codebook):
    """The rows of :func:`code_answers` as a pyarrow table whose text columns are dictionary-encoded.

    The same rows in the same order, for writing (``pyarrow.csv.write_csv`` writes the same text
    as for :func:`code_answers`'s frame): ``question_id`` and ``theme`` are small integers pointing
    at the few distinct codes, so the tens of millions of theme rows of a big export cost no string
    per row and no pandas frame.

    Parameters
    ----------
    respondents : as for :func:`code_answers`
    codebook : the questionnaire

    Returns
    -------
    pyarrow.Table
        Columns ``respondent_id`` (int64), ``question_id`` and ``theme`` (dictionary of strings).

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({"respondent_id": [1, 2, 3],
    ...                    "risk_management": ["We use a risk matrix", "zzz", ""]})
    >>> table = theme_table(df, cb)
    >>> table.to_pydict()
    {'respondent_id': [1, 2], 'question_id': ['risk_management', 'risk_management'], 'theme': ['risk_matrix', 'uncoded']}
    >>> table.to_pandas(types_mapper=None).astype(str).equals(code_answers(df, cb).astype(str))
    True
    """
    import pyarrow as pa

    ids = respondents["respondent_id"].to_numpy(dtype=np.int64)
    question_ids: list[str] = []
    theme_codes: dict[str, int] = {}
    rows, questions, themes = [], [], []
    for question_id, codes, row_pos, theme_pos in _theme_positions(respondents, codebook):
        global_code = np.array([theme_codes.setdefault(c, len(theme_codes)) for c in codes], dtype=np.int32)
        rows.append(ids[row_pos])
        questions.append(np.full(len(row_pos), len(question_ids), dtype=np.int32))
        themes.append(global_code[theme_pos])
        question_ids.append(question_id)

    def column(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    def coded(indexes: np.ndarray, values: list[str]) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(
            pa.array(indexes, type=pa.int32()), pa.array(values, type=pa.large_string())
        )

    return pa.table(
        {
            "respondent_id": pa.array(column(rows, np.int64), type=pa.int64()),
            "question_id": coded(column(questions, np.int32), question_ids),
            "theme": coded(column(themes, np.int32), list(theme_codes)),
        }
    )


def theme_counts(themes: pd.DataFrame, question_id: str, codebook: Codebook | None = None) -> pd.DataFrame:
    """Count respondents per theme of one question.

    Parameters
    ----------
    themes : tidy theme rows as returned by :func:`code_answers`
    question_id : the text question to count
    codebook : if given, every theme of the question's frame is listed (zero counts included) in
        frame order, followed by ``uncoded``; otherwise themes present are listed, most frequent first

    Returns
    -------
    pandas.DataFrame
        Columns ``theme`` and ``count`` (number of distinct respondents coded to the theme).

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": [1, 1, 2], "question_id": "q", "theme": ["a", "b", "a"]})
    >>> theme_counts(t, "q").values.tolist()
    [['a', 2], ['b', 1]]
    """
    rows = themes.loc[themes["question_id"] == question_id, ["respondent_id", "theme"]].drop_duplicates()
    counts = rows.groupby("theme").size()
    if codebook is None:
        counts = counts.sort_values(ascending=False, kind="stable")
        return counts.rename("count").reset_index()
    order = [t.code for t in codebook[question_id].frame] + [UNCODED]
    counts = counts.reindex(order, fill_value=0)
    return counts.rename_axis("theme").rename("count").reset_index()
