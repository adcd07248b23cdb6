"""Reading exports: encodings, delimiters, line endings, .xlsx, header matching, row faults, refusals."""

from __future__ import annotations

import pandas as pd
import pytest

import export_factory as ef
from adass_survey.core.codebook import load_codebook
from adass_survey.core.errors import SurveyInputError
from adass_survey.ingest import decode, model, parse
from adass_survey.ingest.model import column_specs
from adass_survey.ingest.read import read_export

CB = load_codebook()


@pytest.fixture
def rows():
    return ef.export_rows(CB, n=8, seed=3)


def _expected_frame(rows):
    keys = [s.key for s in column_specs(CB)]
    return pd.DataFrame([dict(zip(keys, r)) for r in rows[2:]])


@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline", "reported"),
    [
        ("cp1252", ",", "\r\n", "cp1252"),
        ("utf-8", ",", "\n", "utf-8"),
        ("utf-8-sig", ";", "\r\n", "utf-8-sig"),
        ("cp1252", ";", "\n", "cp1252"),
    ],
)
def test_csv_variants_read_the_same_cells(tmp_path, rows, encoding, delimiter, newline, reported):
    rows[2][ef.column_index(CB, "market_shaping")] = "Café – £18 per hour, “brokered”"
    path = ef.write_export(tmp_path / "x.csv", rows, encoding, delimiter, newline)
    raw = read_export(path, CB)
    assert (raw.encoding, raw.delimiter) == (reported, delimiter)
    expected = _expected_frame(rows)
    got = raw.frame[expected.columns].astype(object)
    # a quoted CRLF inside a field is kept as written; the writer used `newline` there too
    assert got.map(lambda v: v.replace("\r\n", "\n")).equals(expected.map(lambda v: v.replace("\r\n", "\n")))
    assert raw.unknown_columns == [] and raw.row_faults == []


def test_source_row_counts_physical_lines_of_quoted_newlines(tmp_path, rows):
    rows[2:] = [[c.replace("\n", " ") for c in r] for r in rows[2:]]
    rows[3][ef.column_index(CB, "market_shaping")] = "first\nsecond\nthird"
    raw = read_export(ef.write_export(tmp_path / "x.csv", rows), CB)
    assert raw.frame["source_row"].tolist()[:4] == [3, 4, 7, 8]


def test_fast_path_equals_exact_path(tmp_path, rows, monkeypatch):
    rows[4][ef.column_index(CB, "market_shaping")] = 'quoted "inner", and\r\na second line'
    path = ef.write_export(tmp_path / "x.csv", rows)
    exact = read_export(path, CB)
    monkeypatch.setattr(parse, "FAST_PATH_MIN_BYTES", 0)
    calls = []
    original = parse._fast_parse
    monkeypatch.setattr(parse, "_fast_parse", lambda *a: calls.append(1) or original(*a))
    fast = read_export(path, CB)
    assert calls and fast.frame.attrs == {}
    pd.testing.assert_frame_equal(
        fast.frame.astype(object).reset_index(drop=True), exact.frame.astype(object).reset_index(drop=True)
    )


def test_fast_path_falls_back_on_ragged_rows(tmp_path, rows, monkeypatch):
    rows[3].append("surplus")
    monkeypatch.setattr(parse, "FAST_PATH_MIN_BYTES", 0)
    raw = read_export(ef.write_export(tmp_path / "x.csv", rows), CB)
    assert [f.source_row for f in raw.row_faults] == [raw.frame["source_row"].iloc[1]]
    assert raw.row_faults[0].reason.startswith(model.ROW_FAULT_SURPLUS)


def test_xlsx_export_reads_like_csv(tmp_path, rows):
    raw = read_export(ef.write_xlsx(tmp_path / "x.xlsx", rows), CB)
    assert raw.encoding == "xlsx"
    expected = _expected_frame(rows)
    assert raw.frame[expected.columns].values.tolist() == expected.values.tolist()
    assert raw.frame["source_row"].tolist() == list(range(3, 3 + len(rows) - 2))


def test_headers_match_ignoring_case_space_and_order_and_extras_are_listed(tmp_path, rows):
    rows = [r + [x] for r, x in zip(rows, ["Notes", "", *["n"] * (len(rows) - 2)])]
    rows[0] = [f"  {h.upper()}  " for h in rows[0]]
    order = [0, *range(len(rows[0]) - 1, 0, -1)]
    rows = [[r[j] for j in order] for r in rows]
    raw = read_export(ef.write_export(tmp_path / "x.csv", rows), CB)
    assert raw.unknown_columns == ["NOTES"]
    assert set(raw.columns_found) == {s.key for s in column_specs(CB)}
    assert raw.frame["respondent_id"].tolist() == [str(i) for i in range(1, 9)]


