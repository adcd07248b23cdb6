"""voila.json as Voilà reads it: the files it serves, and its exporter's settings."""

from __future__ import annotations

import importlib
import json
import re

import pytest

from adass_survey.core.paths import project_root
from adass_survey.pages.files import FILE_NAME


def _allowed_by_voila_json(path: str) -> bool:
    """Whether Voilà's file handler serves ``path``: allowlisted and not denylisted (voila.static_file_handler)."""
    settings = json.loads((project_root() / "voila.json").read_text(encoding="utf-8"))["VoilaConfiguration"]
    allowed = any(re.fullmatch(pattern, path, re.IGNORECASE) for pattern in settings["file_allowlist"])
    return allowed and not any(re.fullmatch(pattern, path, re.IGNORECASE) for pattern in settings["file_denylist"])


PAGE_FILE_CANDIDATES = [
    *("a1" * 16 + f".{kind}" for kind in ("png", "csv", "xlsx")),
    "a1" * 16 + ".svg",
    "a1" * 16 + ".json",
    "a1" * 16 + ".pngx",
    "a1" * 15 + ".png",
    "a1" * 17 + ".csv",
    "g1" * 16 + ".png",
    "a1" * 16 + ".png.csv",
    "../" + "a1" * 16 + ".png",
]


@pytest.mark.parametrize("folder", ["site/files/", "notebooks/site/files/"])
def test_voila_json_serves_exactly_the_page_file_names(folder: str) -> None:
    """JSON cannot import pages.files.FILE_NAME: its two patterns must allow what FILE_NAME names, and nothing else.

    Voilà matches case-insensitively; the files are written in lower case, so an upper-case name finds no file."""
    for name in PAGE_FILE_CANDIDATES:
        expected = re.fullmatch(FILE_NAME, name, re.IGNORECASE) is not None
        assert _allowed_by_voila_json(folder + name) is expected, (folder + name, expected)
    assert sum(re.fullmatch(FILE_NAME, name) is not None for name in PAGE_FILE_CANDIDATES) == 3


def test_a_page_is_validated_once_not_after_every_preprocessor(monkeypatch) -> None:
    # nbconvert checks the whole notebook against its schema after each of its dozen preprocessors, most of them
    # switched off: that was a sixth of the server's processor for each pool refill (once, and once more inside
    # nbconvert's own steps, is what is left)
    import nbformat
    from nbconvert.exporters import exporter as exporter_module
    from traitlets.config.loader import JSONFileConfigLoader

    voila_exporter = importlib.import_module("voila.exporter").VoilaExporter
    config = JSONFileConfigLoader("voila.json", path=str(project_root())).load_config()
    checks: list[int] = []
    monkeypatch.setattr(exporter_module.nbformat, "validate", lambda *a, **k: checks.append(1))
    exporter = voila_exporter(config=config)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A section")])
    exporter._preprocess(notebook, {"config_dir": ""})
    assert len(exporter._preprocessors) > 10 and len(checks) < len(exporter._preprocessors) // 3
