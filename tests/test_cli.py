"""The command line: help, exit codes, no tracebacks."""

from __future__ import annotations

import errno
import subprocess
import sys

import pytest

from adass_survey import cli
from adass_survey.cli import build_parser


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "adass_survey", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", ["synth", "build", "reconcile", "export"])
def test_every_subcommand_has_help(command):
    result = _run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: python -m adass_survey" in result.stdout
    assert "--" in result.stdout  # lists its options


def test_unknown_subcommand_exits_2_without_traceback():
    result = _run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice" in result.stderr


def test_bad_option_value_exits_2():
    result = _run("synth", "--n", "many")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_build_of_missing_file_names_the_file(tmp_path):
    missing = tmp_path / "no-such-export.csv"
    result = _run("build", "--raw", str(missing), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no-such-export.csv" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_parser_defaults_point_into_the_repository():
    args = build_parser().parse_args(["build"])
    assert args.raw.name == "synthetic_survey_export_n58_seed2011.csv"
    assert args.out.name == "processed"


def test_a_crash_has_its_own_exit_code_and_says_it_is_not_the_input(monkeypatch, capsys):
    def crash(_args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "_dispatch", crash)
    assert cli.main(["build"]) == cli.EXIT_FAILURE != cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "failed unexpectedly" in err and "not of your input" in err and "Traceback" not in err


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_is_named_with_the_path(monkeypatch, capsys, code):
    def full(_args):
        raise OSError(code, "No space left on device", "data/processed/respondents.csv")

    monkeypatch.setattr(cli, "_dispatch", full)
    assert cli.main(["build"]) == cli.EXIT_FAILURE
    err = capsys.readouterr().err
    assert "the disk is full while writing data/processed/respondents.csv" in err
    assert "failed unexpectedly" not in err