def test_trailing_blank_lines_and_blank_rows_are_noted_not_kept(tmp_path, rows):
    rows.insert(4, [""] * len(rows[0]))
    path = ef.write_export(tmp_path / "x.csv", rows)
    path.write_bytes(path.read_bytes() + b"\r\n\r\n")
    raw = read_export(path, CB)
    assert len(raw.frame) == 8
    assert any("blank row" in n for n in raw.notes) and any("trailing blank line" in n for n in raw.notes)


def test_missing_fields_and_truncated_last_line_are_row_faults(tmp_path, rows):
    rows[2:] = [[c.replace("\n", " ") for c in r] for r in rows[2:]]
    rows[3] = rows[3][:10]
    text = ef.to_csv_text(rows)
    path = tmp_path / "x.csv"
    body = text.rstrip("\r\n")
    last_line = body.rfind("\n") + 1
    path.write_bytes(body[: last_line + (len(body) - last_line) // 3].encode("cp1252"))
    raw = read_export(path, CB)
    reasons = {f.source_row: f.reason.split(":")[0] for f in raw.row_faults}
    assert reasons == {4: model.ROW_FAULT_MISSING, 10: model.ROW_FAULT_TRUNCATED}


def test_control_characters_are_row_faults(tmp_path, rows):
    rows[5][ef.column_index(CB, "market_shaping")] = "bad\x0bvalue"
    raw = read_export(ef.write_export(tmp_path / "x.csv", rows), CB)
    assert [(f.column, f.reason.split(":")[0]) for f in raw.row_faults] == [("market_shaping", model.ROW_FAULT_CONTROL)]


@pytest.mark.parametrize(
    ("encoding", "control"),
    [("cp1252", "\x0b"), ("utf-8", "\x0b"), ("utf-8", "\x85"), ("utf-8-sig", "\x7f"), ("cp1252", "\x1f")],
)
def test_fast_path_finds_the_control_characters_the_exact_path_finds(tmp_path, rows, monkeypatch, encoding, control):
    rows[5][ef.column_index(CB, "market_shaping")] = f"bad{control}value"
    rows[7][ef.column_index(CB, "region")] = f"{control}London"
    path = ef.write_export(tmp_path / "x.csv", rows, encoding=encoding)
    exact = read_export(path, CB)
    monkeypatch.setattr(parse, "FAST_PATH_MIN_BYTES", 0)
    calls = []
    original = parse._fast_parse
    monkeypatch.setattr(parse, "_fast_parse", lambda *a: calls.append(original(*a)) or calls[-1])
    fast = read_export(path, CB)
    assert calls and calls[0] is not None, "the fast path must not fall back for a control character"
    assert len(exact.row_faults) == 2
    assert sorted(fast.row_faults, key=str) == sorted(exact.row_faults, key=str)


def test_fast_path_counts_line_breaks_without_a_control_character(tmp_path, rows, monkeypatch):
    rows[2:] = [[c.replace("\n", " ") for c in r] for r in rows[2:]]
    rows[4][ef.column_index(CB, "market_shaping")] = "tab\there\r\nand a second line"
    path = ef.write_export(tmp_path / "x.csv", rows)
    monkeypatch.setattr(parse, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(decode, "SCAN_BLOCK", 7)  # line breaks and control bytes across block edges
    monkeypatch.setattr(parse, "SCAN_BLOCK", 7)
    raw = read_export(path, CB)
    assert raw.row_faults == []
    assert raw.frame["source_row"].tolist() == [3, 4, 5, 7, 8, 9, 10, 11]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\r\n  \r\n", "empty"),
        (b"Respondent ID,Region\r\n1,\x00\x00", "binary"),
        (b"\x81\x8d\x8f\x90\x9d" * 3, "cannot be read as text"),
        (b"<html><body>Error 500</body></html>", "web page"),
        (b"PK\x03\x04garbage", "cannot be opened"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(SurveyInputError, match=message) as error:
        read_export(path, CB)
    assert "x.csv" in str(error.value)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(SurveyInputError, match="does not exist"):
        read_export(tmp_path / "nope.csv", CB)


def test_duplicate_question_column_is_refused(tmp_path, rows):
    rows = [r + [r[ef.column_index(CB, "strategy")]] for r in rows]
    with pytest.raises(SurveyInputError, match="appears twice") as error:
        read_export(ef.write_export(tmp_path / "x.csv", rows), CB)
    assert error.value.column == CB["strategy"].header


def test_old_excel_workbook_is_refused_by_name(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(SurveyInputError, match=r"old-style Excel workbook \(\.xls\)"):
        read_export(path, CB)


def test_ascii_and_utf8_files_share_one_reading(tmp_path, rows):
    path = ef.write_export(tmp_path / "x.csv", rows, encoding="utf-8")
    again = ef.write_export(tmp_path / "y.csv", rows, encoding="cp1252")
    a, b = read_export(path, CB), read_export(again, CB)
    assert a.frame.drop(columns="source_row").values.tolist() == b.frame.drop(columns="source_row").values.tolist()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_fast_path_reads_every_encoding_and_refuses_bad_bytes_by_row(tmp_path, rows, monkeypatch, encoding):
    monkeypatch.setattr(parse, "FAST_PATH_MIN_BYTES", 0)
    rows[2][ef.column_index(CB, "market_shaping")] = "Café – £18"
    path = ef.write_export(tmp_path / "x.csv", rows, encoding=encoding)
    raw = read_export(path, CB)
    assert (raw.encoding, raw.frame["market_shaping"].iloc[0]) == (encoding, "Café – £18")
    content = path.read_bytes()
    cut = content.index(b"\n", len(content) // 2) + 1
    path.write_bytes(content[:cut] + b"\x81\x8d" + content[cut:])
    with pytest.raises(SurveyInputError, match="0x81") as error:
        read_export(path, CB)
    assert error.value.row == content[:cut].count(b"\n") + 1


def test_cp1252_transcoding_equals_the_codec_across_block_edges(monkeypatch):
    defined = bytes(b for b in range(256) if bytes([b]) not in decode._UNDEFINED_CP1252)
    data = b"plain ascii, " + defined + b"\r\n\x93quoted\x94 \xa3" * 5 + defined[::-1]
    for block in (1, 7, 1 << 20):
        monkeypatch.setattr(decode, "TRANSCODE_BLOCK", block)
        assert decode.cp1252_to_utf8(data) == data.decode("cp1252").encode("utf-8")
    assert decode.cp1252_to_utf8(b"all ascii\r\n") == b"all ascii\r\n"
    assert decode.cp1252_to_utf8(b"") == b""


@pytest.mark.parametrize("bad", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_cp1252_transcoding_refuses_undefined_bytes_where_the_codec_does(bad):
    data = b"caf\xe9 \x93x\x94" + bytes([bad]) + b" \x81 end"
    with pytest.raises(UnicodeDecodeError) as error:
        decode.cp1252_to_utf8(data)
    with pytest.raises(UnicodeDecodeError) as codec:
        data.decode("cp1252")
    assert (error.value.start, error.value.end) == (codec.value.start, codec.value.end) == (8, 9)


def test_line_breaks_are_found_in_sliced_arrow_columns():
    import pyarrow as pa

    values = pa.array(["a", "b\nc", "d", "e", "f"], type=pa.large_string())
    column = pa.chunked_array([values.slice(0, 1), values.slice(2, 3), values.slice(1, 1)])
    assert parse._holds_line_break(pa.chunked_array([values.slice(0, 1), values.slice(2, 3)])) is False
    assert parse._holds_line_break(column) is True
    assert parse._holds_line_break(pa.chunked_array([pa.array(["", ""], type=pa.large_string())])) is False


def test_big_cp1252_file_reads_like_the_exact_path_with_quoted_line_breaks(tmp_path, rows, monkeypatch):
    rows[3][ef.column_index(CB, "market_shaping")] = "“first”\r\nsecond – £3"
    rows[5][ef.column_index(CB, "strategy")] = "Café\nline"
    path = ef.write_export(tmp_path / "x.csv", rows, encoding="cp1252")
    exact = read_export(path, CB)
    monkeypatch.setattr(parse, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(decode, "TRANSCODE_BLOCK", 5)
    monkeypatch.setattr(decode, "STREAM_BLOCK", 3)  # UTF-8 read in pieces cut across characters and rows
    calls = []
    original = parse._fast_parse
    monkeypatch.setattr(parse, "_fast_parse", lambda *a: calls.append(original(*a)) or calls[-1])
    fast = read_export(path, CB)
    assert calls and calls[0] is not None  # pyarrow read it (no fallback to the csv module)
    assert (fast.encoding, fast.sha256) == (exact.encoding, exact.sha256) == ("cp1252", exact.sha256)
    pd.testing.assert_frame_equal(
        fast.frame.astype(object).reset_index(drop=True), exact.frame.astype(object).reset_index(drop=True)
    )
    assert fast.frame["source_row"].tolist()[1:3] == [4, 6]


def test_utf8_stream_reads_the_transcoded_bytes_in_any_pieces(monkeypatch):
    data = ("“Café” – £18,\r\n" * 40).encode("cp1252")
    expected = data[2:-3].decode("cp1252").encode("utf-8")
    for block in (1, 4, 1 << 24):
        monkeypatch.setattr(decode, "STREAM_BLOCK", block)
        for size in (1, 5, 64, -1):
            stream = decode.Utf8Stream(data, 2, len(data) - 3, *decode.high_bytes(data))
            pieces = []
            while piece := stream.read(size):
                assert size < 0 or len(piece) <= size
                pieces.append(piece)
            assert b"".join(pieces) == expected
