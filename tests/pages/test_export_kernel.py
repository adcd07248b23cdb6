"""The static export runs each notebook in a kernel that talks over Unix sockets where there are some."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = """
import sys
from pathlib import Path
from adass_survey.pages.export import execute_notebook
notebook = execute_notebook(Path(sys.argv[1]))
print(notebook.cells[0].outputs[0]["text"].strip())
"""


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets are POSIX")
def test_an_exported_notebook_runs_without_a_tcp_kernel_or_its_warning(tmp_path: Path) -> None:
    notebook = tmp_path / "01-x.ipynb"
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    source = "from ipykernel.kernelapp import IPKernelApp; print(IPKernelApp.instance().transport)"
    notebook.write_text(
        json.dumps({"cells": [{**cell, "source": source}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    run = subprocess.run([sys.executable, "-c", RUN, str(notebook)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "ipc"
    assert "over TCP" not in run.stderr, run.stderr[-2000:]
