"""The cohort against the 2011 frame: counts, response rates, the council-type reconciliation."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from adass_survey.processed.survey import load_survey
from adass_survey.published.figures import load_figures, load_frame
from adass_survey.report.cohort import (
    ENGLAND,
    cohort_table,
    council_type_reconciliation,
    rates_view,
    reconciliation_view,
    response_rate_chart,
    response_rates,
    table_view,
)
from adass_survey.tables.tabulate import round_half_up


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def fake(regions, types):
    return SimpleNamespace(respondents=pd.DataFrame({"region": regions, "council_type": types}))


def test_region_counts_are_the_published_ones(survey):
    table = cohort_table(survey, "region").set_index("category")
    figures = load_figures()
    printed = figures[figures["question"] == "region"].set_index("category")["count"].astype(int)
    assert table["respondents"].to_dict() == printed.to_dict()
    frame = load_frame().groupby("region")["councils"].sum()
    assert table["councils"].to_dict() == frame.astype(int).to_dict()
    assert table["share"].sum() == pytest.approx(100)


def test_london_rate_is_10_of_33(survey):
    rates = response_rates(survey, "region").set_index("category")
    assert (rates.at["london", "respondents"], rates.at["london", "councils"]) == (10, 33)
    assert round_half_up(rates.at["london", "rate"]) == 30
    assert rates.at["london", "ci_low"] < 30 < rates.at["london", "ci_high"]
    assert (rates.at[ENGLAND, "respondents"], rates.at[ENGLAND, "councils"]) == (58, 152)
    assert round_half_up(rates.at[ENGLAND, "rate"]) == 38  # erratum E02: printed 33%


def test_rates_follow_the_data_not_a_fixed_table():
    regions = ["london"] * 3 + ["north_east"] * 6
    types = ["london_borough"] * 3 + ["unitary"] * 6
    rates = response_rates(fake(regions, types), "region").set_index("category")
    assert rates.at["north_east", "rate"] == pytest.approx(100 * 6 / 12)
    assert rates.at["london", "rate"] == pytest.approx(100 * 3 / 33)
    assert rates.at["south_west", "respondents"] == 0
    assert rates.at[ENGLAND, "respondents"] == 9
    by_type = response_rates(fake(regions, types), "council_type", england=False).set_index("category")
    assert by_type.at["unitary", "rate"] == pytest.approx(100 * 6 / 56)
    assert ENGLAND not in by_type.index


def test_type_rates_use_the_erratum_reading(survey):
    rates = response_rates(survey, "council_type", england=False).set_index("category")
    assert rates["respondents"].to_dict() == {"london_borough": 10, "county": 17, "metropolitan": 7, "unitary": 24}
    assert round_half_up(rates.at["county", "rate"]) == 63
    assert round_half_up(rates.at["metropolitan", "rate"]) == 19
    assert "E01" in rates.at["county", "basis"]


def test_refuses_bad_dimension_and_impossible_counts():
    with pytest.raises(ValueError, match="by must be"):
        cohort_table(fake(["london"], ["london_borough"]), "council")
    with pytest.raises(ValueError, match="only 12 councils"):
        cohort_table(fake(["north_east"] * 13, ["unitary"] * 13), "region")
    with pytest.raises(ValueError, match="not in the 2011 frame"):
        cohort_table(fake(["atlantis"], ["unitary"]), "region")


def test_reconciliation_published_and_read():
    table = council_type_reconciliation().set_index("category")
    assert table["published"].to_dict() == {
        "london_borough": 10,
        "county": 17,
        "metropolitan": 7,
        "unitary": 34,
        "total": 68,
    }
    assert table["read"].to_dict() == {
        "london_borough": 10,
        "county": 17,
        "metropolitan": 7,
        "unitary": 24,
        "total": 58,
    }
    assert table.at["total", "councils"] == 152
    assert "68" in table.attrs["erratum"]


def test_reconciliation_reads_from_figures(tmp_path, monkeypatch):
    figures = load_figures()
    figures.loc[figures["id"] == "F01-16", "count"] = 30
    monkeypatch.setattr("adass_survey.report.cohort.load_figures", lambda: figures)
    table = council_type_reconciliation().set_index("category")
    assert table.at["unitary", "read"] == 20 and table.at["total", "published"] == 64


def test_chart_sorted_with_intervals_and_alt_text(survey):
    chart = response_rate_chart(survey, "region", "West Midlands councils responded most")
    try:
        labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
        assert labels[0] == "West Midlands" and len(labels) == 9
        assert chart.n == 152 and chart.table.is_published
        assert "London: 10 of 33 councils (30%" in chart.alt_text
        assert chart.table.display["Region"].iloc[-1] == "England"
    finally:
        plt.close(chart.figure)


def test_table_views_have_caption_and_text(survey):
    text = repr(rates_view(survey, "council_type"))
    assert "County council | 17 | 27 | 63%" in text
    html = table_view(pd.DataFrame({"A": ["x<y"], "B": [1]}), "Cap", ["note"])._repr_html_()
    assert "<caption>Cap</caption>" in html and "x&lt;y" in html and 'scope="row"' in html


def test_reconciliation_view_shows_both_totals():
    text = repr(reconciliation_view())
    assert "Borough/unitary (as printed) | 34 | Unitary council | 24 | 56" in text
    assert "Total | 68 | Total | 58 | 152" in text
