"""The views catalogue: complete, current, swapped in whole, and read by a page without pandas."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from adass_survey.report import catalogue as catalogue_module
from adass_survey.report.catalogue import MANIFEST, RESEARCHER_TAG, inputs_key, stored
from adass_survey.report.catalogue_build import build_catalogue, planned_calls

PAGE = """
import sys, time
started = time.perf_counter()
from adass_survey import report
shown = [report.banner(), report.headlines("7"), report.caveats("7"),
         report.explore("dp_restrictions", "Nine in ten responding councils restrict how direct payments are used")]
shown[-1]._repr_mimebundle_()
heavy = sorted(m for m in ("pandas", "matplotlib", "scipy", "pyarrow") if m in sys.modules)
print(json.dumps({"heavy": heavy, "seconds": time.perf_counter() - started}))
"""


def test_every_call_of_every_notebook_is_in_the_catalogue(catalogue):
    manifest = json.loads((catalogue / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["key"] == inputs_key()
    planned = planned_calls(catalogue_module.notebooks_dir())
    assert set(planned) <= {call["key"] for call in manifest["calls"]}
    assert all((catalogue / f"{key}.json").is_file() for key in planned)


def test_a_page_reads_the_catalogue_without_pandas_or_matplotlib(catalogue):
    run = subprocess.run([sys.executable, "-c", "import json\n" + PAGE], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["heavy"] == [], result


def test_a_stale_catalogue_is_not_read(catalogue, monkeypatch):
    assert stored("caveats", ["7", None], {}) is not None
    monkeypatch.setattr(catalogue_module, "_KEY", ["another key"])
    assert stored("caveats", ["7", None], {}) is None


def test_a_failed_build_leaves_the_previous_catalogue(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    cells = [{"cell_type": "code", "source": ['report.caveats("7")\n', 'report.caveats("9")']}]
    (notebooks / "01-x.ipynb").write_text(json.dumps({"cells": cells}))
    out = tmp_path / "catalogue"
    build_catalogue(notebooks, out, workers=1)
    before = sorted(p.name for p in out.iterdir())
    import adass_survey.report as facade

    real = facade.compute
    monkeypatch.setattr(
        facade,
        "compute",
        lambda name, args, kwargs: (
            real(name, args, kwargs) if args[0] == "7" else (_ for _ in ()).throw(RuntimeError("drawing failed"))
        ),
    )
    with pytest.raises(RuntimeError, match="drawing failed"):
        build_catalogue(notebooks, out, workers=1)  # computed here, so the patched function is the one called
    assert sorted(p.name for p in out.iterdir()) == before
    assert len(before) == 3  # two calls and the manifest


def _notebook(folder, *calls):
    folder.mkdir()
    (folder / "01-x.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": list(calls)}]}))
    return folder


def test_a_call_failing_in_a_worker_fails_the_build_and_leaves_the_previous_catalogue(tmp_path):
    good = _notebook(tmp_path / "good", 'report.caveats("7")\n', 'report.caveats("9")')
    bad = _notebook(tmp_path / "bad", 'report.caveats("7")\n', 'report.explore("no_such_question", "A title")')
    out = tmp_path / "catalogue"
    build_catalogue(good, out, workers=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(KeyError, match="no_such_question"):
        build_catalogue(bad, out, workers=2)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_the_views_are_the_same_built_on_several_processes_or_one(tmp_path):
    """Each worker draws in a fresh process: the stored views, charts included, are byte for byte the same."""
    notebooks = _notebook(
        tmp_path / "notebooks",
        'report.headlines("7")\n',
        'report.explore("dp_restrictions", "Nine in ten councils restrict direct payments", ["take_up_band"])\n',
        'report.caveats("7")',
    )
    one, several = tmp_path / "one", tmp_path / "several"
    serial, parallel = build_catalogue(notebooks, one, workers=1), build_catalogue(notebooks, several, workers=2)
    assert [call["key"] for call in serial["calls"]] == [call["key"] for call in parallel["calls"]]
    views = sorted(p.name for p in one.iterdir() if p.name != MANIFEST)
    assert len(views) == 3 and views == sorted(p.name for p in several.iterdir() if p.name != MANIFEST)
    assert all((one / name).read_bytes() == (several / name).read_bytes() for name in views)


def _cell(source: str, tags: tuple[str, ...] = ()) -> dict:
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": source.splitlines(keepends=True)}


RESEARCHERS_EDITS = [
    _cell('from adass_survey import report\n\nreport.caveats("7")'),
    _cell("%matplotlib inline\nrespondents = report.survey().respondents\nq = 'dp_restrictions'"),
    _cell('report.explore(q, "Restrictions, my way")'),
    _cell('report.crosstab("take_up", "on_target", "Take-up by on target")', tags=(RESEARCHER_TAG,)),
    _cell('report.my_own_view("7")'),
    _cell('report.caveats("7", ["a note"], "one argument too many")'),
    _cell("for x in range(3)\n    print(x)"),
]


def test_a_call_the_catalogue_cannot_compute_is_skipped_with_a_note_and_the_build_goes_on(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "90-mine.ipynb").write_text(json.dumps({"cells": RESEARCHERS_EDITS}), encoding="utf-8")
    manifest = build_catalogue(notebooks, tmp_path / "catalogue", workers=1)
    assert [(call["name"], call["arguments"]) for call in manifest["calls"]] == [("caveats", ["7", None])]
    notes = capsys.readouterr().err
    assert "90-mine.ipynb, cell 2: report.explore(...) (its arguments are not literals)" in notes
    assert "report.my_own_view(...) (not a view the notebooks can show)" in notes
    assert "90-mine.ipynb: report.caveats(...) (too many positional arguments)" in notes
    assert "90-mine.ipynb, cell 6 (the cell is not plain Python)" in notes
    assert "survey" not in notes and "crosstab" not in notes  # the route to the data, and a cell readers never see


def test_a_cell_for_researchers_only_is_left_out_of_the_catalogue(tmp_path):
    cells = [_cell('report.caveats("7")'), _cell('report.caveats("9")', tags=("other", RESEARCHER_TAG))]
    (tmp_path / "01-x.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert [args for _, args, _ in planned_calls(tmp_path).values()] == [["7", None]]


def test_no_facade_function_shares_its_name_with_a_submodule():
    """Importing ``report.<name>`` as a module would replace the facade function ``report.<name>`` on first use."""
    import pkgutil

    import adass_survey.report as facade

    submodules = {m.name for m in pkgutil.iter_modules(facade.__path__)}
    assert not submodules & set(facade.LIVE), submodules & set(facade.LIVE)
