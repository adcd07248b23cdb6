"""Notebooks that diff cleanly: what is volatile in a saved notebook, and the one function that drops it.

Used in three places, so that they all keep the same things: ``scripts/strip_notebooks.py`` (after executing
notebooks), ``tests/test_notebooks_clean.py`` (the check) and JupyterLab itself, through :func:`pre_save_hook`
(``jupyter_server_config.d/adass_survey.json``, installed into the environment by ``scripts/setup.sh``), so that
saving, running or previewing a notebook in JupyterLab leaves the repository as it was.

Dropped: widget state (``metadata.widgets``), execution timings (``cell.metadata.execution``), the Python patch
version, and nbstripout's other defaults (signature, collapsed, scrolled, ...); the id of each widget view in the
outputs is made stable (it names widget state that is not kept, and a new run draws a new random one). Kept: every
output (nbval compares them and readers see them), execution counts (nbval refuses a cell with outputs and no
count: "Unrun reference cell has outputs"), cell ids (stable, not volatile), ``kernelspec`` and ``title`` (Voilà and
the page template use them).
"""

from __future__ import annotations

import copy
import hashlib

import nbformat
from nbstripout import strip_output

# nbstripout's built-in extra keys (its command line always adds them) and ours, after them.
NBSTRIPOUT_DEFAULT_KEYS = (
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
)
OUR_KEYS = ("metadata.language_info.version",)
EXTRA_KEYS = NBSTRIPOUT_DEFAULT_KEYS + OUR_KEYS
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A stripped copy of a notebook: outputs, execution counts and cell ids kept, volatile metadata dropped.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python", "version": "3.11.7"}})
    >>> strip(nb).metadata
    {'language_info': {'name': 'python'}}
    """
    stripped = strip_output(
        copy.deepcopy(nb), keep_output=True, keep_count=True, keep_id=True, extra_keys=list(EXTRA_KEYS)
    )
    return stable_widget_ids(stripped)


def stable_widget_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with each widget view's ``model_id`` made from its cell id and place (in place, returned).

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("w", id="cell-05")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", {WIDGET_VIEW: {"model_id": "random"}})]
    >>> nb = stable_widget_ids(nbformat.v4.new_notebook(cells=[cell]))
    >>> nb.cells[0].outputs[0].data[WIDGET_VIEW]["model_id"] == widget_id("cell-05", 0)
    True
    """
    for number, cell in enumerate(nb.cells):
        for place, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = widget_id(cell.get("id", str(number)), place)
    return nb


def widget_id(cell_id: str, place: int) -> str:
    """A widget view's stable id: 32 hex digits, like the random ones, from its cell and its place among the outputs.

    Examples
    --------
    >>> len(widget_id("cell-05", 0)), widget_id("cell-05", 0) == widget_id("cell-05", 1)
    (32, False)
    """
    return hashlib.sha256(f"{cell_id}/{place}".encode()).hexdigest()[:32]


def pre_save_hook(model: dict, **_kwargs) -> None:
    """Jupyter server's ``ContentsManager.pre_save_hook``: strip a notebook as :func:`strip` does, before it is saved.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}, "title": "7"})
    >>> model = {"type": "notebook", "content": nb}
    >>> pre_save_hook(model, path="07.ipynb")
    >>> model["content"]["metadata"]
    {'title': '7'}
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    model["content"] = strip(nbformat.from_dict(model["content"]))
