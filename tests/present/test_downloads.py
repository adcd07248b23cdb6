"""Downloads: data-URI links whose bytes hold the suppressed figures, the base, [c] and the notices."""

import base64
import io
import re

import openpyxl
import pandas as pd
import pytest

from adass_survey import SYNTHETIC_NOTICE
from adass_survey.disclosure.policy import DisclosurePolicy
from adass_survey.present.downloads import csv_download_link, xlsx_download_link
from adass_survey.tables.tabulate import frequency_table


def _payload(link):
    match = re.match(r'<a download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', link)
    assert match, link
    return match.group(1), match.group(2), base64.b64decode(match.group(3))


@pytest.fixture
def table():
    df = pd.DataFrame({"on_target": ["yes"] * 50 + ["no"] * 2 + [None] * 6})
    return DisclosurePolicy().suppress(frequency_table(df, "on_target"), title="On target for 2013")


def _sheet_body(data):
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [[c.value for c in row] for row in book["Table_1"].iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[0] == "Answer")
    return book, cells[header], cells[header + 1 :]


def test_csv_link_holds_suppressed_rows_base_and_notes(table):
    name, mime, data = _payload(csv_download_link(table, "on target.csv"))
    assert name == "on_target.csv" and mime == "text/csv"
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(frame) == len(table.values)
    assert (frame["Councils"] == "[c]").sum() == (table.display["Councils"] == "[c]").sum() >= 2
    assert "2" not in frame.loc[frame["Answer"] == "No", "Councils"].tolist()
    assert set(frame["Base (councils)"]) == {"58"} and set(frame["Status"]) == {"synthetic (illustrative)"}
    hidden = frame["Councils"] == "[c]"
    assert frame.loc[hidden, "Note"].str.contains("confidential").all() and (frame.loc[~hidden, "Note"] == "").all()
    assert frame.loc[frame["Answer"] == "Yes", ["Councils", "Percent"]].values.tolist() == [["50", "86"]]


def test_csv_and_spreadsheet_have_the_same_readable_columns(table):
    _, _, csv = _payload(csv_download_link(table, "t.csv"))
    _, _, xlsx = _payload(xlsx_download_link(table, "t.xlsx"))
    columns = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", nrows=0).columns.tolist()
    _, header, _ = _sheet_body(xlsx)
    assert columns == header
    assert "95% interval, lower (percent)" in columns and "95% interval, upper (percent)" in columns
    assert not {"question_id", "category", "Question id", "Ci 95"} & set(columns)
    assert not any("_" in c for c in columns)


def test_xlsx_link_has_cover_notes_and_table(table):
    name, mime, data = _payload(xlsx_download_link(table, "on_target.xlsx"))
    assert mime.endswith("spreadsheetml.sheet")
    book, header, rows = _sheet_body(data)
    assert book.sheetnames[0] == "Cover" and "Notes" in book.sheetnames and "Table_1" in book.sheetnames
    cover = " ".join(str(c.value) for row in book["Cover"].iter_rows() for c in row if c.value)
    assert SYNTHETIC_NOTICE in cover and "[c]" in cover and "Base: 58" in cover
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value)
    assert "[c] hidden" in notes and "Base: 58 councils" in notes
    body = pd.DataFrame(rows, columns=header)
    assert len(body) == len(table.values)
    assert (body["Councils"] == "[c]").sum() >= 2
    assert "__missing__" not in body.astype(str).values


def test_spreadsheet_stores_numbers_as_numbers_and_c_as_text_with_its_note():
    df = pd.DataFrame({"on_target": ["yes"] * 40 + ["no"] * 15 + [None] * 3})
    table = DisclosurePolicy().suppress(frequency_table(df, "on_target"))
    _, _, data = _payload(xlsx_download_link(table, "t.xlsx"))
    _, header, rows = _sheet_body(data)
    numeric = ["Councils", "Percent", "95% interval, lower (percent)", "95% interval, upper (percent)"]
    by_answer = {row[0]: dict(zip(header, row)) for row in rows}
    for column in numeric + ["Base (councils)"]:
        assert isinstance(by_answer["Yes"][column], int), (column, by_answer["Yes"][column])
    assert by_answer["Yes"]["Councils"] == 40 and by_answer["Yes"]["Percent"] == 69
    assert by_answer["Yes"]["95% interval, lower (percent)"] < 69 < by_answer["Yes"]["95% interval, upper (percent)"]
    hidden = [row for row in by_answer.values() if row["Councils"] == "[c]"]
    assert hidden, "the table should hold a [c]"
    for row in hidden:
        assert all(row[c] == "[c]" for c in numeric) and "confidential" in row["Note"]
    assert by_answer["No"]["Councils"] == "[c]"  # 15 "no" hidden beside a small "no response"


def test_downloads_refuse_raw_or_withheld_tables(table):
    raw = frequency_table(pd.DataFrame({"on_target": ["yes"] * 58}), "on_target")
    with pytest.raises(TypeError):
        csv_download_link(raw, "x.csv")
    withheld = DisclosurePolicy().suppress(frequency_table(pd.DataFrame({"on_target": ["yes"] * 3}), "on_target"))
    with pytest.raises(ValueError, match="withheld"):
        xlsx_download_link(withheld, "x.xlsx")


def test_published_table_download_is_labelled_as_published():
    df = pd.DataFrame({"market_rating": ["2"] * 4 + ["3"] * 46 + ["4"] * 7 + ["5"]})
    st = DisclosurePolicy().published(frequency_table(df, "market_rating", include_missing=False))
    _, _, data = _payload(csv_download_link(st, "rating.csv"))
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert set(frame["Status"]) == {"as published in the report"}
    assert frame.loc[frame["Answer"] == "Excellent", "Councils"].item() == "1"
