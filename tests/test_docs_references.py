"""The architecture and figure-trace docs name only paths, functions, ids and calls that exist.

Every backticked token of ``docs/architecture.md`` and ``docs/figure-trace.md`` is checked by its form: a path
(holds a ``/`` or ends with a file extension) exists in the repository; a dotted ``adass_survey.`` name imports; a
figure id (``F07-01``) is a row of ``data/published/figures.csv``; a dashboard address
(``/voila/render/<notebook>``) is a notebook; a ``report.<function>(...)`` call stands in a code cell of the
notebook the doc traces. ``docs/data-flow.md`` lists the processed files and columns of
:mod:`adass_survey.processed.schema`.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from adass_survey.core.codebook import load_codebook
from adass_survey.published.figures import load_figures

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("docs/architecture.md", "docs/figure-trace.md")
FIGURE_ID = re.compile(r"^F\d{2}-\d{2}$")
CALL = re.compile(r"^report\.[a-z_]+\(.*\)$")
EXTENSIONS = (".py", ".md", ".csv", ".yaml", ".ipynb", ".sh", ".json")


def tokens(text: str) -> list[str]:
    """The backticked tokens of a Markdown text."""
    return re.findall(r"`([^`\n]+)`", text)


def resolves(name: str) -> bool:
    """True when a dotted name is an importable module or an attribute of one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def problems(text: str, root: Path = ROOT) -> list[str]:
    """What a doc names that does not exist (empty when everything does)."""
    found = []
    figure_ids = set(load_figures()["id"])
    notebooks = [root / t for t in tokens(text) if t.startswith("notebooks/") and t.endswith(".ipynb")]
    for token in tokens(text):
        if token.startswith("bash "):
            token = token.split()[1]
        if token.startswith("/voila/render/"):
            if not (root / "notebooks" / token.removeprefix("/voila/render/")).is_file():
                found.append(f"no notebook behind the address {token}")
        elif CALL.match(token):
            if not notebooks or not any(token in cell for nb in notebooks for cell in code_cells(nb)):
                found.append(f"no code cell of {[n.name for n in notebooks]} calls {token}")
        elif token.startswith("adass_survey"):
            if not resolves(token):
                found.append(f"{token} does not import")
        elif FIGURE_ID.match(token):
            if token not in figure_ids:
                found.append(f"{token} is not a row of figures.csv")
        elif " " not in token and ("/" in token or token.endswith(EXTENSIONS)) and not token.startswith(("http", "<")):
            if not (root / token).exists():
                found.append(f"{token} does not exist")
    return found


@pytest.mark.parametrize("doc", DOCS)
def test_every_name_in_the_doc_exists(doc):
    assert problems((ROOT / doc).read_text(encoding="utf-8")) == []


def test_the_checker_finds_what_does_not_exist():
    text = (
        "`lib/adass_survey/nowhere.py` `adass_survey.report.section.no_such_function` `F99-99` "
        '`/voila/render/99-none.ipynb` `notebooks/07-restrictions.ipynb` `report.headlines("99")`'
    )
    assert len(problems(text)) == 5


def test_the_trace_follows_one_figure():
    """The figure of the trace: its quote, its question and its section are the ones of its figures.csv row."""
    text = (ROOT / "docs/figure-trace.md").read_text(encoding="utf-8")
    ids = [t for t in tokens(text) if FIGURE_ID.match(t)]
    assert ids, "the trace names no figure id"
    row = load_figures().set_index("id").loc[ids[0]]
    assert f'"{row["quote"]}"' in " ".join(text.split())
    assert f"`{row['question']}`" in text and row["question"] in load_codebook()
    assert f'`report.headlines("{str(row["section"]).split(".")[0]}")`' in text


def test_data_flow_lists_the_processed_schema():
    from adass_survey.processed.schema import OUTPUT_FILES, QUARANTINE_COLUMNS, THEME_COLUMNS

    text = (ROOT / "docs/data-flow.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `(themes\.csv|quarantine\.csv)` \|[^|]*\| `([^`]*)`", text, re.M)
    }
    assert [c.strip() for c in rows["themes.csv"].split(",")] == list(THEME_COLUMNS)
    assert [c.strip() for c in rows["quarantine.csv"].split(",")] == list(QUARANTINE_COLUMNS)
    for name in OUTPUT_FILES:
        assert f"`{name}`" in text, name
