"""Every view every notebook offers, checked for disclosure: alone, by differencing, and all at once.

The views are those the views catalogue holds: every ``report.explore("<question>", ...)`` call of a
notebook's code cells (:func:`adass_survey.report.catalogue_build.planned_calls`), so a new notebook is
covered without editing this file. For each question: the heuristic audit
(:func:`adass_survey.disclosure.audit.audit_views`), the exact integer-programming audit over all views and
the filter panel's group sizes (:func:`adass_survey.disclosure.exact_audit.audit_exact`), the downloads of
every shown view, and the filter panel's base label for every selection. The last tests show the
same checks catch a leak.
"""

from __future__ import annotations

import io
import json
from functools import cache, lru_cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from adass_survey.core.errors import DisclosureError
from adass_survey.disclosure.audit import View, audit_views
from adass_survey.disclosure.exact_audit import audit_exact, panel_sizes
from adass_survey.disclosure.plan import views_of
from adass_survey.disclosure.policy import DisclosurePolicy
from adass_survey.disclosure.table import SUPPRESSED
from adass_survey.present.downloads import csv_bytes, xlsx_bytes
from adass_survey.present.views import DIMENSIONS, QuestionViews, panel_entry
from adass_survey.processed.survey import load_survey
from adass_survey.report.catalogue import stored
from adass_survey.report.catalogue_build import planned_calls
from adass_survey.tables.groups import ALL, all_selections, selection_key
from adass_survey.tables.tabulate import frequency_table, theme_table

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def notebook_views() -> list[tuple[str, str, tuple[str, ...]]]:
    """(notebook, question id, dimensions) of every filter panel any notebook offers: the catalogue's own plan."""
    return sorted(
        {
            (notebook, args[0], tuple(args[2]))
            for name, args, notebook in planned_calls(NOTEBOOKS).values()
            if name == "explore"
        }
    )


OFFERED = notebook_views()
QUESTIONS = sorted({(q, dims) for _, q, dims in OFFERED})
EXPLORE_CALLS = {
    (args[0], tuple(args[2])): args for name, args, _ in planned_calls(NOTEBOOKS).values() if name == "explore"
}
"""The arguments of one notebook call per (question, dimensions): the key of its entry in the views catalogue."""


@lru_cache(maxsize=1)
def survey():
    return load_survey()


@cache
def question_views(question: str, dims: tuple[str, ...]) -> QuestionViews:
    return QuestionViews(survey(), question, "Title", dims)


def test_the_parser_finds_views_in_cells(tmp_path):
    notebook = tmp_path / "01-x.ipynb"
    cells = [
        {"cell_type": "code", "source": ['x = 1\nreport.explore("dp_restrictions", "T")\n']},
        {"cell_type": "code", "source": ['report.explore("market_rating", "T", ("region_group",))']},
    ]
    notebook.write_text(json.dumps({"cells": cells}))
    found = sorted((args[0], tuple(args[2])) for name, args, _ in planned_calls(tmp_path).values() if name == "explore")
    assert found == [("dp_restrictions", DIMENSIONS), ("market_rating", ("region_group",))]


def test_the_notebooks_offer_views():
    assert any(nb.startswith("07-") for nb, _, _ in OFFERED), "notebook 07 offers filter views; the parser found none"


@pytest.mark.parametrize(("question", "dims"), QUESTIONS, ids=[f"{q}-{'+'.join(d)}" for q, d in QUESTIONS])
def test_no_view_reveals_a_small_count(question, dims):
    views = question_views(question, dims)
    tables = views.all_tables()
    assert len(tables) == len(all_selections(dims))  # every combination the panel offers
    audit_views(views_of(views.plan, tables))
    bounds = audit_exact(tables, panel_sizes(views.plan))
    assert bounds, "the exact audit looked at no hidden figure"


@pytest.mark.parametrize(("question", "dims"), QUESTIONS, ids=[f"{q}-{'+'.join(d)}" for q, d in QUESTIONS])
def test_downloads_hold_only_what_the_page_shows(question, dims):
    for key, table in question_views(question, dims).all_tables().items():
        if not table.shown:
            with pytest.raises(ValueError):
                csv_bytes(table)
            continue
        page = table.display["Councils"].tolist()
        csv = pd.read_csv(io.BytesIO(csv_bytes(table)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert csv["Councils"].tolist() == page, key
        assert set(csv["Base (councils)"]) == {str(table.base)}, key
        if key in ((), (("council_type", "county"),)):  # spreadsheets are slow to write: national and one group
            sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table)))["Table_1"]
            rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
            header = next(i for i, row in enumerate(rows) if "Councils" in row)
            col = rows[header].index("Councils")
            counts = [str(r[col]) for r in rows[header + 1 :] if r[col] is not None]
            assert counts == page, key


