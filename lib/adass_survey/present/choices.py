"""One filter choice per page: a set of links in the page header sets every filter panel of the page at once.

A choice is a fragment of the page's address (``#f-council_type-county``): it can be shared, bookmarked and printed,
and choosing one needs no script. The header holds one empty target per choice (fixed in place, so following a
link does not scroll the page); ``adass.css`` shows, in every panel split by that choice's filter, the view of that
choice, and the view of all councils elsewhere. A withheld view shows its "Hidden: ..." message.

The header's links (``adass_choices.html.j2``) and the stylesheet's rules are written from the filter dimensions by
``python -m adass_survey.present.choices``; ``tests/present/test_choices.py`` checks both are up to date.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

ALL = "all"
CSS_BEGIN = "/* BEGIN filter choices (written by python -m adass_survey.present.choices) */"
CSS_END = "/* END filter choices */"
_SAFE = re.compile(r"[^A-Za-z0-9_-]")
TEMPLATES = Path(__file__).resolve().parents[3] / "share" / "jupyter" / "voila" / "templates" / "adass"
"""The Voilà template's folder in a source checkout (the static export's template reads the same files)."""


def choice_id(dimension: str, code: str) -> str:
    """The fragment id of one choice; "all" is the same choice whatever the filter.

    Examples
    --------
    >>> choice_id("council_type", "county"), choice_id("region_group", "all")
    ('f-council_type-county', 'f-all')
    """
    if code == ALL:
        return "f-all"
    return "f-" + "-".join(_SAFE.sub("_", p) for p in (dimension, code))


def choices(dimensions: dict) -> list[tuple[str, str, str]]:
    """Every (dimension id, code, label) a page may choose, "all" excluded.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> choices({"t": NS(options=(("county", "County"),))})
    [('t', 'county', 'County')]
    """
    return [(d_id, code, label) for d_id, d in dimensions.items() for code, label in d.options]


def choices_html(dimensions: dict) -> str:
    """The header's set of links: one group per filter (shown only on a page with a panel split by it).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> html = choices_html({"t": NS(label="Council type", options=(("county", "County"),))})
    >>> '<span class="adass-choice-target" id="f-county"' in html
    False
    >>> '<a href="#f-t-county">County</a>' in html and 'id="f-t-county"' in html
    True
    """
    targets = "".join(
        f'<span class="adass-choice-target" id="{choice_id(d, c)}"></span>'
        for d, c in [("", ALL)] + [(d, c) for d, c, _ in choices(dimensions)]
    )
    groups = []
    for d_id, d in dimensions.items():
        links = "".join(f'<li><a href="#{choice_id(d_id, code)}">{escape(label)}</a></li>' for code, label in d.options)
        groups.append(
            f'<li class="adass-choices-group" data-dim="{escape(d_id, quote=True)}">'
            f"<span>{escape(d.label)}:</span> <ul>{links}</ul></li>"
        )
    return (
        f'<nav class="adass-choices" aria-label="Filter every chart on this page">{targets}'
        '<p class="adass-choices-title">Show every chart of this page for:</p>'
        f'<ul><li class="adass-choices-group"><ul><li><a href="#f-all">All councils</a></li></ul></li>'
        f"{''.join(groups)}</ul></nav>"
    )


def choices_css(dimensions: dict) -> str:
    """The stylesheet's rules: which view each panel shows, which link is current, which groups a page offers.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> css = choices_css({"t": NS(label="Council type", options=(("county", "County"),))})
    >>> '.adass-page:has(#f-t-county:target) .adass-static-view[data-choice="f-t-county"] { display: block; }' in css
    True
    """
    rules = [
        CSS_BEGIN,
        '.adass-static-view:not([data-choice="f-all"]) { display: none; }',
    ]
    current = ['.adass-page:not(:has(.adass-choice-target:target)) .adass-choices a[href="#f-all"]']
    for d_id, d in dimensions.items():
        rules.append(
            f'.adass-page:not(:has(.adass-static-panel[data-dims~="{d_id}"])) '
            f'.adass-choices-group[data-dim="{d_id}"] {{ display: none; }}'
        )
        for code, _ in d.options:
            cid = choice_id(d_id, code)
            rules.append(
                f'.adass-page:has(#{cid}:target) .adass-static-view[data-choice="{cid}"] {{ display: block; }}'
            )
            rules.append(
                f'.adass-page:has(#{cid}:target) .adass-static-panel[data-dims~="{d_id}"] '
                f'.adass-static-view[data-choice="f-all"] {{ display: none; }}'
            )
            current.append(f'.adass-page:has(#{cid}:target) .adass-choices a[href="#{cid}"]')
    current.append('.adass-page:has(#f-all:target) .adass-choices a[href="#f-all"]')
    selector = ",\n".join(current)
    rules.append(f"{selector} {{ font-weight: bold; background: #1d70b8; color: #fff; }}")
    printed = selector.replace(" a[", " li:has(> a[").replace('"]', '"])')
    rules.append(
        f"@media print {{\n  .adass-choices li li {{ display: none; }}\n  {printed} {{ display: inline; }}\n}}"
    )
    rules.append(CSS_END)
    return "\n".join(rules) + "\n"


def write(dimensions: dict, templates: Path = TEMPLATES) -> None:
    """Write the header's links and the stylesheet's rules into the template folder.

    Examples
    --------
    >>> import tempfile
    >>> from types import SimpleNamespace as NS
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "static").mkdir()
    >>> _ = (folder / "static" / "adass.css").write_text(f"a {{}}\\n{CSS_BEGIN}\\n{CSS_END}\\n")
    >>> write({"t": NS(label="Council type", options=(("county", "County"),))}, folder)
    >>> 'href="#f-t-county"' in (folder / "adass_choices.html.j2").read_text()
    True
    """
    (templates / "adass_choices.html.j2").write_text(
        "{#- Written by python -m adass_survey.present.choices: do not edit. -#}\n" + choices_html(dimensions) + "\n"
    )
    css_path = templates / "static" / "adass.css"
    css = css_path.read_text()
    head, _, rest = css.partition(CSS_BEGIN)
    _, _, tail = rest.partition(CSS_END + "\n")
    css_path.write_text(head + choices_css(dimensions) + tail)


if __name__ == "__main__":  # pragma: no cover - the command that writes the files
    from ..tables.groups import dimensions as filter_dimensions

    write(filter_dimensions())
