"""``python -m adass_survey serve``: the dashboards, on any system (``scripts/serve.sh`` without bash).

Builds the processed data (when missing or out of date), the views catalogue and the static pages (when stale,
:func:`~adass_survey.pages.export.static_pages_stale`), then starts standalone Voilà (with
:func:`~adass_survey.serve.app.adass_handlers`) in this process, at the repository root so that it reads the
repository's ``voila.json`` and ``voila.py``, with ``share/jupyter`` on ``JUPYTER_PATH`` for the page template.
Only pathlib, subprocess and the standard library: no bash and no POSIX-only module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..core.paths import STATIC_FOLDER, project_root

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def voila_argv(notebooks: Path, host: str, port: int, extra: list[str]) -> list[str]:
    """Return the command-line arguments standalone Voilà is started with.

    Examples
    --------
    >>> voila_argv(Path("notebooks"), "127.0.0.1", 8866, ["--MappingKernelManager.cull_idle_timeout=60"])
    ['notebooks', '--Voila.ip=127.0.0.1', '--Voila.port=8866', '--Voila.port_retries=0', '--no-browser', '--MappingKernelManager.cull_idle_timeout=60']
    """
    return [
        str(notebooks),
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--no-browser",
        *extra,
    ]


def serve_environment(root: Path, environ: dict[str, str]) -> dict[str, str]:
    """Return the environment Voilà and its kernels run in: the page template on ``JUPYTER_PATH``, Agg charts.

    Examples
    --------
    >>> env = serve_environment(Path("repo"), {"JUPYTER_PATH": "elsewhere"})
    >>> env["JUPYTER_PATH"] == os.pathsep.join([str(Path("repo") / "share" / "jupyter"), "elsewhere"])
    True
    >>> env["MPLBACKEND"]
    'Agg'
    """
    share = str(root / "share" / "jupyter")
    existing = environ.get("JUPYTER_PATH", "")
    return {**environ, "JUPYTER_PATH": os.pathsep.join([share, existing]) if existing else share, "MPLBACKEND": "Agg"}


def adass_command(*args: str) -> list[str]:
    """Return the command line of ``python -m adass_survey`` with ``args``, in this Python.

    Examples
    --------
    >>> adass_command("build", "--quiet")[1:]
    ['-m', 'adass_survey', 'build', '--quiet']
    """
    return [sys.executable, "-m", "adass_survey", *args]


def _build_static_pages(root: Path, notebooks: Path) -> None:
    log_path = root / "logs" / "export.log"
    log_path.parent.mkdir(exist_ok=True)
    print(
        f"serve: building the static pages in {notebooks.as_posix()}/{STATIC_FOLDER}/ (once, about a minute; "
        "log: logs/export.log)",
        flush=True,
    )
    command = adass_command("export", "--notebooks", str(notebooks), "--out", str(notebooks / STATIC_FOLDER))
    with (
        log_path.open("w", encoding="utf-8") as log,
        subprocess.Popen(
            command,
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        ) as process,
    ):
        for line in process.stdout:
            log.write(line)
            if line.startswith("export:"):
                print(line, end="", flush=True)
    if process.returncode != 0:
        print(
            "serve: the static pages could not be built (see logs/export.log); serving the dashboards without them",
            file=sys.stderr,
            flush=True,
        )


def _prepare(root: Path, notebooks: Path, static_pages: bool) -> int:
    """Build the processed data, the views catalogue, and the static pages if asked and stale; 0, or 2 on bad data."""
    build = subprocess.run(adass_command("build", "--quiet"), cwd=root)
    if build.returncode != 0:
        return EXIT_BAD_INPUT
    print(
        "serve: views catalogue (data/catalogue/; built only when the data, codebook or notebooks changed)", flush=True
    )
    catalogue = subprocess.run(adass_command("catalogue", "--quiet", "--notebooks", str(notebooks)), cwd=root)
    if catalogue.returncode != 0:
        print(
            "serve: the views catalogue could not be built; pages will compute their views live (slowly)",
            file=sys.stderr,
            flush=True,
        )
    from ..pages.export import static_pages_stale
    from ..pages.files import page_files_dir, prune
    from ..report.catalogue import MANIFEST, catalogue_dir

    manifest = catalogue_dir() / MANIFEST
    if manifest.is_file():
        removed = prune(page_files_dir(), written_before=manifest.stat().st_mtime)
        if removed:
            print(f"serve: {removed} page files of an earlier views catalogue removed (data/page_files/)", flush=True)
    if static_pages and any(notebooks.glob("*.ipynb")) and static_pages_stale(notebooks, catalogue_dir()):
        _build_static_pages(root, notebooks)
    return EXIT_OK


def run_serve(args) -> int:
    """Prepare, then serve the dashboards with standalone Voilà until interrupted; return the exit code.

    Examples
    --------
    >>> from adass_survey.cli import build_parser
    >>> run_serve(build_parser().parse_args(["serve", "--notebooks", "no-such-folder"]))
    2
    """
    root = project_root()
    args.host = args.host or os.environ.get("ADASS_HOST", "127.0.0.1")
    args.port = args.port or int(os.environ.get("ADASS_PORT", "8866"))
    args.notebooks = args.notebooks or Path(os.environ.get("ADASS_NOTEBOOKS", "notebooks"))
    notebooks = args.notebooks if args.notebooks.is_absolute() else root / args.notebooks
    if not notebooks.is_dir():
        print(f"serve: no folder '{args.notebooks}' to serve.", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        notebooks = notebooks.resolve().relative_to(root)  # short paths in messages; Voilà starts at the root
    except ValueError:
        notebooks = notebooks.resolve()  # a folder elsewhere (or on another drive)
    os.chdir(root)  # Voilà reads voila.json and voila.py from the folder it starts in
    os.environ.update(serve_environment(root, dict(os.environ)))
    if not args.no_prepare:
        status = _prepare(root, notebooks, static_pages=not args.no_static)
        if status != EXIT_OK:
            return status
    if args.prepare_only:
        return EXIT_OK
    print(f"serve: dashboards at http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    if (notebooks / STATIC_FOLDER / "index.html").exists():
        url = f"http://{args.host}:{args.port}/voila/files/{STATIC_FOLDER}/index.html"
        print(f"serve: static pages at {url}", flush=True)
    from .app import Voila, use_adass_handlers  # imported late: `serve --help` and the checks above stay quick

    use_adass_handlers()  # voila.py does it too; here it holds even if Voilà were to read no voila.py
    extra = [a for a in args.voila_args if a != "--"]
    Voila.launch_instance(voila_argv(notebooks, args.host, args.port, extra))
    return EXIT_OK
