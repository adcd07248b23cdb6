"""The static pages are rebuilt when the views catalogue, the page templates or the code that makes pages are newer."""

from __future__ import annotations

import os
import time
from pathlib import Path

from adass_survey.pages.export import static_page_sources, static_pages_stale
from adass_survey.report.catalogue import analysis_sources


def _site(tmp_path: Path, mtime: float) -> Path:
    notebooks = tmp_path / "notebooks"
    (notebooks / "site").mkdir(parents=True)
    index = notebooks / "site" / "index.html"
    index.write_text("<html></html>", encoding="utf-8")
    os.utime(index, (mtime, mtime))
    return notebooks


def test_pages_newer_than_catalogue_and_templates_are_current(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "manifest.json").write_text("{}", encoding="utf-8")
    assert not static_pages_stale(_site(tmp_path, time.time() + 60), catalogue)


def test_pages_older_than_the_templates_are_stale(tmp_path: Path) -> None:
    # no catalogue manifest at all: only the templates (edited after 1970) make the pages stale
    assert static_pages_stale(_site(tmp_path, 0), tmp_path / "no-catalogue")


def test_the_catalogue_and_the_static_pages_split_the_code_between_them() -> None:
    # the views depend on every module but those that make and serve pages; the static pages on those that make them
    making = {path for path in static_page_sources(Path("catalogue")) if path.suffix == ".py"}
    assert making and {path.parent.name for path in making} == {"pages"}
    assert not making & set(analysis_sources())
    assert {"catalogue.py", "panel.py", "plot.py"} <= {path.name for path in analysis_sources()}
