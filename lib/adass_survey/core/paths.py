"""Where the project's data live.

The data folder is found from the environment variable ``ADASS_DATA_DIR`` if set, otherwise as
``data/`` beside the ``lib/`` folder this package is installed from (an editable install).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the repository root (the folder holding ``lib/`` and ``data/``).

    Examples
    --------
    >>> (project_root() / "data" / "codebook.yaml").exists()
    True
    """
    return Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """Return the data folder, honouring ``ADASS_DATA_DIR``.

    Examples
    --------
    >>> data_dir().name
    'data'
    """
    override = os.environ.get("ADASS_DATA_DIR")
    return Path(override) if override else project_root() / "data"


def codebook_path() -> Path:
    """Return the path of ``codebook.yaml``.

    Examples
    --------
    >>> codebook_path().name
    'codebook.yaml'
    """
    return data_dir() / "codebook.yaml"


def published_dir() -> Path:
    """Return the folder of published figures (ground truth).

    Examples
    --------
    >>> (published_dir() / "figures.csv").exists()
    True
    """
    return data_dir() / "published"


def reference_dir() -> Path:
    """Return the folder of reference data (the 2011 frame of councils).

    Examples
    --------
    >>> (reference_dir() / "frame_2011.csv").exists()
    True
    """
    return data_dir() / "reference"


def raw_export_path() -> Path:
    """Return the default raw export (the shipped synthetic file).

    Examples
    --------
    >>> raw_export_path().name
    'synthetic_survey_export_n58_seed2011.csv'
    """
    return data_dir() / "raw" / "synthetic_survey_export_n58_seed2011.csv"


def processed_dir() -> Path:
    """Return the default folder of processed (derived) data.

    Examples
    --------
    >>> processed_dir().parts[-2:]
    ('data', 'processed')
    """
    return data_dir() / "processed"


STATIC_FOLDER = "site"
"""The folder of the static pages inside the served notebook folder: Voilà's file handler serves its pages read-only
at ``/voila/files/site/`` (voila.json allows that folder's pages and content-named files, nothing else there)."""


def static_site_dir() -> Path:
    """Return the default folder of the static pages: ``notebooks/site``.

    Examples
    --------
    >>> static_site_dir().relative_to(project_root()).as_posix()
    'notebooks/site'
    """
    return project_root() / "notebooks" / STATIC_FOLDER
