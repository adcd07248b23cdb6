"""Context figures: the March 2011 survey beside September's take-up, quoted numbers, target-group bands."""

from types import SimpleNamespace

import pandas as pd
import pytest

from adass_survey.disclosure.policy import DisclosurePolicy
from adass_survey.processed.survey import load_survey
from adass_survey.published.figures import load_context, load_figures
from adass_survey.report.context_figures import (
    CONTEXT_NOTE,
    MARCH_SAMPLE,
    SEPTEMBER_SAMPLE,
    comparison_view,
    context_figures,
    context_view,
    march_2011_context,
    take_up_comparison,
    target_group_bands,
    target_group_by_type,
)


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def test_march_context_values():
    march = march_2011_context().set_index("id")
    assert march["value"].astype(int).to_dict() == {"C12": 132, "C13": 83, "C14": 27, "C15": 60}
    assert set(march["sample"]) == {MARCH_SAMPLE}


def test_march_context_refuses_missing_rows():
    context = load_context()
    with pytest.raises(ValueError, match="C13"):
        march_2011_context(context[context["id"] != "C13"])


def test_comparison_is_tidy_and_keeps_samples_apart(survey):
    table = take_up_comparison(survey)
    assert list(table.columns) == ["sample", "measure", "councils", "base", "percent", "ci_low", "ci_high", "source"]
    assert table.groupby("sample")["base"].unique().map(list).to_dict() == {MARCH_SAMPLE: [132], SEPTEMBER_SAMPLE: [58]}
    september = table[table["sample"] == SEPTEMBER_SAMPLE]
    figures = load_figures().set_index("id")
    assert september["councils"].tolist() == [int(figures.at[i, "count"]) for i in ("F02-07", "F02-08", "F02-09")]
    march = table[table["sample"] == MARCH_SAMPLE].set_index("councils")
    assert march.at[83, "percent"] == pytest.approx(100 * 83 / 132)
    assert (table["ci_low"] <= table["percent"]).all() and (table["percent"] <= table["ci_high"]).all()


def test_comparison_follows_context_and_data():
    context = load_context()
    context.loc[context["id"] == "C13", "value"] = 70.0
    respondents = pd.DataFrame({"take_up_band": ["below_60"] * 3 + ["60_or_above"] + [None]})
    table = take_up_comparison(SimpleNamespace(respondents=respondents), context)
    assert table["councils"].tolist() == [70, 27, 3, 1, 0]
    assert table["base"].tolist() == [132, 132, 5, 5, 5]


def test_comparison_view_says_not_a_trend(survey):
    text = repr(comparison_view(take_up_comparison(survey)))
    assert "not a trend" in text and "83 of 132 | 63%" in text


def test_context_figures_are_marked_as_context():
    rows = context_figures("6.2")
    assert {"C43", "C45", "C48"} <= set(rows["id"]) and set(rows["section"]) == {"6.2"}
    assert rows["kind"].str.startswith("context").all()
    assert context_figures("99").empty
    text = repr(context_view("6.2", "Training numbers quoted"))
    assert CONTEXT_NOTE in text and "| 1993 |" in text and "92 staff" in text


def test_target_group_bands_boundaries():
    sizes = [4999, 5000, 14999, 15000, None, 30000]
    bands = target_group_bands(SimpleNamespace(respondents=pd.DataFrame({"target_group_size": sizes})))
    assert bands["count"].tolist() == [1, 2, 2, 1]
    assert set(bands["base"]) == {6} and bands.attrs["kind"] == "additive"


def test_target_group_bands_are_suppressed_before_showing(survey):
    bands = target_group_bands(survey)
    assert bands["count"].sum() == len(survey.respondents)
    shown = DisclosurePolicy().suppress(bands).display
    small = bands["count"].between(1, 4)
    assert (shown.loc[small.to_numpy(), "Councils"] == "[c]").all()


def test_median_by_type_withholds_small_groups():
    respondents = pd.DataFrame(
        {
            "council_type": ["county"] * 5 + ["metropolitan"] * 2,
            "target_group_size": [15000, 16000, 18000, 21000, 30000, 8000, 9000],
        }
    )
    table = target_group_by_type(SimpleNamespace(respondents=respondents)).set_index("Council type")
    assert table.at["County council", "Median (nearest 1,000)"] == "18,000"
    assert table.at["Metropolitan council", "Median (nearest 1,000)"] == "[c]"
    assert table.at["Metropolitan council", "Councils giving a number"] == "[c]"


def test_illustrative_crosstab_is_suppressed_and_labelled():
    from adass_survey.report.context_figures import illustrative_crosstab

    respondents = pd.DataFrame(
        {"take_up_band": ["below_60"] * 8 + ["60_or_above"] * 7, "on_target": ["yes"] * 6 + ["no"] * 2 + ["yes"] * 7}
    )
    text = repr(illustrative_crosstab(SimpleNamespace(respondents=respondents), "take_up", "on_target", "T"))
    lines = text.splitlines()
    assert lines[0] == "T (illustrative, synthetic data; n = 15)"
    assert "Less than 60% | No | [c] | [c]" in lines and "Less than 60% | Yes | [c] | [c]" in lines
    assert "60% or above | Yes | 7 | 100%" in lines


def test_printed_figures_chart_in_report_order(survey):
    import matplotlib.pyplot as plt

    from adass_survey.report.context_figures import printed_figures_chart

    chart = printed_figures_chart(survey, "4.5", "cost_effectiveness", "Evidence is thin")
    try:
        shown = chart.table.display.set_index("Answer")
        figures = load_figures()
        printed = figures[figures["question"] == "cost_effectiveness"].sort_values("id")["count"].astype(int)
        assert shown["Printed"].astype(int).tolist() == printed.tolist()
        assert shown["From the data"].tolist() == shown["Printed"].tolist()
        evaluated = "Currently being evaluated or under review [E04]"
        assert shown.at[evaluated, "Percent of 58"] == "28%" and shown.at[evaluated, "Printed percent"] == "33%"
        assert shown.index[0] == "Did not respond" and chart.table.is_published
    finally:
        plt.close(chart.figure)
    with pytest.raises(ValueError, match="prints no count"):
        printed_figures_chart(survey, "5.1", "communication_channels", "x")
