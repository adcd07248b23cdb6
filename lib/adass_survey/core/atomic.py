"""Replace an output folder all at once: write into a temporary folder beside it, then swap.

A build that is refused or interrupted leaves the previous folder as it was; readers never see a
half-written set of files. The swap is two renames on the same file system (old folder aside, new
folder in place); if a run dies between the two, the next run puts the old folder back first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import SurveyInputError

OLD_SUFFIX = ".previous"


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}{OLD_SUFFIX}")


def recover(target: Path) -> None:
    """Put back a folder set aside by a swap that was interrupted half-way.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / ".processed.previous").mkdir()
    >>> recover(root / "processed")
    >>> (root / "processed").is_dir()
    True
    """
    aside = _aside(target)
    if aside.is_dir() and not target.exists():
        os.replace(aside, target)
    elif aside.is_dir():
        shutil.rmtree(aside, ignore_errors=True)


def check_replaceable(target: Path, allowed: set[str]) -> None:
    """Refuse to replace a folder holding files other than ``allowed`` (a mistyped ``--out``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "notes.txt").write_text("mine")
    4
    >>> check_replaceable(root, {"respondents.csv"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: ...: the output folder holds files the build did not write (notes.txt)...
    """
    if not target.exists():
        return
    if not target.is_dir():
        raise SurveyInputError(target, "the output path is a file, not a folder", "give a folder with --out")
    foreign = sorted(p.name for p in target.iterdir() if p.name not in allowed and not p.name.startswith("."))
    if foreign:
        raise SurveyInputError(
            target,
            f"the output folder holds files the build did not write ({', '.join(foreign[:5])}), and the build "
            "replaces the whole folder",
            "give an empty folder or the processed-data folder with --out",
        )


@contextmanager
def replaced_folder(target: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces ``target`` whole, on failure it is removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with replaced_folder(target) as folder:
    ...     _ = (folder / "a.txt").write_text("new")
    >>> (target / "a.txt").read_text()
    'new'
    >>> try:
    ...     with replaced_folder(target) as folder:
    ...         _ = (folder / "a.txt").write_text("half")
    ...         raise RuntimeError("interrupted")
    ... except RuntimeError:
    ...     pass
    >>> (target / "a.txt").read_text()
    'new'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    aside = _aside(target)
    try:
        if target.exists():
            os.replace(target, aside)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        recover(target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
