"""Tabulation: counts, bases, Wilson intervals and report-style wording."""

import pandas as pd
import pytest

from adass_survey.core.codebook import load_codebook
from adass_survey.tables.tabulate import (
    MISSING,
    UNCODED,
    crosstab,
    figure_with_base,
    format_count_percent,
    frequency_table,
    multi_table,
    round_half_up,
    theme_table,
)


@pytest.fixture(scope="module")
def cb():
    return load_codebook()


def test_frequency_table_counts_base_and_missing(cb):
    df = pd.DataFrame({"individual_accounting": ["yes"] * 44 + ["no"] * 13 + [None]})
    t = frequency_table(df, "individual_accounting", cb)
    assert t.set_index("category")["count"].to_dict() == {"yes": 44, "no": 13, MISSING: 1}
    assert set(t["base"]) == {58}
    assert round_half_up(t.set_index("category").at["yes", "percent"]) == 76
    answered = frequency_table(df, "individual_accounting", cb, include_missing=False)
    assert MISSING not in set(answered["category"]) and set(answered["base"]) == {57}


def test_frequency_table_likert_keeps_scale_order_and_zero(cb):
    df = pd.DataFrame({"market_rating": ["2"] * 4 + ["3"] * 46 + ["4"] * 7 + ["5"]})
    t = frequency_table(df, "market_rating", cb, include_missing=False)
    assert t["category"].tolist() == ["1", "2", "3", "4", "5"]
    assert t["count"].tolist() == [0, 4, 46, 7, 1]
    assert [format_count_percent(c, b) for c, b in zip(t["count"], t["base"])][2] == "46 (79%)"


def test_frequency_table_bands_and_unknown_codes(cb):
    df = pd.DataFrame({"take_up_band": ["below_60"] * 29 + ["60_or_above"] * 23 + ["insufficient"] * 6})
    t = frequency_table(df, "take_up", cb)
    assert t.set_index("category")["count"].to_dict()["below_60"] == 29
    with pytest.raises(ValueError, match="not in the codebook"):
        frequency_table(pd.DataFrame({"strategy": ["maybe"]}), "strategy", cb)


def test_wilson_interval_is_within_bounds_and_contains_estimate(cb):
    df = pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6})
    t = frequency_table(df, "dp_restrictions", cb, include_missing=False).set_index("category")
    assert 0 <= t.at["no", "ci_low"] < t.at["no", "percent"] < t.at["no", "ci_high"] <= 100
    assert round_half_up(t.at["yes", "ci_low"]) == 79 and round_half_up(t.at["yes", "ci_high"]) == 95


def test_multi_table_base_is_respondents_who_ticked(cb):
    q = cb["advisory_user_groups"]
    df = pd.DataFrame({q.multi_column(o.code): [True, True, False] for o in q.options})
    df.loc[1, q.multi_column("carers")] = False
    t = multi_table(df, "advisory_user_groups", cb).set_index("category")
    assert t.at["carers", "count"] == 1 and t.at["older_people", "count"] == 2
    assert set(t["base"]) == {2}
    assert t.attrs["kind"] == "binary"


def test_theme_table_reports_uncoded_and_uses_answered_base(cb):
    themes = pd.DataFrame(
        {
            "respondent_id": [1, 1, 2, 3],
            "question_id": "risk_management",
            "theme": ["risk_panels", "safeguarding", "risk_panels", "safeguarding"],
        }
    )
    resp = pd.DataFrame({"respondent_id": [1, 2, 3, 4, 5]})
    t = theme_table(themes, resp, "risk_management", cb).set_index("category")
    assert t.at["risk_panels", "count"] == 2 and t.at[UNCODED, "count"] == 0
    assert set(t["base"]) == {3}
    t2 = theme_table(themes, resp[resp.respondent_id != 1], "risk_management", cb).set_index("category")
    assert t2.at["risk_panels", "count"] == 1 and set(t2["base"]) == {2}


def test_crosstab_long_format_margins(cb):
    df = pd.DataFrame(
        {"council_type": ["county"] * 3 + ["unitary"] * 2, "on_target": ["yes", "yes", "no", "yes", None]}
    )
    t = crosstab(df, "council_type", "on_target", cb)
    cell = t[(t.row_category == "county") & (t.col_category == "no")].iloc[0]
    assert cell["count"] == 1 and cell["row_base"] == 3 and cell["base"] == 4
    assert t["count"].sum() == 4


@pytest.mark.parametrize(
    "count,base,expected", [(55, 58, "55 (95%)"), (29, 58, "29 (50%)"), (1, 8, "1 (13%)"), (23, 58, "23 (40%)")]
)
def test_format_count_percent_rounds_half_up(count, base, expected):
    assert format_count_percent(count, base) == expected


def test_figure_with_base():
    assert figure_with_base(52, 58, "councils") == "52 of 58 councils (90%, 95% CI 79% to 95%)"
    assert figure_with_base(58, 58, "councils").startswith("58 of 58 councils (100%, 95% CI 94% to 100%)")
