"""A researcher's route to the data of one report section: the respondent columns that hold its questions' answers.

``report.survey().respondents[report.section_columns("7")]`` is the DataFrame behind section 7: one row per
responding council (synthetic), the council type and region first, then each question of the section in the
codebook's order (a multiple-choice question as one true/false column per option). It is the raw frame, not
suppressed: what leaves a notebook goes through the disclosure policy (``report.crosstab``, notebook 90).
"""

from __future__ import annotations

from ..core.codebook import load_codebook

CONTEXT_COLUMNS = ("council_type", "region")
ANSWER_TYPES = ("single", "yes_no", "multi", "percent_text", "number", "text", "likert5")


def section_columns(section: str) -> list[str]:
    """The respondent columns of one report section: council type and region, then its questions' answers.

    A section whose text asks no question of its own (12, conclusions; 13, next steps) draws on every answer, so
    it gets every answer's column.

    Examples
    --------
    >>> section_columns("7")
    ['council_type', 'region', 'dp_restrictions', 'dp_restrictions_detail', 'dp_use_monitored']
    >>> section_columns("4")[2:4]
    ['advisory_offered', 'advisory_user_groups__older_people']
    >>> section_columns("12") == section_columns("13"), {"strategy", "market_shaping"} <= set(section_columns("12"))
    (True, True)
    """
    questions = [q for q in load_codebook().questions if q.type in ANSWER_TYPES]
    chosen = [q for q in questions if q.section.split(".")[0] == str(section).split(".")[0]] or questions
    columns = list(CONTEXT_COLUMNS)
    for question in chosen:
        names = [question.multi_column(o.code) for o in question.options] if question.type == "multi" else [question.id]
        columns += [name for name in names if name not in columns]
    return columns
