"""Build the processed data from a raw export: load → validate → clean → code → check → write.

The five output files (``respondents.csv``, ``respondents.parquet``, ``themes.csv``,
``quarantine.csv``, ``build_manifest.json``; see ``docs/data-flow.md``) are written into a temporary
folder and swapped in whole, so a refused or interrupted build leaves the previous processed data
untouched. The raw export is only read. Every raw row is accounted for: it is either a clean
respondent or has one or more lines in the quarantine, and the build fails if the two do not add up.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..core.atomic import check_replaceable, replaced_folder
from ..core.codebook import load_codebook
from ..core.errors import SurveyInputError
from ..core.paths import codebook_path, processed_dir, project_root, raw_export_path
from ..ingest import checks
from .schema import FORMER_OUTPUT_FILES, OUTPUT_FILES, validate_respondents, write_files

PROGRESS_MIN_ROWS = 50_000
"""Builds of more rows than this report each stage with its timing."""


@dataclass
class BuildManifest:
    """What one build read and wrote (the content of ``build_manifest.json`` plus timings)."""

    raw_path: str
    raw_sha256: str
    codebook_sha256: str
    encoding: str
    delimiter: str
    rows_in: int
    rows_clean: int
    rows_quarantined: int
    theme_rows: int
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    package_version: str = __version__
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        """The manifest as written to ``build_manifest.json`` (timings left out: builds are reproducible)."""
        content = asdict(self)
        content.pop("timings")
        return json.dumps(content, indent=2, ensure_ascii=False) + "\n"

    def accounting(self) -> str:
        """The one-line account of rows, e.g. ``rows in 58 = clean 58 + quarantined 0``."""
        return f"rows in {self.rows_in:,} = clean {self.rows_clean:,} + quarantined {self.rows_quarantined:,}"


def sha256_of(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_of(p)[:12]
    'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def display_path(path: str | Path) -> str:
    """A path as shown to readers and stored in manifests: relative to the project or the working folder.

    Examples
    --------
    >>> from adass_survey.core.paths import project_root
    >>> display_path(project_root() / "data" / "raw" / "x.csv")
    'data/raw/x.csv'
    """
    path = Path(path).resolve()
    for base in (project_root(), Path.cwd()):
        try:
            return path.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


class _Stopwatch:
    """Times stages; reports each one through ``progress`` once the export is known to be large."""

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.rows = 0
        self._start = time.perf_counter()

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(now - self._start, 3)
        self._start = now
        if self.progress is not None and self.rows > PROGRESS_MIN_ROWS:
            self.progress(f"  {stage:<9} {self.timings[stage]:6.2f} s  ({self.rows:,} rows)")


def build(raw_path: str | Path | None = None, out_dir: str | Path | None = None, progress=None) -> BuildManifest:
    """Build the processed data from a raw export.

    Parameters
    ----------
    raw_path : the raw export (.csv or .xlsx); defaults to the shipped synthetic export
    out_dir : the output folder, replaced whole; defaults to ``data/processed``
    progress : optional callable taking one line of text, called per stage on large exports

    Returns
    -------
    BuildManifest

    Raises
    ------
    SurveyInputError
        When the file is refused (nothing is written).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> raw = folder / "export.csv"
    >>> _ = raw.write_text("name,age\\nAda,36\\nAlan,41\\n")
    >>> build(raw, folder / "processed")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: ...export.csv, row 1: the file does not look like an export of...
    """
    from ..clean.respondents import clean
    from ..coding.themes import theme_table
    from ..ingest.read import read_export

    raw_path = Path(raw_path) if raw_path is not None else raw_export_path()
    out_dir = Path(out_dir) if out_dir is not None else processed_dir()
    check_replaceable(out_dir, {*OUTPUT_FILES, *FORMER_OUTPUT_FILES})
    watch = _Stopwatch(progress)
    codebook = load_codebook()
    before = _file_state(raw_path)
    raw = read_export(raw_path, codebook)
    watch.rows = len(raw.frame)
    watch.done("load")
    for check in (checks.check_is_survey_export, checks.check_required_columns):
        check(raw, codebook)
    checks.check_has_respondents(raw)
    checks.check_unique_ids(raw, codebook)
    watch.done("validate")
    result = clean(raw, codebook)
    rows_in = len(raw.frame)
    raw.frame = raw.frame.iloc[:0]  # every cell is cleaned now: free the raw text before coding
    watch.done("clean")
    themes = theme_table(result.respondents, codebook)  # the rows of code_answers, ready to write
    watch.done("code")
    validate_respondents(result.respondents, codebook)
    watch.done("check")
    manifest = BuildManifest(
        raw_path=display_path(raw_path),
        raw_sha256=raw.sha256,
        codebook_sha256=sha256_of(codebook_path()),
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        rows_in=rows_in,
        rows_clean=len(result.respondents),
        rows_quarantined=int(result.quarantine["source_row"].nunique()),
        theme_rows=len(themes),
        unknown_columns=list(raw.unknown_columns),
        notes=list(raw.notes) + list(result.notes),
    )
    if manifest.rows_in != manifest.rows_clean + manifest.rows_quarantined:
        raise RuntimeError(f"accounting does not add up: {manifest.accounting()}")
    if _file_state(raw_path) != before:
        raise SurveyInputError(raw_path, "the file changed while it was being read", "run the build again")
    _write(out_dir, result.respondents, themes, result.quarantine, manifest)
    watch.done("write")
    manifest.timings = watch.timings
    return manifest


def _file_state(path: Path) -> tuple[int, int] | None:
    """Size and modification time of a file (None if it cannot be read): cheap evidence of a change.

    The build hashes the bytes it read (``RawExport.sha256``); comparing this state before and
    after the reading tells whether the file was rewritten meanwhile, without hashing it again.
    """
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _write(out_dir: Path, respondents, themes, quarantine, manifest: BuildManifest) -> None:
    """Write the processed files (:func:`adass_survey.processed.schema.write_files`) into a fresh folder
    that replaces ``out_dir`` whole; any failure leaves the previous folder as it was."""
    with replaced_folder(out_dir) as folder:
        write_files(folder, respondents, themes, quarantine, manifest.to_json())


def run_build(args) -> int:
    """Command-line entry: build, print the accounting, return 0 (a refusal raises, shown by the CLI).

    Examples
    --------
    >>> import argparse
    >>> run_build(argparse.Namespace(raw=None, out=None, quiet=True))  # doctest: +SKIP
    0
    """
    quiet = bool(getattr(args, "quiet", False))
    say = (lambda line: None) if quiet else print
    raw_path = args.raw if args.raw is not None else raw_export_path()
    out_dir = args.out if args.out is not None else processed_dir()
    say(f"build: reading {display_path(raw_path)}")
    manifest = build(raw_path, out_dir, progress=say)
    delimiter = {",": "comma", ";": "semicolon", "": "workbook"}.get(manifest.delimiter, manifest.delimiter)
    say(f"read {manifest.raw_path} ({manifest.encoding}, {delimiter})")
    say(manifest.accounting())
    if manifest.unknown_columns:
        say(f"ignored {len(manifest.unknown_columns)} unknown column(s): " + "; ".join(manifest.unknown_columns[:5]))
    for note in manifest.notes[:20]:
        say(f"note: {note}")
    if len(manifest.notes) > 20:
        say(f"... and {len(manifest.notes) - 20} more notes in build_manifest.json")
    if manifest.rows_quarantined:
        say(f"{manifest.rows_quarantined} row(s) quarantined: see quarantine.csv for row, column, value and reason")
    say(f"wrote {display_path(out_dir)}/: " + ", ".join(OUTPUT_FILES) + f" ({manifest.theme_rows:,} theme rows)")
    return 0
