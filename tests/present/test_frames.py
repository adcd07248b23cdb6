"""A data frame a notebook shows is valid, accessible HTML: every header cell scoped, no style block, no valign."""

from __future__ import annotations

import re

import pandas as pd

from adass_survey.present.frames import frame_html


def test_every_header_cell_of_a_two_level_frame_is_scoped_and_nothing_old_is_left() -> None:
    rows = pd.MultiIndex.from_tuples([("12.1", "F02-05"), ("12.1", "F04-27"), ("12.2", "F04-15")], names=["m", "f"])
    columns = pd.MultiIndex.from_tuples([("base", "n"), ("base", "%")])
    html = frame_html(pd.DataFrame([[1, 2], [3, 4], [5, 6]], index=rows, columns=columns))
    cells = re.findall(r"<th(?=[\s>])[^>]*>", html)
    assert cells and all(re.search(r'scope="(col|row)(group)?"', c) for c in cells), cells
    assert '<th scope="rowgroup" rowspan="2">12.1</th>' in html
    assert '<th scope="colgroup" colspan="2">base</th>' in html
    head = html.split("<tbody>")[0]
    assert 'scope="row' not in head and 'scope="col' not in html.split("<tbody>")[1]
    for old in ("<style", "valign=", "halign=", "border="):
        assert old not in html, old


def test_a_long_frame_is_cut_as_pandas_cuts_it() -> None:
    with pd.option_context("display.max_rows", 10, "display.min_rows", 4):
        html = frame_html(pd.DataFrame({"n": range(100)}))
    assert html.count("<tr>") < 12 and "..." in html
