"""Charts: drawn by seaborn from the tidy frame; statement title, base, direct labels, [c] bars, AF palette, alt text."""

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from afcharts.af_colours import get_af_colours

from adass_survey.disclosure.policy import DisclosurePolicy
from adass_survey.present import plot
from adass_survey.present.display import banner, headline, section_header, show_chart
from adass_survey.present.plot import bar_chart, chart_frame, likert_chart, theme_chart
from adass_survey.tables.tabulate import frequency_table, theme_table

AF = {c.lower() for p in ("categorical", "sequential", "duo", "focus") for c in get_af_colours(p)}


def _texts(chart):
    return [t.get_text() for t in chart.figure.axes[0].texts]


def _bar_colours(chart):
    patches = chart.figure.axes[0].patches
    return {mcolors.to_hex(p.get_facecolor()).lower() for p in patches if p.get_alpha() in (None, 1)}


@pytest.fixture
def restrictions():
    df = pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6})
    return DisclosurePolicy().suppress(frequency_table(df, "dp_restrictions", include_missing=False))


def test_bar_chart_title_base_labels_and_palette(restrictions):
    chart = bar_chart(restrictions, "Nine in ten councils restrict direct payments", n=58)
    ax = chart.figure.axes[0]
    title = chart.figure._suptitle
    assert title.get_text().replace("\n", " ") == "Nine in ten councils restrict direct payments"
    assert title.get_position()[0] < 0.05 and title.get_horizontalalignment() == "left"  # figure's left edge
    assert "n = 58" in _texts(chart)
    assert "52 (90%)" in _texts(chart) and "6 (10%)" in _texts(chart)
    assert ax.get_legend() is None
    assert _bar_colours(chart) <= AF and _bar_colours(chart)


def test_suppressed_bar_has_no_length_and_says_hidden():
    df = pd.DataFrame({"on_target": ["yes"] * 50 + ["no"] * 2 + [None] * 6})
    table = DisclosurePolicy().suppress(frequency_table(df, "on_target"))
    chart = bar_chart(table, "Most are on target", n=58)
    ax = chart.figure.axes[0]
    assert _texts(chart).count(plot.HIDDEN_LABEL) == (table.display["Councils"] == "[c]").sum() >= 2
    widths = {round(p.get_y() + p.get_height() / 2): p.get_width() for p in ax.patches}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    for y, label in enumerate(labels):
        hidden = table.display.set_index("Answer").at[label, "Councils"] == "[c]"
        assert (widths[y] == 0) == hidden, (label, widths[y])
    assert widths[labels.index("Yes")] > 80
    assert "[c]" in chart.alt_text


def test_suppressed_segment_of_a_stacked_rating_has_no_length():
    df = pd.DataFrame({"market_rating": ["2"] * 3 + ["3"] * 46 + ["4"] * 9})
    table = DisclosurePolicy().suppress(frequency_table(df, "market_rating", include_missing=False))
    chart = likert_chart(table, "Most rate supply fair", n=58, kind="stacked")
    hidden = set(table.values.loc[table.values["count"].isna(), "label"])
    assert hidden
    spans = [p.get_width() for p in chart.figure.axes[0].patches]
    assert max(spans) <= 100.0 + 1e-9
    assert chart_frame(table).loc[chart_frame(table)["suppressed"], "bar"].eq(0).all()


def test_alt_text_mentions_every_category(restrictions):
    chart = bar_chart(restrictions, "Most restrict", n=58)
    for label in restrictions.values["label"]:
        assert label in chart.alt_text
    assert "58" in chart.alt_text
    assert bar_chart(restrictions, "x", n=58, alt_text="Custom").alt_text == "Custom"


def test_error_bars_optional(restrictions):
    plain = bar_chart(restrictions, "t", n=58)
    with_ci = bar_chart(restrictions, "t", n=58, error_bars=True)
    assert len(with_ci.figure.axes[0].collections) > len(plain.figure.axes[0].collections)


