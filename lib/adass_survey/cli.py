"""Command line: ``python -m adass_survey {synth,build,reconcile,export,serve}``.

Every sub-command exits 0 on success and 2 on bad input, printing a message a reader can act on.
Details of unexpected failures go to ``logs/adass_survey.log``, never as a traceback on the terminal.
"""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from pathlib import Path

from .core.errors import SurveyInputError
from .core.paths import data_dir, processed_dir, project_root, raw_export_path, static_site_dir

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_MISMATCH = 1
EXIT_FAILURE = 3
"""Exit code of a command that could not finish for a reason other than its input: a full disk, or a crash."""

log = logging.getLogger("adass_survey")


def _log_to_file() -> Path:
    log_dir = project_root() / "logs"
    log_dir.mkdir(exist_ok=True)
    path = log_dir / "adass_survey.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("adass_survey")
    if not any(isinstance(h, logging.FileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line message on bad arguments (its default)."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line.

    Examples
    --------
    >>> build_parser().parse_args(["synth", "--n", "100"]).n
    100
    """
    parser = _Parser(prog="python -m adass_survey", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_pipeline_commands(sub)
    _add_page_commands(sub)
    _add_serve_command(sub)
    _add_instrument_commands(sub)
    return parser


def _add_pipeline_commands(sub) -> None:
    synth = sub.add_parser("synth", help="write a SYNTHETIC respondent-level export calibrated to the report")
    synth.add_argument("--n", type=int, default=58, help="number of respondents (default 58: reproduces the report)")
    synth.add_argument("--seed", type=int, default=2011, help="random seed (default 2011)")
    synth.add_argument("--out", type=Path, default=raw_export_path(), help="output file (.csv or .xlsx)")
    synth.add_argument("--encoding", default="cp1252", help="text encoding of a CSV export (default cp1252)")

    build = sub.add_parser("build", help="turn a raw export into tidy processed data, quarantining bad rows")
    build.add_argument("--raw", type=Path, default=raw_export_path(), help="raw export (.csv or .xlsx)")
    build.add_argument("--out", type=Path, default=processed_dir(), help="output folder (default data/processed)")
    build.add_argument("--quiet", action="store_true", help="no progress output")

    reconcile = sub.add_parser("reconcile", help="recompute every published figure and compare")
    reconcile.add_argument("--raw", type=Path, default=raw_export_path(), help="raw export to build from")
    reconcile.add_argument("--all", action="store_true", help="print every row, not only errata and mismatches")


def _add_page_commands(sub) -> None:
    export = sub.add_parser("export", help="write the static (no-kernel) HTML pages of every section")
    export.add_argument(
        "--out",
        type=Path,
        default=static_site_dir(),
        help="output folder (default notebooks/site/, which the Voilà server serves read-only)",
    )
    export.add_argument("--notebooks", type=Path, default=None, help="folder of the notebooks (default notebooks/)")

    catalogue = sub.add_parser("catalogue", help="compute every view the notebooks show, once (the dashboards read it)")
    catalogue.add_argument("--out", type=Path, default=None, help="output folder (default data/catalogue)")
    catalogue.add_argument("--notebooks", type=Path, default=None, help="folder of the notebooks (default notebooks/)")
    catalogue.add_argument("--quiet", action="store_true", help="no progress output")
    catalogue.add_argument("--force", action="store_true", help="rebuild even when the catalogue is current")


def _add_serve_command(sub) -> None:
    serve = sub.add_parser(
        "serve", help="serve the dashboards read-only with standalone Voilà (what scripts/serve.sh runs)"
    )
    serve.add_argument("--host", default=None, help="address to bind (default $ADASS_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default $ADASS_PORT or 8866)")
    serve.add_argument(
        "--notebooks", type=Path, default=None, help="folder to serve (default $ADASS_NOTEBOOKS or notebooks)"
    )
    serve.add_argument("--no-static", action="store_true", help="do not build the static pages when they are missing")
    serve.add_argument(
        "--no-prepare", action="store_true", help="build neither the processed data nor the static pages"
    )
    serve.add_argument("--prepare-only", action="store_true", help="build what is missing, then exit without serving")
    serve.add_argument(
        "voila_args", nargs="*", help="Voilà options after --, e.g. -- --MappingKernelManager.cull_idle_timeout=300"
    )


def _add_instrument_commands(sub) -> None:
    questionnaire = sub.add_parser("questionnaire", help="write the printable questionnaire (HTML) from the codebook")
    questionnaire.add_argument(
        "--out",
        type=Path,
        default=data_dir() / "templates" / "questionnaire.html",
        help="output file (default data/templates/questionnaire.html)",
    )
    dictionary = sub.add_parser("dictionary", help="write the data dictionary (column, question, type, codes, labels)")
    dictionary.add_argument(
        "--out",
        type=Path,
        default=data_dir() / "templates" / "data-dictionary.csv",
        help="output file; .csv and/or .html (default data/templates/data-dictionary.csv)",
    )
    dictionary.add_argument("--format", choices=["csv", "html", "both"], default="both", help="default both")
    template = sub.add_parser("template", help="write the blank export template (two header rows) that build reads")
    template.add_argument(
        "--out",
        type=Path,
        default=data_dir() / "templates" / "export-template.csv",
        help="output file (default data/templates/export-template.csv)",
    )


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "synth":
        from .synth.generate import run_synth

        return run_synth(args)
    if args.command == "build":
        from .processed.build import run_build

        return run_build(args)
    if args.command == "reconcile":
        from .published.reconcile import run_reconcile

        return run_reconcile(args)
    if args.command == "export":
        from .pages.export import run_export

        return run_export(args)
    if args.command == "serve":
        from .serve.launch import run_serve

        return run_serve(args)
    if args.command == "catalogue":
        from .report.catalogue_build import run_catalogue

        return run_catalogue(args)
    if args.command in ("questionnaire", "dictionary", "template"):
        from .instrument import commands

        return getattr(commands, f"run_{args.command}")(args)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Examples
    --------
    >>> main(["reconcile", "--raw", "no-such-file.csv"])
    2
    """
    args = build_parser().parse_args(argv)
    log_path = _log_to_file()
    try:
        return _dispatch(args)
    except SurveyInputError as error:
        log.error("refused input: %s", error)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            return _crashed(args.command, log_path)
        where = f" while writing {error.filename}" if error.filename else ""
        log.error("disk full in %s%s", args.command, where)
        print(
            f"error: the disk is full{where}; the previous output is kept. Free some space and run {args.command} again.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except Exception:  # noqa: BLE001 - the detail goes to the log, the reader gets a sentence
        return _crashed(args.command, log_path)


def _crashed(command: str, log_path: Path) -> int:
    log.exception("unexpected failure in %s", command)
    print(
        f"error: {command} failed unexpectedly (a fault of this program, not of your input); nothing was written. "
        f"The detail is in {log_path.name} (folder logs/). Please report it with that file.",
        file=sys.stderr,
    )
    return EXIT_FAILURE
