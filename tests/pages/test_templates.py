"""The page templates' own files, as the templates use them."""

from __future__ import annotations

from adass_survey.pages.export import share_dir


def test_the_stylesheet_inside_every_live_page_holds_no_jinja_marker() -> None:
    # the Voilà template includes adass.css as a template, so a "{#" in it would silently cut the styles short
    css = (share_dir() / "voila" / "templates" / "adass" / "static" / "adass.css").read_text(encoding="utf-8")
    assert css.count("{") > 50
    assert not [marker for marker in ("{{", "{%", "{#") if marker in css]
