"""A command that runs out of disk space says so in plain words, naming the path, not "failed unexpectedly"."""

from __future__ import annotations

import errno

import pytest

from adass_survey import cli


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_is_named_with_the_path(monkeypatch, capsys, code) -> None:
    def full(_args):
        raise OSError(code, "No space left on device", "data/catalogue/.staging/x.json")

    monkeypatch.setattr(cli, "_dispatch", full)
    status = cli.main(["catalogue"])
    message = capsys.readouterr().err
    assert status == cli.EXIT_BAD_INPUT
    assert "the disk is full while writing data/catalogue/.staging/x.json" in message
    assert "unexpectedly" not in message and "Traceback" not in message
