"""reconcile: statuses on crafted data, a survey calibrated to figures.csv, and the command line."""

from __future__ import annotations

import argparse
import math
import types
from types import SimpleNamespace

import pandas as pd
import pytest

from adass_survey.core.codebook import load_codebook
from adass_survey.published.figures import load_figures, load_frame
from adass_survey.published.reconcile import COLUMNS, STATUSES, reconcile, run_reconcile, within_check
from adass_survey.tables.tabulate import round_half_up

THEME_COLUMNS = ["respondent_id", "question_id", "theme"]


def _figure(**values) -> dict:
    row = {
        "id": "F99-01",
        "section": "7.1",
        "question": "dp_restrictions",
        "category": "yes",
        "count": pd.NA,
        "base": 10,
        "base_rule": "cohort",
        "percent_printed": pd.NA,
        "check": "exact",
        "quote": "q",
        "note": pd.NA,
        "erratum_id": pd.NA,
    }
    row.update(values)
    return row


def _figures(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for column in ("count", "base", "percent_printed"):
        frame[column] = frame[column].astype("Int64")
    return frame


@pytest.fixture()
def ten():
    """Ten respondents: 7 yes / 2 no / 1 blank on restrictions, themes for 3 of them."""
    people = pd.DataFrame(
        {
            "respondent_id": range(1, 11),
            "dp_restrictions": ["yes"] * 7 + ["no"] * 2 + [""],
            "individual_accounting": ["no"] * 4 + ["yes"] * 6,
            "accounting_transition": ["plan a", "plan b", "", "none"] + [""] * 6,
            "take_up_band": ["below_60"] * 5 + ["60_or_above"] * 3 + ["insufficient"] * 2,
            "advisory_user_groups__carers": [True] * 6 + [False] * 4,
        }
    )
    themes = pd.DataFrame(
        [
            (1, "accounting_transition", "plan_described"),
            (2, "accounting_transition", "plan_described"),
            (2, "accounting_transition", "plan_described"),
            (4, "accounting_transition", "no_plans"),
            (9, "accounting_transition", "plan_described"),
        ],
        columns=THEME_COLUMNS,
    )
    return SimpleNamespace(respondents=people, themes=themes)


def _status(result: pd.DataFrame, figure_id: str) -> str:
    return result.set_index("id").loc[figure_id, "status"]


def test_reproduced_erratum_and_mismatch_rows(ten):
    figures = _figures(
        _figure(id="F99-01", count=7, percent_printed=70),
        _figure(id="F99-02", count=7, percent_printed=75, erratum_id="E99"),
        _figure(id="F99-03", category="no", count=3, percent_printed=30),
    )
    result = reconcile(ten, figures, load_frame())
    assert list(result.columns) == COLUMNS
    assert set(result["status"]) <= set(STATUSES)
    assert _status(result, "F99-01") == "reproduced"
    assert _status(result, "F99-02") == "erratum"
    assert "70%" in result.set_index("id").loc["F99-02", "note"]
    assert _status(result, "F99-03") == "mismatch"
    assert result.set_index("id").loc["F99-03", "reproduced_count"] == 2


def test_missing_union_band_and_multi_counts(ten):
    figures = _figures(
        _figure(id="F99-01", category="__missing__", count=1),
        _figure(id="F99-02", category="yes|no", count=9),
        _figure(id="F99-03", question="take_up", category="insufficient", count=2, percent_printed=20),
        _figure(id="F99-04", question="advisory_user_groups", category="carers", count=6),
        _figure(id="F99-05", question="respondent_id", category="__all__", count=10),
    )
    result = reconcile(ten, figures, load_frame())
    assert (result["status"] == "reproduced").all(), result[["id", "note"]]


def test_text_themes_count_distinct_respondents_within_subset(ten):
    subset = "subset:individual_accounting=no"
    figures = _figures(
        _figure(
            id="F99-01", question="accounting_transition", category="plan_described", count=2, base=4, base_rule=subset
        ),
        _figure(
            id="F99-02", question="accounting_transition", category="__missing__", count=1, base=4, base_rule=subset
        ),
        _figure(
            id="F99-03",
            question="accounting_transition",
            category="plan_described",
            base=4,
            base_rule=subset,
            check="half",
        ),
        _figure(
            id="F99-04",
            question="accounting_transition",
            category="no_plans",
            base=4,
            base_rule=subset,
            check="handful",
        ),
    )
    result = reconcile(ten, figures, load_frame()).set_index("id")
    assert result.loc["F99-01", "reproduced_count"] == 2  # respondent 2 twice, respondent 9 outside the subset
    assert result.loc["F99-01", "reproduced_base"] == 4
    assert result.loc["F99-01", "status"] == "reproduced"
    assert result.loc["F99-02", "status"] == "reproduced"
    assert result.loc["F99-03", "status"] == "reproduced"
    assert result.loc["F99-04", "status"] == "mismatch"  # 1 council is not a handful


def test_absent_column_is_a_mismatch_not_a_crash(ten):
    figures = _figures(_figure(id="F99-01", question="outcomes_monitored", count=5))
    result = reconcile(ten, figures, load_frame())
    assert _status(result, "F99-01") == "mismatch"
    assert "outcomes_monitored" in result["note"].iloc[0]


def test_frame_base_uses_the_frame(ten):
    frame = load_frame()
    total = int(frame["councils"].sum())
    printed = round_half_up(100 * 10 / total)
    figures = _figures(
        _figure(
            id="F99-01",
            question="respondent_id",
            category="__all__",
            count=10,
            base=total,
            base_rule="frame",
            percent_printed=printed,
        ),
        _figure(id="F99-02", question="frame_2011", category="__all__", count=total, base=total, base_rule="frame"),
    )
    result = reconcile(ten, figures, frame)
    assert (result["status"] == "reproduced").all(), result[["id", "note"]]


@pytest.mark.parametrize(
    ("check", "count", "base", "expected"),
    [
        ("all", 58, 58, True),
        ("all", 57, 58, False),
        ("nearly_all", 53, 58, True),
        ("nearly_all", 52, 58, False),
        ("majority", 30, 58, True),
        ("majority", 29, 58, False),
        ("two_thirds", 39, 58, True),
        ("two_thirds", 43, 58, False),
        ("half", 6, 13, True),
        ("half", 8, 13, False),
        ("handful", 7, 58, True),
        ("handful", 8, 58, False),
        ("a_couple", 2, 13, True),
        ("a_couple", 1, 13, False),
    ],
)
def test_within_check_ranges(check, count, base, expected):
    assert within_check(check, count, base) is expected


# --- a survey calibrated to figures.csv: every row without an erratum reproduces ---------------------------------


def _minimum(check: str, base: int) -> int:
    return {
        "all": base,
        "nearly_all": math.ceil(0.9 * base),
        "most": base // 2 + 1,
        "majority": base // 2 + 1,
        "more_than_half": base // 2 + 1,
        "two_thirds": math.ceil(0.6 * base),
        "half": math.ceil(0.45 * base),
        "handful": 5,
        "a_couple": 2,
    }[check]


def _targets(figures: pd.DataFrame) -> dict[str, dict[str, tuple[int, bool]]]:
    """(question -> code -> (count, exact)) from the single-category rows; exact counts win over minimums."""
    targets: dict[str, dict[str, tuple[int, bool]]] = {}
    for row in figures.itertuples():
        if "|" in row.category or row.category == "__all__":
            continue
        exact = pd.notna(row.count)
        need = int(row.count) if exact else _minimum(row.check, int(row.base))
        known = targets.setdefault(row.question, {}).get(row.category)
        if known is None or (exact and not known[1]) or (exact == known[1] and need > known[0]):
            targets[row.question][row.category] = (need, exact)
    return targets


def _calibrated_survey(figures: pd.DataFrame) -> SimpleNamespace:
    codebook = load_codebook()
    n = int(figures.loc[(figures["question"] == "respondent_id") & (figures["base_rule"] == "cohort"), "count"].iloc[0])
    people = pd.DataFrame({"respondent_id": range(1, n + 1)})
    themes: list[tuple[int, str, str]] = []
    targets = _targets(figures)
    rules = dict(zip(figures["question"], figures["base_rule"]))
    for question in codebook.questions:
        wanted = targets.get(question.id, {})
        if question.type in ("single", "yes_no", "likert5", "percent_text"):
            column = f"{question.id}_band" if question.type == "percent_text" else question.id
            codes = [o.code for o in question.options] + [b.code for b in question.bands]
            if question.unbanded:
                codes.append(question.unbanded.code)
            values = [c for c in codes for _ in range(wanted.get(c, (0, True))[0])]
            values += ["" for _ in range(wanted.get("__missing__", (0, True))[0])]
            spare = [c for c in codes if c not in wanted] or [c for c in codes if not wanted[c][1]] or [""]
            values += [spare[0]] * (n - len(values))
            people[column] = values[:n]
        elif question.type == "multi":
            for code in question.option_codes():
                k = wanted.get(code, (0, True))[0]
                people[question.multi_column(code)] = [i < k for i in range(n)]
        elif question.type == "text":
            rule = rules.get(question.id, "cohort")
            if rule.startswith("subset:"):
                q, _, code = rule.split(":", 1)[1].partition("=")
                population = people.index[people[q] == code].tolist()
            else:
                population = people.index.tolist()
            missing = wanted.get("__missing__", (0, True))[0]
            answering = population[missing:]
            text = pd.Series("", index=people.index)
            text[answering] = "an answer"
            people[question.id] = text
            for code, (k, _) in wanted.items():
                if code != "__missing__":
                    themes += [(int(people.at[i, "respondent_id"]), question.id, code) for i in answering[:k]]
    return SimpleNamespace(respondents=people, themes=pd.DataFrame(themes, columns=THEME_COLUMNS))


def test_calibrated_survey_reproduces_every_figure_but_listed_errata():
    figures = load_figures()
    result = reconcile(_calibrated_survey(figures), figures)
    assert len(result) == len(figures)
    mismatches = result[result["status"] == "mismatch"]
    assert mismatches.empty, mismatches[["id", "note"]].to_string()
    reported = result[result["status"] == "erratum"]
    assert reported["erratum_id"].ne("").all()
    # every printed percentage that cannot follow from its printed count and base must surface as an erratum
    printed = figures[figures["percent_printed"].notna() & figures["count"].notna()]
    impossible = {r.id for r in printed.itertuples() if round_half_up(100 * r.count / r.base) != r.percent_printed}
    assert impossible and impossible <= set(reported["id"])


# --- the command line ---------------------------------------------------------------------------------------------


def _fake_data_module(survey) -> types.ModuleType:
    module = types.ModuleType("adass_survey.processed.survey")
    module.load_survey = lambda raw_path=None: survey
    return module


def test_run_reconcile_exit_codes_and_summary(monkeypatch, capsys):
    figures = load_figures()
    survey = _calibrated_survey(figures)
    monkeypatch.setitem(__import__("sys").modules, "adass_survey.processed.survey", _fake_data_module(survey))
    assert run_reconcile(argparse.Namespace(raw=None, all=True)) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith(f"{len(figures)} figures: ") and lines[-1].endswith(" 0 mismatches")
    assert len(lines) == len(figures) + 2  # header, one line per figure, summary

    survey.respondents.loc[survey.respondents.index[:3], "dp_restrictions"] = "no"
    assert run_reconcile(argparse.Namespace(raw=None, all=False)) == 1
    out = capsys.readouterr().out
    assert "F07-01" in out and "mismatch" in out
    assert out.strip().splitlines()[-1].endswith("2 mismatches")
