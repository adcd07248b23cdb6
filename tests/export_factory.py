"""Build small, valid survey exports from the codebook, so tests never depend on the shipped file.

The exports follow docs/data-flow.md: two header rows, then one respondent per row, with answers
written the way a survey tool writes them (option labels, hand-written numbers, free text).
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from adass_survey.core.codebook import Codebook, load_codebook
from adass_survey.ingest.model import column_specs

TEXT_ANSWERS = [
    "We have mainstreamed personal budgets, with training for all staff.",
    'Leaflets, a website and "road shows" across the county',
    "Multi-line answer:\nfirst point\nsecond point",
    "n/a",
    "",
    "Support planning and brokerage through a user-led organisation; £18 per hour",
]
NUMBER_ANSWERS = ["approx 12,000", "c.4500", "15000+", "3200", "", "not known", "10,000 - 12,000"]
PERCENT_ANSWERS = ["45%", "About 62.5% of eligible people", "70", "", "not known", "59.9%"]


def header_rows(codebook: Codebook) -> list[list[str]]:
    """The two header rows of an export of ``codebook``."""
    top, sub = [], []
    for spec in column_specs(codebook):
        q = spec.question
        if q.type == "multi":
            first = spec.option_code == q.options[0].code
            top.append(q.header if first else "")
            sub.append(q.option_labels()[spec.option_code])
        else:
            top.append(q.header)
            sub.append(
                ""
                if q.type in ("id", "meta")
                else "Open-Ended Response"
                if q.type in ("text", "number", "percent_text")
                else "Response"
            )
    return [top, sub]


def answer_row(codebook: Codebook, respondent_id: int, rng: random.Random) -> list[str]:
    """One respondent's row with valid (if messy) answers."""
    row = []
    for spec in column_specs(codebook):
        q = spec.question
        if q.type == "id":
            row.append(str(respondent_id))
        elif q.type == "meta":
            row.append("2011-08-15 10:00:00" if "date" in q.id else "12345")
        elif q.type in ("single", "likert5"):
            option = rng.choice(q.options)
            row.append(rng.choice([option.label, option.label.upper(), f"  {option.label} "]))
        elif q.type == "yes_no":
            row.append(rng.choice(["Yes", "No", "yes", "Y", "", "N/A"]))
        elif q.type == "multi":
            row.append(q.option_labels()[spec.option_code] if rng.random() < 0.5 else "")
        elif q.type == "number":
            row.append(rng.choice(NUMBER_ANSWERS))
        elif q.type == "percent_text":
            row.append(rng.choice(PERCENT_ANSWERS))
        else:
            examples = [e for t in q.frame for e in t.examples] or TEXT_ANSWERS
            row.append(rng.choice(examples + TEXT_ANSWERS))
    return row


def export_rows(codebook: Codebook | None = None, n: int = 12, seed: int = 0) -> list[list[str]]:
    """Header rows plus ``n`` respondents (ids 1..n)."""
    codebook = codebook or load_codebook()
    rng = random.Random(seed)
    return header_rows(codebook) + [answer_row(codebook, i + 1, rng) for i in range(n)]


def to_csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    """Rows as CSV text with minimal quoting."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


def write_export(
    path: Path, rows: list[list[str]], encoding: str = "cp1252", delimiter: str = ",", newline: str = "\r\n"
) -> Path:
    """Write rows as a CSV export; return the path."""
    path.write_bytes(to_csv_text(rows, delimiter, newline).encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """Write rows as a one-sheet .xlsx export; return the path."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([int(c) if c.isdigit() and len(c) < 10 else (c or None) for c in row])
    workbook.save(path)
    return path


def column_index(codebook: Codebook, key: str) -> int:
    """0-based position of a codebook column key in a factory export."""
    return [s.key for s in column_specs(codebook)].index(key)
