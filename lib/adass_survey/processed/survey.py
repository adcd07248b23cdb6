"""One call for notebooks: the processed survey, rebuilt only when its inputs changed.

:func:`load_survey` reads ``data/processed/`` when its ``build_manifest.json`` was made from the
same raw export and codebook (compared by SHA-256); otherwise it runs the build first, so a
fresh clone works without a separate build step. Importing this module is cheap: the build
machinery (pandera, openpyxl, pyarrow's CSV reader) is imported only when a build is needed.
The build lock is a :mod:`filelock` lock, so the module imports and builds on Windows too (no ``fcntl``).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from filelock import FileLock

from ..core.codebook import Codebook, load_codebook
from ..core.paths import codebook_path, raw_export_path
from ..core.paths import processed_dir as default_processed_dir


@dataclass
class Survey:
    """The processed survey.

    Attributes
    ----------
    respondents : one row per clean respondent (columns as in ``docs/data-flow.md``)
    themes : one row per (respondent, text question, theme)
    quarantine : one row per fault of a quarantined raw row
    manifest : the content of ``build_manifest.json``
    codebook : the questionnaire
    """

    respondents: pd.DataFrame
    themes: pd.DataFrame
    quarantine: pd.DataFrame
    manifest: dict = field(default_factory=dict)
    codebook: Codebook | None = None


def is_current(raw_path: Path, processed: Path) -> bool:
    """True when ``processed`` holds a complete build of ``raw_path`` with the current codebook.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> is_current(pathlib.Path("missing.csv"), pathlib.Path(tempfile.mkdtemp()))
    False
    """
    from .build import OUTPUT_FILES, sha256_of

    manifest_path = processed / "build_manifest.json"
    if not raw_path.is_file() or not all((processed / name).is_file() for name in OUTPUT_FILES):
        return False
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("raw_sha256") == sha256_of(raw_path) and manifest.get("codebook_sha256") == sha256_of(
        codebook_path()
    )


def read_processed(processed: Path, codebook: Codebook | None = None) -> Survey:
    """Read a processed folder as written by the build.

    Examples
    --------
    >>> survey = read_processed(default_processed_dir())  # doctest: +SKIP
    >>> list(survey.themes.columns)  # doctest: +SKIP
    ['respondent_id', 'question_id', 'theme']
    """
    from .schema import read_files

    respondents, themes, quarantine, manifest = read_files(processed)
    return Survey(respondents, themes, quarantine, manifest, codebook or load_codebook())


def load_survey(raw_path: str | Path | None = None, processed_dir: str | Path | None = None) -> Survey:
    """Return the processed survey, building it first if it is missing or stale.

    Parameters
    ----------
    raw_path : the raw export; defaults to the shipped synthetic export
    processed_dir : the processed-data folder; defaults to ``data/processed``

    Returns
    -------
    Survey

    Raises
    ------
    SurveyInputError
        When a build is needed and the raw export is refused.

    Examples
    --------
    >>> survey = load_survey()  # doctest: +SKIP
    >>> survey.manifest["rows_in"] == survey.manifest["rows_clean"] + survey.manifest["rows_quarantined"]  # doctest: +SKIP
    True
    """
    raw_path = Path(raw_path) if raw_path is not None else raw_export_path()
    processed = Path(processed_dir) if processed_dir is not None else default_processed_dir()
    if not is_current(raw_path, processed):
        with _build_lock(processed):  # many kernels may start at once (preheated dashboards): build once
            if not is_current(raw_path, processed):
                from .build import build

                build(raw_path, processed)
    return read_processed(processed)


@contextmanager
def _build_lock(processed: Path):
    """Hold an exclusive lock beside the processed folder while one process builds it (any platform)."""
    processed.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(processed.parent / f".{processed.name}.lock"):
        yield
