"""The free-text coder: frame examples, negations, blanks, tidy output and speed."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from adass_survey.coding.themes import UNCODED, code_answers, code_text, theme_counts
from adass_survey.core.codebook import load_codebook

CB = load_codebook()
# a sub-theme's examples also carry its parent theme
IMPLIES = {"brokerage_in_house": {"hourly_unit_cost"}, "brokerage_external": {"hourly_unit_cost"}}
TEXT_QUESTIONS = [q for q in CB.of_type("text")]


def _coded(question_id: str, text: str) -> set[str]:
    row = code_text(pd.Series([text]), CB[question_id]).iloc[0]
    return {c for c, hit in row.items() if hit}


@pytest.mark.parametrize("question", TEXT_QUESTIONS, ids=lambda q: q.id)
def test_every_theme_has_patterns_and_3_to_6_examples(question):
    for theme in question.frame:
        assert theme.patterns, f"{question.id}.{theme.code} has no patterns"
        lower = 2 if theme.code in IMPLIES or question.id in {"accounting_transition", "market_shaping"} else 3
        assert lower <= len(theme.examples) <= 6, f"{question.id}.{theme.code}"


@pytest.mark.parametrize("question", TEXT_QUESTIONS, ids=lambda q: q.id)
def test_each_example_is_coded_to_exactly_its_theme(question):
    texts, wanted = [], []
    for theme in question.frame:
        for example in theme.examples:
            texts.append(example)
            wanted.append({theme.code} | IMPLIES.get(theme.code, set()))
    matrix = code_text(pd.Series(texts), question)
    for i, text in enumerate(texts):
        got = {c for c in matrix.columns if matrix.iloc[i][c]}
        assert got == wanted[i], f"{question.id}: {text!r} coded {sorted(got)}, meant {sorted(wanted[i])}"


@pytest.mark.parametrize(
    ("question_id", "text", "absent", "present"),
    [
        (
            "cost_effectiveness",
            "We have no systematic evidence of this.",
            {"anecdotal", "cost_benefit_analysis"},
            {"no_systematic_evidence"},
        ),
        ("cost_effectiveness", "There is no anecdotal evidence either.", {"anecdotal"}, set()),
        (
            "cost_effectiveness",
            "people\u2019s overall experience rather than a cost-benefit analysis",
            {"cost_benefit_analysis"},
            {"customer_satisfaction"},
        ),
        (
            "cost_effectiveness",
            "Market testing found the external provider good value.",
            {"brokerage_external"},
            {"market_testing"},
        ),
        (
            "accounting_transition",
            "We have no plans to change; the finance system will not hold it.",
            {"plan_described"},
            {"no_plans"},
        ),
        (
            "accounting_transition",
            "We will integrate the two data sets next year.",
            {"no_plans"},
            {"plan_described", "integrate_data_sets"},
        ),
        ("streamlining", "Processes have not yet been streamlined.", {"streamlined"}, set()),
        (
            "risk_management",
            "We have no specific risk approach for personal budgets.",
            {"risk_matrix", "positive_risk_taking"},
            {"no_risk_approach"},
        ),
        ("outcomes_methods", "it is hard to say", {"it_databases"}, set()),
        ("outcomes_methods", "Reports from IT systems", set(), {"it_databases"}),
    ],
)
def test_negations_and_traps(question_id, text, absent, present):
    got = _coded(question_id, text)
    assert not got & absent, f"{text!r} wrongly coded {sorted(got & absent)}"
    assert present <= got, f"{text!r} missed {sorted(present - got)}"


def test_case_and_typography_are_folded():
    assert _coded("risk_management", "POSITIVE RISK\u2013TAKING culture") == {"positive_risk_taking"}
    assert _coded("communication_other", "\u2018Ask the expert\u2019 sessions") == {"ask_the_expert"}


def test_code_text_marks_unmatched_as_uncoded_and_blank_as_nothing():
    texts = pd.Series(
        ["Safeguarding procedures apply.", "zzz nothing relevant", "", None, "  ", "n/a"], index=list("abcdef")
    )
    matrix = code_text(texts, CB["risk_management"], CB.missing_values)
    assert list(matrix.index) == list("abcdef")
    assert list(matrix.columns) == [t.code for t in CB["risk_management"].frame] + [UNCODED]
    assert matrix.loc["a", "safeguarding"] and not matrix.loc["a", UNCODED]
    assert matrix.loc["b", UNCODED] and matrix.loc["b"].sum() == 1
    assert not matrix.loc[list("cdef")].to_numpy().any()


def test_code_answers_is_tidy_multilabel_with_no_rows_for_blanks():
    respondents = pd.DataFrame(
        {
            "respondent_id": [11, 12, 13],
            "risk_management": ["Risk matrix approach. Safeguarding procedures apply.", "", "nothing to say"],
            "market_shaping": ["Use of the JSNA.", "n/a", None],
            "region": ["London", "London", "London"],
        }
    )
    themes = code_answers(respondents, CB)
    assert list(themes.columns) == ["respondent_id", "question_id", "theme"]
    got = set(map(tuple, themes.to_numpy().tolist()))
    assert got == {
        (11, "risk_management", "risk_matrix"),
        (11, "risk_management", "safeguarding"),
        (13, "risk_management", UNCODED),
        (11, "market_shaping", "jsna"),
    }


def test_theme_counts_counts_respondents_and_lists_zero_themes_with_codebook():
    themes = pd.DataFrame(
        {
            "respondent_id": [1, 1, 2, 3],
            "question_id": ["risk_management"] * 3 + ["market_shaping"],
            "theme": ["risk_matrix", "risk_matrix", "safeguarding", "jsna"],
        }
    )
    plain = theme_counts(themes, "risk_management")
    assert dict(zip(plain.theme, plain["count"])) == {"risk_matrix": 1, "safeguarding": 1}
    full = theme_counts(themes, "risk_management", CB)
    assert list(full.theme) == [t.code for t in CB["risk_management"].frame] + [UNCODED]
    assert full.set_index("theme").loc["contingency", "count"] == 0


def test_a_million_answers_code_quickly():
    examples = [e for t in CB["cost_effectiveness"].frame for e in t.examples]
    rng = np.random.default_rng(0)
    distinct = [f"{a}. {b}" for a in examples for b in examples]
    texts = pd.Series(np.array(distinct, dtype=object)[rng.integers(0, len(distinct), 1_000_000)])
    started = time.perf_counter()
    matrix = code_text(texts, CB["cost_effectiveness"])
    elapsed = time.perf_counter() - started
    assert matrix.shape == (1_000_000, len(CB["cost_effectiveness"].frame) + 1)
    assert matrix.to_numpy().any(axis=1).all()
    assert elapsed < 20, f"coding a million answers took {elapsed:.1f} s"


def test_theme_table_writes_the_same_csv_as_code_answers():
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from adass_survey.coding.themes import theme_table
    from adass_survey.synth.generate import answers_by_question, synthesize

    frame = answers_by_question(synthesize(300, 5), CB)
    respondents = pd.DataFrame({"respondent_id": np.arange(len(frame), dtype=np.int64) + 100})
    for question in TEXT_QUESTIONS:
        respondents[question.id] = frame[question.id].to_numpy()
    options = pacsv.WriteOptions(quoting_style="needed")
    expected, got = pa.BufferOutputStream(), pa.BufferOutputStream()
    pacsv.write_csv(
        pa.Table.from_pandas(code_answers(respondents, CB), preserve_index=False), expected, write_options=options
    )
    table = theme_table(respondents, CB)
    pacsv.write_csv(table, got, write_options=options)
    assert table.num_rows > 300
    assert got.getvalue().to_pybytes() == expected.getvalue().to_pybytes()
    assert theme_table(respondents.iloc[:0], CB).num_rows == 0
