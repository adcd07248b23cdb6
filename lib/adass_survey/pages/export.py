"""Static export: every section notebook executed and written as an HTML page, no kernel needed.

``python -m adass_survey export`` (default ``--out notebooks/site/``, where the Voilà server serves the pages
read-only at ``/voila/files/site/``) runs each ``notebooks/NN-name.ipynb`` with nbconvert, hides the
code, keeps charts (embedded images) and tables, draws every filter panel as HTML with all its views, and writes
``NN-name.html`` plus an ``index.html``. The charts shown at first are inside the page; the charts of the other
views and the downloads are files in ``files/`` beside it (:mod:`~adass_survey.pages.files`). The folder loads
nothing from the network. The pages are written to a temporary folder first and moved into place only when every
notebook ran, so a failed export leaves the previous site untouched. Each page carries its content-security policy
in a ``<meta http-equiv>`` (:func:`~adass_survey.pages.policy.with_meta_policy`). :func:`static_pages_stale` tells
whether the pages are older than what they are made from (``python -m adass_survey serve`` exports them again then).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from .. import SYNTHETIC_NOTICE
from ..core.paths import STATIC_FOLDER, project_root
from ..present.panel import HTML_PANELS_ENV
from ..report.catalogue import MANIFEST, RESEARCHER_TAG
from .files import STATIC_FILES, externalize
from .nav import SECTION_STEM, Section, list_sections, section_nav
from .policy import with_meta_policy

log = logging.getLogger("adass_survey.pages.export")

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_REPR = re.compile(r"^[A-Z]\w*\((children|options|value|description|layout|outputs)=")
NOTEBOOK_LINK = re.compile(rf'href="(?P<stem>{SECTION_STEM})\.ipynb(?P<anchor>#[^"]*)?"')
EXECUTION_TIMEOUT_S = 600


def _has_templates(root: Path) -> bool:
    return (root / "voila" / "templates" / "adass" / "adass_header.html.j2").is_file() and (
        root / "nbconvert" / "templates" / "adass_static" / "index.html.j2"
    ).is_file()


def share_dir() -> Path:
    """Return the ``share/jupyter`` folder that holds the page templates.

    The repository's own ``share/jupyter`` when this package runs from a checkout (the templates being edited),
    otherwise the first Jupyter data folder they were installed into by ``pip install`` (``<environment>/share/jupyter``,
    see ``[tool.hatch.build.targets.wheel.shared-data]`` in ``pyproject.toml``).

    Examples
    --------
    >>> (share_dir() / "voila" / "templates" / "adass").is_dir()
    True
    """
    from jupyter_core.paths import jupyter_path

    candidates = [project_root() / "share" / "jupyter", *(Path(p) for p in jupyter_path())]
    found = next((root for root in candidates if _has_templates(root)), None)
    if found is None:
        raise FileNotFoundError(
            "the page templates (voila/templates/adass, nbconvert/templates/adass_static) are "
            "in no Jupyter data folder; reinstall the package with pip install -e ."
        )
    return found


def static_pages_stale(notebooks: Path, catalogue: Path) -> bool:
    """True when the static pages are missing, or older than any of :func:`static_page_sources`.

    Examples
    --------
    >>> import tempfile
    >>> static_pages_stale(Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp()))
    True
    """
    index = notebooks / STATIC_FOLDER / "index.html"
    if not index.exists():
        return True
    built = index.stat().st_mtime
    return any(path.exists() and path.stat().st_mtime > built for path in static_page_sources(catalogue))


def static_page_sources(catalogue: Path) -> list[Path]:
    """What the static pages are made from: the views catalogue's manifest, the page templates, and the code of this
    package that writes them (which the catalogue's key leaves out).

    Examples
    --------
    >>> names = {path.name for path in static_page_sources(Path("catalogue"))}
    >>> {"manifest.json", "export.py", "adass.css"} <= names
    True
    """
    share = share_dir()
    sources = [catalogue / MANIFEST]
    for folder in (share / "nbconvert" / "templates" / "adass_static", share / "voila" / "templates" / "adass"):
        sources += [path for path in folder.rglob("*") if path.is_file()]
    return sources + sorted(Path(__file__).resolve().parent.glob("*.py"))


def default_view(outputs: list[dict]) -> list[dict]:
    """Return the outputs of a cell as a page without a kernel shows them.

    A widget has no view without a kernel: its widget-view data is dropped, and an output left with nothing
    but the widget's ``repr`` text is dropped too, so the default view the notebook displays beside it
    remains. Warnings written to stderr are dropped (they go to the log).

    Examples
    --------
    >>> widget = {"output_type": "display_data", "metadata": {},
    ...           "data": {WIDGET_MIME: {"model_id": "x"}, "text/plain": "Dropdown(options=('a',), value='a')"}}
    >>> table = {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<table></table>"}}
    >>> warning = {"output_type": "stream", "name": "stderr", "text": "UserWarning"}
    >>> [o["data"] for o in default_view([widget, table, warning])]
    [{'text/html': '<table></table>'}]
    """
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            log.warning("stderr output dropped from the static page: %s", output.get("text", "")[:500])
            continue
        data = output.get("data")
        if data is not None and WIDGET_MIME in data:
            data = {k: v for k, v in data.items() if k != WIDGET_MIME}
            plain = data.get("text/plain", "")
            if not data or (set(data) == {"text/plain"} and WIDGET_REPR.match(plain)):
                continue
            output = {**output, "data": data}
        kept.append(output)
    return kept


def link_pages(html: str) -> str:
    """Point links between notebooks at the exported pages.

    Examples
    --------
    >>> link_pages('<a href="07-restrictions.ipynb#base">7</a>')
    '<a href="07-restrictions.html#base">7</a>'
    """
    return NOTEBOOK_LINK.sub(lambda m: f'href="{m["stem"]}.html{m["anchor"] or ""}"', html)


def execute_notebook(path: Path):
    """Run a notebook top to bottom in a fresh kernel, in its own folder, and return it.

    Raises ``nbclient.exceptions.CellExecutionError`` when a cell fails.
    """
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    notebook = nbformat.read(path, as_version=4)
    env_backend = os.environ.setdefault("MPLBACKEND", "Agg")
    log.info("executing %s (MPLBACKEND=%s)", path.name, env_backend)
    config = Config()
    with tempfile.TemporaryDirectory(prefix="adass-kernel-") as sockets:
        if os.name == "posix":  # Unix sockets, as the dashboards' kernels: no port to race for, no plain-TCP warning
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(sockets, "kernel")  # absolute: the kernel runs in another folder
        client = NotebookClient(
            notebook,
            timeout=EXECUTION_TIMEOUT_S,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            config=config,
        )
        # a filter panel puts every view, with its <select> controls, into the page only for a static page
        client.execute(env={**os.environ, HTML_PANELS_ENV: "1"})
    return notebook


def render_page(notebook, section: Section, sections: list[Section]) -> str:
    """Return the static HTML page of one executed notebook."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    for cell in notebook.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = default_view(cell.get("outputs", []))
    notebook.metadata.pop("widgets", None)
    exporter = HTMLExporter(
        config=Config({"TagRemovePreprocessor": {"remove_cell_tags": {RESEARCHER_TAG}}}),  # as voila.json does
        template_name="adass_static",
        extra_template_basedirs=[str(share_dir() / "nbconvert" / "templates")],
        extra_template_paths=[str(share_dir() / "voila" / "templates" / "adass")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {
        "metadata": {"name": section.title},
        "adass_nav": section_nav(sections, section.name),
        "adass_notice": SYNTHETIC_NOTICE,
    }
    html, _ = exporter.from_notebook_node(notebook, resources=resources)
    return link_pages(html)


def render_index(sections: list[Section]) -> str:
    """Return the ``index.html`` of the static site: every section in order.

    Examples
    --------
    >>> html = render_index([Section("07", "07-restrictions", "7. Restrictions on direct payments")])
    >>> "07-restrictions.html" in html and "synthetic" in html.lower()
    True
    """
    import jinja2

    template_dirs = [
        share_dir() / "nbconvert" / "templates" / "adass_static",
        share_dir() / "voila" / "templates" / "adass",
    ]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]), autoescape=True)
    css = (share_dir() / "voila" / "templates" / "adass" / "static" / "adass.css").read_text(encoding="utf-8")
    nav = section_nav(sections, "")
    return env.get_template("site_index.html.j2").render(nav=nav, notice=SYNTHETIC_NOTICE, css=css)


def export_site(notebooks: Path, out: Path, only: list[str] | None = None) -> list[Path]:
    """Execute every section notebook of ``notebooks`` and write the static site to ``out``.

    Parameters
    ----------
    notebooks : folder of ``NN-name.ipynb`` notebooks
    out : output folder; replaced as a whole only when every notebook ran
    only : names of the sections to execute and write (default all); the index and navigation still list all

    Returns
    -------
    the written pages, ``index.html`` first

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     pages = export_site(Path(folder), Path(folder) / "site")
    ...     [p.name for p in pages]
    ['index.html']
    """
    sections = list_sections(notebooks)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    staging.chmod(0o755)
    try:
        (staging / "index.html").write_text(with_meta_policy(render_index(sections)), encoding="utf-8")
        chosen = [s for s in sections if only is None or s.name in only or s.filename in only]
        for section in chosen:
            notebook = execute_notebook(notebooks / section.filename)
            page = externalize(render_page(notebook, section, sections), staging / STATIC_FILES, f"{STATIC_FILES}/")
            page = with_meta_policy(page)  # its content-security policy, for a page opened from disk too
            (staging / section.page).write_text(page, encoding="utf-8")
            print(f"export: {section.page}")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return [out / "index.html", *(out / s.page for s in chosen)]


def run_export(args) -> int:
    """Command ``export``: write the static site to ``args.out``; return the exit code.

    Exit 0 when every page was written; 2 when a notebook fails (the message names it and the cell; the
    detail is in the log; the previous site is left as it was).
    """
    from nbclient.exceptions import CellExecutionError

    notebooks = Path(getattr(args, "notebooks", None) or project_root() / "notebooks")
    try:
        pages = export_site(notebooks, Path(args.out))
    except CellExecutionError as error:
        log.error("notebook failed during export: %s", error)
        first_line = str(error).strip().splitlines()[-1] if str(error).strip() else "a cell failed"
        print(
            f"error: a notebook in {notebooks.name}/ failed while exporting ({first_line[:200]}). "
            "Nothing was written. Run it in JupyterLab to see the cell; the detail is in logs/.",
            file=__import__("sys").stderr,
        )
        return 2
    print(f"export: {len(pages)} pages in {args.out}")
    return 0
