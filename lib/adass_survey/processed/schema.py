"""The processed files: their one schema, and their writing and reading.

``data/processed/`` holds :data:`OUTPUT_FILES` (described for readers in ``docs/data-flow.md``):

* ``respondents.csv`` / ``respondents.parquet``: one clean respondent per row; the columns follow
  from the codebook, so their schema is built from it (:func:`respondents_schema`, pandera: types,
  allowed codes, unique ids), and the build checks its own output against it;
* ``themes.csv``: one (respondent, question, theme) per row, columns :data:`THEME_COLUMNS`;
* ``quarantine.csv``: one fault of a quarantined raw row per row, columns :data:`QUARANTINE_COLUMNS`;
* ``build_manifest.json``: what one build read and wrote.

:func:`write_files` writes them (columns in schema order) and :func:`read_files` reads them back
with the schema's types; the build and :func:`adass_survey.processed.survey.read_processed` go
through these two."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.codebook import Codebook

if TYPE_CHECKING:
    import pandas as pd

OUTPUT_FILES = ("respondents.csv", "respondents.parquet", "themes.csv", "quarantine.csv", "build_manifest.json")
"""The files of a processed folder, all written by one build."""

FORMER_OUTPUT_FILES = ("build_report.json",)
"""Files an earlier build wrote (the manifest's former name): a folder holding them is still the build's."""

THEME_COLUMNS = {"respondent_id": "int64", "question_id": "str", "theme": "str"}
"""Columns of ``themes.csv`` and their types, in file order."""

QUARANTINE_COLUMNS = {
    "source_row": "int64",
    "respondent_id": "str",
    "column": "str",
    "value": "str",
    "reason": "str",
    "suggestion": "str",
}
"""Columns of ``quarantine.csv`` and their types, in file order."""


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


def write_files(folder: Path, respondents, themes, quarantine, manifest_json: str) -> None:
    """Write the processed files into ``folder``, each table's columns in schema order.

    ``respondents``, ``themes`` and ``quarantine`` are frames or pyarrow tables
    (:func:`adass_survey.coding.themes.theme_table` gives a table). The files are written on two
    threads at once (pyarrow's writers release the GIL): the theme rows, the biggest file, on one;
    the respondents (Parquet, then CSV) and the rest on the other. A writer's error is raised here.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> themes = pd.DataFrame({"theme": ["risk_panels"], "question_id": ["risk_management"], "respondent_id": [7]})
    >>> quarantine = pd.DataFrame({c: pd.Series(dtype=t) for c, t in QUARANTINE_COLUMNS.items()})
    >>> write_files(folder, pd.DataFrame({"respondent_id": [7]}), themes, quarantine, "{}\\n")
    >>> sorted(p.name for p in folder.iterdir()) == sorted(OUTPUT_FILES)
    True
    >>> (folder / "themes.csv").read_text()
    '"respondent_id","question_id","theme"\\n7,"risk_management","risk_panels"\\n'
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    def arrow(frame, columns=None) -> pa.Table:
        table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
        return table if columns is None else table.select(list(columns))

    options = pacsv.WriteOptions(quoting_style="needed")
    table = arrow(respondents)
    theme_rows = arrow(themes, THEME_COLUMNS)

    def write_respondents() -> None:
        pq.write_table(table, folder / "respondents.parquet")
        pacsv.write_csv(table, folder / "respondents.csv", write_options=options)
        pacsv.write_csv(arrow(quarantine, QUARANTINE_COLUMNS), folder / "quarantine.csv", write_options=options)
        (folder / "build_manifest.json").write_text(manifest_json, encoding="utf-8")

    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [
            pool.submit(write_respondents),
            pool.submit(pacsv.write_csv, theme_rows, folder / "themes.csv", write_options=options),
        ]
        for job in jobs:
            job.result()


def read_files(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Read a processed folder: respondents, themes and quarantine with the schema's types, and the build manifest.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> from adass_survey.core.paths import processed_dir
    >>> _ = load_survey()  # builds data/processed when it is missing or stale
    >>> respondents, themes, quarantine, manifest = read_files(processed_dir())
    >>> list(themes.columns) == list(THEME_COLUMNS), list(quarantine.columns) == list(QUARANTINE_COLUMNS)
    (True, True)
    >>> len(respondents) == manifest["rows_clean"]
    True
    """
    import pandas as pd

    folder = Path(folder)
    respondents = pd.read_parquet(folder / "respondents.parquet")
    themes = pd.read_csv(folder / "themes.csv", dtype=THEME_COLUMNS)
    quarantine = pd.read_csv(folder / "quarantine.csv", dtype=QUARANTINE_COLUMNS, keep_default_na=False)
    manifest = json.loads((folder / "build_manifest.json").read_text(encoding="utf-8"))
    return respondents, themes, quarantine, manifest
