"""The report's published figures, the 2011 frame of councils and the hand-coded report quotes.

Each file of ``data/published/``, ``data/reference/frame_2011.csv`` and
``data/coding/report_quotes_handcoded.csv`` is read as text, checked against a pandera schema (which
also converts the columns to their proper types: nullable ``Int64`` for counts) and returned as a
DataFrame. A malformed file is refused with a :class:`~adass_survey.core.errors.SurveyInputError` naming
the file, the 1-based line and the column at fault.

The report's own text is kept in ``data/source/`` (ADASS's copyright, reproduced so that every quote can be
checked against it); :func:`report_text` reads it and :func:`normalise_text` prepares it for verbatim searches.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..core.codebook import load_codebook
from ..core.csv_rows import read_csv_rows
from ..core.errors import SurveyInputError
from ..core.paths import data_dir, published_dir, reference_dir

REPORT_FILE = "adass-personalisation-survey-2011-report.txt"
"""File name of the report text in ``data/source/``."""


def load_quantifiers(path: str | Path | None = None) -> dict:
    """The vague quantifiers and their ranges (``data/published/quantifiers.yaml``): ``all``, ``percent``, ``count``.

    Examples
    --------
    >>> q = load_quantifiers()
    >>> q["all"], q["percent"]["two_thirds"], q["count"]["handful"]
    (['all'], {'min': 60, 'max': 73}, {'min': 3, 'max': 7})
    """
    import yaml

    with open(Path(path) if path else published_dir() / "quantifiers.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


_QUANTIFIERS = load_quantifiers()
CHECKS = ("exact", *_QUANTIFIERS["all"], *_QUANTIFIERS["percent"], *_QUANTIFIERS["count"])
"""Values of ``figures.csv`` column ``check``: ``exact`` or a vague quantifier of ``quantifiers.yaml``."""

ERRATUM_KINDS = ("count_sum", "count", "percentage", "base", "numbering", "key_message", "claim")
"""Values of ``errata.csv`` column ``kind``."""

SECTION = r"^(summary|\d{1,2}(\.\d{1,2})?)$"
BASE_RULE = r"^(cohort|frame|answered:[a-z0-9_]+|subset:[a-z0-9_]+=[A-Za-z0-9_]+)$"
CODE = r"^[A-Za-z0-9_]+$"
CATEGORY = r"^[A-Za-z0-9_]+(\|[A-Za-z0-9_]+)*$"

_TEXT = dict(nullable=False, coerce=True)
_OPTIONAL_TEXT = dict(nullable=True, coerce=True)


def _text(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=[pa.Check.str_length(min_value=1), *checks], unique=unique, **_TEXT)


def _optional_text(*checks: pa.Check) -> pa.Column:
    return pa.Column(str, checks=list(checks), **_OPTIONAL_TEXT)


def _count(minimum: int = 0, maximum: int | None = None, nullable: bool = True) -> pa.Column:
    return pa.Column(
        "Int64",
        checks=pa.Check.in_range(minimum, maximum if maximum is not None else 10**9),
        nullable=nullable,
        coerce=True,
    )


def _exact_rows_have_count(df: pd.DataFrame) -> pd.Series:
    return ~((df["check"] == "exact") & df["count"].isna())


FIGURES_SCHEMA = pa.DataFrameSchema(
    {
        "id": _text(pa.Check.str_matches(r"^F\d{2}-\d{2}$"), unique=True),
        "section": _text(pa.Check.str_matches(SECTION)),
        "question": _text(pa.Check.str_matches(CODE)),
        "category": _text(pa.Check.str_matches(CATEGORY)),
        "count": _count(),
        "base": _count(minimum=1, nullable=False),
        "base_rule": _text(pa.Check.str_matches(BASE_RULE)),
        "percent_printed": _count(0, 100),
        "check": _text(pa.Check.isin(CHECKS)),
        "quote": _text(),
        "note": _optional_text(),
        "erratum_id": _optional_text(pa.Check.str_matches(r"^E\d{2}$")),
    },
    checks=pa.Check(_exact_rows_have_count, error="a figure checked 'exact' needs a count"),
    strict=True,
    ordered=True,
    name="figures.csv",
)

CONTEXT_SCHEMA = pa.DataFrameSchema(
    {
        "id": _text(pa.Check.str_matches(r"^C\d{2}$"), unique=True),
        "section": _text(pa.Check.str_matches(SECTION)),
        "figure": _text(),
        "value": pa.Column(float, coerce=True, nullable=False),
        "unit": _text(),
        "quote": _text(),
        "note": _optional_text(),
    },
    strict=True,
    ordered=True,
    name="context.csv",
)

ERRATA_SCHEMA = pa.DataFrameSchema(
    {
        "id": _text(pa.Check.str_matches(r"^E\d{2}$"), unique=True),
        "section": _text(pa.Check.str_matches(SECTION)),
        "kind": _text(pa.Check.isin(ERRATUM_KINDS)),
        "quote_a": _text(),
        "quote_b": _text(),
        "problem": _text(),
        "reading": _optional_text(),
        "affects": _optional_text(pa.Check.str_matches(r"^F\d{2}-\d{2}(;F\d{2}-\d{2})*$")),
    },
    strict=True,
    ordered=True,
    name="errata.csv",
)

RELATIONS = ("supports", "qualifies", "contradicts")
"""How a figure bears on a key message."""

MESSAGE_IDS = tuple(f"12.{i}" for i in range(1, 8))
"""The seven key messages, numbered as in section 12 of the report."""

KEY_MESSAGES_SCHEMA = pa.DataFrameSchema(
    {
        "message_id": pa.Column(str, checks=pa.Check.isin(MESSAGE_IDS), coerce=True),
        "message_quote": pa.Column(str, checks=pa.Check.str_length(min_value=10), coerce=True),
        "figure_id": pa.Column(str, checks=pa.Check.str_matches(r"^F\d{2}-\d{2}$"), coerce=True),
        "relation": pa.Column(str, checks=pa.Check.isin(RELATIONS), coerce=True),
        "note": pa.Column(str, checks=pa.Check.str_length(min_value=1), coerce=True),
    },
    unique=["message_id", "figure_id"],
    strict=True,
    ordered=True,
    name="key_messages.csv",
)

FRAME_SCHEMA = pa.DataFrameSchema(
    {
        "region": _text(pa.Check.str_matches(CODE)),
        "council_type": _text(pa.Check.str_matches(CODE)),
        "councils": _count(nullable=False),
    },
    unique=["region", "council_type"],
    strict=True,
    ordered=True,
    name="frame_2011.csv",
)

HANDCODED_SCHEMA = pa.DataFrameSchema(
    {
        "quote_id": _text(pa.Check.str_matches(r"^Q\d{2}$"), unique=True),
        "section": _text(pa.Check.str_matches(SECTION)),
        "question_id": _text(pa.Check.str_matches(CODE)),
        "quote": _text(),
        "themes": _optional_text(pa.Check.str_matches(r"^[a-z0-9_]+(;[a-z0-9_]+)*$")),
        "rationale": _text(),
    },
    strict=True,
    ordered=True,
    name="report_quotes_handcoded.csv",
)


def _read_csv(path: Path) -> pd.DataFrame:
    header, rows = read_csv_rows(path)
    cells = [[value if value != "" else None for value in row.values()] for row in rows]
    return pd.DataFrame(cells, columns=header, dtype="str")


def _first_failure(error: SchemaErrors) -> tuple[str, int | None, str | None]:
    cases = error.failure_cases.drop_duplicates(subset=["column", "index"])
    first = cases.iloc[0]
    index = first.get("index")
    row = int(index) + 2 if pd.notna(index) else None  # header is line 1, first data row line 2
    column = first.get("column")
    column = str(column) if pd.notna(column) else None
    what = f"{first['check']} failed"
    if pd.notna(first.get("failure_case")):
        what += f" for value '{first['failure_case']}'"
    more = len(cases) - 1
    if more:
        what += f" ({more} more fault{'s' if more > 1 else ''} in the file)"
    return what, row, column


def read_validated(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read one CSV of ``data/`` and check it against its pandera schema, naming file, row and column on failure.

    Examples
    --------
    >>> from adass_survey.core.paths import published_dir
    >>> read_validated(published_dir() / "errata.csv", ERRATA_SCHEMA).iloc[0][["id", "section", "kind"]].tolist()
    ['E01', '1.6', 'count_sum']
    """
    frame = _read_csv(path)
    expected = list(schema.columns)
    if list(frame.columns) != expected:
        raise SurveyInputError(
            path, f"the header is {list(frame.columns)}, expected {expected}", "restore the header row", row=1
        )
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as error:
        problem, row, column = _first_failure(error)
        raise SurveyInputError(
            path, problem, "correct the value against data/published/README.md", row=row, column=column
        ) from error