@pytest.mark.parametrize(("question", "dims"), QUESTIONS, ids=[f"{q}-{'+'.join(d)}" for q, d in QUESTIONS])
def test_filter_panel_never_states_the_size_of_a_withheld_group(catalogue, question, dims):
    # The panel as readers get it: the views catalogue's entry for the notebook's call (built before the pages).
    views = question_views(question, dims)
    entry = stored("explore", EXPLORE_CALLS[(question, dims)], {})
    assert entry is not None, "the views catalogue lacks this panel (python -m adass_survey catalogue builds it)"
    assert len(entry["views"]) == len(all_selections(dims))  # every view a page can switch to is in the entry
    for selection in all_selections(dims):
        view = entry["views"]["|".join(selection.get(d, ALL) for d in dims)]
        withheld = bool(views.plan.withheld[views.plan.index(selection)])
        if withheld:
            assert not any(ch.isdigit() for ch in view["base"]), (selection, view["base"])
            assert str(views.plan.base(selection)) not in view["text"].replace("fewer than 5", "")
        else:
            assert f"n = {views.plan.base(selection)})" in view["base"], (selection, view["base"])


def test_the_panel_check_reads_what_the_page_draws():
    # The catalogue's entry is the panel drawn afresh, so the check above reads what the page shows (the panel with
    # the fewest views, since drawing is slow).
    (question, dims), args = min(EXPLORE_CALLS.items(), key=lambda call: len(all_selections(call[0][1])))
    drawn = panel_entry(QuestionViews(survey(), question, args[1], dims), dims)
    assert stored("explore", args, {})["views"] == drawn["views"]


# ------------------------------------------------------------------------------------------
# The same checks catch leaks.
# ------------------------------------------------------------------------------------------


def _unsuppressed(views: QuestionViews, key: tuple, make_table) -> dict:
    """The views with one selection replaced by its true table (nothing hidden)."""
    tables = dict(views.all_tables())
    members = views.plan.members[key]
    respondents = survey().respondents[survey().respondents["respondent_id"].isin(members)]
    tables[key] = DisclosurePolicy(threshold=1).suppress(make_table(respondents), selection=dict(key))
    return tables


def test_an_unsuppressed_group_is_caught_by_both_audits():
    views = question_views("dp_restrictions", DIMENSIONS)
    key = selection_key({"council_type": "county"})
    assert views.table(dict(key)).display["Councils"].tolist().count(SUPPRESSED) >= 1
    leaky = _unsuppressed(views, key, lambda r: frequency_table(r, "dp_restrictions"))
    with pytest.raises(DisclosureError):
        audit_views(views_of(views.plan, leaky))
    with pytest.raises(DisclosureError):
        audit_exact(leaky, panel_sizes(views.plan))


def test_a_base_that_gives_away_the_non_answering_councils_is_caught():
    # county councils: the panel says 17; a theme table's base counts only those who answered
    views = question_views("dp_restrictions_detail", DIMENSIONS)
    key = selection_key({"council_type": "county"})
    themes = survey().themes
    leaky = _unsuppressed(
        views,
        key,
        lambda r: theme_table(themes[themes["respondent_id"].isin(r["respondent_id"])], r, "dp_restrictions_detail"),
    )
    size, base = views.plan.base(dict(key)), leaky[key].base
    assert DisclosurePolicy().is_small(size - base)  # the leak this crafted view carries
    with pytest.raises(DisclosureError):
        audit_exact(leaky, panel_sizes(views.plan))
    with pytest.raises(DisclosureError):
        audit_views([View(dict(k), views.plan.members[k], t) for k, t in leaky.items()])


def test_a_cell_only_the_full_system_pins_down_is_caught_by_the_exact_audit():
    # Show two groups that each look safe but together with everything else fix a hidden cell.
    views = question_views("dp_restrictions", DIMENSIONS)
    tables = dict(views.all_tables())
    hidden = [k for k, t in tables.items() if t.shown and SUPPRESSED in t.display["Councils"].tolist()]
    assert hidden
    leaky = _unsuppressed(views, hidden[0], lambda r: frequency_table(r, "dp_restrictions"))
    with pytest.raises(DisclosureError, match="below 5|shows"):
        audit_exact(leaky, panel_sizes(views.plan))


def test_some_notebook_offers_a_filter_by_another_questions_answer():
    answer_panels = [(nb, q, dims) for nb, q, dims in OFFERED if dims == ("take_up_band",)]
    assert answer_panels, "no notebook filters a question by the take-up band (an answer of another question)"
    assert all(q != "take_up" for _, q, _ in answer_panels)


def test_an_unsuppressed_answer_group_is_caught_by_both_audits():
    views = question_views("market_rating", ("take_up_band",))
    hidden = [
        k for k, t in views.all_tables().items() if k and t.shown and SUPPRESSED in t.display["Councils"].tolist()
    ]
    assert hidden, "the answer panel of market_rating suppresses nothing: the test needs a hidden cell"
    leaky = _unsuppressed(views, hidden[0], lambda r: frequency_table(r, "market_rating"))
    with pytest.raises(DisclosureError):
        audit_views(views_of(views.plan, leaky))
    with pytest.raises(DisclosureError):
        audit_exact(leaky, panel_sizes(views.plan))
