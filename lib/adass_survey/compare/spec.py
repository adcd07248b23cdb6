"""The form, as data: which questions the page asks and which answers each accepts.

Everything comes from the codebook and the published figures: a closed question (single, yes_no, likert5, or the
bands of a percent_text) is asked when ``figures.csv`` holds a figure about one of its options for the whole cohort,
unless ``compare.yaml`` lists it under ``not_compared``. A free-text question listed under ``theme_questions`` is
asked theme by theme ("does this describe your council?") for each theme the report counts. A new wave's codebook
and figures therefore give a new form with no code change.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.codebook import Codebook, Question, load_codebook
from .published import figure_rows, load_extras

CLOSED_TYPES = ("single", "yes_no", "likert5", "percent_text")
NOT_ANSWERED = ""
"""The value of a question left unanswered (every question's default)."""
THEME_OPTIONS = (("yes", "Yes, this describes my council"), ("no", "No"))


@dataclass(frozen=True)
class Item:
    """One question of the form.

    ``key`` is unique in the form (the question id, or ``question.theme`` for a theme); ``options`` are
    ``(code, label)`` pairs in codebook order; ``theme`` is set for a theme of a free-text question.
    """

    key: str
    question_id: str
    text: str
    topic: str
    section: str
    options: tuple[tuple[str, str], ...]
    ordered: bool = False
    theme: str = ""

    def label_of(self, code: str) -> str:
        """Return the label of one option code ('' when the code is not an option)."""
        return dict(self.options).get(code, "")


def _closed_options(question: Question) -> tuple[tuple[str, str], ...]:
    if question.type == "percent_text":
        return tuple((b.code, b.label) for b in question.bands)
    return tuple((o.code, o.label) for o in question.options)


def _cohort_categories(figures: tuple[dict, ...], question_id: str) -> set[str]:
    return {
        f["category"]
        for f in figures
        if f["question"] == question_id and f["base_rule"] == "cohort" and "|" not in f["category"]
    }


def form_items(
    codebook: Codebook | None = None, figures: tuple[dict, ...] | None = None, extras: dict | None = None
) -> list[Item]:
    """Return the questions of the form, in codebook order.

    Parameters
    ----------
    codebook, figures, extras : optional; default to ``load_codebook()``, ``figure_rows()`` and ``load_extras()``.

    Examples
    --------
    >>> items = form_items()
    >>> [i.key for i in items][:4]
    ['strategy', 'on_target', 'take_up', 'full_take_up_year']
    >>> take_up = items[2]
    >>> take_up.options
    (('below_60', 'Less than 60%'), ('60_or_above', '60% or above'))
    >>> [i.key for i in items if i.theme][:1]
    ['risk_management.positive_risk_taking']
    """
    codebook = codebook or load_codebook()
    figures = figures if figures is not None else figure_rows()
    extras = extras if extras is not None else load_extras()
    items = []
    for question in codebook.questions:
        published = _cohort_categories(figures, question.id)
        if question.type in CLOSED_TYPES and question.id not in extras["not_compared"]:
            options = _closed_options(question)
            if published & {code for code, _ in options}:
                items.append(
                    Item(
                        question.id,
                        question.id,
                        question.header,
                        question.short or question.id,
                        question.section,
                        options,
                        ordered=question.type in ("likert5", "percent_text"),
                    )
                )
        elif question.type == "text" and question.id in extras["theme_questions"]:
            for theme in question.frame:
                if theme.code in published:
                    items.append(
                        Item(
                            f"{question.id}.{theme.code}",
                            question.id,
                            f"{question.header} Does this describe your council: {theme.label}?",
                            theme.label,
                            question.section,
                            THEME_OPTIONS,
                            theme=theme.code,
                        )
                    )
    return items


def accepted(item: Item, code: object) -> bool:
    """Tell whether ``code`` is an answer the form accepts for ``item`` (an option code, or not answered).

    Examples
    --------
    >>> item = Item("on_target", "on_target", "On target?", "On target", "2.1", (("yes", "Yes"), ("no", "No")))
    >>> accepted(item, "no"), accepted(item, ""), accepted(item, "maybe"), accepted(item, 1)
    (True, True, False, False)
    """
    return isinstance(code, str) and (code == NOT_ANSWERED or code in dict(item.options))
