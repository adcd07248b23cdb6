"""The synthetic export: calibration to the published counts, messiness, format and determinism."""

from __future__ import annotations

import argparse
import io

import numpy as np
import pandas as pd
import pytest

from adass_survey.coding.themes import code_answers, theme_counts
from adass_survey.core.codebook import load_codebook, normalise_spelling
from adass_survey.core.paths import published_dir, raw_export_path, reference_dir
from adass_survey.synth.draw import export_columns
from adass_survey.synth.generate import answers_by_question, generate, run_synth, synthesize, write_export

CB = load_codebook()
MISSING = "__missing__"


def _closed_codes(values: pd.Series, question_id: str) -> pd.Series:
    """Map written closed answers to option codes with the codebook's spellings (test's own reader)."""
    q = CB[question_id]
    lookup = {}
    for option in q.options:
        for s in (*option.spellings, option.label, option.code):
            lookup[normalise_spelling(s)] = option.code
    if q.type == "likert5":
        for option in q.options:
            lookup[normalise_spelling(f"{option.code} - {option.label}")] = option.code
    folded = values.map(normalise_spelling)
    codes = folded.map(lookup)
    codes[folded.isin(CB.missing_values)] = MISSING
    assert codes.notna().all(), f"{question_id}: unreadable answers {sorted(set(values[codes.isna()]))}"
    return codes


def _band(values: pd.Series) -> pd.Series:
    numbers = values.str.extract(r"(\d+(?:\.\d+)?)")[0].astype(float)
    return pd.Series(
        np.where(numbers.isna(), "insufficient", np.where(numbers >= 60, "60_or_above", "below_60")), index=values.index
    )


@pytest.fixture(scope="module")
def cohort():
    return generate(58, 2011)


@pytest.fixture(scope="module")
def answers(cohort):
    named = answers_by_question(cohort.export)
    named["respondent_id"] = named["respondent_id"].astype("int64")
    return named


@pytest.fixture(scope="module")
def themes(answers):
    return code_answers(answers, CB)


@pytest.fixture(scope="module")
def figures():
    return pd.read_csv(published_dir() / "figures.csv", dtype=str, keep_default_na=False)


def test_shipped_file_is_byte_identical_to_a_fresh_write(tmp_path):
    out = write_export(synthesize(58, 2011), tmp_path / "export.csv")
    assert out.read_bytes() == raw_export_path().read_bytes()


