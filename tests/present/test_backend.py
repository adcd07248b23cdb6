"""The library leaves a researcher's matplotlib alone: in a real kernel with the inline backend, a project chart and
then the researcher's own pandas plot both display, and the backend is still the inline one afterwards."""

from __future__ import annotations

import os

import nbformat
from nbclient import NotebookClient

DRAW_A_PROJECT_CHART = """\
import pandas as pd
import adass_survey.present.views, adass_survey.present.display, adass_survey.report.context_figures  # every chart module
from adass_survey.present.plot import bar_chart
from adass_survey.tables.tabulate import frequency_table

chart = bar_chart(frequency_table(pd.DataFrame({"strategy": ["yes"] * 50 + ["no"] * 8}), "strategy"), "Most", n=58)
"""
SHOW_THE_PROJECT_CHART = "chart"
A_PLAIN_PANDAS_PLOT = 'pd.DataFrame({"councils": [52, 6]}, index=["yes", "no"]).plot.barh();'
THE_BACKEND = "import matplotlib\nprint(matplotlib.get_backend())"


def _run(tmp_path, *sources: str) -> list[list[dict]]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # The kernel's own default backend, as in JupyterLab: nothing in the environment chooses one for it.
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)
    return [cell.outputs for cell in notebook.cells]


def _images(outputs: list[dict]) -> int:
    return sum("image/png" in output.get("data", {}) for output in outputs)


def test_a_project_chart_and_then_a_plain_pandas_plot_both_display_inline(tmp_path):
    drawn, shown, plain, backend = _run(
        tmp_path, DRAW_A_PROJECT_CHART, SHOW_THE_PROJECT_CHART, A_PLAIN_PANDAS_PLOT, THE_BACKEND
    )
    assert _images(drawn) == 0, "a library chart showed itself without being asked (it is registered with pyplot)"
    assert _images(shown) == 1, f"the project chart did not display as an image: {shown}"
    assert _images(plain) == 1, f"the researcher's own pandas plot shows nothing after the library's import: {plain}"
    assert "inline" in backend[0]["text"], f"the library switched the backend: {backend[0]['text']!r}"