def test_likert_chart_scale_order_and_sequential_palette():
    df = pd.DataFrame({"market_rating": ["2"] * 4 + ["3"] * 46 + ["4"] * 7 + ["5"]})
    st = DisclosurePolicy().published(frequency_table(df, "market_rating", include_missing=False))
    chart = likert_chart(st, "Most councils rate local supply good", n=58)
    ticks = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert ticks == ["Poor", "Average", "Good", "Very good", "Excellent"]
    assert "46 (79%)" in _texts(chart)
    assert _bar_colours(chart) <= {c.lower() for c in get_af_colours("sequential")}
    stacked = likert_chart(st, "Most councils rate local supply good", n=58, kind="stacked")
    assert any(t.startswith("Good: 46 (79%)") for t in _texts(stacked))


def test_theme_chart_orders_by_frequency_uncoded_last():
    th = pd.DataFrame(
        {
            "respondent_id": list(range(1, 21)) + [1, 2, 3, 4, 5, 6],
            "question_id": "risk_management",
            "theme": ["safeguarding"] * 12 + ["risk_panels"] * 8 + ["uncoded"] * 6,
        }
    )
    resp = pd.DataFrame({"respondent_id": range(1, 30)})
    st = DisclosurePolicy().suppress(theme_table(th, resp, "risk_management"))
    chart = theme_chart(st, "Safeguarding is cited most", n=20)
    ticks = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert ticks[0].startswith("Safeguarding") and ticks[-1].startswith("Answer not matched")


def test_show_chart_html_has_figure_img_alt_caption_and_table(restrictions):
    out = show_chart(bar_chart(restrictions, "Most restrict", n=58))
    html = out._repr_html_()
    assert html.startswith("<figure") and "<figcaption>Most restrict (n = 58)</figcaption>" in html
    assert 'src="data:image/png;base64,' in html and 'alt="Bar chart: Most restrict' in html
    assert "<table" in html and 'scope="col"' in html
    assert "<caption>" not in html and '<table class="adass-table" aria-label="' in html  # said once, by the figcaption
    assert repr(out) == "Chart: Most restrict (n = 58)"


def test_withheld_table_draws_message_not_bars():
    df = pd.DataFrame({"strategy": ["yes"] * 3})
    st = DisclosurePolicy().suppress(frequency_table(df, "strategy"))
    assert not st.shown
    chart = bar_chart(st, "Strategy", n=3)
    assert st.message.startswith("Hidden: fewer than 5") and st.message in " ".join(_texts(chart))
    assert st.message in chart.alt_text


def test_banner_headline_and_section_header_have_plain_text():
    assert "synthetic" in repr(banner()).lower() and 'role="note"' in banner()._repr_html_()
    assert repr(headline("52 of 58 councils")) == "52 of 58 councils"
    assert "<h2>7.1 Restrictions</h2>" in section_header("7.1", "Restrictions", "Any?")._repr_html_()


def test_a_long_title_wraps_to_the_figure_width_not_the_axes():
    long = "Residential care and paying family members are the exclusions most often described by councils"
    from adass_survey.tables.tabulate import frequency_table

    t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6}), "dp_restrictions")
    chart = bar_chart(t, long, n=58)
    lines = chart.figure._suptitle.get_text().split("\n")
    assert len(lines) == 2 and len(lines[0]) > 60  # about 70 characters a line at 8 inches, not a narrow column


@pytest.fixture
def barplot_calls(monkeypatch):
    """Every frame handed to seaborn.barplot while a chart is drawn."""
    calls, real = [], plot.sns.barplot

    def spy(*args, **kwargs):
        calls.append(kwargs["data"].copy())
        return real(*args, **kwargs)

    monkeypatch.setattr(plot.sns, "barplot", spy)
    return calls


def test_seaborn_draws_the_bars_from_the_tidy_frame(restrictions, barplot_calls):
    chart = bar_chart(restrictions, "Most restrict", n=58)
    assert len(barplot_calls) == 1
    drawn = barplot_calls[0]
    assert drawn["label"].tolist() == ["Yes", "No"] and drawn["value_label"].tolist() == ["52 (90%)", "6 (10%)"]
    assert [round(p.get_width(), 1) for p in chart.figure.axes[0].patches] == [89.7, 10.3]


def test_chart_frame_gives_suppressed_cells_no_length():
    df = pd.DataFrame({"on_target": ["yes"] * 50 + ["no"] * 2 + [None] * 6})
    frame = chart_frame(DisclosurePolicy().suppress(frequency_table(df, "on_target")))
    assert frame["suppressed"].tolist() == [False, True, True]
    assert frame["bar"].tolist()[1:] == [0.0, 0.0] and frame["value_label"].tolist()[1:] == ["[c]", "[c]"]


