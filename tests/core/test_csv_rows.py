"""The one CSV reader of data files (``adass_survey.core.csv_rows``), which the validated tables and the compare
page both read through."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from adass_survey.compare.published import errata_by_id, figure_rows
from adass_survey.core.csv_rows import read_csv_rows
from adass_survey.core.errors import SurveyInputError
from adass_survey.core.paths import published_dir
from adass_survey.published.figures import load_errata, load_figures


def test_rows_are_text_as_written_and_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,note\nA,"two, words"\n\nB,\n', encoding="utf-8")
    assert read_csv_rows(path) == (["id", "note"], [{"id": "A", "note": "two, words"}, {"id": "B", "note": ""}])


def test_a_ragged_line_is_refused_with_its_number(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,note\nA,x\nB,y,z\n", encoding="utf-8")
    with pytest.raises(SurveyInputError, match="3 cells, the header 2") as error:
        read_csv_rows(path)
    assert error.value.row == 3


def test_a_missing_or_undecodable_file_is_refused(tmp_path):
    with pytest.raises(SurveyInputError, match="does not exist"):
        read_csv_rows(tmp_path / "absent.csv")
    (tmp_path / "latin.csv").write_bytes("id\nBr\xe9\n".encode("latin-1"))
    with pytest.raises(SurveyInputError, match="UTF-8"):
        read_csv_rows(tmp_path / "latin.csv")


@pytest.mark.parametrize("name", ["figures.csv", "errata.csv", "context.csv", "key_messages.csv"])
def test_the_tables_read_as_pandas_reads_the_file(name):
    """The DataFrame the schemas check is the one ``pandas.read_csv`` (text, empty cells missing) would give."""
    from adass_survey.published.figures import read_validated

    path = published_dir() / name
    header, rows = read_csv_rows(path)
    expected = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    built = pd.DataFrame([[v or None for v in r.values()] for r in rows], columns=header, dtype="str")
    assert_frame_equal(built, expected)
    if name == "errata.csv":
        from adass_survey.published.figures import ERRATA_SCHEMA

        assert_frame_equal(read_validated(path, ERRATA_SCHEMA), ERRATA_SCHEMA.validate(expected))


def test_the_compare_rows_are_the_validated_figures():
    table = load_figures().set_index("id")
    rows = {row["id"]: row for row in figure_rows()}
    assert sorted(rows) == sorted(table.index)
    for figure_id, row in rows.items():
        for column in ("count", "base", "percent_printed", "question", "category", "erratum_id"):
            value = table.at[figure_id, column]
            number = column in ("count", "base", "percent_printed")
            expected = (None if number else "") if pd.isna(value) else (int(value) if number else value)
            assert row[column] == expected, (figure_id, column)
    assert set(errata_by_id()) == set(load_errata()["id"])
