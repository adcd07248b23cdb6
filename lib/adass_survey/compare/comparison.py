"""One answer beside the published national figure: the sentences the page and the summary print.

Only published figures are used (``figures.csv``), with their base and a Wilson 95% interval; where the answer sits
is phrased with care (a self-selected cohort, small bases); the key messages come from ``key_messages.csv`` and the
practice examples, shown when most councils gave a different answer, from ``compare.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.codebook import load_codebook
from ..core.proportions import percent, wilson_interval
from .lookup import National, national_figure
from .published import errata_by_id, figure_rows, key_message_links, load_extras
from .spec import Item, accepted

MAJORITY_WORDS = {"all", "nearly_all", "most", "majority", "more_than_half", "two_thirds"}


@dataclass(frozen=True)
class Comparison:
    """What the page says about one answer (plain text; the HTML escapes it)."""

    item: Item
    code: str
    answer: str
    national: str
    where: str
    minority: bool
    notes: tuple[str, ...] = ()
    messages: tuple[tuple[str, str], ...] = ()
    examples: tuple[dict, ...] = field(default_factory=tuple)


def national_sentence(found: National, when: str = "September 2011") -> str:
    """Return the sentence that gives the published figure, with its base and 95% interval.

    Examples
    --------
    >>> national_sentence(National("printed", 29, 58))
    '29 of 58 responding councils (50%) said the same in September 2011 (95% interval 38% to 62%).'
    >>> national_sentence(National("none"))
    'The report publishes no figure for this answer.'
    """
    if found.kind in ("printed", "derived"):
        low, high = wilson_interval(found.count, found.base)
        share = f"{found.count} of {found.base} responding councils ({percent(found.count, found.base)}%)"
        interval = f"(95% interval {percent(low, 1)}% to {percent(high, 1)}%)"
        if found.kind == "printed":
            return f"{share} said the same in {when} {interval}."
        return f"The report prints no count for this answer; its other counts leave {share} {interval}."
    words = f" In its words: '{found.figure['quote']}' (section {found.figure['section']})." if found.figure else ""
    if found.kind == "at_most":
        return (
            f"The report prints no count for this answer; its other counts leave at most {found.count} of "
            f"{found.base} responding councils.{words}"
        )
    if found.kind == "words":
        return f"The report prints no count for this answer.{words}"
    return "The report publishes no figure for this answer."


def where_sentence(item: Item, code: str, found: National, figures: tuple[dict, ...]) -> tuple[str, bool]:
    """Return where the answer sits among the responding councils, and whether most councils answered otherwise.

    Examples
    --------
    >>> from adass_survey.compare.spec import form_items
    >>> rating = {i.key: i for i in form_items()}["market_rating"]
    >>> text, minority = where_sentence(rating, "4", National("printed", 7, 58), figure_rows())
    >>> minority, text
    (True, 'A minority of the responding councils gave this answer; 50 gave a lower one and 1 a higher one.')
    """
    if found.kind in ("printed", "derived"):
        share = found.count / found.base
        minority = share < 0.5
        if share > 0.5:
            text = "Most of the responding councils gave this answer"
        elif share == 0.5:
            text = "Half of the responding councils gave this answer"
        elif found.count == 0:
            text = "None of the responding councils gave this answer"
        elif found.count < 5:
            text = f"Few of the responding councils ({found.count}) gave this answer"
        else:
            text = "A minority of the responding councils gave this answer"
        return text + _order(item, code, figures) + ".", minority
    if found.figure and found.figure["check"] in MAJORITY_WORDS:
        return "In the report's words, this was the answer of most councils.", False
    if found.kind == "at_most" and found.count / found.base < 0.5:
        return "Fewer than half of the responding councils gave this answer.", True
    return "The report does not say how common this answer was.", False


def _order(item: Item, code: str, figures: tuple[dict, ...]) -> str:
    if not item.ordered:
        return ""
    codes = [c for c, _ in item.options]
    counts = [national_figure(item, c, figures) for c in codes]
    if any(n.kind != "printed" for n in counts):
        return ""
    at = codes.index(code)
    lower, higher = sum(n.count for n in counts[:at]), sum(n.count for n in counts[at + 1 :])
    return f"; {lower} gave a lower one and {higher} a higher one"


def compare_answer(
    item: Item, code: str, figures: tuple[dict, ...] | None = None, extras: dict | None = None
) -> Comparison:
    """Compare one answer with the published figures.

    Examples
    --------
    >>> from adass_survey.compare.spec import form_items
    >>> take_up = form_items()[2]
    >>> c = compare_answer(take_up, "below_60")
    >>> c.answer, c.national[:55]
    ("You answered 'Less than 60%'", '29 of 58 responding councils (50%) said the same in Sep')
    >>> c.minority, c.messages, len(c.examples)
    (False, (), 0)
    >>> compare_answer(take_up, "<script>")
    Traceback (most recent call last):
    ...
    ValueError: '<script>' is not an answer to 'take_up'; its answers are 'below_60', '60_or_above'
    """
    if not accepted(item, code) or not code:
        choices = ", ".join(repr(c) for c, _ in item.options)
        raise ValueError(f"{repr(code)[:40]} is not an answer to {item.key!r}; its answers are {choices}")
    figures = figures if figures is not None else figure_rows()
    extras = extras if extras is not None else load_extras()
    found = national_figure(item, code, figures)
    where, minority = where_sentence(item, code, found, figures)
    label = item.label_of(code) if not item.theme else ("Yes" if code == "yes" else "No")
    answer = f"You answered '{label}'" + (f" to '{item.topic}'" if item.theme else "")
    fieldwork = str(load_codebook().survey.get("fieldwork", "")).split()
    national = national_sentence(found, " ".join(fieldwork[-2:]) or "the survey")
    if item.theme and code == "no":
        national = (
            "The report counts only the councils that described this in their own words; it publishes no "
            "count of the councils that did not."
        )
    return Comparison(
        item,
        code,
        answer,
        national,
        where,
        minority,
        notes=_notes(found),
        messages=_messages(item, figures, extras),
        examples=tuple(e for e in extras["practice_examples"] if item.question_id in e["questions"])
        if minority
        else (),
    )


def _notes(found: National) -> tuple[str, ...]:
    row = found.figure
    if found.kind != "printed" or not row:
        return ()
    notes = []
    printed = row["percent_printed"]
    if printed is not None and printed != percent(found.count, found.base):
        notes.append(f"The report printed {printed}% here.")
    if row["erratum_id"]:
        problem = errata_by_id().get(row["erratum_id"], {}).get("problem", "")
        notes.append(f"Erratum {row['erratum_id']}: {problem}".rstrip(": "))
    return tuple(notes)


def _messages(item: Item, figures: tuple[dict, ...], extras: dict) -> tuple[tuple[str, str], ...]:
    ids = {f["id"] for f in figures if f["question"] == item.question_id}
    found = sorted({row["message_id"] for row in key_message_links() if row["figure_id"] in ids})
    return tuple((m, extras["key_messages"].get(m, "")) for m in found)
