"""Reading one raw answer: the reasons a value is a fault, :class:`Verdict`, and the parsers of hand-written numbers.

Respondents write counts and percentages by hand ("approx 12,000", "c.4500", "about 45%");
:func:`parse_number` and :func:`parse_percent` read them, and :func:`band_of` bands a percentage by
the codebook's ``bands``. What cleaning makes of one distinct answer is a :class:`Verdict`: a value,
or a fault (one of the ``REASON_*`` texts of ``quarantine.csv``) with a suggestion, and a note."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.codebook import Question, normalise_spelling

REASON_UNKNOWN_OPTION = "unknown option"


REASON_OTHER_COLUMN = "value belongs to another column"


REASON_IMPOSSIBLE = "impossible value"


REASON_MISSING_ID = "missing respondent id"


REASON_BAD_ID = "respondent id is not a whole number"


REASON_MISSING_REQUIRED = "missing required answer"


@dataclass(frozen=True)
class Verdict:
    """What cleaning makes of one distinct raw answer."""

    value: object = None
    fault: str | None = None
    suggestion: str = ""
    note: str | None = None


_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0 ](?=\d{3}(?!\d))")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


_NUMBER_K = re.compile(r"(\d+(?:\.\d+)?)(\s*k\b)?")


_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(k\b)?\s*(?:-|–|to|and)\s*(\d+(?:\.\d+)?)\s*(k\b)?")


_NEGATIVE = re.compile(r"(?:^|[^\d\s])\s*[-−]\s*\d")


_PERCENT = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:%|per\s*cent|percent)")


LEADING_INTEGER = re.compile(r"^[-+]?\d+(?:\.\d+)?\b")


def parse_number(text: str, low: float | None = None, high: float | None = None) -> Verdict:
    """Read a hand-written count such as ``approx 12,000``, ``c.4500`` or ``15000+``.

    A range gives its midpoint; several numbers give the first. No number gives missing with a
    note; a negative number or one outside ``low``..``high`` is an impossible value (a fault).

    Examples
    --------
    >>> parse_number("approx 12,000").value, parse_number("c.4500").value, parse_number("15000+").value
    (12000.0, 4500.0, 15000.0)
    >>> parse_number("10,000 - 12,000").value
    11000.0
    >>> parse_number("not known").note
    'no usable number'
    >>> parse_number("-40").fault
    'impossible value: a negative count'
    >>> parse_number("250000", 0, 100000).fault
    'impossible value: 250000 is above the maximum 100000'
    """
    folded = _THOUSANDS.sub("", normalise_spelling(text))
    note = None
    match = _RANGE.search(folded)
    if not match and _NEGATIVE.search(folded):
        return Verdict(fault=f"{REASON_IMPOSSIBLE}: a negative count")
    if match:
        first = float(match.group(1)) * (1000 if match.group(2) else 1)
        second = float(match.group(3)) * (1000 if match.group(4) else 1)
        value = (first + second) / 2
        note = "a range; its midpoint used"
    else:
        numbers = _NUMBER_K.findall(folded)
        if not numbers:
            return Verdict(note="no usable number")
        value = float(numbers[0][0]) * (1000 if numbers[0][1] else 1)
        if len(numbers) > 1:
            note = "several numbers; the first used"
    if low is not None and value < low:
        return Verdict(fault=f"{REASON_IMPOSSIBLE}: {value:g} is below the minimum {low:g}")
    if high is not None and value > high:
        return Verdict(fault=f"{REASON_IMPOSSIBLE}: {value:g} is above the maximum {high:g}")
    return Verdict(value=value, note=note)


def parse_percent(text: str) -> float | None:
    """Read the first percentage (or, failing that, the first number) in a text, if within 0–100.

    Examples
    --------
    >>> parse_percent("About 45% of eligible people"), parse_percent("62.5"), parse_percent("1,200 people")
    (45.0, 62.5, None)
    >>> parse_percent("not known") is None
    True
    """
    folded = _THOUSANDS.sub("", normalise_spelling(text))
    match = _PERCENT.search(folded)
    if match:
        number = float(match.group(1))
    else:
        numbers = _NUMBER.findall(folded)
        if not numbers or _NEGATIVE.search(folded):
            return None
        number = float(numbers[0])
    return number if 0 <= number <= 100 else None


def band_of(value: float, question: Question) -> str:
    """Band code of a percentage (the unbanded code when ``value`` is missing).

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> q = load_codebook()["take_up"]
    >>> band_of(59.9995, q), band_of(60, q), band_of(float("nan"), q)
    ('below_60', '60_or_above', 'insufficient')
    """
    unbanded = question.unbanded.code if question.unbanded else ""
    if value is None or value != value:
        return unbanded
    for band in question.bands:
        if band.min <= value <= band.max:
            return band.code
    below = [b for b in question.bands if b.min <= value]
    return max(below, key=lambda b: b.min).code if below else unbanded