def load_figures(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``data/published/figures.csv``: one row per figure the report prints about its respondents.

    Parameters
    ----------
    path : optional path of a figures file; defaults to ``data/published/figures.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns as in ``docs/data-flow.md``; ``count``, ``base`` and ``percent_printed`` are ``Int64``.

    Raises
    ------
    SurveyInputError
        If the file is missing or malformed (names the line and column).

    Examples
    --------
    >>> figures = load_figures()
    >>> row = figures.set_index("id").loc["F07-01"]
    >>> row["question"], row["category"], int(row["count"]), int(row["percent_printed"])
    ('dp_restrictions', 'yes', 52, 90)
    """
    return read_validated(Path(path) if path else published_dir() / "figures.csv", FIGURES_SCHEMA)


def load_context(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``data/published/context.csv``: figures that are not answers of this survey's respondents.

    Parameters
    ----------
    path : optional path; defaults to ``data/published/context.csv``.

    Returns
    -------
    pandas.DataFrame
        ``id, section, figure, value (float), unit, quote, note``.

    Examples
    --------
    >>> context = load_context()
    >>> int(context.loc[context["quote"].str.contains("338,000"), "value"].iloc[0])
    338000
    """
    return read_validated(Path(path) if path else published_dir() / "context.csv", CONTEXT_SCHEMA)


def load_errata(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``data/published/errata.csv``: every inconsistency found in the report.

    Parameters
    ----------
    path : optional path; defaults to ``data/published/errata.csv``.

    Returns
    -------
    pandas.DataFrame
        ``id, section, kind, quote_a, quote_b, problem, reading, affects`` (``affects``: figure ids
        separated by ``;``).

    Examples
    --------
    >>> errata = load_errata()
    >>> errata.loc[errata["id"] == "E01", "section"].item()
    '1.6'
    """
    return read_validated(Path(path) if path else published_dir() / "errata.csv", ERRATA_SCHEMA)


def load_key_messages(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``data/published/key_messages.csv``: the links between key messages and figures.

    Parameters
    ----------
    path : optional path; defaults to ``data/published/key_messages.csv``.

    Returns
    -------
    pandas.DataFrame
        ``message_id, message_quote, figure_id, relation, note``, one row per (message, figure).

    Raises
    ------
    SurveyInputError
        If the file is missing or malformed (names the line and column).

    Examples
    --------
    >>> links = load_key_messages()
    >>> sorted(links["message_id"].unique()) == list(MESSAGE_IDS)
    True
    >>> links.loc[links["figure_id"] == "F11-03", "relation"].item()
    'contradicts'
    """
    return read_validated(Path(path) if path else published_dir() / "key_messages.csv", KEY_MESSAGES_SCHEMA)


def load_frame(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``data/reference/frame_2011.csv``: councils with adult social services responsibility, 2011.

    Also checks that every region and council type is a codebook code.

    Parameters
    ----------
    path : optional path; defaults to ``data/reference/frame_2011.csv``.

    Returns
    -------
    pandas.DataFrame
        Long format ``region, council_type, councils (Int64)``, one row per region × type.

    Examples
    --------
    >>> frame = load_frame()
    >>> int(frame["councils"].sum())
    152
    >>> int(frame.loc[frame["council_type"] == "county", "councils"].sum())
    27
    """
    path = Path(path) if path else reference_dir() / "frame_2011.csv"
    frame = read_validated(path, FRAME_SCHEMA)
    codebook = load_codebook()
    for column, question in (("region", "region"), ("council_type", "council_type")):
        allowed = set(codebook[question].option_codes())
        unknown = ~frame[column].isin(allowed)
        if unknown.any():
            first = frame.index[unknown][0]
            raise SurveyInputError(
                path,
                f"'{frame.at[first, column]}' is not a codebook code of {question}",
                f"use one of {sorted(allowed)}",
                row=int(first) + 2,
                column=column,
            )
    return frame


def load_handcoded_quotes(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``data/coding/report_quotes_handcoded.csv``: the report's respondent quotes, coded by hand.

    The gold standard for measuring the automatic theme coder: each verbatim quote, the text question
    it answers and the theme codes a reader assigned from the codebook labels.

    Parameters
    ----------
    path : optional path; defaults to ``data/coding/report_quotes_handcoded.csv``.

    Returns
    -------
    pandas.DataFrame
        ``quote_id, section, question_id, quote, themes, rationale``; ``themes`` holds codes separated
        by ``;`` and is missing when no theme applies.

    Examples
    --------
    >>> quotes = load_handcoded_quotes()
    >>> quotes.loc[quotes["quote_id"] == "Q01", "themes"].item()
    'ni130_denominator'
    """
    return read_validated(
        Path(path) if path else data_dir() / "coding" / "report_quotes_handcoded.csv", HANDCODED_SCHEMA
    )


def report_path() -> Path:
    """Path of the report text: ``data/source/adass-personalisation-survey-2011-report.txt``.

    Examples
    --------
    >>> report_path().name
    'adass-personalisation-survey-2011-report.txt'
    """
    return data_dir() / "source" / REPORT_FILE


def report_text(path: str | Path | None = None) -> str:
    """Return the text of the report, exactly as stored.

    Parameters
    ----------
    path : optional path; defaults to :func:`report_path`.

    Raises
    ------
    SurveyInputError
        If the report text is not there.

    Examples
    --------
    >>> report_text().lstrip().startswith("ADASS Report on Personalisation Survey")
    True
    """
    path = Path(path) if path else report_path()
    if not path.exists():
        raise SurveyInputError(path, "the report text is not there", "restore data/source/ from the repository")
    return path.read_text(encoding="utf-8")


_PAGE_NUMBER_LINE = re.compile(r"(?m)^[ \t]*\d{1,2}[ \t]*$")


def normalise_text(text: str) -> str:
    """Prepare text for a verbatim search: drop lines holding only a page number, collapse white space.

    Examples
    --------
    >>> normalise_text("the vast majority of councils  responding\\n\\n 7 \\n\\nsaid")
    'the vast majority of councils responding said'
    """
    return " ".join(_PAGE_NUMBER_LINE.sub("", text).split())