def test_same_seed_same_export_other_seed_other_export():
    a, b, c = synthesize(40, 7), synthesize(40, 7), synthesize(40, 8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_closed_figures_with_exact_counts_are_reproduced(answers, figures):
    exact = figures[(figures["check"] == "exact") & figures["count"].ne("")]
    checked = 0
    for row in exact.itertuples():
        if row.question not in CB or CB[row.question].type not in {"single", "yes_no", "likert5", "percent_text"}:
            continue
        base = answers
        if row.base_rule.startswith("subset:"):
            col, code = row.base_rule.split(":", 1)[1].split("=")
            base = answers[_closed_codes(answers[col], col) == code]
        codes = (
            _band(base[row.question])
            if CB[row.question].type == "percent_text"
            else _closed_codes(base[row.question], row.question)
        )
        if row.question == "take_up":
            codes[_closed_codes(base["strategy"], "strategy") == MISSING] = "insufficient"
        wanted = set(row.category.split("|"))
        got = int(codes.isin(wanted).sum())
        assert got == int(row.count), f"{row.id} {row.question}={row.category}: {got}, published {row.count}"
        checked += 1
    assert checked >= 30


def test_text_figures_with_exact_counts_are_reproduced_by_the_coder(answers, themes, figures):
    exact = figures[(figures["check"].isin(["exact", "a_couple", "handful"])) & figures["count"].ne("")]
    checked = 0
    for row in exact.itertuples():
        if row.question not in CB or CB[row.question].type != "text":
            continue
        base_ids = answers["respondent_id"]
        if row.base_rule.startswith("subset:"):
            col, code = row.base_rule.split(":", 1)[1].split("=")
            base_ids = answers.loc[_closed_codes(answers[col], col) == code, "respondent_id"]
        q_themes = themes[(themes.question_id == row.question) & themes.respondent_id.isin(base_ids)]
        if row.category == MISSING:
            got = len(set(base_ids) - set(q_themes.respondent_id))
        else:
            counts = theme_counts(q_themes, row.question, CB).set_index("theme")["count"]
            got = int(counts[row.category])
        assert got == int(row.count), f"{row.id} {row.question}={row.category}: {got}, published {row.count}"
        checked += 1
    assert checked >= 20


def test_vague_quantifiers_hold(answers, themes, figures):
    ranges = {
        "all": (1.0, 1.0),
        "nearly_all": (0.9, 1.0),
        "most": (0.5001, 1.0),
        "majority": (0.5001, 1.0),
        "more_than_half": (0.5001, 1.0),
        "two_thirds": (0.6, 0.73),
        "half": (0.45, 0.55),
    }
    for row in figures[figures["check"].isin(list(ranges)) & figures["erratum_id"].eq("")].itertuples():
        if row.question not in CB or row.base_rule != "cohort":
            continue
        q = CB[row.question]
        wanted = set(row.category.split("|"))
        if q.type == "text":
            got = themes[(themes.question_id == q.id) & themes.theme.isin(wanted)].respondent_id.nunique()
        elif q.type == "multi":
            got = int(answers[[q.multi_column(c) for c in wanted]].ne("").any(axis=1).sum())
        else:
            got = int(_closed_codes(answers[q.id], q.id).isin(wanted).sum())
        low, high = ranges[row.check]
        assert low <= got / 58 <= high, f"{row.id} {row.question}={row.category}: {got} of 58 is not '{row.check}'"


def test_region_by_type_fits_the_2011_frame(answers):
    frame = pd.read_csv(reference_dir() / "frame_2011.csv")
    cells = pd.DataFrame(
        {
            "region": _closed_codes(answers["region"], "region"),
            "council_type": _closed_codes(answers["council_type"], "council_type"),
        }
    ).value_counts()
    limits = frame.set_index(["region", "council_type"])["councils"]
    for (region, council_type), count in cells.items():
        assert count <= limits[(region, council_type)], f"{region} x {council_type}: {count} respondents"
    assert cells.sum() == 58


def test_dependent_answers_are_consistent(answers, themes):
    strategy = _closed_codes(answers["strategy"], "strategy")
    on_target = _closed_codes(answers["on_target"], "on_target")
    assert ((strategy == MISSING) == (on_target == MISSING)).all()
    early = _closed_codes(answers["full_take_up_year"], "full_take_up_year") == "2011_12"
    assert (on_target[early] == "yes").all() and (_band(answers.loc[early, "take_up"]) == "60_or_above").all()
    no_restriction = _closed_codes(answers["dp_restrictions"], "dp_restrictions") == "no"
    detail = themes[themes.question_id == "dp_restrictions_detail"].respondent_id
    assert not answers.loc[no_restriction, "respondent_id"].isin(detail).any()
    accounting = _closed_codes(answers["individual_accounting"], "individual_accounting")
    transition = themes[themes.question_id == "accounting_transition"].respondent_id
    assert set(transition) <= set(answers.loc[accounting == "no", "respondent_id"])


@pytest.mark.parametrize("n", [58, 3000])
def test_every_free_text_answer_is_coded_to_its_intended_themes(n):
    cohort = generate(n, 2011)
    named = answers_by_question(cohort.export)
    named["respondent_id"] = named["respondent_id"].astype("int64")
    coded = code_answers(named, CB)
    key = ["respondent_id", "question_id", "theme"]
    diff = coded.merge(cohort.intended, on=key, how="outer", indicator=True)
    assert (diff["_merge"] == "both").all(), diff[diff["_merge"] != "both"].head(10).to_string()


def test_other_n_keeps_the_proportions():
    named = answers_by_question(synthesize(580, 3))
    regions = _closed_codes(named["region"], "region").value_counts()
    assert regions["london"] == 100 and regions["east_midlands"] == 30
    assert (_band(named["take_up"]).value_counts()["insufficient"]) == 60


def test_export_is_messy_like_a_real_one(answers):
    assert {"Y", "YES", "y"} & set(answers["strategy"]) and len(set(answers["dp_restrictions"])) >= 3
    assert (answers["market_rating"].str.fullmatch(r"\d")).any() and (
        answers["market_rating"].str.contains(" - ")
    ).any()
    assert answers["target_group_size"].str.contains(",").any()
    assert answers["take_up"].str.contains("see attached", case=False).any()
    text = " ".join(answers[[q.id for q in CB.of_type("text")]].to_numpy().ravel())
    assert "£" in text and "\u2019" in text


def test_ids_and_dates_look_like_a_survey_tool(answers):
    ids = answers["respondent_id"].astype(str)
    assert ids.str.fullmatch(r"\d{10,11}").all() and ids.is_unique
    for column in ("start_date", "end_date"):
        when = pd.to_datetime(answers[column], format="%d/%m/%Y %H:%M:%S")
        assert (when >= "2011-09-01").all() and (when < "2011-09-09").all()
    assert (
        pd.to_datetime(answers["end_date"], dayfirst=True) > pd.to_datetime(answers["start_date"], dayfirst=True)
    ).all()


def test_csv_has_two_header_rows_crlf_and_cp1252(tmp_path):
    out = write_export(synthesize(58, 2011), tmp_path / "e.csv")
    data = out.read_bytes()
    assert data.count(b"\r\n") >= 60 and b"\n" not in data.replace(b"\r\n", b"")
    data.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = pd.read_csv(io.BytesIO(data), header=None, dtype=str, keep_default_na=False, encoding="cp1252")
    columns = export_columns(CB)
    assert rows.iloc[0].tolist() == [c[2] for c in columns]
    assert rows.iloc[1].tolist() == [c[3] for c in columns]
    assert len(rows) == 60


def test_xlsx_by_suffix_keeps_the_two_header_rows(tmp_path):
    out = write_export(synthesize(5, 1), tmp_path / "e.xlsx")
    rows = pd.read_excel(out, header=None, dtype=str).fillna("")
    assert rows.iloc[0, 0] == "Respondent ID" and rows.iloc[1, 0] == "" and len(rows) == 7


def test_run_synth_writes_and_warns(tmp_path, capsys):
    code = run_synth(argparse.Namespace(n=10, seed=5, out=tmp_path / "s.csv", encoding="utf-8"))
    assert code == 0 and (tmp_path / "s.csv").exists()
    assert "SYNTHETIC" in capsys.readouterr().out


def test_large_n_is_fast():
    import time

    started = time.perf_counter()
    frame = synthesize(200_000, 1)
    assert len(frame) == 200_000
    assert time.perf_counter() - started < 30
