"""Section navigation of the dashboards: which notebooks exist, in what order, and their titles.

Notebooks are named ``NN-name.ipynb``; ``00-index.ipynb`` is the landing page. The order, the titles and
the previous / next / index links of every page are computed here from the file names (and each
notebook's first heading), so the Voilà template and the static export show the same navigation.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.paths import STATIC_FOLDER

SECTION_STEM = r"(\d{2})-([A-Za-z0-9_-]+)"
"""A section notebook's name without ``.ipynb``: its two-digit number and its slug (the one spelling of it)."""
SECTION_PATTERN = re.compile(rf"^{SECTION_STEM}\.ipynb$")
INDEX_NUMBER = 0


@dataclass(frozen=True)
class Section:
    """One notebook of the dashboard site.

    Parameters
    ----------
    number : the ``NN`` prefix of the file name
    name : the file name without ``.ipynb`` (``07-restrictions``)
    title : the notebook's first Markdown heading, or a title made from the file name
    summary : one sentence for the list of sections (see :func:`summary_sentence`)
    """

    number: int
    name: str
    title: str
    summary: str = ""

    @property
    def filename(self) -> str:
        """Return the notebook's file name."""
        return f"{self.name}.ipynb"

    @property
    def page(self) -> str:
        """Return the file name of the section's static page (:func:`static_page_name`)."""
        return static_page_name(self.filename)


def static_page_name(notebook: str) -> str | None:
    """Return the file name of a section's static page, or None for anything but a section notebook's file name.

    Examples
    --------
    >>> static_page_name("07-restrictions.ipynb"), static_page_name("notes.ipynb")
    ('07-restrictions.html', None)
    """
    match = SECTION_PATTERN.match(notebook or "")
    return f"{match.group(1)}-{match.group(2)}.html" if match else None


def title_from_name(name: str) -> str:
    """Return a readable title made from a notebook name.

    Examples
    --------
    >>> title_from_name("07-direct_payments")
    'Direct payments'
    >>> title_from_name("00-index")
    'Overview'
    """
    match = re.match(r"^(\d{2})-(.*)$", name)
    words = (match.group(2) if match else name).replace("_", " ").replace("-", " ").strip()
    if match and int(match.group(1)) == INDEX_NUMBER:
        return "Overview"
    return words[:1].upper() + words[1:]


def first_heading(notebook: Path) -> str | None:
    """Return the text of the first Markdown heading of a notebook, or None.

    Examples
    --------
    >>> import json, tempfile
    >>> cell = {"cell_type": "markdown", "metadata": {}, "source": ["# 7. Restrictions\\n", "text"]}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "07-restrictions.ipynb"
    ...     _ = path.write_text(json.dumps({"cells": [cell]}))
    ...     first_heading(path)
    '7. Restrictions'
    """
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return None
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for line in text.splitlines():
            heading = re.match(r"^#{1,2}\s+(.+?)\s*#*\s*$", line)
            if heading:
                return re.sub(r"[*_`]", "", heading.group(1))
    return None


