"""The printable questionnaire: each question's text, its answer options and its skip note, as one HTML page."""

from __future__ import annotations

from html import escape
from pathlib import Path

import yaml

from ..core.codebook import Codebook, Question, load_codebook
from ..core.paths import codebook_path

NOT_ASKED = ("id", "meta")
STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45; max-width: 46rem;
       margin: 1.5rem auto; padding: 0 1rem; color: #0b0c0c; }
h1 { font-size: 1.5rem; } .q { margin: 1.1rem 0; break-inside: avoid; page-break-inside: avoid; }
.q h2 { font-size: 1.05rem; margin: 0 0 0.3rem; } .skip { font-style: italic; margin: 0 0 0.3rem; }
ul { list-style: none; padding-left: 0.5rem; margin: 0.2rem 0; } li::before { content: "\\2610\\00a0\\00a0"; }
.write { border: 1px solid #505a5f; min-height: 4.5rem; margin-top: 0.3rem; } .write.short { min-height: 1.8rem; }
@media print { @page { size: A4; margin: 15mm; } body { max-width: none; margin: 0; } }
"""


def skip_notes(path: str | Path | None = None, codebook: Codebook | None = None) -> dict[str, str]:
    """Return each conditional question's skip note, from the codebook's ``asked_if`` fields.

    Examples
    --------
    >>> skip_notes()["accounting_transition"]
    "Answer only if you answered 'No' to question 10.1 (Accounting down to the individual)."
    """
    path = Path(path) if path else codebook_path()
    codebook = codebook or load_codebook(path)
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    notes = {}
    for question in raw["questions"]:
        condition = question.get("asked_if")
        if condition:
            asked = codebook[condition["question"]]
            label = asked.option_labels().get(str(condition["answer"]), str(condition["answer"]))
            notes[question["id"]] = (
                f"Answer only if you answered '{label}' to question {asked.section} ({asked.short or asked.id})."
            )
    return notes


def _answer_area(question: Question) -> str:
    if question.type == "multi":
        return (
            "<p>Tick all that apply.</p><ul>"
            + "".join(f"<li>{escape(o.label)}</li>" for o in question.options)
            + "</ul>"
        )
    if question.type == "percent_text":
        return '<p>Write a percentage.</p><div class="write short"></div>'
    if question.type == "number":
        return f'<p>Write a number ({question.min:g} to {question.max:g}).</p><div class="write short"></div>'
    if question.type == "text":
        return '<p>Write your answer.</p><div class="write"></div>'
    return "<p>Tick one.</p><ul>" + "".join(f"<li>{escape(o.label)}</li>" for o in question.options) + "</ul>"


def questionnaire_html(codebook: Codebook | None = None, path: str | Path | None = None) -> str:
    """Return the questionnaire as a printable HTML document.

    Examples
    --------
    >>> html = questionnaire_html()
    >>> html.startswith("<!DOCTYPE html>"), "Are you on target to meet the 2013 ambition?" in html
    (True, True)
    >>> "Answer only if you answered &#x27;Yes&#x27; to question 4.1" in html
    True
    """
    codebook = codebook or load_codebook(path)
    notes = skip_notes(path, codebook)
    survey = codebook.survey
    title = f"{survey.get('name', 'Survey')}: questionnaire"
    blocks = []
    for question in codebook.questions:
        if question.type in NOT_ASKED:
            continue
        skip = f'<p class="skip">{escape(notes[question.id])}</p>' if question.id in notes else ""
        blocks.append(
            f'<section class="q"><h2>{escape(question.section)}. {escape(question.header)}</h2>'
            f"{skip}{_answer_area(question)}</section>"
        )
    intro = (
        f"<p>Fieldwork: {escape(str(survey.get('fieldwork', '')))}. Printed from the codebook; the 2011 "
        "questionnaire was never published, so the wording is the project's reading of the report.</p>"
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{intro}{''.join(blocks)}</body></html>"
    )
