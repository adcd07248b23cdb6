"""Agreement of the coder with an independent hand-coding of the report's verbatim quotes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from adass_survey.core.codebook import load_codebook
from adass_survey.published.figures import load_handcoded_quotes
from adass_survey.report.agreement import POOLED, agreement_by_frame, decisions

CB = load_codebook()
# Landis and Koch call 0.61-0.80 "substantial" agreement; a keyword coder that cannot read meaning
# should still reach the bottom of that band on short, plain answers, and anything lower would make
# the published theme counts it reproduces untrustworthy on a real export.
KAPPA_FLOOR = 0.6


@pytest.fixture(scope="module")
def table():
    return agreement_by_frame(load_handcoded_quotes(), CB).set_index("question_id")


def test_pooled_kappa_is_above_the_floor(table):
    pooled = table.loc[POOLED]
    assert pooled["n"] >= 100, "too few decisions to measure agreement"
    assert pooled["kappa"] >= KAPPA_FLOOR, f"pooled kappa {pooled['kappa']:.2f} below {KAPPA_FLOOR}"


def test_table_accounts_for_every_quote_and_decision(table):
    gold = load_handcoded_quotes()
    frames = table.drop(index=POOLED)
    assert frames["quotes"].sum() == len(gold) == table.loc[POOLED, "quotes"]
    expected_n = sum(len(CB[q].frame) for q in gold["question_id"])
    assert table.loc[POOLED, "n"] == frames["n"].sum() == expected_n
    assert ((0 <= table["percent_agreement"]) & (table["percent_agreement"] <= 100)).all()


def test_disagreement_lowers_kappa_and_agreement():
    gold = pd.DataFrame(
        {
            "quote_id": ["a", "b", "c"],
            "question_id": ["risk_management"] * 3,
            "quote": ["We use a risk matrix.", "Safeguarding applies.", "A risk panel meets."],
            "themes": ["risk_matrix", "risk_matrix", "risk_panels"],
        }
    )
    pooled = agreement_by_frame(gold, CB).set_index("question_id").loc[POOLED]
    assert pooled["kappa"] < 1 and pooled["percent_agreement"] < 100
    assert pooled["human_positive"] == 3 and pooled["coder_positive"] == 3


def test_all_negative_frame_has_undefined_kappa():
    gold = pd.DataFrame({"quote_id": ["a"], "question_id": ["risk_management"], "quote": ["nothing"], "themes": [""]})
    row = agreement_by_frame(gold, CB).iloc[0]
    assert math.isnan(row["kappa"]) and row["percent_agreement"] == 100


def test_unknown_theme_is_refused():
    gold = pd.DataFrame({"quote_id": ["a"], "question_id": ["risk_management"], "quote": ["x"], "themes": ["nonsense"]})
    with pytest.raises(ValueError, match="nonsense"):
        decisions(gold, CB)


def test_view_shows_every_frame_pooled_kappa_and_undefined_kappa_in_words(table):
    from adass_survey.report.agreement import agreement_view

    text = repr(agreement_view())
    rows = text.splitlines()[2 : 2 + len(table)]
    assert len(rows) == len(table) and rows[-1].startswith("All frames")
    assert rows[-1].endswith(f"{table.loc[POOLED, 'kappa']:.2f}")
    undefined = table["kappa"].isna().sum()
    assert sum(r.endswith("not defined") for r in rows) == undefined
    assert "nan" not in text.lower().split()
