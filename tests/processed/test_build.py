"""The build: outputs, accounting, atomic replacement, refusals, progress, and load_survey's reuse."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

import export_factory as ef
from adass_survey.cli import main
from adass_survey.core.codebook import load_codebook
from adass_survey.core.errors import SurveyInputError
from adass_survey.processed import build as build_module
from adass_survey.processed import survey as data_module
from adass_survey.processed.build import build, run_build, sha256_of
from adass_survey.processed.schema import OUTPUT_FILES

CB = load_codebook()


@pytest.fixture
def export(tmp_path):
    rows = ef.export_rows(CB, n=15, seed=5)
    rows[6][ef.column_index(CB, "region")] = "Narnia"
    return ef.write_export(tmp_path / "export.csv", rows)


def test_build_writes_every_output_and_accounts_for_every_row(export, tmp_path):
    out = tmp_path / "processed"
    manifest = build(export, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    stored = json.loads((out / "build_manifest.json").read_text())
    assert stored["rows_in"] == 15 == stored["rows_clean"] + stored["rows_quarantined"]
    assert (stored["rows_clean"], stored["rows_quarantined"]) == (14, 1)
    assert stored["raw_sha256"] == sha256_of(export) and not stored["raw_path"].startswith("/")
    csv_rows = pd.read_csv(out / "respondents.csv")
    parquet_rows = pd.read_parquet(out / "respondents.parquet")
    assert len(csv_rows) == len(parquet_rows) == manifest.rows_clean
    assert list(csv_rows.columns) == list(parquet_rows.columns)
    themes = pd.read_csv(out / "themes.csv")
    assert list(themes.columns) == ["respondent_id", "question_id", "theme"]
    assert set(themes["respondent_id"]) <= set(parquet_rows["respondent_id"])
    quarantine = pd.read_csv(out / "quarantine.csv", keep_default_na=False)
    assert quarantine.loc[0, ["column", "value", "reason"]].tolist() == ["region", "Narnia", "unknown option"]


def test_raw_file_is_never_modified(export, tmp_path):
    before = (export.read_bytes(), export.stat().st_mtime_ns)
    build(export, tmp_path / "out")
    assert (export.read_bytes(), export.stat().st_mtime_ns) == before


def test_refused_build_leaves_previous_output_intact(export, tmp_path):
    out = tmp_path / "processed"
    build(export, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,age\nAda,36\n")
    with pytest.raises(SurveyInputError):
        build(bad, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_interrupted_build_leaves_previous_output_intact(export, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    build(export, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    rows = ef.export_rows(CB, n=20, seed=6)
    other = ef.write_export(tmp_path / "other.csv", rows)
    monkeypatch.setattr(pd.DataFrame, "to_csv", explode, raising=True)
    import pyarrow.csv

    monkeypatch.setattr(pyarrow.csv, "write_csv", explode)
    with pytest.raises(KeyboardInterrupt):
        build(other, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_folder_with_foreign_files_is_refused(export, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(SurveyInputError, match="did not write"):
        build(export, out)
    assert (out / "thesis.docx").read_text() == "precious"


def test_a_folder_of_an_earlier_build_is_replaced_and_its_build_report_goes(export, tmp_path):
    """An earlier build wrote its manifest as ``build_report.json``: that folder is still the build's to replace."""
    out = tmp_path / "processed"
    build(export, out)
    (out / "build_manifest.json").rename(out / "build_report.json")
    assert not data_module.is_current(export, out)
    build(export, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


def test_cli_prints_the_accounting_and_exits_zero(export, tmp_path, capsys):
    assert main(["build", "--raw", str(export), "--out", str(tmp_path / "o")]) == 0
    printed = capsys.readouterr().out
    assert "rows in 15 = clean 14 + quarantined 1" in printed
    assert main(["build", "--raw", str(export), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_cli_refusal_exits_two_with_a_message_and_no_traceback(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["build", "--raw", str(empty), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "empty.csv" in err and "What to do" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_accounting_mismatch_fails_the_build(export, tmp_path, monkeypatch):
    real_clean = __import__("adass_survey.clean.respondents", fromlist=["clean"]).clean

    def lose_a_row(raw, codebook):
        result = real_clean(raw, codebook)
        result.respondents = result.respondents.iloc[1:]
        return result

    monkeypatch.setattr("adass_survey.clean.respondents.clean", lose_a_row)
    with pytest.raises(RuntimeError, match="accounting does not add up"):
        build(export, tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_progress_lines_on_large_builds(export, tmp_path, monkeypatch):
    lines = []
    monkeypatch.setattr(build_module, "PROGRESS_MIN_ROWS", 10)
    build(export, tmp_path / "o", progress=lines.append)
    assert [line.split()[0] for line in lines] == ["load", "validate", "clean", "code", "check", "write"]
    monkeypatch.setattr(build_module, "PROGRESS_MIN_ROWS", 50_000)
    lines.clear()
    build(export, tmp_path / "o", progress=lines.append)
    assert lines == []


def test_run_build_reads_args(export, tmp_path, capsys):
    import argparse

    assert run_build(argparse.Namespace(raw=export, out=tmp_path / "o", quiet=False)) == 0
    assert "quarantined 1" in capsys.readouterr().out


def test_load_survey_reuses_a_current_build_and_rebuilds_a_stale_one(export, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    first = data_module.load_survey(export, out)
    assert len(first.respondents) == first.manifest["rows_clean"] == 14
    assert first.respondents["respondent_id"].dtype == "int64"
    calls = []
    real = build_module.build
    monkeypatch.setattr(build_module, "build", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = data_module.load_survey(export, out)
    assert calls == []
    pd.testing.assert_frame_equal(again.respondents, first.respondents)
    pd.testing.assert_frame_equal(again.quarantine, first.quarantine)
    rows = ef.export_rows(CB, n=9, seed=11)
    ef.write_export(export, rows)
    rebuilt = data_module.load_survey(export, out)
    assert len(calls) == 1 and rebuilt.manifest["rows_in"] == 9


def test_load_survey_rebuilds_when_output_is_incomplete(export, tmp_path):
    out = tmp_path / "processed"
    data_module.load_survey(export, out)
    os.remove(out / "themes.csv")
    survey = data_module.load_survey(export, out)
    assert (out / "themes.csv").exists() and len(survey.themes) > 0


def test_a_file_rewritten_while_it_is_read_is_refused_and_nothing_is_written(export, tmp_path, monkeypatch):
    from adass_survey.ingest import read as load

    original = load.read_export

    def read_then_rewrite(path, codebook):
        raw = original(path, codebook)
        path.write_bytes(path.read_bytes() + b"\r\n")  # same content plus a blank line: size changes
        return raw

    monkeypatch.setattr(load, "read_export", read_then_rewrite)
    out = tmp_path / "processed"
    with pytest.raises(SurveyInputError, match="changed while it was being read"):
        build(export, out)
    assert not out.exists()


def test_the_reported_hash_is_that_of_the_bytes_read(export, tmp_path):
    manifest = build(export, tmp_path / "processed")
    assert manifest.raw_sha256 == sha256_of(export)
    export.write_bytes(export.read_bytes().replace(b"Narnia", b"Narnie"))
    assert build(export, tmp_path / "processed").raw_sha256 == sha256_of(export) != manifest.raw_sha256
