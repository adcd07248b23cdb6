"""The page's one set of filter links and the stylesheet's rules are written from the filter dimensions."""

from __future__ import annotations

from adass_survey.present.choices import CSS_BEGIN, CSS_END, TEMPLATES, choices_css, choices_html, write
from adass_survey.present.panel import static_html
from adass_survey.tables.groups import dimensions


def test_the_header_links_and_the_stylesheet_rules_are_up_to_date() -> None:
    dims = dimensions()
    header = (TEMPLATES / "adass_choices.html.j2").read_text()
    css = (TEMPLATES / "static" / "adass.css").read_text()
    assert choices_html(dims) in header, "run python -m adass_survey.present.choices"
    assert CSS_BEGIN + css.partition(CSS_BEGIN)[2].partition(CSS_END)[0] + CSS_END + "\n" == choices_css(dims)
    for d_id, d in dims.items():
        for code, _ in d.options:
            assert f'href="#f-{d_id}-{code}"' in header and f'id="f-{d_id}-{code}"' in header, (d_id, code)


def test_write_replaces_only_the_generated_block(tmp_path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "adass.css").write_text(f"a {{}}\n{CSS_BEGIN}\nold\n{CSS_END}\nb {{}}\n")
    write(dimensions(), tmp_path)
    css = (tmp_path / "static" / "adass.css").read_text()
    assert css.startswith("a {}\n" + CSS_BEGIN) and css.endswith(CSS_END + "\nb {}\n") and "\nold\n" not in css


def test_every_view_a_panel_keeps_has_a_rule_that_shows_it() -> None:
    dims = dimensions()
    entry = {
        "dimensions": [
            {"id": d, "options": [["All", "all"], *([label, code] for code, label in dims[d].options)]}
            for d in ("council_type", "region_group")
        ],
        "views": {},
    }
    for a in ["all", *dims["council_type"].codes()]:
        for b in ["all", *dims["region_group"].codes()]:
            entry["views"][f"{a}|{b}"] = {"html": f"<p>{a} {b}</p>", "base": "", "text": ""}
    html = static_html(entry, "p")
    css = choices_css(dims)
    kept = [part.split('"')[0] for part in html.split('data-choice="')[1:]]
    assert len(kept) == 1 + len(dims["council_type"].codes()) + len(dims["region_group"].codes())
    for choice in kept[1:]:
        assert f'.adass-static-view[data-choice="{choice}"] {{ display: block; }}' in css, choice
