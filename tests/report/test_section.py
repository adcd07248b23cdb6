"""The notebook building blocks: published figures, views, titles, caveats."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from adass_survey.present import views as present_views
from adass_survey.processed.survey import load_survey
from adass_survey.published.figures import load_errata, load_figures
from adass_survey.report import section


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def test_headlines_list_every_published_figure_of_the_section(survey):
    figures = load_figures()
    in_section = figures[figures["section"].astype(str).str.startswith("4.")]
    lines = repr(section.headlines(survey, "4")).splitlines()[1:]
    assert len(lines) == len(in_section)
    assert {line.split(" ")[1] for line in lines} == set(in_section["id"])


def test_rendering_views_leaves_no_figure_open(survey):
    views = present_views.QuestionViews(survey, "dp_restrictions", "Nine in ten restrict")
    before = len(plt.get_fignums())
    for selection in ({}, {"council_type": "county"}, {"region_group": "london"}):
        views.render(selection)
    assert len(plt.get_fignums()) == before


def test_a_panel_with_withheld_views_leaves_no_figure_open(survey):
    views = present_views.QuestionViews(survey, "streamlining", "Streamlining")  # free text: many views withheld
    before = len(plt.get_fignums())
    entry = present_views.panel_entry(views, present_views.DIMENSIONS)
    assert any("adass-withheld" in view["html"] for view in entry["views"].values())
    assert len(plt.get_fignums()) == before


def test_filtered_views_are_titled_neutrally_and_labelled_illustrative(survey):
    views = present_views.QuestionViews(survey, "individual_accounting", "Three in four account to the individual")
    national, county = views.render({}), views.render({"council_type": "county"})
    assert repr(national).startswith("Three in four account to the individual |")
    assert "Accounting down to the individual: county councils (illustrative)" in repr(county)
    assert present_views.ILLUSTRATIVE in county.html


def test_unprinted_small_categories_are_folded_so_the_printed_figure_shows(survey):
    # The report printed 55 of 58 monitor outcomes; "no" and blank were never printed and are small.
    table = present_views.QuestionViews(survey, "outcomes_monitored", "Most monitor outcomes").table({})
    assert table.is_published
    shown = dict(zip(table.values["category"], table.display["Councils"]))
    assert shown == {"yes": "55", present_views.OTHER: "3"}


def test_caveats_name_every_erratum_of_the_section():
    errata = load_errata()
    ids = errata.loc[errata["section"].astype(str).str.startswith("10"), "id"]
    text = repr(section.caveats("10"))
    assert len(ids) > 0
    assert all(f"Erratum {i} " in text for i in ids)


def test_an_answer_filter_stands_alone_and_never_filters_its_own_question(survey):
    with pytest.raises(ValueError, match="only filter of its panel"):
        present_views.QuestionViews(survey, "market_rating", "T", ("council_type", "take_up_band"))
    with pytest.raises(ValueError, match="its own answer"):
        present_views.QuestionViews(survey, "take_up", "T", ("take_up_band",))


def test_filtering_by_take_up_band_shows_the_councils_of_that_band(survey):
    views = present_views.QuestionViews(survey, "market_rating", "T", ("take_up_band",))
    below = survey.respondents["take_up_band"] == "below_60"
    assert views.plan.base({"take_up_band": "below_60"}) == int(below.sum()) == 29  # F02-07, as published
    table = views.table({"take_up_band": "below_60"})
    assert table.shown and table.base == int(survey.respondents.loc[below, "market_rating"].notna().sum())
    assert views.title_for({"take_up_band": "below_60"}).endswith("(illustrative)")
    rendered = views.render({"take_up_band": "below_60"})
    assert "Illustrative (synthetic data)" in rendered.text and 'answering "Less than 60%"' in rendered.text
