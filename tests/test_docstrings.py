"""Every public function documents itself with a runnable example, and every example runs."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import adass_survey

MODULES = sorted(
    m.name.removeprefix("adass_survey.")
    for m in pkgutil.walk_packages(adass_survey.__path__, "adass_survey.")
    if not m.ispkg and not m.name.rsplit(".", 1)[-1].startswith("_")
)

# Commands that run a whole pipeline stage or a notebook: documented by `python -m adass_survey <command> --help`
# and exercised by tests/test_cli.py, tests/processed/test_build.py and the browser tests rather than by a docstring example.
ENTRY_POINTS = {
    "run_synth",
    "run_build",
    "run_reconcile",
    "run_export",
    "run_catalogue",
    "execute_notebook",
    "render_page",
    "export_site",
}


def _public_functions(module):
    for name, obj in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
            continue
        yield name, obj


@pytest.mark.parametrize("module_name", MODULES)
def test_public_functions_have_an_example(module_name):
    module = importlib.import_module(f"adass_survey.{module_name}")
    missing = [
        name
        for name, fn in _public_functions(module)
        if name not in ENTRY_POINTS and ">>>" not in (inspect.getdoc(fn) or "")
    ]
    assert not missing, f"public functions without an example in adass_survey.{module_name}: {missing}"


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    module = importlib.import_module(f"adass_survey.{module_name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"adass_survey.{module_name} has no docstring examples"
    assert result.failed == 0, f"{result.failed} failing example(s) in adass_survey.{module_name}"
