"""File-level checks of a raw export, one function per check, and the schema of processed data.

Each ``check_*`` function either returns quietly or raises
:class:`~adass_survey.core.errors.SurveyInputError` naming the file and, where one is at fault, the row
and column, with a sentence on what to do. A file that fails any of them is refused whole: nothing
is written. Faults of single rows are not checked here; :mod:`adass_survey.clean` quarantines
them.

:func:`respondents_schema` builds a pandera schema of the processed respondents from the codebook
(types, allowed codes, unique ids); the build checks its own output against it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.codebook import Codebook

if TYPE_CHECKING:
    import pandas as pd



def respondents_schema(codebook: Codebook):
    """Build the pandera schema of processed respondents from the codebook.

    Returns
    -------
    pandera.DataFrameSchema

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> schema = respondents_schema(load_codebook())
    >>> schema.columns["respondent_id"].unique
    True
    >>> "market_rating" in schema.columns
    True
    """
    import pandera.pandas as pa

    columns = {
        "respondent_id": pa.Column("int64", pa.Check.ge(0), unique=True, nullable=False),
        "source_row": pa.Column("int64", pa.Check.ge(3), unique=True, nullable=False),
    }
    for question in codebook.questions:
        kind = question.type
        if kind in ("single", "yes_no", "likert5"):
            columns[question.id] = pa.Column(
                "str", pa.Check.isin(question.option_codes()), nullable=not question.required
            )
        elif kind == "multi":
            for option in question.options:
                columns[question.multi_column(option.code)] = pa.Column("bool", nullable=False)
        elif kind == "number":
            low = question.min if question.min is not None else float("-inf")
            high = question.max if question.max is not None else float("inf")
            columns[question.id] = pa.Column("float64", pa.Check.in_range(low, high), nullable=True)
        elif kind == "percent_text":
            codes = [b.code for b in question.bands] + ([question.unbanded.code] if question.unbanded else [])
            columns[question.id] = pa.Column("float64", pa.Check.in_range(0, 100), nullable=True)
            columns[f"{question.id}_band"] = pa.Column("str", pa.Check.isin(codes), nullable=False)
        elif kind == "text":
            columns[question.id] = pa.Column("str", nullable=False)
    return pa.DataFrameSchema(columns, strict=True, ordered=True)


def validate_respondents(respondents: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Check processed respondents against :func:`respondents_schema`; raise on any breach.

    A breach is a defect of the cleaning code, not of the input, so it raises pandera's own error.

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.core.codebook import load_codebook
    >>> validate_respondents(pd.DataFrame({"respondent_id": [1]}), load_codebook())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pandera.errors.SchemaErrors: ...
    """
    return respondents_schema(codebook).validate(respondents, lazy=True)
