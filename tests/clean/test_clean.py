"""Cleaning: spellings to codes, numbers and percentages, quarantine reasons, accounting."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import export_factory as ef
from adass_survey.clean import respondents as clean_module
from adass_survey.clean import values
from adass_survey.clean.respondents import clean
from adass_survey.clean.values import band_of, parse_number, parse_percent
from adass_survey.core.codebook import load_codebook, normalise_spelling
from adass_survey.ingest.model import RawExport, RowFault, column_specs
from adass_survey.ingest.read import read_export
from adass_survey.processed.schema import QUARANTINE_COLUMNS

CB = load_codebook()


def raw_of(rows: list[dict], faults=()) -> RawExport:
    """A RawExport of the given cells (other columns blank, ids and required answers filled)."""
    keys = [s.key for s in column_specs(CB)]
    filled = []
    for i, cells in enumerate(rows):
        row = {k: "" for k in keys}
        row.update({"respondent_id": str(i + 1), "region": "London", "council_type": "London borough"})
        row.update(cells)
        filled.append(row)
    frame = pd.DataFrame(filled, columns=keys, dtype="str")
    frame["source_row"] = np.arange(3, 3 + len(rows))
    return RawExport("x.csv", frame, "cp1252", ",", row_faults=list(faults))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("approx 12,000", 12000),
        ("c.4500", 4500),
        ("15000+", 15000),
        ("12k", 12000),
        ("about 1.5k", 1500),
        ("10,000 - 12,000", 11000),
        ("between 4,000 and 5,000", 4500),
        ("3 200", 3200),
        ("0", 0),
    ],
)
def test_parse_number_reads_hand_written_counts(text, value):
    assert parse_number(text, 0, 100000).value == value


@pytest.mark.parametrize("text", ["-250", "approx -5", "250,000", "1,500,000 people"])
def test_parse_number_flags_impossible_counts(text):
    verdict = parse_number(text, 0, 100000)
    assert verdict.value is None and verdict.fault.startswith(values.REASON_IMPOSSIBLE)


def test_parse_number_without_digits_is_missing_with_a_note():
    verdict = parse_number("don't know yet", 0, 100000)
    assert (verdict.value, verdict.fault, verdict.note) == (None, None, "no usable number")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("45%", 45),
        ("approximately 62.5 per cent", 62.5),
        ("70", 70),
        ("Of 1,200 people, 30% have one", 30),
        ("150%", None),
        ("not known", None),
        ("", None),
        ("-5%", None),
    ],
)
def test_parse_percent(text, value):
    assert parse_percent(text) == value


def test_bands_follow_the_codebook():
    question = CB["take_up"]
    for band in question.bands:
        assert band_of(band.min, question) == band.code
        assert band_of(band.max, question) == band.code
    assert band_of(math.nan, question) == question.unbanded.code


def test_spellings_map_to_codes_and_missing_values_to_na():
    region = CB["region"].options[2]
    rows = [
        {"region": f"  {s.upper()}  ", "strategy": yes}
        for s, yes in zip(region.spellings, ["Y", "yes.", "n/a", "No", "-"])
    ]
    result = clean(raw_of(rows), CB)
    assert result.quarantine.empty
    assert (result.respondents["region"] == region.code).all()
    strategy = result.respondents["strategy"]
    expected = {"Y": "yes", "yes.": "yes", "No": "no"}
    for cells, got in zip(rows, strategy):
        want = expected.get(cells["strategy"])
        assert (got == want) if want else pd.isna(got)


def test_every_option_label_and_spelling_is_accepted():
    for question in CB.of_type("single", "yes_no", "likert5"):
        spellings = [s for o in question.options for s in o.spellings]
        rows = [{question.id: s} for s in spellings]
        result = clean(raw_of(rows), CB)
        assert result.quarantine.empty, (question.id, result.quarantine)
        codes = {normalise_spelling(s): o.code for o in question.options for s in o.spellings}
        assert result.respondents[question.id].tolist() == [codes[s] for s in spellings]


def test_processed_columns_and_types():
    result = clean(
        raw_of(
            [
                {
                    "advisory_user_groups__carers": "Carers",
                    "target_group_size": "c.4500",
                    "take_up": "about 45%",
                    "market_shaping": "  text\r\nmore  ",
                    "market_rating": "4 - very good",
                }
            ]
        ),
        CB,
    )
    r = result.respondents
    assert r["advisory_user_groups__carers"].tolist() == [True]
    assert r["advisory_user_groups__carers"].dtype == bool and r["advisory_user_groups__older_people"].tolist() == [
        False
    ]
    assert r.loc[0, "target_group_size"] == 4500.0 and r["target_group_size"].dtype == np.float64
    assert (r.loc[0, "take_up"], r.loc[0, "take_up_band"]) == (45.0, "below_60")
    assert r.loc[0, "market_shaping"] == "text\nmore"
    assert r.loc[0, "market_rating"] == "4"
    assert r["respondent_id"].dtype == np.int64
    assert [c for c in r.columns if "__" not in c][:2] == ["respondent_id", "source_row"]


@pytest.mark.parametrize(
    ("cells", "column", "reason", "suggestion"),
    [
        ({"region": "Nort East"}, "region", "unknown option", "North East"),
        ({"council_type": "London"}, "council_type", "value belongs to another column (region)", "London borough"),
        ({"market_rating": "6"}, "market_rating", "impossible value", ""),
        ({"market_rating": "0 - awful"}, "market_rating", "impossible value", ""),
        ({"target_group_size": "-20"}, "target_group_size", "impossible value", ""),
        ({"target_group_size": "200,000"}, "target_group_size", "impossible value", ""),
        ({"respondent_id": ""}, "respondent_id", "missing respondent id", ""),
        ({"respondent_id": "12a"}, "respondent_id", "respondent id is not a whole number", ""),
        ({"region": "N/A"}, "region", "missing required answer", ""),
        ({"council_type": ""}, "council_type", "missing required answer", ""),
        (
            {"communication_channels__website": "Leaflets in accessible formats"},
            "communication_channels__website",
            "value belongs to another column (communication_channels__leaflets)",
            "Website",
        ),
        ({"communication_channels__website": "Websit"}, "communication_channels__website", "unknown option", "Website"),
    ],
)
def test_row_faults_quarantine_the_whole_row(cells, column, reason, suggestion):
    result = clean(raw_of([{}, cells, {}]), CB)
    q = result.quarantine
    assert list(q.columns) == list(QUARANTINE_COLUMNS)
    assert q["source_row"].unique().tolist() == [4]
    row = q[q["column"] == column].iloc[0]
    assert row["reason"].startswith(reason)
    assert row["suggestion"] == suggestion
    assert row["value"] == cells[column]
    assert result.respondents["source_row"].tolist() == [3, 5]


def test_loader_row_faults_are_quarantined_with_their_reason():
    fault = RowFault(4, "", "'x'", "surplus fields: 46 fields where the header has 45")
    result = clean(raw_of([{}, {}, {}], faults=[fault]), CB)
    assert result.quarantine[["source_row", "reason"]].values.tolist() == [[4, fault.reason]]
    assert result.quarantine.loc[0, "respondent_id"] == "2"


def test_several_faults_of_one_row_give_several_lines_but_one_quarantined_row():
    result = clean(raw_of([{"region": "Mars", "market_rating": "9"}]), CB)
    assert len(result.quarantine) == 2 and result.quarantine["source_row"].nunique() == 1
    assert result.respondents.empty


def test_unparseable_numbers_are_missing_with_a_note_naming_the_row():
    result = clean(raw_of([{}, {"target_group_size": "ask finance"}]), CB)
    assert result.quarantine.empty
    assert pd.isna(result.respondents.loc[1, "target_group_size"])
    assert any("target_group_size" in n and "rows 4" in n for n in result.notes)


def test_every_raw_row_is_clean_or_quarantined_on_a_factory_export(tmp_path):
    rows = ef.export_rows(CB, n=40, seed=9)
    rows[5][ef.column_index(CB, "region")] = "Atlantis"
    rows[9][ef.column_index(CB, "respondent_id")] = ""
    rows[12][ef.column_index(CB, "market_rating")] = "7"
    raw = read_export(ef.write_export(tmp_path / "x.csv", rows), CB)
    result = clean(raw, CB)
    clean_rows = set(result.respondents["source_row"])
    quarantined = set(result.quarantine["source_row"])
    assert clean_rows.isdisjoint(quarantined)
    assert clean_rows | quarantined == set(raw.frame["source_row"])
    assert len(quarantined) == 3


def test_cell_faults_of_a_misaligned_row_are_not_reported_twice():
    fault = RowFault(4, "", "'x'", "missing fields: 30 fields where the header has 45")
    result = clean(raw_of([{}, {"region": "shifted text", "market_rating": "99"}, {}], faults=[fault]), CB)
    assert result.quarantine[["source_row", "column", "reason"]].values.tolist() == [[4, "", fault.reason]]


def test_control_character_fault_keeps_other_faults_of_the_row():
    fault = RowFault(4, "market_shaping", "a?b", "control characters: 0x07 in the answer")
    result = clean(raw_of([{}, {"region": "Atlantis"}, {}], faults=[fault]), CB)
    assert sorted(result.quarantine["column"]) == ["market_shaping", "region"]


def test_cleaning_on_a_second_thread_gives_the_same_result(tmp_path, monkeypatch):
    rows = ef.export_rows(CB, n=60, seed=11)
    rows[4][ef.column_index(CB, "region")] = "Londn"  # one quarantined row among clean ones
    raw = read_export(ef.write_export(tmp_path / "x.csv", rows), CB)
    monkeypatch.setattr(clean_module, "THREADED_MIN_ROWS", 10**9)
    inline = clean(raw, CB)
    monkeypatch.setattr(clean_module, "THREADED_MIN_ROWS", 0)
    threaded = clean(raw, CB)
    pd.testing.assert_frame_equal(threaded.respondents, inline.respondents)
    pd.testing.assert_frame_equal(threaded.quarantine, inline.quarantine)
    assert threaded.notes == inline.notes and len(threaded.quarantine) >= 1
