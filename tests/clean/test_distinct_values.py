"""Cleaning and coding work on distinct values: the result must equal answer-by-answer processing."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from adass_survey.clean.classify import Verdict
from adass_survey.clean.respondents import _take_text
from adass_survey.coding.themes import code_answers, code_text
from adass_survey.core.codebook import load_codebook

CB = load_codebook()
QUESTION = CB["risk_management"]
EXAMPLES = [e for theme in QUESTION.frame for e in theme.examples]
# spellings of one answer that fold to the same text: spacing, curly quotes, dashes, case
VARIANTS = [
    lambda t: t,
    lambda t: "  " + t.replace(" ", "   ") + " ",
    lambda t: t.replace("'", "\u2019").replace("-", "\u2013"),
    lambda t: t.upper(),
    lambda t: t.replace(" ", "\u00a0"),
]
answer = st.one_of(
    st.builds(
        lambda i, v: VARIANTS[v](EXAMPLES[i]), st.integers(0, len(EXAMPLES) - 1), st.integers(0, len(VARIANTS) - 1)
    ),
    st.sampled_from(["", "   ", "n/a", "zzz"]),
    st.none(),
    st.text(max_size=30),
)


@given(st.lists(answer, min_size=1, max_size=40))
def test_coding_a_column_equals_coding_each_answer_alone(texts):
    column = pd.Series(texts, dtype=object)
    whole = code_text(column, QUESTION, CB.missing_values)
    alone = pd.concat([code_text(column.iloc[[i]], QUESTION, CB.missing_values) for i in range(len(column))])
    pd.testing.assert_frame_equal(whole, alone)


def test_spellings_of_one_answer_are_coded_alike():
    text = "We use a risk-enablement panel and the person's own plan"
    column = pd.Series([variant(text) for variant in VARIANTS])
    matrix = code_text(column, QUESTION, CB.missing_values).to_numpy()
    assert matrix.any(axis=1).all()
    assert (matrix == matrix[0]).all()


def test_theme_rows_are_text_columns_in_question_order():
    frame = pd.DataFrame(
        {
            "respondent_id": [5, 6],
            "risk_management": ["We use a risk matrix", "zzz"],
            "accounting_transition": ["", "nothing planned"],
        }
    )
    themes = code_answers(frame, CB)
    assert str(themes["question_id"].dtype) == "str" and str(themes["theme"].dtype) == "str"
    assert themes["question_id"].tolist()[0] == "risk_management"
    assert themes.loc[themes["respondent_id"] == 6, "theme"].tolist()[0] == "uncoded"


def test_take_text_spreads_distinct_values_and_keeps_missing():
    verdicts = [Verdict(value="a"), Verdict(value=None), Verdict(value="b"), Verdict()]
    codes = np.array([2, 0, 1, -1, 2])
    column = _take_text(verdicts, codes, np.nan, pd.RangeIndex(5))
    assert str(column.dtype) == "str"
    assert column.tolist()[:3] == ["b", "a", column.tolist()[2]] and column.isna().tolist() == [
        False,
        False,
        True,
        True,
        False,
    ]
    assert _take_text(verdicts, codes, "", pd.RangeIndex(5)).tolist() == ["b", "a", "", "", "b"]
