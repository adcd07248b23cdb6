"""Helpers for the ADASS Personalisation Survey (September 2011).

Load, validate, clean, code and tabulate the survey's responses, and draw accessible charts.
Only the published aggregates in ``data/published/`` are real; the respondent-level file shipped
in ``data/raw/`` is synthetic (see ``data/raw/README.md``).
"""

__version__ = "0.1.0"

SYNTHETIC_NOTICE = (
    "Respondent-level data here are synthetic: generated to reproduce every figure the report "
    "publishes, not real council answers. Cross-tabulations the report never printed are "
    "illustrative only."
)
