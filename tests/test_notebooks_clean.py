"""Notebooks diff cleanly: no widget state or execution timings; the outputs and counts nbval needs are kept.

The check is nbstripout's own ``strip_output`` with ``--keep-output`` (scripts/strip_notebooks.py, which also fixes
them; pre-commit runs the same nbstripout command on each commit).
"""

from __future__ import annotations

import importlib.util
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

_spec = importlib.util.spec_from_file_location("strip_notebooks", ROOT / "scripts" / "strip_notebooks.py")
strip_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strip_notebooks)


def _volatile(nb) -> list[str]:
    """What stripping would remove, named (empty when the notebook is clean)."""
    found = [f"metadata.{k}" for k in ("widgets", "signature") if k in nb.metadata]
    if "version" in nb.metadata.get("language_info", {}):
        found.append("metadata.language_info.version")
    for i, cell in enumerate(nb.cells):
        found += [
            f"cell {i}: metadata.{k}"
            for k in cell.get("metadata", {})
            if f"cell.metadata.{k}" in strip_notebooks.EXTRA_KEYS
        ]
    return found


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 14


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_has_no_volatile_metadata(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert strip_notebooks.strip(nb) == nb, (
        f"{path.name} carries volatile metadata {_volatile(nb)[:6]}: run `.venv/bin/python scripts/strip_notebooks.py`"
    )


def _messy_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(
        {
            "title": "Messy",
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python", "version": "3.11.7"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
        }
    )
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=3)
    cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    cell.metadata["scrolled"] = True
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
    nb.cells = [cell]
    return nb


def test_stripping_keeps_outputs_counts_ids_and_kernelspec_and_drops_the_volatile_parts():
    nb = _messy_notebook()
    stripped = strip_notebooks.strip(nb)
    assert stripped != nb  # the check can fail
    assert stripped.cells[0].outputs[0].data == {"text/plain": "2"} and stripped.cells[0].id == nb.cells[0].id
    assert stripped.metadata.kernelspec.name == "python3" and "widgets" not in stripped.metadata
    assert stripped.metadata.language_info == {"name": "python"}
    assert stripped.cells[0].metadata == {}
    assert stripped.cells[0].execution_count == 3  # nbval refuses a cell with outputs and no execution count
    assert strip_notebooks.strip(stripped) == stripped


def _precommit_hook(hook_id):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == hook_id)


def test_the_precommit_nbstripout_command_strips_exactly_what_the_check_checks(tmp_path):
    command = shlex.split(_precommit_hook("nbstripout")["entry"])
    assert command[0] == "nbstripout" and "--keep-output" in command and "--keep-count" in command
    path, messy = tmp_path / "messy.ipynb", _messy_notebook()
    nbformat.write(messy, path)
    nbstripout = Path(sys.executable).with_name("nbstripout")
    subprocess.run([str(nbstripout), *command[1:], str(path)], check=True, capture_output=True)
    assert nbformat.read(path, as_version=nbformat.NO_CONVERT) == strip_notebooks.strip(messy)


def test_precommit_tool_versions_are_the_pinned_ones():
    pins = dict(
        line.split("==")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    )
    for hook_id in ("ruff", "ruff-format", "nbstripout"):
        for requirement in _precommit_hook(hook_id)["additional_dependencies"]:
            name, version = requirement.split("==")
            assert pins.get(name) == version, f"pre-commit's {requirement} differs from constraints.txt"
