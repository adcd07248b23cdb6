"""The compare page's styles, kept where every page's styles are: the site's stylesheet, ``adass.css``.

A ``<style>`` element belongs in a page's ``<head>``, which a notebook's output cannot reach, so the form's rules are
written into the template's stylesheet (inlined in the head of every page, live and static, and allowed by its hash
in the page's Content-Security-Policy), between two markers, by ``python -m adass_survey.compare.style``.
``tests/compare/`` checks that the stylesheet holds them as this module writes them. Every rule is scoped to the
form's classes (``.adass-cmp``), so no other page is styled by them.

The block of an answer is shown by one rule per answer position (``.adass-cmp-q:has(.adass-cmp-o2:checked)
.adass-cmp-b2``), written for :data:`MAX_OPTIONS` positions; the form refuses a question with more answers.
"""

from __future__ import annotations

from pathlib import Path

from ..present.choices import TEMPLATES

MAX_OPTIONS = 12
"""The most answers a question of the form may have: the stylesheet shows the block of positions 1 to 12."""
CSS_BEGIN = "/* BEGIN compare my council (written by python -m adass_survey.compare.style) */"
CSS_END = "/* END compare my council */"

BASE_STYLE = """\
.adass-cmp { max-width: 48rem; }
.adass-cmp-privacy { font-weight: 700; border-left: 4px solid #12436d; padding: 0.25rem 0 0.25rem 0.75rem; }
.adass-cmp-q { border: 1px solid #b1b4b6; margin: 1rem 0; padding: 0.5rem 1rem 0.75rem; min-width: 0; }
.adass-cmp-q > legend { font-weight: 600; padding: 0 0.25rem; line-height: 1.35; }
.adass-cmp-options label { display: flex; align-items: center; gap: 0.5rem; min-height: 2rem; cursor: pointer; }
.adass-cmp-options input { width: 20px; height: 20px; margin: 0; flex: none; }
.adass-cmp:has(.adass-cmp-q) .adass-cmp-block { display: none; }
.adass-cmp-block { border-left: 4px solid #12436d; padding: 0.1rem 0 0.1rem 0.75rem; margin-top: 0.5rem; }
.adass-cmp-block h3 { font-size: 1rem; margin: 0.25rem 0; }
.adass-cmp-block p { margin: 0.25rem 0; }
.adass-cmp-where { font-style: italic; }
.adass-cmp-block blockquote { margin: 0.3rem 0 0.3rem 1rem; padding-left: 0.6rem; border-left: 3px solid #505a5f; }
.adass-cmp-name label { display: block; font-weight: 600; }
.adass-cmp-name input { min-height: 2.5rem; width: 24rem; max-width: 100%; box-sizing: border-box;
  border: 2px solid #0b0c0c; padding: 0 0.5rem; font-size: 1rem; }
.adass-cmp-actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
.adass-cmp-actions button { min-height: 2.5rem; padding: 0 1rem; font-size: 1rem; border: 2px solid #0b0c0c;
  background: #ffffff; color: #0b0c0c; cursor: pointer; }
.adass-cmp-actions button.adass-cmp-download { background: #12436d; border-color: #12436d; color: #ffffff; }
.adass-cmp-form:not(:has(.adass-cmp-opt:checked)) .adass-cmp-download { display: none; }
.adass-cmp-form:has(.adass-cmp-opt:checked) .adass-cmp-empty { display: none; }
.adass-cmp-print { display: none; }
@media print {
  body:has(.adass-cmp) .jp-Cell:not(:has(.adass-cmp)), body:has(.adass-cmp) .adass-footer { display: none !important; }
  .adass-cmp-privacy, .adass-cmp-options, .adass-cmp-q > legend, .adass-cmp-actions, .adass-cmp-hint,
  .adass-cmp-screen, .adass-cmp-name:has(input:placeholder-shown) { display: none !important; }
  .adass-cmp { max-width: none; }
  .adass-cmp-print { display: block; }
  span.adass-cmp-print { display: inline; }
  h2.adass-cmp-print { font-size: 1.4rem; margin: 0 0 0.3rem; }
  .adass-cmp-q:has(.adass-cmp-none:checked) { display: none; }
  .adass-cmp-q { border: 0; margin: 0; padding: 0; }
  .adass-cmp-name { display: flex; gap: 0.4rem; align-items: baseline; }
  .adass-cmp-name label { display: inline; }
  .adass-cmp-name input { border: 0; padding: 0; min-height: 0; width: auto; flex: 1; font: inherit; }
  .adass-cmp-caveat { border: 2px solid #0b0c0c; padding: 0.4rem 0.6rem; }
  .adass-cmp-block { border: 0; padding: 0; break-inside: avoid; page-break-inside: avoid; }
  .adass-cmp-block h3 { font-size: 1.05rem; margin: 1rem 0 0.2rem; break-after: avoid; page-break-after: avoid; }
}
"""


def compare_css(positions: int = MAX_OPTIONS) -> str:
    """Return the form's rules as the stylesheet holds them: the rules above, one rule per answer position shown.

    Examples
    --------
    >>> css = compare_css(2)
    >>> css.startswith(CSS_BEGIN) and css.endswith(CSS_END + "\\n")
    True
    >>> ".adass-cmp-q:has(.adass-cmp-o2:checked) .adass-cmp-b2 { display: block; }" in css
    True
    """
    shown = "".join(
        f".adass-cmp-q:has(.adass-cmp-o{n}:checked) .adass-cmp-b{n} {{ display: block; }}\n"
        for n in range(1, positions + 1)
    )
    return f"{CSS_BEGIN}\n{BASE_STYLE}{shown}{CSS_END}\n"


def written_css(css: str) -> str:
    """Return the form's block of a stylesheet's text, markers included ("" when it has none).

    Examples
    --------
    >>> written_css(f"a {{}}\\n{CSS_BEGIN}\\nb {{}}\\n{CSS_END}\\nc {{}}\\n") == f"{CSS_BEGIN}\\nb {{}}\\n{CSS_END}\\n"
    True
    """
    if CSS_BEGIN not in css:
        return ""
    return CSS_BEGIN + css.partition(CSS_BEGIN)[2].partition(CSS_END)[0] + CSS_END + "\n"


def write(templates: Path = TEMPLATES) -> None:
    """Write the form's rules into the template folder's ``static/adass.css``: in place of its block, or at its end.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "static").mkdir()
    >>> _ = (folder / "static" / "adass.css").write_text("a {}\\n")
    >>> write(folder)
    >>> write(folder)
    >>> css = (folder / "static" / "adass.css").read_text()
    >>> css.startswith("a {}\\n" + CSS_BEGIN) and css.count(CSS_BEGIN) == 1 and written_css(css) == compare_css()
    True
    """
    path = templates / "static" / "adass.css"
    css = path.read_text(encoding="utf-8")
    old = written_css(css)
    path.write_text(css.replace(old, compare_css()) if old else css + compare_css(), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - the command that writes the file
    write()