def _markdown_paragraphs(notebook: Path) -> list[str]:
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []
    paragraphs = []
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            paragraphs += [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paragraphs


def summary_sentence(notebook: Path) -> str:
    """Return one sentence that says what a notebook answers, for the list of sections.

    The sentence after the notebook's "**The question.**" label; failing that, the first sentence of its first
    paragraph that is not a heading; "" when there is none.

    Examples
    --------
    >>> import json, tempfile
    >>> cell = {"cell_type": "markdown", "metadata": {},
    ...         "source": ["# 7. Restrictions\\n", "\\n", "**The question.** Do councils limit direct payments?\\n"]}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "07-restrictions.ipynb"
    ...     _ = path.write_text(json.dumps({"cells": [cell]}))
    ...     summary_sentence(path)
    'Do councils limit direct payments?'
    """
    paragraphs = _markdown_paragraphs(notebook)
    for paragraph in paragraphs:
        if paragraph.startswith("**The question.**"):
            return paragraph.removeprefix("**The question.**").strip()
    for paragraph in paragraphs:
        if not paragraph.startswith("#"):
            plain = re.sub(r"[*_`]", "", paragraph)
            return re.split(r"(?<=[.?!])\s", plain, maxsplit=1)[0]
    return ""


def list_sections(folder: Path) -> list[Section]:
    """Return the notebooks of ``folder`` named ``NN-name.ipynb``, in order.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("02-b.ipynb", "00-index.ipynb", "notes.ipynb"):
    ...         _ = (Path(folder) / name).write_text("{}")
    ...     [s.name for s in list_sections(Path(folder))]
    ['00-index', '02-b']
    """
    sections = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        if SECTION_PATTERN.match(path.name):
            try:
                stat = path.stat()
            except OSError:
                continue
            sections.append(_section(path, stat.st_mtime_ns, stat.st_size))
    return sections


@lru_cache(maxsize=256)
def _section(path: Path, mtime_ns: int, size: int) -> Section:
    """One notebook's entry in the list of sections, read once per version of the file.

    Voilà asks for the navigation on every page it renders (each render, and each widget page's reader): the file's
    modification time and size are part of the key, so an edited notebook is read again, and only then.
    """
    title = first_heading(path) or title_from_name(path.stem)
    number = int(SECTION_PATTERN.match(path.name).group(1))
    return Section(number=number, name=path.stem, title=title, summary=summary_sentence(path))


def section_nav(sections: list[Section], current: str) -> dict[str, Any]:
    """Return the navigation of one page: index, previous and next sections, and all sections.

    Parameters
    ----------
    sections : the site's sections in order (see :func:`list_sections`)
    current : the current notebook's name (``07-restrictions``) or file name

    Returns
    -------
    dict with keys ``current``, ``index``, ``prev``, ``next`` (each a section as a dict, or None) and
    ``sections`` (all sections as dicts). A section dict has ``number``, ``name``, ``title``, ``summary``,
    ``filename``.

    Examples
    --------
    >>> site = [Section(0, "00-index", "Overview"), Section(1, "01-a", "A"), Section(2, "02-b", "B")]
    >>> nav = section_nav(site, "01-a.ipynb")
    >>> nav["prev"]["name"], nav["next"]["name"], nav["index"]["name"]
    ('00-index', '02-b', '00-index')
    >>> section_nav(site, "00-index")["prev"] is None
    True
    """
    name = Path(current).name.removesuffix(".ipynb")
    as_dicts = [{**asdict(s), "filename": s.filename} for s in sections]
    names = [s.name for s in sections]
    position = names.index(name) if name in names else None
    index = next((d for d in as_dicts if d["number"] == INDEX_NUMBER), None)
    prev = as_dicts[position - 1] if position is not None and position > 0 else None
    nxt = as_dicts[position + 1] if position is not None and position + 1 < len(as_dicts) else None
    current_dict = as_dicts[position] if position is not None else None
    return {"current": current_dict, "index": index, "prev": prev, "next": nxt, "sections": as_dicts}


def static_links(root: Path, current: str) -> dict[str, str | None]:
    """Return where the static pages are, relative to the served folder, or None for those not built yet.

    Parameters
    ----------
    root : the folder Voilà serves (``notebooks/``)
    current : the current notebook's name or file name (empty on the entry page)

    Returns
    -------
    dict with ``index`` (the static ``index.html``) and ``current`` (the static copy of the current page)

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     site = Path(folder) / STATIC_FOLDER
    ...     site.mkdir()
    ...     _ = (site / "index.html").write_text("<html></html>")
    ...     static_links(Path(folder), "07-restrictions.ipynb")
    {'index': 'site/index.html', 'current': None}
    """
    site = Path(root) / STATIC_FOLDER
    name = Path(current).name.removesuffix(".ipynb") if current else ""
    page = static_page_name(f"{name}.ipynb")
    return {
        "index": f"{STATIC_FOLDER}/index.html" if (site / "index.html").is_file() else None,
        "current": f"{STATIC_FOLDER}/{page}" if page and (site / page).is_file() else None,
    }


def voila_page_config_hook(page_config: dict, **kwargs: Any) -> dict:
    """Add the section navigation to Voilà's page config (``VoilaConfiguration.page_config_hook``).

    Voilà calls this for every page with ``notebook_path`` relative to the folder it serves; the
    template reads ``page_config["adassNav"]``, ``page_config["adassNotice"]`` (the synthetic-data
    notice) and ``page_config["adassStatic"]`` (see :func:`static_links`). The page config is changed in
    place and returned.

    Examples
    --------
    >>> import tempfile
    >>> from types import SimpleNamespace
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "00-index.ipynb").write_text("{}")
    ...     settings = {"contents_manager": SimpleNamespace(root_dir=folder)}
    ...     config = voila_page_config_hook({}, settings=settings, notebook_path="00-index.ipynb")
    >>> config["adassNav"]["current"]["title"]
    'Overview'
    """
    from .. import SYNTHETIC_NOTICE

    root = Path(kwargs["settings"]["contents_manager"].root_dir)
    notebook_path = kwargs.get("notebook_path") or ""
    page_config["adassNav"] = section_nav(list_sections(root), notebook_path)
    page_config["adassNotice"] = SYNTHETIC_NOTICE
    page_config["adassStatic"] = static_links(root, notebook_path)
    return page_config
