"""The views catalogue: every block the notebooks show, computed once, stored, and read without pandas.

A notebook's page is fully described by its ``report.<name>(...)`` calls with literal arguments.
``python -m adass_survey catalogue`` finds those calls in every notebook, computes each once through
the report facade (suppressed, audited, charts drawn), and writes one JSON file per call into
``data/catalogue/`` with a manifest keyed by the hash of everything the views depend on: the processed
data, the codebook, the published figures, the disclosure threshold and the library's code (all but
``serve/``, which only shows stored views and cannot change one). The folder is replaced whole, so a
failed build leaves the previous catalogue serving.

A page reads only the files of its own calls (:func:`stored`), and only while the manifest's key is
the current one and the file's SHA-256 is the one the manifest holds for it; anything else (a researcher's new call
in JupyterLab, a damaged or missing file) is computed live.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from pathlib import Path

from ..core.paths import codebook_path, data_dir, processed_dir, project_root
from ..core.settings import THRESHOLD_ENV

FORMAT = 2  # 2: every entry's checksum in the manifest
MANIFEST = "manifest.json"
RESEARCHER_TAG = "researcher-only"  # a cell for JupyterLab only: Voilà and the static pages remove it, unseen
_MANIFESTS: dict[str, tuple[float, dict, dict[str, str]]] = {}
_KEY: list[str] = []


def catalogue_dir() -> Path:
    """The folder of the catalogue: ``data/catalogue`` (derived, never edited, not committed).

    Examples
    --------
    >>> catalogue_dir().name
    'catalogue'
    """
    return data_dir() / "catalogue"


def _hash_files(digest, paths) -> None:
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")


def inputs_key() -> str:
    """The hash of everything a stored view depends on (cheap: no respondent file is read).

    Computed once per process: a kernel lives for one reader's page.

    Examples
    --------
    >>> len(inputs_key())
    64
    """
    if not _KEY:
        _KEY.append(_inputs_key())
    return _KEY[0]


def _inputs_key() -> str:
    digest = hashlib.sha256(f"format {FORMAT}; threshold {os.environ.get(THRESHOLD_ENV, '')}".encode())
    manifest = processed_dir() / "build_manifest.json"
    if manifest.is_file():
        built = json.loads(manifest.read_text(encoding="utf-8"))
        digest.update(f"{built.get('raw_sha256')} {built.get('codebook_sha256')}".encode())
    _hash_files(digest, [codebook_path(), *data_dir().glob("*.yaml")])
    for folder in ("published", "reference", "coding"):
        _hash_files(digest, (data_dir() / folder).glob("*.*"))
    _hash_files(digest, analysis_sources())
    return digest.hexdigest()


def analysis_sources() -> list[Path]:
    """The library's modules a stored view can depend on: every one but those that make and serve pages (``pages/``,
    ``serve/``).

    Examples
    --------
    >>> names = {path.parent.name for path in analysis_sources()}
    >>> "report" in names, "pages" in names, "serve" in names
    (True, False, False)
    """
    package = Path(__file__).resolve().parents[1]
    return [path for path in package.rglob("*.py") if path.relative_to(package).parts[0] not in ("pages", "serve")]


def call_key(name: str, args: list, kwargs: dict) -> str:
    """The file name of one call's entry: a hash of the function name and its literal arguments.

    Examples
    --------
    >>> call_key("caveats", ["7"], {}) == call_key("caveats", ["7"], {})
    True
    >>> call_key("caveats", ["7"], {}) == call_key("caveats", ["8"], {})
    False
    """
    text = json.dumps([name, list(args), dict(sorted(kwargs.items()))], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def notebook_calls(path: str | Path) -> list[tuple[str, list, dict]]:
    """The ``report.<name>(...)`` calls of a notebook's code cells that the catalogue can compute in advance.

    A cell tagged ``researcher-only`` (:data:`RESEARCHER_TAG`: the "Explore this section yourself" cells, which
    readers never see) is left out, and so is any call the catalogue cannot compute in advance (arguments that are
    not literals, a cell that is not Python), with a note on stderr: such a call is computed live when its cell
    runs, and a researcher's edit never breaks the build.

    Examples
    --------
    >>> calls = notebook_calls(project_root() / "notebooks" / "07-restrictions.ipynb")
    >>> calls[1]
    ('headlines', ['7'], {})
    """
    name = Path(path).name
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    calls = []
    for number, cell in enumerate(cells):
        if cell["cell_type"] != "code" or RESEARCHER_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        tree = _parsed(cell["source"])
        if tree is None:
            skipped(f"{name}, cell {number}", "the cell is not plain Python")
            continue
        for node in ast.walk(tree):
            if _is_report_call(node):
                call = _literal_call(node)
                if call is None:
                    skipped(f"{name}, cell {number}: report.{node.func.attr}(...)", "its arguments are not literals")
                else:
                    calls.append(call)
    return calls


def skipped(where: str, why: str) -> None:
    """Say on stderr that a call is left out of the catalogue (it is computed live when its cell runs).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stderr(io.StringIO()) as err:
    ...     skipped("90-x.ipynb, cell 3: report.explore(...)", "its arguments are not literals")
    >>> err.getvalue().startswith("catalogue: skipped 90-x.ipynb, cell 3: report.explore(...) (its arguments")
    True
    """
    print(f"catalogue: skipped {where} ({why}); it is computed live when its cell runs", file=sys.stderr)


def _parsed(source) -> ast.Module | None:
    """A cell's syntax tree, with IPython's magic and shell lines (``%...``, ``!...``) left out; None if not Python."""
    lines = "".join(source).splitlines()
    try:
        return ast.parse("\n".join(line for line in lines if not line.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return None


def _is_report_call(node) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "report"
    )


def _literal_call(node: ast.Call) -> tuple[str, list, dict] | None:
    """The call's name and literal arguments (tuples as lists), or None when an argument is not a literal."""
    try:
        args = [ast.literal_eval(a) for a in node.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None
    if None in kwargs:  # report.x(**options)
        return None
    return (
        node.func.attr,
        [list(a) if isinstance(a, tuple) else a for a in args],
        {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
    )


def _manifest(folder: Path) -> tuple[dict, dict[str, str]] | None:
    path = folder / MANIFEST
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    cached = _MANIFESTS.get(str(folder))
    if cached is None or cached[0] != mtime:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        sums = {call["key"]: call.get("sha256", "") for call in manifest.get("calls", []) if "key" in call}
        cached = (mtime, manifest, sums)
        _MANIFESTS[str(folder)] = cached
    return cached[1], cached[2]


def checksum(data: bytes) -> str:
    """The checksum of a stored entry's bytes, as the manifest holds it.

    Examples
    --------
    >>> checksum(b"{}")[:12]
    '44136fa355b3'
    """
    return hashlib.sha256(data).hexdigest()


def entry_bytes(folder: Path, key: str, sums: dict[str, str]) -> bytes | None:
    """The bytes of one stored entry if they are the ones the manifest's checksum names, else None (missing,
    truncated, altered, or an entry the manifest does not list).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "k.json").write_bytes(b"{}")
    >>> entry_bytes(folder, "k", {"k": checksum(b"{}")}), entry_bytes(folder, "k", {"k": checksum(b"{ }")})
    (b'{}', None)
    """
    expected = sums.get(key)
    try:
        data = (folder / f"{key}.json").read_bytes()
    except OSError:
        return None
    return data if expected and checksum(data) == expected else None


def stored(name: str, args: list, kwargs: dict, folder: Path | None = None) -> dict | None:
    """The stored entry of one call, or None when the catalogue lacks it, is not current, or the entry is damaged.

    Examples
    --------
    >>> stored("caveats", ["no such section"], {}) is None
    True
    """
    folder = folder or catalogue_dir()
    found = _manifest(folder)
    if found is None or found[0].get("key") != inputs_key():
        return None
    data = entry_bytes(folder, call_key(name, args, kwargs), found[1])
    return None if data is None else json.loads(data.decode("utf-8"))


def notebooks_dir() -> Path:
    """The notebooks whose calls the catalogue holds.

    Examples
    --------
    >>> notebooks_dir().name
    'notebooks'
    """
    return project_root() / "notebooks"
