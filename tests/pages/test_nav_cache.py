"""The list of sections is read once per version of each notebook, and an edited notebook is read again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from adass_survey.pages import nav


def _notebook(path: Path, heading: str) -> None:
    cell = {"cell_type": "markdown", "metadata": {}, "source": [f"# {heading}\n", "\n", "**The question.** Why?\n"]}
    path.write_text(json.dumps({"cells": [cell]}), encoding="utf-8")


def test_a_page_after_the_first_reads_no_notebook(tmp_path: Path, monkeypatch) -> None:
    for name in ("00-index", "01-a", "02-b"):
        _notebook(tmp_path / f"{name}.ipynb", name)
    first = nav.list_sections(tmp_path)
    reads: list[Path] = []
    original = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: reads.append(self) or original(self, *a, **k))
    again = nav.list_sections(tmp_path)
    assert again == first and [s.title for s in again] == ["00-index", "01-a", "02-b"]
    assert reads == [], "the second page's navigation re-read the notebooks"


def test_an_edited_notebook_shows_its_new_title(tmp_path: Path) -> None:
    page = tmp_path / "01-a.ipynb"
    _notebook(page, "Old title")
    assert [s.title for s in nav.list_sections(tmp_path)] == ["Old title"]
    before = page.stat().st_mtime_ns
    _notebook(page, "New title")  # same size as the old one: the modification time tells them apart
    os.utime(page, ns=(before + 10**9, before + 10**9))
    assert [s.title for s in nav.list_sections(tmp_path)] == ["New title"]