def test_stacked_likert_is_drawn_by_seaborn_in_scale_order(barplot_calls):
    df = pd.DataFrame({"market_rating": ["2"] * 4 + ["3"] * 46 + ["4"] * 7 + ["5"]})
    st = DisclosurePolicy().published(frequency_table(df, "market_rating", include_missing=False))
    chart = likert_chart(st, "Most councils rate local supply good", n=58, kind="stacked")
    assert barplot_calls, "the stacked bar is drawn with seaborn"
    segments = sorted(chart.figure.axes[0].patches, key=lambda p: p.get_width())
    assert [round(p.get_width()) for p in segments] == [0, 7, 86, 98, 100]  # running totals, scale order
    labels = [t for t in _texts(chart) if ":" in t]
    assert [t.split(":")[0] for t in labels] == ["Poor", "Average", "Good", "Very good", "Excellent"]


def test_value_labels_clear_the_interval_when_error_bars_are_drawn(restrictions):
    chart = bar_chart(restrictions, "t", n=58, error_bars=True)
    label = next(t for t in _texts_objects(chart) if t.get_text() == "6 (10%)")
    assert label.get_position()[0] > restrictions.values["ci_high"].iloc[1]


def _texts_objects(chart):
    return list(chart.figure.axes[0].texts)


def _every_kind(restrictions):
    ratings = pd.DataFrame({"market_rating": ["2"] * 4 + ["3"] * 46 + ["4"] * 7 + ["5"]})
    rating = frequency_table(ratings, "market_rating", include_missing=False)
    long = "A statement title long enough to need three lines on a phone's chart, and then some more words"
    withheld = DisclosurePolicy().suppress(
        frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 3}), "dp_restrictions", include_missing=False)
    )
    themes = pd.DataFrame(
        {
            "respondent_id": range(1, 21),
            "question_id": "risk_management",
            "theme": ["risk_panels"] * 12 + ["safeguarding"] * 8,
        }
    )
    return [
        bar_chart(restrictions, long, n=58, error_bars=True),
        theme_chart(theme_table(themes, pd.DataFrame({"respondent_id": range(1, 21)}), "risk_management"), long, n=20),
        likert_chart(rating, "Most rate supply good", n=58),
        likert_chart(rating, "Most rate supply good", n=58, kind="stacked"),
        bar_chart(withheld, "Too few to show", n=3),
    ]


def test_every_chart_has_a_phone_layout_whose_text_reads_at_12_px(restrictions):
    from io import BytesIO

    from PIL import Image

    from adass_survey.present.png import TEXT_SIZE_KEY, smallest_text_pt

    for chart in _every_kind(restrictions):
        narrow = Image.open(BytesIO(chart.narrow_png_bytes()))
        wide = Image.open(BytesIO(chart.png_bytes()))
        # The image is no wider than the layout (nothing drawn outside it), so a 390 px phone shows it whole.
        assert narrow.width <= plot.NARROW_WIDTH * plot.NARROW_DPI + 2 < wide.width
        assert smallest_text_pt(chart.narrow()) >= 12
        assert float(narrow.text[TEXT_SIZE_KEY]) * min(1, 358 / narrow.width) >= 12  # 358 px: a 390 px phone's column
        assert float(wide.text[TEXT_SIZE_KEY]) * 358 / wide.width < 12  # what the page's chart gave a phone


def test_phone_layout_puts_each_label_above_its_bar(restrictions):
    fig = bar_chart(restrictions, "Most restrict", n=58).narrow()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == []
    labels = {t.get_text(): t for t in ax.texts}
    bars = sorted((p for p in ax.patches if p.get_width() > 0), key=lambda p: p.get_y())
    for name, bar in zip(["Yes", "No"], bars):
        assert labels[name].get_position()[1] <= bar.get_y() and labels[name].get_verticalalignment() == "bottom"


def test_chart_html_offers_the_phone_layout_to_narrow_screens_only(restrictions):
    from adass_survey.present.display import NARROW_MEDIA, chart_html

    html = chart_html(bar_chart(restrictions, "Most restrict", n=58))
    assert html.count("<picture><source ") == 1 and f'media="{NARROW_MEDIA}"' in html
    assert html.index("<source ") < html.index("<img ") < html.index("</picture>") < html.index("<table")
