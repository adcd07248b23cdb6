"""Write the corpus of damaged exports and the table of expected outcomes.

Run from the repository root:  .venv/bin/python tests/ingest/malformed/make_corpus.py

Every file is derived from one valid export built from the codebook (tests/export_factory.py,
12 respondents, seed 2011), damaged in one way. ``expected.csv`` says what ``python -m adass_survey
build`` must do with each: refuse it (exit 2, message containing ``message``), quarantine rows
(exit 0, ``rows_quarantined`` rows, a quarantine reason containing ``reason``), or accept it
(exit 0, the build output containing ``message``). The script is deterministic; a test checks
that the committed files are what it writes.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, where export_factory is

import export_factory as ef  # noqa: E402
from adass_survey.core.codebook import load_codebook  # noqa: E402

FILES = HERE / "files"
COLUMNS = ["file", "outcome", "exit_code", "rows_quarantined", "message", "reason", "description"]


def base_rows() -> list[list[str]]:
    """The valid export every damaged file starts from."""
    return ef.export_rows(load_codebook(), n=12, seed=2011)


def col(key: str) -> int:
    return ef.column_index(load_codebook(), key)


def csv_bytes(rows, encoding="cp1252", delimiter=",", newline="\r\n") -> bytes:
    return ef.to_csv_text(rows, delimiter, newline).encode(encoding)


def with_cell(row_index: int, key: str, value: str) -> list[list[str]]:
    """Base rows with one cell replaced (row_index 0-based among all rows: 2 = first respondent)."""
    rows = base_rows()
    rows[row_index][col(key)] = value
    return rows


def cases() -> list[tuple[str, bytes, dict]]:
    """(file name, content, expected outcome) for every damaged export."""
    good = csv_bytes(base_rows())
    header = csv_bytes(base_rows()[:2])
    out = []

    def refused(name, content, message, description):
        out.append(
            (
                name,
                content,
                dict(
                    outcome="refused",
                    exit_code=2,
                    rows_quarantined="",
                    message=message,
                    reason="",
                    description=description,
                ),
            )
        )

    def quarantined(name, content, reason, description, n=1):
        out.append(
            (
                name,
                content,
                dict(
                    outcome="quarantined",
                    exit_code=0,
                    rows_quarantined=n,
                    message="",
                    reason=reason,
                    description=description,
                ),
            )
        )

    def accepted(name, content, message, description):
        out.append(
            (
                name,
                content,
                dict(
                    outcome="accepted",
                    exit_code=0,
                    rows_quarantined=0,
                    message=message,
                    reason="",
                    description=description,
                ),
            )
        )

    # --- refused: the whole file ---------------------------------------------------------------
    refused("empty.csv", b"", "the file is empty", "zero bytes")
    refused("whitespace_only.csv", b"  \r\n\t\r\n\r\n", "the file is empty", "only blank space")
    refused("header_only.csv", header, "no respondent rows", "both header rows, no respondents")
    refused("one_header_row.csv", csv_bytes(base_rows()[:1]), "has only 1 row", "the first header row only")
    refused(
        "binary_png.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary data", "an image renamed .csv"
    )
    lines = good.split(b"\r\n")
    lines[4] = lines[4].replace(b",", b",\x81", 1)
    damaged = b"\r\n".join(lines)
    row = damaged[: damaged.index(b"\x81")].count(b"\n") + 1
    refused(
        "undecodable_bytes.csv",
        damaged,
        f"row {row}: byte 0x81 cannot be read as text",
        "byte 0x81 (neither UTF-8 nor Windows-1252) in a respondent row",
    )
    refused(
        "html_page.csv",
        b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in</body></html>\n",
        "web page",
        "a saved sign-in page",
    )
    refused(
        "random_table.csv",
        b"name,age,city\r\nAda,36,London\r\nAlan,41,Manchester\r\n",
        "does not look like an export",
        "an unrelated CSV",
    )
    refused("json_file.csv", b'{"respondents": [1, 2, 3]}\n', "does not look like an export", "JSON, not CSV")
    rows = base_rows()
    for row in rows:
        del row[col("region")]
    refused(
        "missing_column.csv",
        csv_bytes(rows),
        "column 'Which region is your council in?': the column is missing",
        "the region column deleted",
    )
    rows = base_rows()
    rows[0][col("council_type")] = "What kind of council are you?"
    refused("renamed_column.csv", csv_bytes(rows), "looks like a renamed version", "the council type header reworded")
    refused(
        "duplicate_ids.csv",
        csv_bytes(with_cell(6, "respondent_id", "3")),
        "respondent id 3 appears more than once",
        "respondent id 3 given to two respondents",
    )
    rows = base_rows()
    for row in rows:
        row.append(row[col("region")])
    refused("duplicate_column.csv", csv_bytes(rows), "appears twice", "the region column pasted twice")
    rows = base_rows()
    del rows[1]
    refused("no_second_header.csv", csv_bytes(rows), "second header row is missing", "header row 2 deleted")
    rows = base_rows()
    rows[2:] = [[c.replace('"', "'").replace("\n", " ").replace(",", ";") for c in r] for r in rows[2:]]
    lines = csv_bytes(rows).split(b"\r\n")
    lines[5] = lines[5].replace(b",", b',"', 1)
    refused(
        "unclosed_quote.csv", b"\r\n".join(lines), "row 6: a quote mark", "a quote mark opened in row 6, never closed"
    )
    refused("corrupt_workbook.xlsx", b"PK\x03\x04" + b"not really a zip" * 20, "cannot be opened", "a damaged .xlsx")

    # --- quarantined rows -------------------------------------------------------------------------
    quarantined(
        "unknown_option.csv",
        csv_bytes(with_cell(4, "region", "Nort East")),
        "unknown option",
        "region 'Nort East' (nearest: North East)",
    )
    quarantined(
        "value_from_other_column.csv",
        csv_bytes(with_cell(5, "council_type", "London")),
        "value belongs to another column (region)",
        "a region in the council type column",
    )
    quarantined(
        "rating_six.csv",
        csv_bytes(with_cell(6, "market_rating", "6")),
        "impossible value",
        "rating 6 on the five-point scale",
    )
    quarantined(
        "negative_number.csv",
        csv_bytes(with_cell(7, "target_group_size", "-250")),
        "impossible value",
        "a negative count",
    )
    quarantined(
        "number_out_of_range.csv",
        csv_bytes(with_cell(8, "target_group_size", "2,500,000")),
        "impossible value",
        "a count above the questionnaire's maximum",
    )
    rows = base_rows()
    rows[3].append("stray cell")
    quarantined("surplus_fields.csv", csv_bytes(rows), "surplus fields", "one row has an extra, non-empty field")
    rows = base_rows()
    rows[9] = rows[9][:20]
    quarantined("missing_fields.csv", csv_bytes(rows), "missing fields", "one row cut short in the middle of the file")
    body = good.rstrip(b"\r\n")
    last_line = body.rfind(b"\n") + 1
    quarantined(
        "truncated_last_line.csv",
        body[: last_line + (len(body) - last_line) // 3],
        "truncated last line",
        "the file ends in the middle of the last row",
    )
    quarantined(
        "control_characters.csv",
        csv_bytes(with_cell(10, "market_shaping", "Good\x07 market\x1b")),
        "control characters",
        "bell and escape characters in a free-text answer",
    )
    quarantined(
        "missing_id.csv",
        csv_bytes(with_cell(11, "respondent_id", "")),
        "missing respondent id",
        "a blank respondent id",
    )
    quarantined(
        "id_not_a_number.csv",
        csv_bytes(with_cell(12, "respondent_id", "R12")),
        "respondent id is not a whole number",
        "respondent id 'R12'",
    )
    quarantined(
        "missing_required_answer.csv",
        csv_bytes(with_cell(2, "council_type", "n/a")),
        "missing required answer",
        "council type 'n/a'",
    )
    quarantined(
        "unknown_multi_value.csv",
        csv_bytes(with_cell(3, "communication_channels__website", "Maybe")),
        "unknown option",
        "a multi-choice cell holding 'Maybe'",
    )
    rows = base_rows()
    rows[4][col("region")] = "Londres"
    rows[6][col("market_rating")] = "0"
    quarantined("two_bad_rows.csv", csv_bytes(rows), "unknown option", "two rows at fault", n=2)

    # --- accepted, with a note ------------------------------------------------------------------
    accepted("semicolon.csv", csv_bytes(base_rows(), delimiter=";"), "semicolon-delimited", "semicolons")
    accepted(
        "utf8_bom.csv",
        csv_bytes(with_cell(2, "market_shaping", "Café network – £18 an hour"), "utf-8-sig"),
        "UTF-8 with BOM",
        "UTF-8 with a byte-order mark",
    )
    accepted(
        "utf8.csv",
        csv_bytes(with_cell(2, "market_shaping", "Café network – £18 an hour"), "utf-8"),
        "encoded as UTF-8",
        "UTF-8 without BOM",
    )
    accepted("lf_endings.csv", csv_bytes(base_rows(), newline="\n"), "rows in 12 = clean 12", "Unix line endings")
    accepted("trailing_blank_lines.csv", good + b"\r\n\r\n\r\n", "trailing blank line", "three blank lines at the end")
    accepted("no_final_newline.csv", good.rstrip(b"\r\n"), "rows in 12 = clean 12", "no line break after the last row")
    rows = base_rows()
    rows[0].append("Internal notes")
    rows[1].append("")
    for row in rows[2:]:
        row.append("checked")
    accepted("extra_column.csv", csv_bytes(rows), "ignored 1 unknown column(s): Internal notes", "an extra column")
    accepted(
        "unparseable_number.csv",
        csv_bytes(with_cell(5, "target_group_size", "don't know exactly")),
        "no usable number",
        "a count written in words only",
    )
    rows = base_rows()
    order = list(range(len(rows[0])))
    order = order[:4] + order[4:][::-1]
    accepted(
        "reversed_columns.csv",
        csv_bytes([[r[j] for j in order] for r in rows]),
        "rows in 12 = clean 12",
        "question columns in reverse order (multi-choice options keep their labels)",
    )
    rows = base_rows()
    rows.insert(7, [""] * len(rows[0]))
    accepted("blank_row_in_middle.csv", csv_bytes(rows), "blank row(s) ignored", "an empty row between respondents")
    rows = base_rows()
    rows[0] = [f"  {h.upper()} " if h else h for h in rows[0]]
    accepted("header_case_and_spaces.csv", csv_bytes(rows), "rows in 12 = clean 12", "headers in capitals, padded")
    accepted(
        "quoted_newlines.csv",
        csv_bytes(with_cell(4, "market_shaping", "Line one\r\nLine two, with comma")),
        "rows in 12 = clean 12",
        "a free-text answer over two lines",
    )
    return out


def workbook_bytes() -> bytes:
    """The base export as an .xlsx workbook."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = ef.write_xlsx(Path(folder) / "export.xlsx", base_rows())
        return path.read_bytes()


def expected_table(rows: list[tuple[str, bytes, dict]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for name, _, expected in rows:
        writer.writerow({"file": name, **expected})
    return buffer.getvalue()


def main() -> int:
    FILES.mkdir(exist_ok=True)
    rows = cases()
    for name, content, _ in rows:
        (FILES / name).write_bytes(content)
    (HERE / "expected.csv").write_text(expected_table(rows), encoding="utf-8")
    print(f"wrote {len(rows)} damaged exports to {FILES.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
