"""A researcher's route to the data: each section's columns, a cross-tabulation in words, through the policy, and the
"Explore this section yourself" cell that every section notebook ends with (for JupyterLab only)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from adass_survey import report
from adass_survey.core.codebook import load_codebook
from adass_survey.disclosure.table import SUPPRESSED
from adass_survey.report.catalogue import RESEARCHER_TAG

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SECTIONS = sorted(NOTEBOOKS.glob("[01][0-9]-*.ipynb"))
SECTIONS = [p for p in SECTIONS if 1 <= int(p.name[:2]) <= 13]


@pytest.mark.parametrize("section", [str(n) for n in range(1, 12)])
def test_a_sections_columns_hold_every_question_of_the_section_and_exist(section):
    columns = report.section_columns(section)
    respondents = report.survey().respondents
    assert columns[:2] == ["council_type", "region"]
    assert set(columns) <= set(respondents.columns), set(columns) - set(respondents.columns)
    asked = [q for q in load_codebook().questions if q.section.split(".")[0] == section]
    assert asked
    for question in asked:
        assert question.id in columns or any(c.startswith(f"{question.id}__") for c in columns), question.id
    others = {q.id for q in load_codebook().questions if q.section and q.section.split(".")[0] not in (section, "1")}
    assert not others & set(columns), others & set(columns)


def test_a_crosstab_is_headed_with_the_questions_in_words():
    header = repr(report.crosstab("take_up", "individual_accounting", "Accounting by take-up")).splitlines()[1]
    assert (
        header == "Current take-up of personal budgets | Accounting down to the individual | Councils | Percent of row"
    )


def test_the_disclosure_policy_applies_to_a_researchers_crosstab():
    shown = repr(report.crosstab("council_type", "dp_restrictions", "Restrictions by council type"))
    assert SUPPRESSED in shown  # 6 of its 8 cells count fewer than 5 councils (or give one away)
    assert "illustrative" in shown.lower() and "synthetic" in shown.lower()


def _explore_cell(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["cells"][-1]


def test_every_section_notebook_is_checked():
    assert [int(p.name[:2]) for p in SECTIONS] == list(range(1, 14))


@pytest.mark.parametrize("path", SECTIONS, ids=[p.name for p in SECTIONS])
def test_every_section_ends_with_its_explore_cell_hidden_from_readers(path):
    cell = _explore_cell(path)
    source = "".join(cell["source"])
    assert cell["cell_type"] == "code" and RESEARCHER_TAG in cell["metadata"].get("tags", [])
    assert source.startswith("# Explore this section yourself") and "90-your-own-question.ipynb" in source
    calls = {
        node.func.attr: [ast.literal_eval(a) for a in node.args]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and getattr(node.func.value, "id", "") == "report"
    }
    assert calls["section_columns"] == [str(int(path.name[:2]))]
    row, column, _title = calls["crosstab"]
    assert row in load_codebook() and column in load_codebook()
    assert "report.survey().respondents" in source


def _page_notebook():
    import nbformat

    shown, hidden = nbformat.v4.new_code_cell("1", id="shown"), nbformat.v4.new_code_cell("2", id="hidden")
    shown.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "FOR-EVERY-READER"}, execution_count=1)]
    hidden.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "RESEARCHERS-ONLY"}, execution_count=2)]
    hidden.metadata["tags"] = [RESEARCHER_TAG]
    notebook = nbformat.v4.new_notebook(cells=[shown, hidden])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def test_the_static_page_leaves_the_researchers_cell_out():
    from adass_survey.pages.export import render_page
    from adass_survey.pages.nav import Section

    section = Section(7, "07-x", "7. X")
    html = render_page(_page_notebook(), section, [section])
    assert "FOR-EVERY-READER" in html and "RESEARCHERS-ONLY" not in html


VOILA_PREPROCESSING = """
import json, sys
import nbformat
from nbconvert.exporters import Exporter
from traitlets.config import Config
from voila.exporter import VoilaExporter

config = Config(json.loads(open(sys.argv[1], encoding="utf-8").read()))
notebook = nbformat.reads(sys.stdin.read(), as_version=4)
kept, _ = Exporter.from_notebook_node(VoilaExporter(config=config, template_name="lab"), notebook, {})
print(json.dumps([cell.id for cell in kept.cells]))
"""


def test_voila_with_the_repositorys_configuration_leaves_the_researchers_cell_out(tmp_path):
    """Voilà renders and runs the cells its exporter's preprocessors leave: the step its page generator runs first.

    Run in a folder of its own: from the repository root, ``import voila`` would find the configuration file voila.py.
    """
    import subprocess
    import sys

    import nbformat

    run = subprocess.run(
        [sys.executable, "-c", VOILA_PREPROCESSING, str(NOTEBOOKS.parent / "voila.json")],
        input=nbformat.writes(_page_notebook()),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout) == ["shown"]
