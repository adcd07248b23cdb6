"""Turn the strings of a raw export into typed, coded respondents; quarantine faulty rows with reasons.

Answers are compared after trimming, collapsing inner white space and folding case, against the
codebook's spellings. A row with any row-level fault (unknown option, a value belonging to another
column, an impossible value, a missing id or required answer, a structural fault found while
reading) is quarantined whole: one line of ``quarantine.csv`` per fault, none of it in the
respondents. Every raw row ends up in exactly one of the two.

Each column is cleaned by mapping its *distinct* values through a dictionary, so a million rows
cost little more than the number of distinct answers."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from ..core.codebook import Codebook, Question, normalise_spelling
from .values import (
    LEADING_INTEGER,
    REASON_IMPOSSIBLE,
    REASON_MISSING_REQUIRED,
    REASON_OTHER_COLUMN,
    REASON_UNKNOWN_OPTION,
    Verdict,
    parse_number,
)

TICK_MARKS = frozenset({"x", "✓", "✔", "ticked", "selected"})


def _spelling_map(question: Question) -> dict[str, str]:
    return {spelling: option.code for option in question.options for spelling in (*option.spellings, option.code)}


def _other_column_map(question: Question, codebook: Codebook) -> dict[str, str]:
    """Spellings that are answers to another single-choice question (e.g. a region in council_type)."""
    own = _spelling_map(question)
    other: dict[str, str] = {}
    for q in codebook.of_type("single"):
        if q.id == question.id:
            continue
        for spelling in _spelling_map(q):
            if spelling not in own and not spelling.isdigit():
                other.setdefault(spelling, q.id)
    return other


def closed_classifier(question: Question, codebook: Codebook) -> Callable[[str], Verdict]:
    spellings = _spelling_map(question)
    labels = {o.code: o.label for o in question.options}
    other = _other_column_map(question, codebook)
    missing = codebook.missing_values
    choices = list(spellings)

    def classify(raw: str) -> Verdict:
        folded = normalise_spelling(raw)
        if folded in missing:
            if question.required:
                return Verdict(fault=REASON_MISSING_REQUIRED)
            return Verdict()
        if folded in spellings:
            return Verdict(value=spellings[folded])
        if folded in other:
            close = difflib.get_close_matches(folded, choices, n=1, cutoff=0.5)
            return Verdict(
                fault=f"{REASON_OTHER_COLUMN} ({other[folded]})",
                suggestion=labels[spellings[close[0]]] if close else "",
            )
        if question.type == "likert5" and LEADING_INTEGER.match(folded):
            return Verdict(fault=f"{REASON_IMPOSSIBLE}: {raw.strip()} is outside the five-point scale 1-5")
        close = difflib.get_close_matches(folded, choices, n=1, cutoff=0.6)
        return Verdict(fault=REASON_UNKNOWN_OPTION, suggestion=labels[spellings[close[0]]] if close else "")

    return classify


def multi_classifier(question: Question, option_code: str, codebook: Codebook) -> Callable[[str], Verdict]:
    option = next(o for o in question.options if o.code == option_code)
    ticked = {normalise_spelling(option.label), option.code, *TICK_MARKS, *codebook.yes_no_spellings.get("yes", ())}
    unticked = set(codebook.yes_no_spellings.get("no", ())) | set(codebook.missing_values)
    siblings = {normalise_spelling(o.label): question.multi_column(o.code) for o in question.options if o is not option}

    def classify(raw: str) -> Verdict:
        folded = normalise_spelling(raw)
        if folded in ticked:
            return Verdict(value=True)
        if folded in unticked:
            return Verdict(value=False)
        if folded in siblings:
            return Verdict(fault=f"{REASON_OTHER_COLUMN} ({siblings[folded]})", suggestion=option.label)
        close = difflib.get_close_matches(folded, [normalise_spelling(option.label)], n=1, cutoff=0.6)
        return Verdict(fault=REASON_UNKNOWN_OPTION, suggestion=option.label if close else "")

    return classify


def number_classifier(question: Question, codebook: Codebook) -> Callable[[str], Verdict]:
    missing = codebook.missing_values

    def classify(raw: str) -> Verdict:
        if normalise_spelling(raw) in missing:
            return Verdict()
        return parse_number(raw, question.min, question.max)

    return classify
