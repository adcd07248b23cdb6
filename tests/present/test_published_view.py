"""Charts of printed counts: the report's numbers on the report's base, never suppressed."""

from __future__ import annotations

import pytest

from adass_survey.present.published_view import published_table, published_view
from adass_survey.published.figures import load_figures


def test_counts_and_base_are_the_printed_ones():
    figures = load_figures().set_index("id")
    ids = ["F10-08", "F10-10", "F10-11", "F10-12", "F10-07"]
    table = published_table(ids)
    assert table["count"].tolist() == [int(figures.loc[i, "count"]) for i in ids]
    assert set(table["base"]) == {int(figures.loc["F10-08", "base"])}
    assert table.loc[0, "percent"] == pytest.approx(100 * table.loc[0, "count"] / table.loc[0, "base"])


def test_small_printed_counts_are_shown_not_suppressed():
    out = published_view(["F09-01"], "Most monitor outcomes")
    html = out._repr_html_()
    assert "[c]" not in html and "55 (95%)" in html


def test_vague_figures_and_mixed_bases_are_refused():
    with pytest.raises(ValueError, match="F10-09"):
        published_table(["F10-08", "F10-09"])
    with pytest.raises(ValueError, match="must share one"):
        published_table(["F10-02", "F10-08"])
