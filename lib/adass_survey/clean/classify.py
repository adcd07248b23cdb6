"""Classifiers of closed, multi-choice and number answers: raw text -> :class:`~adass_survey.clean.values.Verdict`.

Answers are compared after trimming, collapsing inner white space and folding case, against the
codebook's spellings. An answer that is another question's option (a region in the council-type
column) is a fault of its own kind; an unknown answer gets the closest option as a suggestion."""

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
    """The classifier of a single-choice, yes/no or Likert answer: its option code, or a fault.

    A missing answer is no value (a fault when the question is required); a Likert answer outside
    1-5 is an impossible value.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> cb = load_codebook()
    >>> classify = closed_classifier(cb["council_type"], cb)
    >>> classify(" Unitary  Authority").value, classify("n/a").fault
    ('unitary', 'missing required answer')
    >>> classify("North West")
    Verdict(value=None, fault='value belongs to another column (region)', suggestion='', note=None)
    >>> classify("Countty").suggestion
    'County council'
    """
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
    """The classifier of one option column of a multi-choice question: ticked (True), not (False), or a fault.

    The option's label, its code, a tick mark or a "yes" spelling tick it; blank, "no" or a missing
    value leave it unticked; another option's label is a value belonging to another column.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> cb = load_codebook()
    >>> classify = multi_classifier(cb["advisory_user_groups"], "older_people", cb)
    >>> [classify(s).value for s in ("Older people", "x", "", "no")]
    [True, True, False, False]
    >>> classify("Old people").fault, classify("Old people").suggestion
    ('unknown option', 'Older people')
    """
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
    """The classifier of a hand-written count (:func:`~adass_survey.clean.values.parse_number` within the question's range).

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> cb = load_codebook()
    >>> classify = number_classifier(cb["target_group_size"], cb)
    >>> classify("approx 12,000").value, classify("n/a").value, classify("250000").fault
    (12000.0, None, 'impossible value: 250000 is above the maximum 100000')
    """
    missing = codebook.missing_values

    def classify(raw: str) -> Verdict:
        if normalise_spelling(raw) in missing:
            return Verdict()
        return parse_number(raw, question.min, question.max)

    return classify
