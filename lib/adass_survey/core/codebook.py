"""The questionnaire as data: read ``data/codebook.yaml`` into small typed objects.

The codebook is the single description of the survey: which columns an export has, which answers
are accepted for each question, and how free text is coded into themes. Nothing else in the
library hard-codes a question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .paths import codebook_path

MISSING = "__missing__"
"""The category of "did not respond" (an empty answer), in ``figures.csv``, tables and the synthetic targets."""

QUESTION_TYPES = {"id", "meta", "single", "yes_no", "multi", "likert5", "number", "percent_text", "text"}


def normalise_spelling(value: str) -> str:
    """Fold an answer for comparison: trim, collapse inner white space, lower-case.

    Examples
    --------
    >>> normalise_spelling("  Yes ")
    'yes'
    >>> normalise_spelling("North   East")
    'north east'
    """
    return " ".join(str(value).split()).lower()


@dataclass(frozen=True)
class Option:
    """One answer option of a closed question."""

    code: str
    label: str
    spellings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """One theme of a free-text coding frame."""

    code: str
    label: str
    patterns: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    """A band of a ``percent_text`` question (inclusive bounds)."""

    code: str
    label: str
    min: float
    max: float


@dataclass(frozen=True)
class Question:
    """One question (or metadata column) of the export."""

    id: str
    type: str
    header: str
    section: str = ""
    short: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    frame: tuple[Theme, ...] = ()
    bands: tuple[Band, ...] = ()
    unbanded: Option | None = None
    min: float | None = None
    max: float | None = None

    def option_codes(self) -> list[str]:
        """Codes of the options, in codebook order."""
        return [o.code for o in self.options]

    def option_labels(self) -> dict[str, str]:
        """Map option code to its label."""
        return {o.code: o.label for o in self.options}

    def theme_labels(self) -> dict[str, str]:
        """Map theme code to its label."""
        return {t.code: t.label for t in self.frame}

    def multi_column(self, option_code: str) -> str:
        """Name of the processed boolean column for one option of a multi-choice question.

        Examples
        --------
        >>> q = Question("groups", "multi", "Which groups?", options=(Option("carers", "Carers"),))
        >>> q.multi_column("carers")
        'groups__carers'
        """
        return f"{self.id}__{option_code}"


@dataclass(frozen=True)
class Codebook:
    """The whole questionnaire."""

    questions: tuple[Question, ...]
    missing_values: frozenset[str] = field(default_factory=frozenset)
    yes_no_spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    survey: dict = field(default_factory=dict)
    answer_filters: tuple[str, ...] = ()

    def __getitem__(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"no question '{question_id}' in the codebook")

    def __contains__(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)

    def of_type(self, *types: str) -> list[Question]:
        """Questions of the given types, in codebook order."""
        return [q for q in self.questions if q.type in types]

    @property
    def id_question(self) -> Question:
        """The respondent-identifier column."""
        return self.of_type("id")[0]


def _options(raw_question: dict, yes_no_spellings: dict[str, tuple[str, ...]]) -> tuple[Option, ...]:
    if raw_question["type"] == "yes_no":
        return tuple(Option(code, code.capitalize(), spellings) for code, spellings in yes_no_spellings.items())
    options = []
    for raw in raw_question.get("options", []):
        code = str(raw["code"])
        label = str(raw["label"])
        spellings = tuple(normalise_spelling(s) for s in raw.get("spellings", []))
        spellings = tuple(dict.fromkeys((normalise_spelling(label), normalise_spelling(code), *spellings)))
        options.append(Option(code, label, spellings))
    return tuple(options)


def _question(raw: dict, yes_no_spellings: dict[str, tuple[str, ...]]) -> Question:
    if raw["type"] not in QUESTION_TYPES:
        raise ValueError(f"question '{raw['id']}' has unknown type '{raw['type']}'")
    frame = tuple(
        Theme(str(t["code"]), str(t["label"]), tuple(t.get("patterns", [])), tuple(t.get("examples", [])))
        for t in raw.get("frame", [])
    )
    bands = tuple(Band(str(b["code"]), b["label"], float(b["min"]), float(b["max"])) for b in raw.get("bands", []))
    unbanded = raw.get("unbanded")
    return Question(
        id=raw["id"],
        type=raw["type"],
        header=raw["header"],
        section=str(raw.get("section", "")),
        short=str(raw.get("short", "")),
        required=bool(raw.get("required", False)),
        options=_options(raw, yes_no_spellings),
        frame=frame,
        bands=bands,
        unbanded=Option(unbanded["code"], unbanded["label"]) if unbanded else None,
        min=raw.get("min"),
        max=raw.get("max"),
    )


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Codebook:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    yes_no = {
        code: tuple(normalise_spelling(s) for s in spellings) for code, spellings in raw["yes_no_spellings"].items()
    }
    questions = tuple(_question(q, yes_no) for q in raw["questions"])
    ids = [q.id for q in questions]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"{path}: duplicate question ids {sorted(duplicates)}")
    answer_filters = tuple(str(q) for q in raw.get("answer_filters", []))
    by_id = {q.id: q for q in questions}
    for question_id in answer_filters:
        if question_id not in by_id or by_id[question_id].type not in ("single", "yes_no", "percent_text"):
            raise ValueError(
                f"{path}: answer_filters: '{question_id}' is not a single, yes_no or percent_text question"
            )
    return Codebook(
        questions=questions,
        missing_values=frozenset(normalise_spelling(v) for v in raw.get("missing_values", [])),
        yes_no_spellings=yes_no,
        survey=raw.get("survey", {}),
        answer_filters=answer_filters,
    )


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read the codebook.

    Parameters
    ----------
    path : optional path of a codebook YAML file; defaults to ``data/codebook.yaml``.

    Returns
    -------
    Codebook

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb["dp_restrictions"].type
    'yes_no'
    >>> cb["market_rating"].option_labels()["3"]
    'Good'
    """
    path = Path(path) if path else codebook_path()
    return _load_cached(str(path), path.stat().st_mtime)
