"""The researcher's route: answers given in code (JupyterLab), checked, compared and summarised.

The page's form never sends anything anywhere; this is where Python still takes an answer, so this is where a value
that is not one of the questionnaire's is refused, with a plain :class:`ValueError` that names the question.
"""

from __future__ import annotations

from collections.abc import Mapping

from .comparison import Comparison, compare_answer
from .published import figure_rows, load_extras
from .spec import NOT_ANSWERED, Item, form_items
from .summary import summary_document

NAME_LIMIT = 80
"""The longest name a summary takes (the page's name box holds as many characters)."""


def checked_name(name: object) -> str:
    """Return the optional name for a summary, stripped; refuse anything but short printable text.

    Examples
    --------
    >>> checked_name("  Testshire ")
    'Testshire'
    >>> checked_name("a" + chr(10) + "b")
    Traceback (most recent call last):
    ...
    ValueError: the name must be printable text of at most 80 characters
    """
    if not isinstance(name, str) or len(name) > NAME_LIMIT or not name.isprintable():
        raise ValueError(f"the name must be printable text of at most {NAME_LIMIT} characters")
    return name.strip()


def compare_answers(answers: Mapping[str, str], items: list[Item] | None = None) -> list[Comparison]:
    """Compare the answers given as ``{form key: option code}``, in form order; "" (not answered) is skipped.

    Raises ``ValueError`` for a key that is no question of the form, or a code that is none of its answers.

    Examples
    --------
    >>> [c.national[:11] for c in compare_answers({"market_rating": "4", "take_up": "below_60", "strategy": ""})]
    ['29 of 58 re', '7 of 58 res']
    >>> compare_answers({"favourite_colour": "blue"})
    Traceback (most recent call last):
    ...
    ValueError: 'favourite_colour' is not a question of the form (its keys: strategy, on_target, take_up, ...)
    """
    if not isinstance(answers, Mapping):
        raise ValueError("the answers must be a mapping of question keys to answer codes")
    items = items if items is not None else form_items()
    by_key = {item.key: item for item in items}
    for key in answers:
        if key not in by_key:
            keys = ", ".join(list(by_key)[:3])
            raise ValueError(f"{repr(key)[:40]} is not a question of the form (its keys: {keys}, ...)")
    figures, extras = figure_rows(), load_extras()
    return [
        compare_answer(item, answers[item.key], figures, extras)
        for item in items
        if item.key in answers and answers[item.key] != NOT_ANSWERED
    ]


def summary(answers: Mapping[str, str], name: str = "") -> str:
    """Return the one-page summary (a whole HTML document) of answers given in code, with the optional name.

    Examples
    --------
    >>> doc = summary({"take_up": "below_60"}, name="Testshire")
    >>> "Testshire" in doc and "29 of 58 responding councils (50%)" in doc
    True
    """
    return summary_document(compare_answers(answers), checked_name(name))
