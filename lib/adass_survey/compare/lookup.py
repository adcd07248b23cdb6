"""Find the published figure for one answer: printed, derived from printed counts, bounded, or only in words.

A figure is taken from ``figures.csv`` only when its base is the whole cohort. When the report prints no count for
an answer but prints one for every other answer and for "did not answer", the count is what those leave (derived);
when only "did not answer" is unprinted, the count is at most what the others leave (bounded), with the report's words if it has some.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.codebook import MISSING
from .spec import Item


@dataclass(frozen=True)
class National:
    """What the report publishes about one answer.

    ``kind`` is ``printed`` (a count the report prints), ``derived`` (the count the printed counts of every other
    answer leave), ``at_most`` (an upper bound), ``words`` (a quantifier such as "the vast majority", no count) or
    ``none`` (nothing published). ``figure`` is the row of ``figures.csv`` used, if any.
    """

    kind: str
    count: int | None = None
    base: int | None = None
    figure: dict | None = None


def _cohort_rows(figures: tuple[dict, ...], question_id: str, category: str) -> list[dict]:
    return [
        f for f in figures if f["question"] == question_id and f["category"] == category and f["base_rule"] == "cohort"
    ]


def _exact(figures: tuple[dict, ...], question_id: str, category: str) -> dict | None:
    rows = [f for f in _cohort_rows(figures, question_id, category) if f["count"] is not None]
    return rows[0] if rows else None


def national_figure(item: Item, code: str, figures: tuple[dict, ...]) -> National:
    """Return what the report publishes about the answer ``code`` to ``item``.

    Examples
    --------
    >>> from adass_survey.compare.published import figure_rows
    >>> from adass_survey.compare.spec import form_items
    >>> items = {i.key: i for i in form_items()}
    >>> figures = figure_rows()
    >>> n = national_figure(items["take_up"], "below_60", figures)
    >>> n.kind, n.count, n.base, n.figure["id"]
    ('printed', 29, 58, 'F02-07')
    >>> n = national_figure(items["strategy"], "no", figures)
    >>> n.kind, n.count, n.base
    ('derived', 0, 58)
    >>> n = national_figure(items["outcomes_monitored"], "no", figures)
    >>> n.kind, n.count
    ('at_most', 3)
    >>> n = national_figure(items["advisory_self_funders"], "yes", figures)
    >>> n.kind, n.count, n.figure["id"]
    ('at_most', 50, 'F04-07')
    """
    category = item.theme or code
    if item.theme and code != "yes":
        return National("none")
    row = _exact(figures, item.question_id, category)
    if row:
        return National("printed", row["count"], row["base"], row)
    words = _cohort_rows(figures, item.question_id, category)
    if not item.theme:
        others = [_exact(figures, item.question_id, c) for c, _ in item.options if c != code]
        if others and all(others) and len({o["base"] for o in others}) == 1:
            base = others[0]["base"]
            left = base - sum(o["count"] for o in others)
            missing = _exact(figures, item.question_id, MISSING)
            if missing and missing["base"] == base:
                return National("derived", left - missing["count"], base)
            return National("at_most", left, base, words[0] if words else None)
    if words:
        return National("words", None, words[0]["base"], words[0])
    return National("none")
