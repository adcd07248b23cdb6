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


def test_csv_link_holds_suppressed_rows_base_and_notes(table):
    name, mime, data = _payload(csv_download_link(table, "on target.csv"))
    assert name == "on_target.csv" and mime == "text/csv"
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert len(frame) == len(table.values)
    assert (frame["count"] == "[c]").sum() == (table.display["Councils"] == "[c]").sum() >= 2
    assert "2" not in frame.loc[frame["label"] == "No", "count"].tolist()
    assert set(frame["base"]) == {"58"} and set(frame["status"]) == {"synthetic (illustrative)"}
    assert frame.loc[frame["count"] == "[c]", "note"].str.contains("confidential").all()


def test_xlsx_link_has_cover_notes_and_table(table):
    name, mime, data = _payload(xlsx_download_link(table, "on_target.xlsx"))
    assert mime.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "Cover" and "Notes" in book.sheetnames and "Table_1" in book.sheetnames
    cover = " ".join(str(c.value) for row in book["Cover"].iter_rows() for c in row if c.value)
    assert SYNTHETIC_NOTICE in cover and "[c]" in cover and "Base: 58" in cover
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value)
    assert "confidential" in notes and "Base: 58 councils" in notes
    cells = [[c.value for c in row] for row in book["Table_1"].iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[0] == "Question id")
    body = pd.DataFrame(cells[header + 1 :], columns=cells[header])
    assert len(body) == len(table.values)
    assert (body["Count"] == "[c]").sum() >= 2


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
    assert set(frame["status"]) == {"as published in the report"}
    assert frame.loc[frame["label"] == "Excellent", "count"].item() == "1"
