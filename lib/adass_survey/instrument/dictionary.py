"""The data dictionary: one row per export column, with its question, type, codes and labels (CSV or HTML)."""

from __future__ import annotations

import csv
import io
from html import escape

from ..core.codebook import Codebook, Question, load_codebook
from .questionnaire import skip_notes
from .template import template_columns

FIELDS = ("column", "question_id", "section", "question", "type", "codes", "labels", "asked_if")
TYPE_NAMES = {
    "id": "identifier",
    "meta": "survey-tool metadata",
    "single": "one option",
    "yes_no": "yes or no",
    "multi": "ticked or blank",
    "likert5": "rating 1 to 5",
    "number": "number",
    "percent_text": "percentage, banded",
    "text": "free text, coded into themes",
}


def _codes(question: Question, column: str) -> tuple[list[str], list[str]]:
    if question.type == "multi":
        label = next(o.label for o in question.options if question.multi_column(o.code) == column)
        return ["true", "false"], [f"ticked: {label}", "blank"]
    if question.type == "percent_text":
        pairs = [(b.code, b.label) for b in question.bands]
        pairs += [(question.unbanded.code, question.unbanded.label)] if question.unbanded else []
    elif question.type == "text":
        pairs = [(t.code, t.label) for t in question.frame]
    elif question.type == "number":
        pairs = [("", f"{question.min:g} to {question.max:g}")]
    else:
        pairs = [(o.code, o.label) for o in question.options]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def dictionary_rows(codebook: Codebook | None = None) -> list[dict[str, str]]:
    """Return the data dictionary, one dict per export column (codes and labels joined with ``" | "``).

    Examples
    --------
    >>> rows = {r["column"]: r for r in dictionary_rows()}
    >>> rows["market_rating"]["codes"], rows["market_rating"]["labels"]
    ('1 | 2 | 3 | 4 | 5', 'Poor | Average | Good | Very good | Excellent')
    >>> rows["take_up"]["type"], rows["accounting_transition"]["asked_if"][:27]
    ('percentage, banded', 'Answer only if you answered')
    """
    codebook = codebook or load_codebook()
    notes = skip_notes(codebook=codebook)
    rows = []
    for column, _, _ in template_columns(codebook):
        question = codebook[column.split("__")[0]]
        codes, labels = _codes(question, column)
        rows.append(
            {
                "column": column,
                "question_id": question.id,
                "section": question.section,
                "question": question.header,
                "type": TYPE_NAMES[question.type],
                "codes": " | ".join(codes),
                "labels": " | ".join(labels),
                "asked_if": notes.get(question.id, ""),
            }
        )
    return rows


def dictionary_csv(codebook: Codebook | None = None) -> str:
    """Return the data dictionary as CSV text.

    Examples
    --------
    >>> dictionary_csv().splitlines()[0]
    'column,question_id,section,question,type,codes,labels,asked_if'
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(dictionary_rows(codebook))
    return buffer.getvalue()


def dictionary_html(codebook: Codebook | None = None) -> str:
    """Return the data dictionary as an HTML document with one table.

    Examples
    --------
    >>> html = dictionary_html()
    >>> html.count("<tr>") == len(dictionary_rows()) + 1, '<th scope="col">codes</th>' in html
    (True, True)
    """
    head = "".join(f'<th scope="col">{escape(f)}</th>' for f in FIELDS)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(row[f])}</td>" for f in FIELDS) + "</tr>" for row in dictionary_rows(codebook)
    )
    style = (
        "body{font-family:Arial,Helvetica,sans-serif;font-size:10pt}table{border-collapse:collapse}"
        "th,td{border:1px solid #b1b4b6;padding:0.2rem 0.4rem;text-align:left;vertical-align:top}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Data dictionary</title>'
        f"<style>{style}</style></head><body><h1>Data dictionary</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>"
    )
